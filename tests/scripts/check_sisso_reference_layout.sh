#!/usr/bin/env bash
# weaklink-sisso run without arguments where SISSO.in and train.dat are (issue #16) must
# read them, leave them unchanged and write, besides its own report, the reference SISSO
# code's output: SISSO.out and Models/top<NNNN>_D<nnn>[_coeff], with the planted model
# y = 0.5 + 3 x1 x2/x3 of the fixture in them, read the way the reference code's
# SISSO_predict reads SISSO.out. Also: stale Models files of an earlier run go, other
# files stay; --reference-input writes beside SISSO.in; no SISSO.in is a one-line error.
set -u
sisso=$1; fixture=$2
case $sisso in /*) ;; *) sisso=$PWD/$sisso ;; esac
case $fixture in /*) ;; *) fixture=$PWD/$fixture ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  "$@" || { echo "FAIL: $what"; fail=1; }
}
# A Fortran E20.10 field: 0.dddddddddd times a power of ten, right-justified in 20 columns.
e20='( {4}0\.[0-9]{10}E[-+][0-9]{2}| {3}-0\.[0-9]{10}E[-+][0-9]{2})'
near() { # near VALUE EXPECTED TOLERANCE
  awk -v v="$1" -v e="$2" -v t="$3" 'BEGIN { d = v - e; if (d < 0) d = -d; exit !(v != "" && d <= t) }'
}

mkdir "$work/case"
cp "$fixture/SISSO.in" "$fixture/train.dat" "$work/case/"
cd "$work/case"
"$sisso" > stdout.txt 2> stderr.txt
status=$?
[ "$status" -eq 0 ] || { echo "FAIL: exit status $status: $(cat stderr.txt)"; exit 1; }
check "SISSO.in changed" cmp -s SISSO.in "$fixture/SISSO.in"
check "train.dat changed" cmp -s train.dat "$fixture/train.dat"
for file in sisso.txt sisso_models.csv sisso_models.json SISSO.out; do
  check "$file missing" test -s "$file"
done
models=$(ls Models 2> /dev/null | tr '\n' ' ')
check "Models/ holds '$models'" \
  test "$models" = "top0005_D001 top0005_D001_coeff top0005_D002 top0005_D002_coeff "

# The descriptor block of dimension D in SISSO.out, as SISSO_predict reads it: the line
# "  DD descriptor...", a rule, D lines "d00j = FORMULA    feature_ID:N", a blank line,
# the coefficients and the intercept after ':'.
block() { awk -v d="$1" 'index($0, d "D descriptor") == 3 { n = NR } n && NR > n && NR <= n + d + 5' SISSO.out; }
block1=$(block 1)
echo "$block1"
check "1D header line" grep -qx '  1D descriptor/model(y=sum(ci\*di)+c0) : ' SISSO.out
check "2D header line" grep -qx '  2D descriptor/model(y=sum(ci\*di)+c0) : ' SISSO.out
check "two descriptor blocks" test "$(grep -c 'D descriptor' SISSO.out)" -eq 2
d1=$(echo "$block1" | sed -n 2p)
formula=$(echo "$d1" | sed -n 's/^     d001 = \(.*\)    feature_ID:[0-9]\{6\}$/\1/p')
id=$(echo "$d1" | sed -n 's/.*feature_ID:0*\([0-9][0-9]*\)$/\1/p')
case "$formula" in
  '((x1*x2)/x3)' | '((x2*x1)/x3)' | '(x1/(x3/x2))' | '(x2/(x3/x1))') ;;
  *) echo "FAIL: d001 is '$formula', not x1 x2/x3 (line: '$d1')"; fail=1 ;;
esac
check "the 1D block's third line is not blank" test -z "$(echo "$block1" | sed -n 3p)"
coefficient=$(echo "$block1" | sed -n 4p)
intercept=$(echo "$block1" | sed -n 5p)
errors=$(echo "$block1" | sed -n 6p)
check "coefficient line '$coefficient'" \
  grep -qE "^        coeff\.\(ci\): $e20\$" <<< "$coefficient"
check "c0 line '$intercept'" grep -qE "^ {16}c0: $e20\$" <<< "$intercept"
check "RMSE line '$errors'" \
  grep -qE "^    RMSE and MaxAE: $e20$e20\$" <<< "$errors"
c1=$(echo ${coefficient#*:}); c0=$(echo ${intercept#*:}); rmse=$(echo "${errors#*:}" | awk '{ print $1 }')
check "c1 = $c1, not 3" near "$c1" 3 1e-6
check "c0 = $c0, not 0.5" near "$c0" 0.5 1e-6
check "RMSE = $rmse, not ~0" near "$rmse" 0 1e-6

# Models/top0005_D001: Fortran (4a12) header, then (i12, 2f12.6, '  (', i8 per feature, ')').
top=Models/top0005_D001
cat "$top"
check "$top header" test "$(sed -n 1p "$top")" = "        Rank        RMSE       MaxAE  Feature_ID"
check "$top has $(wc -l < "$top") lines, not 6" test "$(wc -l < "$top")" -eq 6
check "$top rank 1 is not feature $id" \
  test "$(sed -n 2p "$top")" = "$(printf '%12d%12.6f%12.6f  (%8d)' 1 0 0 "$id")"
check "$top ranks" test "$(awk 'NR > 1 { printf "%s ", $1 }' "$top")" = "1 2 3 4 5 "
# Models/top0005_D001_coeff: header, then (i12, c0 c1 ... in E20.10).
coeff=Models/top0005_D001_coeff
cat "$coeff"
check "$coeff header" test "$(sed -n 1p "$coeff")" = 'Model_ID, [(c_i,i=0,n)_j,j=1,ntask]'
check "$coeff has $(wc -l < "$coeff") lines, not 6" test "$(wc -l < "$coeff")" -eq 6
check "$coeff row layout" \
  grep -qE "^ {11}1$e20$e20\$" <<< "$(sed -n 2p "$coeff")"
read -r rank file_c0 file_c1 <<< "$(sed -n 2p "$coeff")"
check "$coeff: c0 $file_c0 differs from SISSO.out's $c0" test "$file_c0" = "$c0"
check "$coeff: c1 $file_c1 differs from SISSO.out's $c1" test "$file_c1" = "$c1"
# Dimension 2: the best model's feature IDs and coefficients agree between the files.
block2=$(block 2)
ids2=$(echo "$block2" | sed -n 's/.*feature_ID:0*\([0-9][0-9]*\)$/\1/p' | tr '\n' ' ')
check "$block2: two features" test "$(echo $ids2 | wc -w)" -eq 2
check "Models/top0005_D002 rank 1 is not features $ids2" \
  test "$(sed -n 2p Models/top0005_D002 | sed 's/.*(\(.*\))$/\1/' | xargs)" = "$(echo $ids2)"
expected="$(echo "$block2" | sed -n 6p | cut -d: -f2 | xargs) $(echo "$block2" | sed -n 5p | cut -d: -f2 | xargs)"
check "Models/top0005_D002_coeff row 1 is not '1 $expected'" \
  test "$(sed -n 2p Models/top0005_D002_coeff | xargs)" = "1 $expected"

# A second run with fewer models: the files of the first go, a user's file stays.
echo "kept" > Models/notes.txt
sed -i 's/^nmodel=5$/nmodel=3/' SISSO.in
"$sisso" > stdout2.txt 2> stderr2.txt
status=$?
check "second run: exit status $status" test "$status" -eq 0
models=$(ls Models | tr '\n' ' ')
check "after nmodel=3, Models/ holds '$models'" \
  test "$models" = "notes.txt top0003_D001 top0003_D001_coeff top0003_D002 top0003_D002_coeff "

# --reference-input from elsewhere: the reference layout beside SISSO.in, the report here.
mkdir "$work/elsewhere" && cd "$work/elsewhere"
rm -rf "$work/case/Models" "$work/case/SISSO.out"
"$sisso" --reference-input "$work/case/SISSO.in" --output mine > stdout.txt 2> stderr.txt
status=$?
check "--reference-input: exit status $status" test "$status" -eq 0 -a -s mine.txt
check "--reference-input: SISSO.out not beside SISSO.in" test -s "$work/case/SISSO.out"
check "--reference-input: Models/ not beside SISSO.in" test -s "$work/case/Models/top0003_D001_coeff"
check "--reference-input: reference files written here" test ! -e SISSO.out -a ! -e Models

# No arguments and no SISSO.in: one line naming SISSO.in, exit 2, nothing written.
mkdir "$work/empty" && cd "$work/empty"
"$sisso" > stdout.txt 2> stderr.txt
status=$?
check "no SISSO.in: exit status $status" test "$status" -eq 2
check "no SISSO.in: stderr '$(cat stderr.txt)'" test "$(wc -l < stderr.txt)" -eq 1
check "no SISSO.in: the error does not name SISSO.in" grep -q 'SISSO\.in' stderr.txt
check "no SISSO.in: files written" test "$(ls -A | tr '\n' ' ')" = "stderr.txt stdout.txt "
exit $fail
