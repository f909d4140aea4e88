#!/usr/bin/env python3
"""Independent Python reference for package reward (goldens and the bench peer).

deepresearcher_score is DeepResearcher's published outcome reward as the project documents it
(../shared/MISSION.md): lower-case the whole response; -1 if <tool_call>, <think> or <answer>
start/end tags differ in number or an end tag comes first, or if there is no <answer>; else the
first <answer>...</answer> (shortest match), ASCII punctuation -> space, white space collapsed,
F1 over token SETS, best over the golds split by <|answer_split|>.
squad_* are SQuAD v1.1's official normalize_answer / f1_score / exact_match_score.

make: reference.py goldens dev_golds.jsonl > goldens.jsonl   (realistic responses around golds)
      reference.py bench N [PASSES] < responses.jsonl      (prints the best wall and CPU seconds for N scorings)
"""
import collections
import json
import random
import re
import string
import sys
import time

PUNCT = set(string.punctuation)
SPLIT = "<|answer_split|>"


def dr_normalize(s):
    s = s.lower()
    s = "".join(" " if ch in PUNCT else ch for ch in s)
    return " ".join(s.split())


def dr_f1(pred, gold):
    p, g = set(dr_normalize(pred).split()), set(dr_normalize(gold).split())
    common = len(p & g)
    if not p or not g or common == 0:
        return 0.0
    precision = 1.0 * common / len(p)
    recall = 1.0 * common / len(g)
    return (2 * precision * recall) / (precision + recall)


def deepresearcher_score(response, ground_truth):
    text = response.lower()
    for tag in ("tool_call", "think", "answer"):
        o, c = "<%s>" % tag, "</%s>" % tag
        if text.count(o) != text.count(c):
            return -1.0
        if c in text and text.find(c) < text.find(o):
            return -1.0
    m = re.search(r"<answer>(.*?)</answer>", text, re.S)
    if not m:
        return -1.0
    return max(dr_f1(m.group(1), g) for g in ground_truth.split(SPLIT))


def squad_normalize(s):
    def remove_articles(text):
        return re.sub(r"\b(a|an|the)\b", " ", text)

    def white_space_fix(text):
        return " ".join(text.split())

    def remove_punc(text):
        return "".join(ch for ch in text if ch not in PUNCT)

    return white_space_fix(remove_articles(remove_punc(s.lower())))


def squad_f1(pred, gold):
    p, g = squad_normalize(pred).split(), squad_normalize(gold).split()
    common = collections.Counter(p) & collections.Counter(g)
    num_same = sum(common.values())
    if not p or not g or num_same == 0:
        return 0.0
    precision = 1.0 * num_same / len(p)
    recall = 1.0 * num_same / len(g)
    return (2 * precision * recall) / (precision + recall)


def squad_em(pred, gold):
    p, g = squad_normalize(pred), squad_normalize(gold)
    return 1.0 if p and g and p == g else 0.0


def dr_em(pred, gold):
    p, g = dr_normalize(pred), dr_normalize(gold)
    return 1.0 if p and g and p == g else 0.0


def cover_em(pred, gold):
    p, g = dr_normalize(pred), dr_normalize(gold)
    return 1.0 if p and g and (" " + g + " ") in (" " + p + " ") else 0.0


SEARCH = '<tool_call>\n{"name": "web_search", "arguments": {"query": ["%s"]}}\n</tool_call>'


def responses(r, question, golds):
    """(kind, response, model answer or None for a format error) around the golds."""
    gold = r.choice([g for g in golds if g.strip()] or [""])
    first = gold.split()[0] if gold.split() else ""
    think = "<think>\n<PLAN>Answer: %s</PLAN>\n</think>\n" % question
    search = SEARCH % question.replace('"', "'").replace("\\", " ")
    resp = "<tool_response>\nresults about %s\n</tool_response>\n" % gold
    cases = [
        ("exact", gold),
        ("decorated", "The %s!" % gold.upper()),
        ("extra words", "%s %s is the answer, %s" % (gold, first, first)),
        ("partial", first),
        ("wrong", "no idea at all"),
        ("punctuation only", "?!..."),
        ("unicode", "%s — Zürich 東京" % gold),
    ]
    out = []
    for kind, ans in cases:
        out.append((kind, think + "<answer>%s</answer>" % ans, ans))
    out.append(("tool turn", think + search + "\n" + resp + "<think>found</think>\n<answer>%s</answer>" % gold, gold))
    out.append(("crlf", think.replace("\n", "\r\n") + "<answer>\r\n%s\r\n</answer>" % gold, "\r\n%s\r\n" % gold))
    out.append(("upper tags", "<THINK>x</THINK><ANSWER>%s</ANSWER>" % gold, gold))
    out.append(("missing answer", think + search, None))
    out.append(("unclosed think", "<think>\n<PLAN>p</PLAN>\n<answer>%s</answer>" % gold, None))
    out.append(("end before start", "</think>" + think + "<think><answer>%s</answer>" % gold, None))
    # tags inside a tool response: DeepResearcher's function sees them, atom does not
    out.append(("decoy in tool response", think + search + "\n<tool_response>\n<answer>decoy</answer>\n</tool_response>\n"
                + "<think>ok</think>\n<answer>%s</answer>" % gold, gold))
    return out


def goldens(path):
    r = random.Random(5)
    for line in open(path, encoding="utf-8"):
        row = json.loads(line)
        gt = row["ground_truth"]
        golds = gt.split(SPLIT)
        for kind, response, answer in responses(r, row["question"], golds):
            rec = {"kind": kind, "response": response, "ground_truth": gt,
                   "compat_reward": deepresearcher_score(response, gt), "format_ok": answer is not None}
            if answer is not None:
                rec["answer"] = answer
                rec["set_f1"] = max(dr_f1(answer, g) for g in golds)
                rec["dr_em"] = max(dr_em(answer, g) for g in golds)
                rec["cover_em"] = max(cover_em(answer, g) for g in golds)
                rec["squad_f1"] = max(squad_f1(answer, g) for g in golds)
                rec["squad_em"] = max(squad_em(answer, g) for g in golds)
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")


def bench(n, passes=3):
    rows = [json.loads(line) for line in sys.stdin]
    gts = [row["ground_truth"] for row in rows]
    best, best_cpu = float("inf"), float("inf")
    for _ in range(passes):  # best of 3 by default: the machine is shared
        start, cpu = time.perf_counter(), time.process_time()
        for i in range(n):
            row = rows[i % len(rows)]
            deepresearcher_score(row["response"], gts[i % len(rows)])
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    print("%.6f %.6f" % (best, best_cpu))


if __name__ == "__main__":
    if sys.argv[1] == "goldens":
        goldens(sys.argv[2])
    elif sys.argv[1] == "bench":
        bench(int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 3)
    else:
        sys.exit("usage: reference.py goldens dev_golds.jsonl | bench N")
