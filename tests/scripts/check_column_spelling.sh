#!/usr/bin/env bash
# A column is one thing whether it is named with or without its unit (issue 18):
# weaklink-weibull and weaklink-sisso (on 1 and 2 ranks) write the same results
# either way, the target is never a model of itself, and a copy of the target
# in other units is left out with a one-line note naming it.
set -eu
weibull=$1; sisso=$2; mpiexec=$3; data=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

sed 's|^sample,ccd,censored$|sample,ccd [mA/cm^2],censored [1]|' "$data/ccd_example.csv" > ccd.csv
grep -q '^sample,ccd \[mA/cm^2\],censored \[1\]$' ccd.csv
"$weibull" ccd.csv ccd --censored censored --output plain > /dev/null 2>&1
"$weibull" ccd.csv 'ccd [mA/cm^2]' --censored 'censored [1]' --output unit > /dev/null 2>&1
cmp plain.txt unit.txt
cmp plain_plot.csv unit_plot.csv
grep -q 'failures 28, censored 2' unit.txt
if "$weibull" ccd.csv 'ccd [mA/cm^2]' --censored ccd --output same > /dev/null 2> same.err; then
  echo "FAIL: --censored naming the analysed column was accepted"; exit 1
fi
grep -q "censored names the analysed column 'ccd \[mA/cm^2\]' itself" same.err

options="--dimension 2 --rung 1 --subspace 10 --models 3"
planted="$data/sisso_planted.csv"
for np in 1 2; do
  "$mpiexec" -np $np --oversubscribe "$sisso" "$planted" --target sigma $options \
    --output plain$np > /dev/null
  "$mpiexec" -np $np --oversubscribe "$sisso" "$planted" --target 'sigma [MPa]' \
    --features 'p [MPa],r,L [um],E,phi' $options --output unit$np > /dev/null
  cmp plain${np}_models.csv unit${np}_models.csv
  cmp plain${np}_models.json unit${np}_models.json
  if cut -d, -f10 unit${np}_models.csv | grep -q sigma; then
    echo "FAIL: the target is a feature of a model"; exit 1
  fi
done

# The target in kPa as an extra column: left out, named on stderr, the models unchanged.
awk '/^#/ { print; next }
     !header { print $0 ",sigma_kPa [kPa]"; header = 1; next }
     { split($0, cell, ","); printf "%s,%.12g\n", $0, 1000 * cell[1] }' "$planted" > copy.csv
"$mpiexec" -np 2 --oversubscribe "$sisso" copy.csv --target 'sigma [MPa]' $options \
  --output copy > /dev/null 2> copy.err
cat copy.err
[ "$(wc -l < copy.err)" -eq 1 ]
grep -q "note: excluded primary feature(s) 'sigma_kPa': copies of the target 'sigma'" copy.err
cmp plain2_models.csv copy_models.csv
grep -q '"excluded_features": \["sigma_kPa"\]' copy_models.json
echo "column spellings agree"
