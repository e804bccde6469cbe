#!/usr/bin/env bash
# A long weaklink-weibull analysis says how far it is (issue #19): progress
# lines on stderr every --progress seconds (default 5; 0: none), each with the
# Monte Carlo replicates done, the time spent and the time left; the report on
# stdout is the same with and without them, and a short analysis prints none.
#   check_weibull_progress.sh WEIBULL DATA_DIR
set -u
weibull=$1; data=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0

# 600 Weibull quantiles (m = 3): one to a few seconds of Monte Carlo pivots.
awk 'BEGIN { print "x"; n = 600; for (i = 1; i <= n; ++i) printf "%.10g\n", (-log(1 - (i - 0.5) / n))^(1 / 3) }' > long.csv

"$weibull" long.csv x --progress 0.2 --output a > a.out 2> a.err
status=$?
[ "$status" -eq 0 ] || { echo "FAIL: exit $status: $(head -3 a.err)"; fail=1; }
line='^weaklink-weibull: Monte Carlo pivots [0-9]+ of 40000 \([0-9]+ %\), [0-9.]+ s, about [0-9.]+ s left$'
[ "$(grep -cE "$line" a.err)" -ge 1 ] || { echo "FAIL: no progress line: $(head -3 a.err)"; fail=1; }
if grep -vqE "$line" a.err; then echo "FAIL: other lines on stderr:"; grep -vE "$line" a.err; fail=1; fi
# The replicates done grow from line to line.
sed -nE 's/.*pivots ([0-9]+) of.*/\1/p' a.err | sort -n -c 2> /dev/null ||
  { echo "FAIL: progress does not grow"; cat a.err; fail=1; }

"$weibull" long.csv x --progress 0 --output b > b.out 2> b.err
[ ! -s b.err ] || { echo "FAIL: --progress 0 printed: $(head -3 b.err)"; fail=1; }
cmp -s a.out b.out || { echo "FAIL: the report depends on --progress"; fail=1; }

# A short analysis (30 values, well under the default 5 s) prints no progress.
"$weibull" "$data/ccd_example.csv" ccd --censored censored --output c > c.out 2> c.err
[ ! -s c.err ] || { echo "FAIL: a short run printed: $(head -3 c.err)"; fail=1; }

[ "$fail" -eq 0 ] && echo "progress: $(wc -l < a.err) lines at 0.2 s intervals, none for short runs"
exit $fail
