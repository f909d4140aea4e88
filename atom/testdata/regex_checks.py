#!/usr/bin/env python3
"""A Python regex implementation of atom's checks, in DeepResearcher's style (str.count and re
over the text with the tool responses masked out). It is the independent reference for the
golden test (atom/testdata/regex_goldens.jsonl) and the peer of bench/atom.sh.

For each JSONL {"text": ...} line it outputs {"ok", "answer", "errors": [kind...],
"thoughts": [[tag, start, end]...], "tool_calls": [name...]}.
It does not handle what regexes cannot (same-name nesting, trajectory tags inside a think,
ChatML); the corpus generator does not produce those.
usage: regex_checks.py < corpus.jsonl > out.jsonl     (--time [--passes N]: print only the best wall and CPU seconds of N passes, default 3, and the bytes)
"""
import json
import re
import sys
import time

RESPONSE = re.compile(r"<tool_response>.*?(?:</tool_response>|\Z)", re.S | re.I)
THINK = re.compile(r"<think>(.*?)</think>", re.S | re.I)
CALL = re.compile(r"<tool_call>(.*?)</tool_call>", re.S | re.I)
ANSWER = re.compile(r"<answer>(.*?)</answer>", re.S | re.I)
THOUGHT = re.compile(r"<([A-Za-z][A-Za-z0-9_]*)>(.*?)</\1>", re.S | re.I)
TRAJECTORY = {"think", "tool_call", "answer", "tool_response"}
ALLOWED = {"web_search", "browse_webpage"}


def strings_ok(v, list_only):
    if isinstance(v, str):
        return not list_only
    return isinstance(v, list) and len(v) > 0 and all(isinstance(s, str) for s in v)


def check_call(raw):
    try:
        obj = json.loads(raw)
    except ValueError:
        return None, "bad_tool_call"
    if not isinstance(obj, dict) or not isinstance(obj.get("name"), str) or "arguments" not in obj:
        return None, "bad_tool_call"
    name, args = obj["name"], obj["arguments"]
    if name not in ALLOWED:
        return name, "unknown_tool"
    if not isinstance(args, dict):
        return name, "bad_tool_arguments"
    if name == "web_search" and ("query" not in args or not strings_ok(args["query"], False)):
        return name, "bad_tool_arguments"
    if name == "browse_webpage":
        if "url_list" not in args or not strings_ok(args["url_list"], True):
            return name, "bad_tool_arguments"
        if "query" in args and not isinstance(args["query"], str):
            return name, "bad_tool_arguments"
    return name, None


def check(text):
    model = RESPONSE.sub(lambda m: " " * len(m.group(0)), text)
    low = model.lower()
    errors = []
    for tag in ("think", "tool_call", "answer"):
        o, c = "<%s>" % tag, "</%s>" % tag
        if low.count(o) != low.count(c) or (c in low and low.find(c) < low.find(o)):
            errors.append("unbalanced_tag")
    calls = []
    for m in CALL.finditer(model):
        name, err = check_call(m.group(1))
        calls.append(name or "")
        if err:
            errors.append(err)
    m = ANSWER.search(model)
    answer = m.group(1).strip() if m else ""
    if not m:
        errors.append("missing_answer")
    thoughts = []
    for t in THINK.finditer(model):
        base = t.start(1)
        for a in THOUGHT.finditer(t.group(1)):
            if a.group(1).lower() not in TRAJECTORY:
                thoughts.append([a.group(1), base + a.start(), base + a.end()])
    return {"ok": not errors, "answer": answer, "errors": sorted(set(errors)), "thoughts": thoughts, "tool_calls": calls}


def byte_offsets(text, out):
    # Python indexes characters; convert thought offsets to UTF-8 bytes like Go.
    if text.isascii():
        return out
    prefix = [0]
    for ch in text:
        prefix.append(prefix[-1] + len(ch.encode("utf-8")))
    out["thoughts"] = [[t, prefix[s], prefix[e]] for t, s, e in out["thoughts"]]
    return out


def main():
    lines = sys.stdin.read().splitlines()
    texts = [json.loads(line)["text"] for line in lines]
    if "--time" in sys.argv:
        size = sum(len(t.encode("utf-8")) for t in texts)
        took, took_cpu = float("inf"), float("inf")
        passes = int(sys.argv[sys.argv.index("--passes") + 1]) if "--passes" in sys.argv else 3
        for _ in range(passes):  # best of 3 by default: the machine is shared
            start, cpu = time.perf_counter(), time.process_time()
            for t in texts:
                check(t)
            took = min(took, time.perf_counter() - start)
            took_cpu = min(took_cpu, time.process_time() - cpu)
        print("%.6f %.6f %d" % (took, took_cpu, size))
        return
    for t in texts:
        sys.stdout.write(json.dumps(byte_offsets(t, check(t)), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
