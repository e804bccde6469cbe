#!/usr/bin/env bash
# weaklink-weibull never prints NaN (issue #19). Data near 1e300 are the
# example data times 1e300, so the answer is known: the same modulus and
# ranking, x0 and the Gumbel location and scale times 1e300, the lognormal mu
# plus ln 1e300. A fit that finds no finite parameters is named in a warning
# on stderr and left out of the ranking; a Weibull fit that is not finite is a
# one-line error, exit 2.
#   check_weibull_extreme_values.sh WEIBULL DATA_DIR
set -u
weibull=$1; data=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0

awk -F, '/^#/ { next } !header { print; header = 1; next }
         { printf "%s,%.17ge300,%s\n", $1, $2, $3 }' "$data/ccd_example.csv" > big.csv
"$weibull" "$data/ccd_example.csv" ccd --censored censored --output plain > /dev/null 2> plain.err
"$weibull" big.csv ccd --censored censored --output big > big.out 2> big.err
status=$?
[ "$status" -eq 0 ] || { echo "FAIL: exit $status: $(cat big.err)"; fail=1; }
if grep -qi nan big.txt big.out; then
  echo "FAIL: NaN in the report"; grep -i nan big.txt; fail=1
fi
[ ! -s big.err ] || { echo "FAIL: unexpected stderr: $(cat big.err)"; fail=1; }
# "name AIC a ln L l parameters p, q" lines of the model comparison, in ranked order.
models() { sed -n 's/^ *\([A-Za-z]*\)  AIC .* parameters \(.*\), \(.*\)$/\1 \2 \3/p' "$1"; }
models plain.txt > plain.models
models big.txt > big.models
[ "$(wc -l < big.models)" -eq 3 ] || { echo "FAIL: $(wc -l < big.models) ranked models"; fail=1; }
[ "$(cut -d' ' -f1 plain.models)" = "$(cut -d' ' -f1 big.models)" ] ||
  { echo "FAIL: the ranking changed with the unit"; paste plain.models big.models; fail=1; }
paste -d' ' plain.models big.models | awk '
  function off(a, b) { d = a - b; if (d < 0) d = -d; return d > 1e-5 * (b < 0 ? -b : b) + 1e-9 }
  $1 == "Weibull"   && (off($5, $2) || off($6 / 1e300, $3)) { bad = 1 }
  # ln 1e300 + mu is printed to 6 digits (689.21): 0.005 is all the report can tell.
  $1 == "lognormal" && ((($5 - log(1e300) - $2)^2 > 0.006^2) || off($6, $3)) { bad = 1 }
  $1 == "Gumbel"    && (off($5 / 1e300, $2) || off($6 / 1e300, $3)) { bad = 1 }
  { print }
  END { exit bad }' > compared.txt ||
  { echo "FAIL: parameters are not those of the data in units of 1e300:"; cat compared.txt; fail=1; }

# A run censored 1000 times above the failures: the lognormal and Gumbel survival terms far in
# their tails must not underflow to ln 0 (an AIC of inf); all three fits are ranked.
{ echo "ccd,censored"; awk -F, '/^[0-9]/ && $3 == 0 { print $2 ",0" }' "$data/ccd_example.csv"
  echo "1000,1"; } > far.csv
"$weibull" far.csv ccd --censored censored --output far > far.out 2> far.err
status=$?
[ "$status" -eq 0 ] && [ ! -s far.err ] || { echo "FAIL: far.csv: exit $status: $(cat far.err)"; fail=1; }
if grep -qiE 'nan|inf' far.txt; then echo "FAIL: far.csv: not finite:"; grep -iE 'nan|inf' far.txt; fail=1; fi
[ "$(models far.txt | wc -l)" -eq 3 ] || { echo "FAIL: far.csv: not all three fits ranked"; fail=1; }

# Failures near the largest double, the rest censored above them: x0 exceeds it. One line, exit 2.
{ echo "x,c"; printf '%s,0\n' 1.0e308 1.2e308 1.4e308
  for i in $(seq 27); do echo "1.79e308,1"; done; } > near_max.csv
"$weibull" near_max.csv x --censored c --output near_max > near_max.out 2> near_max.err
status=$?
[ "$status" -eq 2 ] && [ "$(wc -l < near_max.err)" -eq 1 ] &&
  grep -q "error: failure data: the maximum-likelihood Weibull fit is not finite" near_max.err ||
  { echo "FAIL: near_max.csv: exit $status: $(cat near_max.err)"; fail=1; }
[ ! -e near_max.txt ] || { echo "FAIL: near_max.csv: a report was written"; fail=1; }

[ "$fail" -eq 0 ] && echo "extreme values: no NaN, fits scale with the data"
exit $fail
