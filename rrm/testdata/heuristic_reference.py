#!/usr/bin/env python3
"""Independent reference for rrm.Heuristic: re-implements the formulas documented on the
Heuristic type (rrm/heuristic.go) from scratch, with its own trajectory reader, and writes the
per-thought scores of heuristic_cases.json to heuristic_golden.json.

Run from rrm/testdata: /usr/bin/python3 heuristic_reference.py
"""
import json
import re

STOP = set("""a an the and or but if then else of to in on at by for with from as
is are was were be been being am do does did done have has had having it its this that these those
there here what which who whom whose when where why how i me my we our you your he him his she her
they them their not no nor so too very can could should would will shall may might must also
about into over after before than just only any all each both some such more most other own same
let lets need needs first next now up out s t
know knows knew known find finds found search searches searched look looks looking""".split())


def words(s):
    out = []
    for w in re.findall(r"[^\W_]+", s.lower()):
        if w in STOP or (len(w) == 1 and not w.isdigit()):
            continue
        out.append(w)
    return out


def share(want, have):
    want = set(want)
    if not want:
        return 0.0
    return len([w for w in want if w in have]) / len(want)


def thoughts_of(think):
    """Top-level <NAME>...</NAME> thoughts; an unclosed one ends at the next open tag."""
    opens = [m for m in re.finditer(r"<([A-Za-z][A-Za-z_]*)>", think)]
    out, pos = [], 0
    for k, m in enumerate(opens):
        if m.start() < pos:
            continue
        name = m.group(1)
        close = think.find("</%s>" % name, m.end())
        nxt = next((o.start() for o in opens[k + 1:] if o.start() >= m.end()), len(think))
        if close >= 0 and close <= nxt:
            out.append((name, think[m.end():close].strip(), True))
            pos = close + len(name) + 3
        else:
            out.append((name, think[m.end():nxt].strip(), False))
            pos = nxt
    return out


def turns_of(text):
    turns = []
    for chunk in re.split(r"</tool_response>", text):
        resp = re.search(r"<tool_response>(.*)", chunk, re.S)
        thinks = re.findall(r"<think>(.*?)</think>", chunk, re.S)
        calls = [json.loads(c) for c in re.findall(r"<tool_call>(.*?)</tool_call>", chunk, re.S)]
        ans = re.search(r"<answer>(.*?)</answer>", chunk, re.S)
        turns.append({"thoughts": [t for th in thinks for t in thoughts_of(th)], "calls": calls,
                      "response": resp.group(1) if resp else None, "answer": ans.group(1).strip() if ans else None})
    return turns


def strings_in(v):
    if isinstance(v, str):
        return [v]
    if isinstance(v, list):
        return [s for e in v for s in strings_in(e)]
    if isinstance(v, dict):
        return [s for e in v.values() for s in strings_in(e)]
    return []


def kind(tag):
    t = tag.upper()
    if any(p in t for p in ("VERIF", "CHECK", "CONFIRM")):
        return "verify"
    if any(p in t for p in ("PLAN", "ACTION", "SEARCH", "QUERY")):
        return "plan"
    if any(p in t for p in ("OBSERV", "REFLECT", "SUMMAR", "ANALY")):
        return "observe"
    return "other"


def score(case):
    q = words(case["question"])
    turns = turns_of(case["text"])
    answer = next((words(t["answer"]) for t in turns if t["answer"] is not None), [])
    latest, seen, have, prior = set(), set(), False, set()
    scores = []
    for t in turns:
        action = [w for c in t["calls"] for s in strings_in(c.get("arguments", {})) for w in words(s)]
        for tag, text, closed in t["thoughts"]:
            w = words(text)
            ws = set(w)
            qs = share(q, ws)
            k = kind(tag)
            names_call = False
            if k == "plan":
                acts = share(action, ws) if action else qs
                names_call = bool(action) and acts == 1
                s = 0.2 + 0.5 * max(qs, share(w, set(q) | seen)) + 0.3 * acts
            elif k == "observe":
                s = 0.2 + 0.8 * share(w, latest | set(q)) if have else 0.2 + 0.4 * qs
            elif k == "verify":
                s = 0.2 + 0.5 * share(answer, ws) + 0.3 * share(w, seen)
            else:
                s = 0.2 + 0.4 * qs + 0.4 * (share(w, seen) if have else qs)
            norm = " ".join(w)
            if text.strip() == "":
                s = 0.0
            elif norm in prior or (len(w) < 3 and not names_call) or not closed:
                s /= 2
            prior.add(norm)
            scores.append(min(1.0, max(0.0, s)))
        if t["response"] is not None:
            latest = set(words(t["response"]))
            seen |= latest
            have = True
    return scores


cases = json.load(open("heuristic_cases.json"))
golden = [{"name": c["name"], "scores": score(c)} for c in cases]
json.dump(golden, open("heuristic_golden.json", "w"), indent=1)
for g in golden:
    print(g["name"], ["%.4f" % s for s in g["scores"]])
