#!/usr/bin/env bash
# weaklink-analyze says what it is doing (issue #19): a line on stderr every
# --progress seconds (default 5; 0: none) naming the step under way (a class's
# Weibull fit with its Monte Carlo pivots, SISSO, sensitivity, the dominance
# map) and the time spent; the report does not depend on it.
#   check_analyze_progress.sh ANALYZE TABLE
set -u
analyze=$1; table=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
"$analyze" "$table" --progress 0.05 --output a > a.out 2> a.err ||
  { echo "FAIL: exit $?: $(head -3 a.err)"; fail=1; }
line='^weaklink-analyze: (Weibull fit [0-9]+ of [0-9]+ \(.*\): Monte Carlo pivots [0-9]+ of [0-9]+ \([0-9]+ %\), [0-9.]+ s, about [0-9.]+ s left|(SISSO of ln\(.*\), dimensions 1 to [0-9]+|sensitivity of ln\(.*\), [0-9]+ bootstrap replicates|dominance map, [0-9]+ bootstrap replicates), [0-9.]+ s)$'
grep -qE '^weaklink-analyze: Weibull fit 1 of 2 ' a.err || { echo "FAIL: no Weibull progress: $(head -3 a.err)"; fail=1; }
grep -qE '^weaklink-analyze: SISSO of ln' a.err || { echo "FAIL: no SISSO line: $(head -3 a.err)"; fail=1; }
if grep -vqE "$line" a.err; then echo "FAIL: other lines on stderr:"; grep -vE "$line" a.err | head -3; fail=1; fi
"$analyze" "$table" --progress 0 --output b > b.out 2> b.err
[ ! -s b.err ] || { echo "FAIL: --progress 0 printed: $(head -3 b.err)"; fail=1; }
# Apart from the timings, the same report.
diff <(grep -v ' s$\|time:\| s,' a.txt) <(grep -v ' s$\|time:\| s,' b.txt) > /dev/null ||
  { echo "FAIL: the report depends on --progress"; diff a.txt b.txt | head -5; fail=1; }
for bad in -1 nan 5s; do
  "$analyze" "$table" --progress "$bad" --output c > /dev/null 2> c.err
  [ $? -eq 2 ] && grep -q "option --progress needs a number of seconds >= 0, not '$bad'" c.err ||
    { echo "FAIL: --progress $bad: $(cat c.err)"; fail=1; }
done
[ "$fail" -eq 0 ] && echo "analyze progress: $(wc -l < a.err) lines at 0.05 s intervals"
exit $fail
