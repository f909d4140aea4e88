#!/usr/bin/env bash
# reward: score 100k responses (realistic responses around the DeepResearcher dev set's golds),
# Go vs the Python reference (reward/testdata/reference.py, DeepResearcher's reward function) on
# the same inputs in one run. The ratios are single-threaded on both sides (go test -cpu 1, so
# GOMAXPROCS=1) and use CPU time (user+sys of the whole process, GC included), which a loaded
# shared machine distorts less than wall time; wall is printed too. Two Go figures per mode:
#   per sample  Scorer.Score per response: golds split beforehand but normalized and tokenized on
#               every call, as the Python function does on every call (the like-for-like ratio);
#   batch       Scorer.ScoreBatchInto (Concurrency 1, one results slice kept from batch to batch
#               as a training loop keeps it from step to step): the responses to a question share
#               one golds slice, as train's rollouts share their question's answers, so its golds
#               are prepared once per batch (here ~114 responses per question; a GRPO group ~16).
# The Python peer runs under every interpreter of PYTHONS found (default: Debian's /usr/bin/python3,
# an optimized build, and the python3 on PATH when it is another one); the ratios are against
# the fastest, and each interpreter's figure is printed.
# Five rounds, each three Python passes per interpreter (one process) then three runs of each
# Go figure (one pass each after 4 untimed ones: the first passes of a process pay for the heap
# settling in; GOMAXPROCS=1, so the collector's work is on the one thread too), alternating, so
# both see the same load; each figure is the best single pass of its 15.
# Then the multi-core scaling of ScoreBatch: Concurrency = GOMAXPROCS, at GOMAXPROCS 1 and 2, one
# process each (-test.cpu with one value: a benchmark's first run, all that -test.benchtime 1x
# reports, is made before -test.cpu sets GOMAXPROCS), alternating, best of 5 each (wall time: this
# 2-core machine is shared, so the load averages printed with the figures bound what a second
# core can give), with two controls: pure arithmetic split over GOMAXPROCS goroutines (a
# dependent multiply chain, which a second thread runs at full speed even on a shared core) and
# two single-threaded scorers run at once in two processes (the throughput two threads of this
# very workload get, with nothing shared between them).
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
pythons=()
for py in ${PYTHONS:-/usr/bin/python3 python3}; do
  path=$(command -v "$py" || true)
  [ -n "$path" ] || continue
  real=$(readlink -f "$("$path" -c 'import sys; print(sys.executable)')")
  for seen in "${pythons[@]:-}"; do [ "$seen" = "$real" ] && continue 2; done
  pythons+=("$real")
done
[ ${#pythons[@]} -gt 0 ] || { echo "reward.sh: no Python 3 interpreter found (PYTHONS=${PYTHONS:-})" >&2; exit 1; }
load_before=$(uptime)
for _ in $(seq "$rounds"); do
  for py in "${pythons[@]}"; do
    echo "$py $("$py" --version 2>&1 | tr ' ' '-') $("$py" reward/testdata/reference.py bench "$n" 3 < "$tmp/in.jsonl")" >> "$tmp/py.txt"
  done
  for bench in '^BenchmarkScoreEach$' '^BenchmarkScore$/^mode=\w+$/^conc=1$'; do
    (cd reward && GOMAXPROCS=1 "$tmp/reward.test" -test.run '^$' -test.bench "$bench" -test.benchtime 1x -test.count 3 -test.cpu 1) >> "$tmp/go.txt"
  done
done
load_mid=$(uptime)
for _ in 1 2 3 4 5; do
  for cpu in 1 2; do
    for bench in '^BenchmarkScore$/^mode=\w+$/^conc=0$' '^BenchmarkCPUControl$'; do
      (cd reward && "$tmp/reward.test" -test.run '^$' -test.bench "$bench" -test.benchtime 3x -test.count 1 -test.cpu "$cpu") >> "$tmp/scale.txt"
    done
  done
  # the second control: two single-threaded scorers at once, in two processes (nothing shared)
  pair='^BenchmarkScore$/^mode=compat$/^conc=1$'
  (cd reward && GOMAXPROCS=1 "$tmp/reward.test" -test.run '^$' -test.bench "$pair" -test.benchtime 3x -test.cpu 1 > "$tmp/pair1.txt") &
  (cd reward && GOMAXPROCS=1 "$tmp/reward.test" -test.run '^$' -test.bench "$pair" -test.benchtime 3x -test.cpu 1 > "$tmp/pair2.txt")
  wait
  echo "PAIR $(cat "$tmp/pair1.txt" "$tmp/pair2.txt" | awk '/^Benchmark/ {if ($3 > m) m = $3} END {print m}')" >> "$tmp/scale.txt"
done
load_after=$(uptime)
mkdir -p bench/results
python3 - "$n" "$(nproc)" "$tmp/py.txt" "$tmp/go.txt" "$tmp/scale.txt" "$load_before" "$load_mid" "$load_after" "$rounds" <<'PY' | tee bench/results/reward.txt
import re, sys
n, cores, rounds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[9])
load = lambda s: s.split("load average:")[-1].strip()
interp = {}
for line in open(sys.argv[3]):
    exe, version, wall, cpu_s = line.split()
    w, c = interp.get(exe, (float("inf"), float("inf"), version))[:2]
    interp[exe] = (min(w, float(wall)), min(c, float(cpu_s)), version)
fastest = min(interp, key=lambda e: interp[e][1])
py_s, py_cpu = interp[fastest][0], interp[fastest][1]
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
print("  single-thread figures: best single pass of %d alternating rounds of 3; load averages (1, 5, 15 min) before %s, after %s" % (
    rounds, load(sys.argv[6]), load(sys.argv[7])))
for exe, (w, c, version) in sorted(interp.items(), key=lambda kv: kv[1][1]):
    print("  python reference (DeepResearcher's function, single thread), %s (%s): wall %.3f s  cpu %.3f s  (%.0f/s cpu)%s" % (
        exe, version.replace("-", " "), w, c, n / c, "  <- the ratios' peer (fastest)" if exe == fastest else ""))
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
pairs = [float(line.split()[1]) / 1e9 for line in open(sys.argv[5]) if line.startswith("PAIR ")]
if pairs:
    one = best["Score/mode=compat/conc=0-1"]
    print("    control (two single-threaded compat scorers at once in two processes, nothing shared: the")
    print("    most two threads of this workload get now): the slower of the pair %.3f s, so %.2fx the" % (min(pairs), 2 * one / min(pairs)))
    print("    throughput of one at GOMAXPROCS=1")
PY
