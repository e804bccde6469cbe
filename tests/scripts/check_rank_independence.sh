#!/usr/bin/env bash
# The same case on 1 and 2 MPI ranks gives the same statistics to solver tolerance.
set -eu
weaklink=$1; mpirun=$2; prm=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for np in 1 2; do
  printf 'include %s\nsubsection Output\n  set Directory = %s/np%s\nend\n' "$prm" "$work" "$np" > "$work/case$np.prm"
  "$mpirun" -np "$np" --oversubscribe "$weaklink" "$work/case$np.prm" > "$work/log$np.txt"
done
NO_ITERATIONS=1 "$here/compare_statistics.sh" "$work/np1/statistics.csv" "$work/np2/statistics.csv"
