#!/usr/bin/env bash
# Warnings about resolution reach the user before the first step, under
# --validate too, and stay in summary.json: Fracture/Length scale below two
# finest cells, and an initial crack narrower than a cell. The unchanged case
# warns of nothing.
set -u
weaklink=$1
base=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0

cat > plain.prm <<PRM
include $base
subsection Output
  set Directory = plain
end
PRM
"$weaklink" --validate plain.prm > plain.txt 2>&1 || { echo "FAIL: plain case invalid"; cat plain.txt; fail=1; }
grep -q "warning" plain.txt && { echo "FAIL: the plain case warns: $(grep warning plain.txt)"; fail=1; }

cat > short_length.prm <<PRM
include $base
subsection Output
  set Directory = short_length
end
subsection Fracture
  set Length scale = 0.01
end
PRM
"$weaklink" --validate short_length.prm > short_length.txt 2>&1
grep -q "^weaklink: warning: Fracture/Length scale 0.01 m is below two cells" short_length.txt ||
  { echo "FAIL: --validate does not warn of l < 2h:"; cat short_length.txt; fail=1; }

cat > thin_crack.prm <<PRM
include $base
subsection Output
  set Directory = thin_crack
end
subsection Time stepping
  set End time = 0.05
end
subsection Fracture
  set Initial damage = (abs(x - 10) <= 1 && abs(y - 10) <= 0.01) ? 1 : 0
end
PRM
"$weaklink" thin_crack.prm > thin_crack.txt 2>&1 || { echo "FAIL: the thin-crack run failed"; tail -3 thin_crack.txt; fail=1; }
grep -q "^weaklink: warning: the initial damage is finer than the mesh" thin_crack.txt ||
  { echo "FAIL: no warning of the thin initial crack:"; grep -i warn thin_crack.txt; fail=1; }
grep -q '"warnings": "the initial damage is finer than the mesh' thin_crack/summary.json ||
  { echo "FAIL: summary.json lacks the warning:"; cat thin_crack/summary.json; fail=1; }
# Resuming warns as the new run did, under --validate too.
cat > short_length_run.prm <<PRM
include short_length.prm
subsection Output
  set Checkpoint interval steps = 1
end
subsection Time stepping
  set Maximum number of steps = 2
end
PRM
"$weaklink" short_length_run.prm > short_length_run.txt 2>&1 ||
  { echo "FAIL: the short-length run failed"; tail -3 short_length_run.txt; fail=1; }
cat > short_length_resume.prm <<PRM
include short_length_run.prm
subsection Output
  set Resume = true
end
PRM
"$weaklink" --validate short_length_resume.prm > resume.txt 2>&1 || { echo "FAIL: the resume case is invalid"; cat resume.txt; fail=1; }
grep -q "^weaklink: warning: Fracture/Length scale 0.01 m is below two cells" resume.txt ||
  { echo "FAIL: --validate with Resume does not warn of l < 2h:"; cat resume.txt; fail=1; }
[ "$fail" -eq 0 ] && echo "warnings: all checks passed"
exit $fail
