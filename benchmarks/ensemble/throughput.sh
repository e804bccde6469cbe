#!/usr/bin/env bash
# Samples per hour of weaklink-ensemble on P ranks, for each number of ranks
# per sample, with the mean time per sample split into simulation (setup and
# solve) and descriptors, and the peak memory per rank.
# usage: benchmarks/ensemble/throughput.sh build/weaklink-ensemble [study.prm] [P]
set -eu
ensemble=$1
study=${2:-$(dirname "$0")/../../tests/prm/ensemble_study.prm}
ranks=${3:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
column_mean() { # table column-name -> mean over the rows
  awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == name) c = i; next }
                        { s += $c; n += 1 } END { printf "%.3f", s / n }' "$1"
}
column_max() {
  awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == name) c = i; next }
                        { if ($c > m) m = $c } END { printf "%.0f", m }' "$1"
}
printf "%-18s %8s %10s %14s %14s %14s %12s %10s\n" "ranks per sample" samples "wall [s]" \
  "samples/hour" "sim/sample [s]" "desc/sample [s]" "wall/sample" "peak [MB]"
for per_sample in 1 $ranks; do
  [ "$per_sample" -le "$ranks" ] || continue
  start=$(date +%s.%N)
  mpirun -np "$ranks" --oversubscribe "$ensemble" "$study" --ranks-per-sample "$per_sample" \
    --output "$work/r$per_sample" > "$work/r$per_sample.log"
  end=$(date +%s.%N)
  table="$work/r$per_sample/table.csv"
  n=$(($(wc -l < "$table") - 1))
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
  printf "%-18s %8d %10.2f %14.0f %14s %14s %12s %10s\n" "$per_sample" "$n" "$wall" \
    "$(awk -v n="$n" -v w="$wall" 'BEGIN { print n * 3600 / w }')" "$(column_mean "$table" "simulation_time [s]")" \
    "$(column_mean "$table" "descriptor_time [s]")" "$(column_mean "$table" "wall_time [s]")" \
    "$(column_max "$table" "peak_memory_per_rank [MB]")"
  [ "$per_sample" -eq "$ranks" ] && break
done
