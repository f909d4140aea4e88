#!/usr/bin/env bash
# grpo benchmarks: Go vs the PyTorch peer (bench/grpo_peer.py, same libtorch 1.13, same inputs
# from the same seeded generator), one measurement per process, ratios printed and written to
# bench/results/grpo.txt. Run from the repository root (make bench does).
#
#  1. policy loss forward+backward, B=64 T=1024 float32, DeepResearcher config: GRPO_BENCH_ROUNDS
#     (default 3) rounds, each a Go process then a PyTorch one, each timing GRPO_BENCH_REPS steps.
#     Reported: the median over all rounds of each side's median step and of its fastest step
#     (on a shared machine the fastest step is the one least disturbed by other processes).
#  2. log-probs N=4096 V=151936 H=896 float32, forward+backward: Go fused (tensor.FusedLogProbs)
#     vs PyTorch log_softmax(h @ W^T)+gather (and the Go naive path), fused and PyTorch alternating
#     for GRPO_BENCH_LP_ROUNDS (default 2) rounds; the ratio is of the medians (the best round's
#     ratio is printed too). Peak memory is the process's RSS high-water mark (VmHWM, reset through
#     /proc/self/clear_refs after the inputs exist) minus the RSS at that point: the extra memory the
#     path needs beyond its inputs. CPU time (user+system of the process) is reported next to the
#     wall time: it moves less with other processes' load.
#
# Sizes: GRPO_BENCH_B/T/N/V/H; GRPO_BENCH_THREADS (default: all cores). The naive log-prob path
# needs ~8 GiB at full size (one run at a time).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/results/grpo.txt
mkdir -p bench/results
bin=$(mktemp -d)/grpo.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" ./grpo
PY=/usr/bin/python3

probe() { # impl mode -> JSON line
  if [ "$1" = go ]; then
    (cd grpo && GRPO_BENCH_PROBE=$2 "$bin" -test.run '^TestBenchProbe$' -test.v) | sed -n 's/^GRPO_BENCH //p'
  else
    GRPO_BENCH_PROBE=$2 $PY bench/grpo_peer.py | sed -n 's/^GRPO_BENCH //p'
  fi
}
field() { $PY -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
ratio() { $PY -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
# median FIELD JSON... -> the median of FIELD over the JSON lines
median() { local f=$1; shift; $PY -c "import json,sys,statistics; print('%.3f' % statistics.median(json.loads(a)[sys.argv[1]] for a in sys.argv[2:]))" "$f" "$@"; }
# best_ratio FIELD A B -> min over rounds i of A_i.FIELD / B_i.FIELD (A and B: |-separated JSON lines)
best_ratio() { $PY -c "import json,sys; a=sys.argv[2].split('|'); b=sys.argv[3].split('|'); print('%.2f' % min(json.loads(x)[sys.argv[1]]/json.loads(y)[sys.argv[1]] for x,y in zip(a,b)))" "$1" "$2" "$3"; }

{
  echo "grpo benchmarks ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, libtorch threads ${GRPO_BENCH_THREADS:-$(nproc)}, load $(cut -d' ' -f1-3 /proc/loadavg))"
  go_loss=(); py_loss=()
  for _ in $(seq "${GRPO_BENCH_ROUNDS:-3}"); do
    go_loss+=("$(probe go loss)"); py_loss+=("$(probe py loss)")
  done
  go_med=$(median median_ms "${go_loss[@]}"); py_med=$(median median_ms "${py_loss[@]}")
  go_min=$(median min_ms "${go_loss[@]}"); py_min=$(median min_ms "${py_loss[@]}")
  echo "policy loss fwd+bwd B=${GRPO_BENCH_B:-64} T=${GRPO_BENCH_T:-1024}, ${#go_loss[@]} rounds: median step go ${go_med} ms, pytorch ${py_med} ms, go/pytorch $(ratio "$go_med" "$py_med") (target <= 1.0); fastest step go ${go_min} ms, pytorch ${py_min} ms, go/pytorch $(ratio "$go_min" "$py_min")"
  [ "$(field "${go_loss[0]}" checksum)" = "$(field "${py_loss[0]}" checksum)" ] || echo "  WARNING: input checksums differ"

  fused=(); naive_py=()
  for _ in $(seq "${GRPO_BENCH_LP_ROUNDS:-2}"); do
    fused+=("$(probe go fused)"); naive_py+=("$(probe py naive)")
  done
  naive_go=("$(probe go naive)")
  for name in fused naive_go naive_py; do
    declare -n runs=$name
    for j in "${runs[@]}"; do
      echo "log-probs N=${GRPO_BENCH_N:-4096} V=${GRPO_BENCH_V:-151936} H=${GRPO_BENCH_H:-896} $name: fwd $(field "$j" fwd_ms) ms, fwd+bwd $(field "$j" fwd_bwd_ms) ms, cpu $(field "$j" cpu_ms) ms, peak extra $(field "$j" peak_extra_mib) MiB, logp sum $(field "$j" logp_sum)"
    done
    unset -n runs
  done
  f_peak=$(median peak_extra_mib "${fused[@]}"); p_peak=$(median peak_extra_mib "${naive_py[@]}")
  f_fwd=$(median fwd_ms "${fused[@]}"); p_fwd=$(median fwd_ms "${naive_py[@]}")
  f_tot=$(median fwd_bwd_ms "${fused[@]}"); p_tot=$(median fwd_bwd_ms "${naive_py[@]}")
  f_cpu=$(median cpu_ms "${fused[@]}"); p_cpu=$(median cpu_ms "${naive_py[@]}")
  fj=$(IFS='|'; echo "${fused[*]}"); pj=$(IFS='|'; echo "${naive_py[*]}")
  echo "fused/pytorch-naive peak memory: $(ratio "$f_peak" "$p_peak") (target <= 0.125)"
  echo "fused/pytorch-naive time fwd: $(ratio "$f_fwd" "$p_fwd"), fwd+bwd: $(ratio "$f_tot" "$p_tot") (target <= 1.3; best round $(best_ratio fwd_bwd_ms "$fj" "$pj")), cpu time fwd+bwd: $(ratio "$f_cpu" "$p_cpu")"
  echo "fused/go-naive peak memory: $(ratio "$f_peak" "$(field "${naive_go[0]}" peak_extra_mib)"), fwd+bwd time: $(ratio "$f_tot" "$(field "${naive_go[0]}" fwd_bwd_ms)")"
  echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
