#!/usr/bin/env bash
# A checkpoint knows its case: resuming it with another geometry (or in the
# directory of another case) is a one-line error naming the first difference,
# exit 2, and the checkpoint and statistics are left as they were. Changing
# only what may change on resume (End time) continues.
set -u
weaklink=$(realpath "$1"); prm=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'include %s\nsubsection Output\n  set Directory = %s/out\n  set Checkpoint interval steps = 2\nend\nsubsection Time stepping\n  set End time = 120\nend\n' \
  "$prm" "$work" > "$work/first.prm"
"$weaklink" "$work/first.prm" > "$work/first.log" 2>&1 || { echo "FAIL: first run"; cat "$work/first.log"; exit 1; }
grep -q "checkpoint written" "$work/first.log" || { echo "FAIL: no checkpoint"; exit 1; }
before=$(md5sum "$work/out/statistics.csv")
printf 'include %s\nsubsection Output\n  set Directory = %s/out\n  set Resume = true\nend\nsubsection Geometry\n  set Width = 2e-4\nend\n' \
  "$prm" "$work" > "$work/other.prm"
"$weaklink" "$work/other.prm" > "$work/other.out" 2> "$work/other.err"
status=$?
fail=0
[ "$status" -eq 2 ] || { echo "FAIL: exit status $status, expected 2"; fail=1; }
[ "$(wc -l < "$work/other.err")" -eq 1 ] || { echo "FAIL: stderr is not one line"; cat "$work/other.err"; fail=1; }
grep -q "belongs to another case: Geometry/Width = 2e-4 here, 1e-4 in the checkpoint" "$work/other.err" \
  || { echo "FAIL: message does not name the width"; cat "$work/other.err"; fail=1; }
[ "$before" = "$(md5sum "$work/out/statistics.csv")" ] || { echo "FAIL: statistics were rewritten"; fail=1; }
# --validate makes the same checks.
"$weaklink" --validate "$work/other.prm" > /dev/null 2> "$work/validate.err"
[ $? -eq 2 ] && cmp -s "$work/other.err" "$work/validate.err" \
  || { echo "FAIL: --validate differs from the run"; cat "$work/validate.err"; fail=1; }
printf 'include %s\nsubsection Output\n  set Directory = %s/empty\n  set Resume = true\nend\n' "$prm" "$work" > "$work/nothing.prm"
"$weaklink" --validate "$work/nothing.prm" > /dev/null 2> "$work/nothing.err"
[ $? -eq 2 ] && grep -q "Output/Resume is true but there is no checkpoint" "$work/nothing.err" \
  || { echo "FAIL: --validate accepts a resume without checkpoint"; cat "$work/nothing.err"; fail=1; }
printf 'include %s\nsubsection Output\n  set Directory = %s/out\n  set Resume = true\nend\nsubsection Time stepping\n  set End time = 240\nend\n' \
  "$prm" "$work" > "$work/longer.prm"
"$weaklink" "$work/longer.prm" > "$work/longer.log" 2>&1 || { echo "FAIL: resume with a later End time"; cat "$work/longer.log"; fail=1; }
grep -q "resumed from" "$work/longer.log" || { echo "FAIL: did not resume"; fail=1; }
echo "refused: $(cat "$work/other.err")"
exit $fail
