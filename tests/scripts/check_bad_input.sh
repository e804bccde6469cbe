#!/usr/bin/env bash
# Runs weaklink on bad input and checks: non-zero exit, exactly one line on
# stderr naming the problem (the regex in the prm's "# expect:" line), and no
# output directory created. For weaklink itself, --validate must give the same
# line and exit status. Gmsh cases find the repository's meshes/ and
# tests/bad_input/meshes/ (as bad_meshes/) in the working directory.
set -u
weaklink=$1; shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
here=$(cd "$(dirname "$0")" && pwd)
ln -s "$here/../../meshes" meshes
ln -s "$here/../bad_input/meshes" bad_meshes
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
grep -qE -- "$expect" stderr.txt || { echo "FAIL: stderr does not match '$expect'"; fail=1; }
if [ "$(basename "$weaklink")" = weaklink ]; then
  "$weaklink" --validate "$@" > validate_stdout.txt 2> validate_stderr.txt
  validate_status=$?
  [ "$validate_status" -eq "$status" ] ||
    { echo "FAIL: --validate exits $validate_status, the run $status"; fail=1; }
  cmp -s stderr.txt validate_stderr.txt ||
    { echo "FAIL: --validate says: $(cat validate_stderr.txt)"; fail=1; }
fi
written=$(ls -A "$work" | grep -vxE 'stdout.txt|stderr.txt|validate_stdout.txt|validate_stderr.txt|meshes|bad_meshes')
[ -z "$written" ] || { echo "FAIL: output was written: $written"; fail=1; }
echo "exit $status; stderr: $(cat stderr.txt)"
exit $fail
