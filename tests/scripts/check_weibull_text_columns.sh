#!/usr/bin/env bash
# weaklink-weibull needs numbers only in the columns it is asked for (issue #19):
# text in the other columns (a label with a quoted comma, a note) leaves the
# report as it is without them; text in the analysed or the --censored column
# is a one-line error naming file, line and column, exit status 2.
set -u
weibull=$1; data=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0

# The example table with a label column in front and a note column behind (line numbers kept).
awk -F, '/^#/ { print; next }
         !header { print "label," $0 ",note"; header = 1; next }
         { printf "\"cell %s, stack \"\"B\"\"\",%s,run %s ok\n", $1, $0, $1 }' \
  "$data/ccd_example.csv" > labelled.csv
grep -q '^"cell 3, stack ""B""",3,' labelled.csv || { echo "FAIL: labelled.csv not made"; exit 1; }

"$weibull" "$data/ccd_example.csv" ccd --censored censored --output plain > /dev/null 2> plain.err
"$weibull" labelled.csv ccd --censored censored --output labelled > /dev/null 2> labelled.err
status=$?
if [ "$status" -ne 0 ]; then
  echo "FAIL: text in unrequested columns refused (exit $status): $(cat labelled.err)"; fail=1
elif ! cmp -s <(tail -n +2 plain.txt) <(tail -n +2 labelled.txt); then
  echo "FAIL: the report differs from the one without text columns"
  diff plain.txt labelled.txt | head -10; fail=1
fi

# Text in a requested column: one line naming file, line and column, exit 2.
expect_error() {
  local table=$1 pattern=$2
  "$weibull" "$table" ccd --censored censored --output bad > /dev/null 2> bad.err
  local status=$?
  [ "$status" -eq 2 ] || { echo "FAIL: $table: exit $status, expected 2"; fail=1; }
  [ "$(wc -l < bad.err)" -eq 1 ] || { echo "FAIL: $table: stderr is not one line"; fail=1; }
  grep -qE "$pattern" bad.err || { echo "FAIL: $table: '$(cat bad.err)' does not match '$pattern'"; fail=1; }
  [ ! -e bad.txt ] || { echo "FAIL: $table: a report was written"; fail=1; }
}
# Line 6 of the file is sample 3: its value, then its censoring flag, made text.
sed -E '6 s/",3,[^,]*,/",3,n\/a,/' labelled.csv > text_value.csv
sed -E '6 s/,0,run 3 ok$/,no,run 3 ok/' labelled.csv > text_flag.csv
grep -q ',3,n/a,0,run' text_value.csv && grep -q ',no,run' text_flag.csv ||
  { echo "FAIL: test tables not made"; exit 1; }
expect_error text_value.csv "^weaklink-weibull: error: text_value.csv:6: column 'ccd' holds 'n/a', not a number$"
expect_error text_flag.csv "^weaklink-weibull: error: text_flag.csv:6: column 'censored' holds 'no', not a number$"

[ "$fail" -eq 0 ] && echo "text columns: only the requested ones must be numbers"
exit $fail
