#!/usr/bin/env bash
# weaklink-descriptors writes the same tables on 1, 2 and 4 ranks, and sensible values.
set -eu
descriptors=$1; mpiexec=$2; prm=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
for ranks in 1 2 4; do
  "$mpiexec" -np $ranks --oversubscribe "$descriptors" "$prm" --samples 5 --voxel-size 5e-7 --output d$ranks --images 1 > log$ranks
done
cmp d1.csv d2.csv
cmp d1.csv d4.csv
cmp d1.json d4.json
test $(wc -l < d1.csv) -eq 6
test -s d1_0000.vtk
# Porosity (third column) within 2 % of the 6 % target on every sample.
awk -F, 'NR > 1 { if ($3 < 0.0588 || $3 > 0.0612) { print "porosity " $3; exit 1 } }' d1.csv
cat log1
