#!/usr/bin/env bash
# Whole-process wall time of weaklink-sisso on the benchmark cases (a)-(d) of
# benchmarks/sisso_benchmark.cc, one process started without mpirun, best of
# five: start-up, reading the CSV, the run and the report included.
#   benchmarks/sisso_process_time.sh [build directory]
set -eu
build=${1:-build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A options=(
  [a]="--dimension 3 --subspace 200"
  [b]="--dimension 2 --subspace 2000 --operators +,-,*,/,exp,log,^-1,^2,^3,sqrt"
  [c]="--dimension 2 --subspace 1000 --rung 3 --max-complexity 4"
  [d]="--dimension 2 --subspace 1000")
echo "case  best of 5 [s]  first model"
for case in a b c d; do
  "$build"/benchmarks/sisso_benchmark "$case" 1 "$work/$case.csv" > /dev/null
  best=1e9
  for repetition in 1 2 3 4 5; do
    start=$(date +%s.%N)
    "$build"/weaklink-sisso "$work/$case.csv" --target y ${options[$case]} --models 10 \
      --output "$work/$case" > "$work/$case.log"
    end=$(date +%s.%N)
    best=$(echo "$end - $start" | bc -l | awk -v b="$best" '{print ($1 < b) ? $1 : b}')
  done
  printf "%s     %.3f          %s\n" "$case" "$best" \
    "$(grep -m1 -E '^ *y = ' "$work/$case.txt" 2>/dev/null || grep -m1 '#1' "$work/$case.txt")"
done
