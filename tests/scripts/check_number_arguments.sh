#!/usr/bin/env bash
# Numeric command-line arguments of weaklink-weibull and weaklink-sisso are read
# strictly (issue #19): the whole text a finite decimal number in range, else
# one line on stderr naming the option and the text, exit status 2, nothing
# written. Good values still work.
#   check_number_arguments.sh WEIBULL SISSO DATA_DIR
set -u
weibull=$1; sisso=$2; data=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export OMPI_MCA_ess_singleton_isolated=1 OMPI_MCA_pml=ob1
fail=0

# refused OPTION TEXT COMMAND...: exit 2, one line naming the option and the text, no files.
refused() {
  local option=$1 text=$2; shift 2
  "$@" > out.txt 2> err.txt < /dev/null
  local status=$?
  local quoted
  quoted=$(printf '%s' "$text" | sed 's/[][\.*^$()+?{}|]/\\&/g')
  if [ "$status" -ne 2 ] || [ "$(wc -l < err.txt)" -ne 1 ] ||
     ! grep -qE "^weaklink-[a-z]+: error: option $option needs .*, not '$quoted'$" err.txt; then
    echo "FAIL: $option '$text': exit $status, stderr: $(head -3 err.txt)"; fail=1
  fi
  local written
  written=$(ls -A | grep -vxE 'out.txt|err.txt')
  [ -z "$written" ] || { echo "FAIL: $option '$text' wrote $written"; rm -f $written; fail=1; }
}

table="$data/ccd_example.csv"
for text in 0.9x "0.9 " " 0.9" 0x0.8p0 nan inf 1e999 "" 0 1 -0.5 0.9,5 1e-400 "0.9e"; do
  refused --confidence "$text" "$weibull" "$table" ccd --censored censored --confidence "$text" --output w
done
for text in -1 5s nan inf ""; do
  refused --progress "$text" "$weibull" "$table" ccd --progress "$text" --output w
done
for text in 0.95 9e-1 .8; do
  "$weibull" "$table" ccd --censored censored --confidence "$text" --output good > /dev/null 2> err.txt ||
    { echo "FAIL: --confidence $text refused: $(cat err.txt)"; fail=1; }
done
grep -q '^  80% bounds on m ' good.txt || { echo "FAIL: --confidence .8 not used"; fail=1; }
rm -f good*

planted="$data/sisso_planted.csv"
for text in 2x 1.5 0 -1 1e20 nan " 2" 0x2; do
  refused --dimension "$text" "$sisso" "$planted" --target sigma --dimension "$text" --output s
done
for text in 4 -1 1.5; do
  refused --rung "$text" "$sisso" "$planted" --target sigma --rung "$text" --output s
done
for text in inf nan 1e999 1e5x; do
  refused --fmax-max "$text" "$sisso" "$planted" --target sigma --fmax-max "$text" --output s
done
refused --subspace x "$sisso" "$planted" --target sigma --subspace 5,x --output s
# A dimension whose ℓ0 search could not end (C(240, 12) ≈ 1e20 models) is refused up front.
"$sisso" "$planted" --target sigma --dimension 12 --output s > out.txt 2> err.txt < /dev/null
status=$?
if [ "$status" -ne 2 ] || [ "$(wc -l < err.txt)" -ne 1 ] ||
   ! grep -q "ℓ0 search of dimension 12 over 240 features would try .* models (at most 1e12)" err.txt; then
  echo "FAIL: --dimension 12: exit $status, stderr: $(head -3 err.txt)"; fail=1
fi
[ -z "$(ls -A | grep -vxE 'out.txt|err.txt')" ] || { echo "FAIL: --dimension 12 wrote files"; fail=1; }

[ "$fail" -eq 0 ] && echo "numeric arguments are read strictly"
exit $fail
