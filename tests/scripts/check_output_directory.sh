#!/usr/bin/env bash
# An output directory holds one case: repeating the run replaces its results
# (stale series files go), another case there is a one-line error (exit 2,
# nothing touched) unless Output/Overwrite = true or --force.
set -u
weaklink=$(realpath "$1"); prm=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
write_case() { # name, extra lines
  printf 'include %s\nsubsection Output\n  set Directory = %s/out\n  set Field output interval = 1\nend\nsubsection Time stepping\n  set End time = 80\nend\n%b' \
    "$prm" "$work" "$2" > "$work/$1.prm"
}
fail=0
write_case same ""
write_case other 'subsection Geometry\n  set Width = 2e-4\nend\n'
write_case forced 'subsection Geometry\n  set Width = 2e-4\nend\nsubsection Output\n  set Overwrite = true\nend\n'
"$weaklink" "$work/same.prm" > "$work/1.log" 2>&1 || { echo "FAIL: first run"; cat "$work/1.log"; exit 1; }
touch "$work/out/solution_99999.vtu"
"$weaklink" "$work/same.prm" > "$work/2.log" 2>&1 || { echo "FAIL: repeated run"; cat "$work/2.log"; fail=1; }
[ ! -e "$work/out/solution_99999.vtu" ] || { echo "FAIL: a stale file of the earlier run survived"; fail=1; }
before=$(cat "$work"/out/statistics.csv "$work"/out/solution.pvd | md5sum)
"$weaklink" "$work/other.prm" > "$work/3.out" 2> "$work/3.err"
status=$?
[ "$status" -eq 2 ] || { echo "FAIL: exit status $status for another case, expected 2"; fail=1; }
[ "$(wc -l < "$work/3.err")" -eq 1 ] || { echo "FAIL: stderr is not one line"; cat "$work/3.err"; fail=1; }
grep -q "holds the results of another case (Geometry/Width = 2e-4 here, 1e-4 in the earlier run)" "$work/3.err" \
  || { echo "FAIL: message does not name the width"; cat "$work/3.err"; fail=1; }
[ "$before" = "$(cat "$work"/out/statistics.csv "$work"/out/solution.pvd | md5sum)" ] \
  || { echo "FAIL: the earlier results were touched"; fail=1; }
"$weaklink" --validate "$work/other.prm" > /dev/null 2> "$work/validate.err"
[ $? -eq 2 ] && cmp -s "$work/3.err" "$work/validate.err" \
  || { echo "FAIL: --validate differs from the run"; cat "$work/validate.err"; fail=1; }
"$weaklink" "$work/forced.prm" > "$work/4.log" 2>&1 || { echo "FAIL: run with Overwrite = true"; cat "$work/4.log"; fail=1; }
grep -q "Width *= 2e-4" "$work/out/parameters_used.prm" || { echo "FAIL: parameters_used.prm not replaced"; fail=1; }
# --force is Output/Overwrite = true from the command line: the first case replaces the second.
"$weaklink" "$work/same.prm" > /dev/null 2>&1 && { echo "FAIL: without --force the first case replaced another"; fail=1; }
"$weaklink" --force "$work/same.prm" > "$work/5.log" 2>&1 || { echo "FAIL: run with --force"; cat "$work/5.log"; fail=1; }
grep -q "Width *= 1e-4" "$work/out/parameters_used.prm" && grep -q "Overwrite *= true" "$work/out/parameters_used.prm" \
  || { echo "FAIL: after --force parameters_used.prm is not the first case with Overwrite = true"; fail=1; }
echo "refused: $(cat "$work/3.err")"
exit $fail
