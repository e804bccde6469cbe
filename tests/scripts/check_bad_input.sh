#!/usr/bin/env bash
# Runs weaklink on bad input and checks: non-zero exit, exactly one line on
# stderr naming the problem (the regex in the prm's "# expect:" line), and no
# output directory created.
set -u
weaklink=$1; shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
expect="error"
for arg in "$@"; do
  [ -f "$arg" ] && expect=$(sed -n 's/^[#!] expect: //p' "$arg" | head -1)
done
[ -n "$expect" ] || expect="error"
"$weaklink" "$@" > stdout.txt 2> stderr.txt
status=$?
lines=$(wc -l < stderr.txt)
fail=0
[ "$status" -ne 0 ] || { echo "FAIL: exit status 0"; fail=1; }
[ "$lines" -eq 1 ] || { echo "FAIL: $lines lines on stderr, expected 1"; fail=1; }
grep -qE "$expect" stderr.txt || { echo "FAIL: stderr does not match '$expect'"; fail=1; }
written=$(ls -A "$work" | grep -vxE 'stdout.txt|stderr.txt')
[ -z "$written" ] || { echo "FAIL: output was written: $written"; fail=1; }
echo "exit $status; stderr: $(cat stderr.txt)"
exit $fail
