#!/usr/bin/env bash
# Compares two statistics.csv files with numdiff, ignoring the wall-time
# column (and, with NO_ITERATIONS=1, the linear iteration counts and final
# residuals, which depend on the partition through the AMG preconditioner and
# on the round-off of a parallel MUMPS factorisation).
set -eu
a=$1; b=$2
header=$(head -1 "$a")
skip=()
i=0
IFS=',' read -ra names <<< "$header"
for name in "${names[@]}"; do
  i=$((i + 1))
  case "$name" in
    "wall_time [s]") skip+=(-X "1:$i" -X "2:$i") ;;
    linear_iterations|residual) [ "${NO_ITERATIONS:-0}" = 1 ] && skip+=(-X "1:$i" -X "2:$i") ;;
  esac
done
numdiff -q -s ', \n' -a 1e-9 -r 1e-6 "${skip[@]}" "$a" "$b" \
  || { numdiff -s ', \n' -a 1e-9 -r 1e-6 "${skip[@]}" "$a" "$b" | head -40; exit 1; }
echo "statistics agree: $(($(wc -l < "$a") - 1)) steps"
