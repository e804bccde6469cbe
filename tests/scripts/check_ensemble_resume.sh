#!/usr/bin/env bash
# weaklink-ensemble killed with SIGKILL in the middle of a study and run
# again ends with the table of an uninterrupted run (wall times aside).
set -eu
ensemble=$1; mpiexec=$2; study=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() { "$mpiexec" -np 2 --oversubscribe "$ensemble" "$study" --output "$1"; }

run "$work/whole" > "$work/whole.log"
total=$(ls "$work/whole/results" | grep -c '\.json$')

"$mpiexec" -np 2 --oversubscribe "$ensemble" "$study" --output "$work/killed" \
  > "$work/killed.log" 2>&1 &
pid=$!
for _ in $(seq 1 1200); do
  finished=$(ls "$work/killed/results" 2>/dev/null | grep -c '\.json$' || true)
  [ "$finished" -ge 3 ] && break
  sleep 0.02
done
# SIGKILL to mpirun and every rank at once, as a batch system's kill does.
pkill -9 -f -- "--output $work/killed" || true
wait "$pid" 2>/dev/null || true
while pgrep -f -- "--output $work/killed" > /dev/null; do sleep 0.05; done
finished=$(ls "$work/killed/results" | grep -c '\.json$' || true)
if [ "$finished" -ge "$total" ]; then
  echo "the study finished ($finished of $total samples) before it was killed"; exit 1
fi

run "$work/killed" > "$work/resumed.log"
grep -q "($finished finished before); running $((total - finished))" "$work/resumed.log" \
  || { echo "the rerun did not skip the $finished finished samples:"; cat "$work/resumed.log"; exit 1; }

# The tables without the columns of wall-clock times and memory must be identical.
strip() {
  awk -F, 'NR == 1 { for (i = 1; i <= NF; ++i)
                       if ($i ~ /_time \[s\]$/ || $i ~ /^peak_memory/) skip[i] = 1 }
           { line = ""; for (i = 1; i <= NF; ++i) if (!(i in skip)) line = line "," $i; print line }' "$1"
}
if ! diff <(strip "$work/whole/table.csv") <(strip "$work/killed/table.csv") > "$work/diff"; then
  echo "the resumed study's table differs from the uninterrupted one:"; head -20 "$work/diff"; exit 1
fi
echo "killed after $finished of $total samples; the resumed table equals the uninterrupted one"
