#!/usr/bin/env bash
# reward: score 100k responses (realistic responses around the DeepResearcher dev set's golds),
# Go vs the Python reference (reward/testdata/reference.py, DeepResearcher's reward function) on
# the same inputs in one run. The ratios are single-threaded on both sides (go test -cpu 1, so
# GOMAXPROCS=1) and use CPU time (user+sys of the whole process, GC included), which a loaded
# shared machine distorts less than wall time; wall is printed too. Two Go figures per mode:
#   per sample  Scorer.Score per response: golds split beforehand but normalized and tokenized on
#               every call, as the Python function does on every call (the like-for-like ratio);
#   batch       Scorer.ScoreBatchInto (Concurrency 1, one results slice kept from batch to batch
#               as a training loop keeps it from step to step): the golds of a question prepared
#               once and shared by its rollouts (here ~114 per question; a GRPO group has ~16).
# Five rounds, each one Python pass (best of 3 passes) then one run of each Go figure (3 passes,
# after 4 untimed ones: the first passes of a process pay for the heap settling in; alternating,
# so both see the same load); the best of the rounds is kept for each figure.
# Then the multi-core scaling of ScoreBatch: Concurrency = GOMAXPROCS, at GOMAXPROCS 1 and 2, one
# process each (-test.cpu with one value: a benchmark's first run, all that -test.benchtime 1x
# reports, is made before -test.cpu sets GOMAXPROCS), alternating, best of 5 each (wall time: this
# 2-core machine is shared, so the load averages printed with the figures bound what a second
# core can give).
# Writes bench/results/reward.txt. Run from the repo root.
set -euo pipefail
GO=${GO:-go}
n=${REWARD_BENCH_N:-100000}
rounds=${REWARD_BENCH_ROUNDS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gzip -dc reward/testdata/goldens.jsonl.gz > "$tmp/in.jsonl"
export REWARD_BENCH_INPUT="$tmp/in.jsonl" REWARD_BENCH_N="$n" CGO_ENABLED=0
$GO test -c -o "$tmp/reward.test" ./reward
load_before=$(uptime)
for _ in $(seq "$rounds"); do
  python3 reward/testdata/reference.py bench "$n" 1 < "$tmp/in.jsonl" >> "$tmp/py.txt"
  for bench in '^BenchmarkScoreEach$' '^BenchmarkScore$/^mode=\w+$/^conc=1$'; do
    (cd reward && "$tmp/reward.test" -test.run '^$' -test.bench "$bench" -test.benchtime 3x -test.count 1 -test.cpu 1) >> "$tmp/go.txt"
  done
done
load_mid=$(uptime)
for _ in 1 2 3 4 5; do
  for cpu in 1 2; do
    for bench in '^BenchmarkScore$/^mode=\w+$/^conc=0$' '^BenchmarkCPUControl$'; do
      (cd reward && "$tmp/reward.test" -test.run '^$' -test.bench "$bench" -test.benchtime 3x -test.count 1 -test.cpu "$cpu") >> "$tmp/scale.txt"
    done
  done
done
load_after=$(uptime)
mkdir -p bench/results
python3 - "$n" "$(nproc)" "$tmp/py.txt" "$tmp/go.txt" "$tmp/scale.txt" "$load_before" "$load_mid" "$load_after" "$rounds" <<'PY' | tee bench/results/reward.txt
import re, sys
n, cores, rounds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[9])
load = lambda s: s.split("load average:")[-1].strip()
py = [tuple(float(x) for x in line.split()) for line in open(sys.argv[3])]
py_s, py_cpu = min(p[0] for p in py), min(p[1] for p in py)
best, cpu = {}, {}
for path in sys.argv[4:6]:
    for line in open(path):
        m = re.match(r"Benchmark(Score\S*?)(-\d+)?\s", line)
        if m:
            f = line.split()
            k = m.group(1) + (m.group(2) or "-1")
            best[k] = min(best.get(k, float("inf")), float(f[f.index("ns/op") - 1]) / 1e9)
            cpu[k] = min(cpu.get(k, float("inf")), float(f[f.index("cpu-ns/op") - 1]) / 1e9)
print("reward: score %d responses (DeepResearcher dev-set golds), one run, %d cores (shared machine)" % (n, cores))
print("  single-thread figures: best of %d alternating rounds; load averages (1, 5, 15 min) before %s, after %s" % (
    rounds, load(sys.argv[6]), load(sys.argv[7])))
print("  python reference (DeepResearcher's function, single thread): wall %.3f s  cpu %.3f s  (%.0f/s cpu)" % (py_s, py_cpu, n / py_cpu))
for mode in ("compat", "atom"):
    for label, k in (("per sample", "ScoreEach/mode=%s-1" % mode), ("batch     ", "Score/mode=%s/conc=1-1" % mode)):
        print("  go %-6s %s (1 thread): wall %.3f s  cpu %.3f s  (%.0f/s cpu)  ratio vs python: wall %.1fx  cpu %.1fx" % (
            mode, label, best[k], cpu[k], n / cpu[k], py_s / best[k], py_cpu / cpu[k]))
print("  ScoreBatch scaling, Concurrency = GOMAXPROCS, best of 5 alternating (wall; cpu = process CPU time);")
print("  load averages before %s, after %s:" % (load(sys.argv[7]), load(sys.argv[8])))
for mode in ("compat", "atom"):
    one = best["Score/mode=%s/conc=0-1" % mode]
    for p in (1, 2, 4, 8):
        k = "Score/mode=%s/conc=0-%d" % (mode, p)
        if k in best:
            print("    %-6s GOMAXPROCS=%d: wall %.3f s  cpu %.3f s  speed-up %.2fx over GOMAXPROCS=1" % (
                mode, p, best[k], cpu[k], one / best[k]))
ctl = {}
for line in open(sys.argv[5]):
    m = re.match(r"BenchmarkCPUControl(-(\d+))?\s", line)
    if m:
        f = line.split()
        p = int(m.group(2) or 1)
        ctl[p] = min(ctl.get(p, float("inf")), float(f[f.index("ns/op") - 1]) / 1e9)
if 1 in ctl and 2 in ctl:
    print("    control (pure arithmetic split over GOMAXPROCS goroutines, what the machine gives a second")
    print("    thread now): GOMAXPROCS=1 %.3f s, GOMAXPROCS=2 %.3f s, speed-up %.2fx" % (ctl[1], ctl[2], ctl[1] / ctl[2]))
PY
