#!/usr/bin/env bash
# tensor: Go binding vs Python (python3-torch, the same libtorch 1.13) on the same workloads, in one
# run, same thread count. Prints Go/Python time ratios and writes them to bench/results/tensor.txt.
# Targets (issue 3): Chain20Small <= 0.6, Matmul/1k and Softmax/4k <= 1.05.
set -euo pipefail
threads=${ATOMSEARCHER_BENCH_THREADS:-$(nproc)}
export OMP_NUM_THREADS=$threads
mkdir -p bench/results
# The machine may be shared: run Go and Python alternately, rounds times, and keep each side's best.
rounds=${ATOMSEARCHER_BENCH_ROUNDS:-3}
bin=$(mktemp -d)/tensor.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" ./tensor
go_out="" py_out=""
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$rounds"); do
  go_out+=$("$bin" -test.run '^$' -test.bench 'BenchmarkChain20Small$|BenchmarkMatmul/1k$|BenchmarkSoftmax/4k$' -test.benchtime 1s)$'\n'
  py_out+=$(/usr/bin/python3 bench/tensor_peer.py 1)$'\n'
done
{
  echo "# tensor: Go/Python time per op (best of $rounds alternating rounds), OMP_NUM_THREADS=$threads, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "# load average (1, 5, 15 min) at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
  for name in Chain20Small Matmul/1k Softmax/4k; do
    g=$(echo "$go_out" | awk -v n="Benchmark$name" '$1 ~ "^"n"(-[0-9]+)?$" && (m == "" || $3 < m) {m = $3} END {print m}')
    p=$(echo "$py_out" | awk -v n="$name" '$1 == n && (m == "" || $2 < m) {m = $2} END {print m}')
    awk -v n="$name" -v g="$g" -v p="$p" 'BEGIN {printf "%-14s go %12.0f ns  python %12.0f ns  ratio %.3f\n", n, g, p, g/p}'
  done
} | tee bench/results/tensor.txt
