#!/usr/bin/env bash
# A checkpoint knows the contents of the files its case reads: resuming after
# the Gmsh mesh file changed (here: one more blank line) is a one-line error
# naming the parameter, exit 2, under --validate too; the unchanged file
# resumes.
#   check_resume_changed_file.sh WEAKLINK CASE.prm MESH.msh
set -u
weaklink=$(realpath "$1"); prm=$(realpath "$2"); mesh=$(realpath "$3")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$mesh" "$work/mesh.msh"
write_case() { # name, resume
  printf 'include %s\nsubsection Geometry\n  set Mesh file = %s/mesh.msh\nend\nsubsection Output\n  set Directory = %s/out\n  set Checkpoint interval steps = 1\n  set Resume = %s\nend\nsubsection Time stepping\n  set Maximum number of steps = %s\nend\n' \
    "$prm" "$work" "$work" "$2" "$3" > "$work/$1.prm"
}
write_case first false 2
write_case resumed true 3
fail=0
"$weaklink" "$work/first.prm" > "$work/first.log" 2>&1 || { echo "FAIL: first run"; tail -5 "$work/first.log"; exit 1; }
grep -q "checkpoint written" "$work/first.log" || { echo "FAIL: no checkpoint"; exit 1; }
echo >> "$work/mesh.msh"
"$weaklink" "$work/resumed.prm" > "$work/changed.out" 2> "$work/changed.err"
status=$?
[ "$status" -eq 2 ] || { echo "FAIL: exit status $status with a changed mesh, expected 2"; fail=1; }
[ "$(wc -l < "$work/changed.err")" -eq 1 ] || { echo "FAIL: stderr is not one line"; cat "$work/changed.err"; fail=1; }
grep -q "the file of Geometry/Mesh file has changed since the checkpoint was written" "$work/changed.err" ||
  { echo "FAIL: the message does not name the mesh file"; cat "$work/changed.err"; fail=1; }
"$weaklink" --validate "$work/resumed.prm" > /dev/null 2> "$work/validate.err"
[ $? -eq 2 ] && cmp -s "$work/changed.err" "$work/validate.err" ||
  { echo "FAIL: --validate differs from the run"; cat "$work/validate.err"; fail=1; }
cp "$mesh" "$work/mesh.msh"
"$weaklink" "$work/resumed.prm" > "$work/same.log" 2>&1 || { echo "FAIL: resume with the same mesh"; tail -3 "$work/same.log"; fail=1; }
grep -q "resumed from" "$work/same.log" || { echo "FAIL: did not resume"; fail=1; }
echo "refused: $(cat "$work/changed.err")"
exit $fail
