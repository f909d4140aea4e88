#!/usr/bin/env bash
# atom: Parse+validate throughput on 10k realistic trajectories, Go vs a Python regex
# implementation of the same checks (DeepResearcher's approach; atom/testdata/regex_checks.py),
# same input, one run, single thread each (go test -cpu 1: GOMAXPROCS=1). Five rounds, each
# one Python pass then one Go run (alternating, so both see the same load); the best of the
# rounds is kept for each. Go runs with GOMAXPROCS=1 (-test.cpu 1 alone leaves the reported
# first run at the default GOMAXPROCS). Go runs 10 passes per figure (steady state, GC included), for
#   atom.Parse   a new trajectory per text (what the issue's target is about);
#   atom.Parser  one Parser reusing its memory (each trajectory valid until the next parse).
# Both wall and CPU time (user+sys of the process) are reported; CPU time is the fairer figure
# on a loaded shared machine. The load averages before and after are printed with the figures.
# Writes bench/results/atom.txt. Run from the repo root.
set -euo pipefail
GO=${GO:-go}
n=${ATOM_BENCH_N:-10000}
rounds=${ATOM_BENCH_ROUNDS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 atom/testdata/gen_corpus.py "$n" 1 | gzip -1 > "$tmp/corpus.jsonl.gz"
gzip -dc "$tmp/corpus.jsonl.gz" > "$tmp/corpus.jsonl"
CGO_ENABLED=0 $GO test -c -o "$tmp/atom.test" ./atom
# the peer runs under Debian's optimized python3 when present (about 20% faster than a default
# build), else the python3 on PATH
py=$(command -v /usr/bin/python3 || command -v python3)
load_before=$(uptime)
for _ in $(seq "$rounds"); do
  "$py" atom/testdata/regex_checks.py --time --passes 1 < "$tmp/corpus.jsonl" >> "$tmp/py.txt"
  (cd atom && GOMAXPROCS=1 ATOM_BENCH_CORPUS="$tmp/corpus.jsonl.gz" "$tmp/atom.test" -test.run '^$' \
    -test.bench '^BenchmarkParser?$' -test.benchtime 10x -test.count 1 -test.cpu 1) >> "$tmp/go.txt"
done
load_after=$(uptime)
mkdir -p bench/results
python3 - "$n" "$tmp/py.txt" "$tmp/go.txt" "$load_before" "$load_after" "$rounds" <<'PY' | tee bench/results/atom.txt
import sys
n, rounds = int(sys.argv[1]), int(sys.argv[6])
load = lambda s: s.split("load average:")[-1].strip()
py = [tuple(float(x) for x in line.split()) for line in open(sys.argv[2])]
py_s, py_cpu, size = min(p[0] for p in py), min(p[1] for p in py), py[0][2]
wall, cpu = {}, {}
for line in open(sys.argv[3]):
    if line.startswith("BenchmarkParse"):
        f = line.split()
        name = f[0].split("-")[0]
        wall[name] = min(wall.get(name, float("inf")), float(f[f.index("ns/op") - 1]) / 1e9)
        cpu[name] = min(cpu.get(name, float("inf")), float(f[f.index("cpu-ns/op") - 1]) / 1e9)
mb = size / 1e6
print("atom parse+validate: %d trajectories, %.1f MB, one run, single thread, best of %d alternating rounds" % (n, mb, rounds))
print("  load averages (1, 5, 15 min; 2 shared cores): before %s, after %s" % (load(sys.argv[4]), load(sys.argv[5])))
print("  python regex checks:  wall %.3f s (%.1f MB/s)  cpu %.3f s (%.1f MB/s)" % (py_s, mb / py_s, py_cpu, mb / py_cpu))
for name, label in (("BenchmarkParse", "go atom.Parse: "), ("BenchmarkParser", "go atom.Parser:")):
    w, c = wall[name], cpu[name]
    print("  %s       wall %.3f s (%.1f MB/s)  cpu %.3f s (%.1f MB/s)  ratio go/python: wall %.1fx  cpu %.1fx" % (
        label, w, mb / w, c, mb / c, py_s / w, py_cpu / c))
PY
