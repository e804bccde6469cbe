#!/usr/bin/env bash
# A run stopped half-way (by its step limit, after the step of its checkpoint)
# and resumed from its checkpoint ends with the same statistics and .pvd series
# as an uninterrupted run. The optional fourth
# argument is the step of the checkpoint (default 6, from the case's own
# checkpoint interval); given, both runs write a checkpoint there (as a run
# that is later resumed did: writing one makes the linear solver build its
# preconditioner afresh).
set -eu
weaklink=$1; mpirun=$2; prm=$3; split=${4:-6}
checkpoint_line=""
if [ $# -ge 4 ]; then checkpoint_line="  set Checkpoint interval steps = $split"; fi
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() { "$mpirun" -np 2 --oversubscribe "$weaklink" "$1" > "$1.log"; }
printf 'include %s\nsubsection Output\n  set Directory = %s/whole\n%s\nend\n' "$prm" "$work" "$checkpoint_line" > "$work/whole.prm"
printf 'include %s\nsubsection Output\n  set Directory = %s/split\n%s\nend\nsubsection Time stepping\n  set Maximum number of steps = %s\nend\n' \
  "$prm" "$work" "$checkpoint_line" "$split" > "$work/first.prm"
printf 'include %s\nsubsection Output\n  set Directory = %s/split\n  set Resume = true\nend\n' "$prm" "$work" > "$work/second.prm"
run "$work/whole.prm"
run "$work/first.prm"
grep -q "checkpoint written at step $split" "$work/first.prm.log" || { echo "FAIL: no checkpoint at step $split"; exit 1; }
run "$work/second.prm"
grep -q "resumed from .* at step $split" "$work/second.prm.log" || { echo "FAIL: did not resume at step $split"; exit 1; }
"$here/compare_statistics.sh" "$work/whole/statistics.csv" "$work/split/statistics.csv"
diff <(grep -o 'file="[^"]*"' "$work/whole/solution.pvd") <(grep -o 'file="[^"]*"' "$work/split/solution.pvd") \
  || { echo "FAIL: .pvd series differ"; exit 1; }
echo ".pvd series agree: $(grep -c 'file=' "$work/split/solution.pvd") records"
