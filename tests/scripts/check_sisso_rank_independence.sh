#!/usr/bin/env bash
# weaklink-sisso on 1 and 2 ranks, and as a lone process that does not start MPI,
# must write the same models (timings aside), and find the planted formula of the data set.
set -eu
sisso=$1; mpiexec=$2; data=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
options="--target sigma --dimension 2 --rung 2 --operators +,-,*,/,^2,sqrt --subspace 30 --models 5 --cv-folds 4"
"$mpiexec" -np 1 "$sisso" "$data" $options --output one > /dev/null
"$mpiexec" -np 2 --oversubscribe "$sisso" "$data" $options --output two > /dev/null
"$sisso" "$data" $options --output lone > /dev/null
cmp one_models.csv two_models.csv
cmp one_models.json two_models.json
cmp one_models.csv lone_models.csv
cmp one_models.json lone_models.json
# The best one-term model is 2 p r / L (in any of its equivalent spellings) with a dimensionless coefficient.
line=$(sed -n 2,3p one_models.csv | tail -1)
echo "$line"
echo "$line" | grep -Eq '^1,1,0\.0[12][0-9]*,.*,1,2\.00[0-9]*,1,.*,MPa,2$'
grep -q '"chosen_dimension"' one_models.json
