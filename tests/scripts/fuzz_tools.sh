#!/usr/bin/env bash
# Malformed input for every executable: parameter files, tables and command
# lines mutated at random (truncated, bytes flipped, binary junk, extreme or
# mistyped values, lines dropped or repeated, options without or with bad
# values). A tool may refuse anything, but must neither crash (a signal, exit
# 134 or 139, or any status other than 0, 1, 2 or 3) nor hang (each run has a
# time limit). Deterministic: the mutations come from a fixed seed.
#   fuzz_tools.sh BUILD_DIR SOURCE_DIR [mutations per input, default 30]
set -u
build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
count=${3:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
RANDOM=20261202
limit=20
# Each run is one process without mpirun: skip Open MPI's transport probing (0.3 s a start).
export OMPI_MCA_ess_singleton_isolated=1 OMPI_MCA_pml=ob1
failures=0
runs=0

# One mutation of file $1 into $2, chosen by $3.
mutate() {
  local in=$1 out=$2 kind=$3 size lines n
  size=$(wc -c < "$in")
  lines=$(wc -l < "$in")
  case $kind in
    0) head -c $((RANDOM % (size + 1))) "$in" > "$out" ;;                       # truncated
    1) cp "$in" "$out"                                                            # bytes flipped
       for n in 1 2 3 4 5; do
         printf "\\x$(printf %02x $((RANDOM % 256)))" |
           dd of="$out" bs=1 seek=$((RANDOM % (size + 1))) conv=notrunc status=none
       done ;;
    2) { head -c $((RANDOM % (size + 1))) "$in"; head -c 200 /dev/urandom; } > "$out" ;;  # junk
    3) local values=("1e308" "-1e308" "nan" "inf" "-inf" "0" "-1" "99999999999999999999999"
                     "abc" "" "1e-320" "0x10" "1,5" "'")
       local value=${values[$((RANDOM % ${#values[@]}))]}
       awk -v pick=$((RANDOM % (lines + 1) + 1)) -v value="$value" \
         'NR == pick && /=/ { sub(/=.*/, "= " value) } { print }' "$in" > "$out" ;;  # one value
    4) awk -v pick=$((RANDOM % (lines + 1) + 1)) 'NR != pick' "$in" > "$out" ;;    # line dropped
    5) awk -v pick=$((RANDOM % (lines + 1) + 1)) '{ print } NR == pick { print }' "$in" > "$out" ;;
    6) tr -d '\n' < "$in" | head -c 5000 > "$out" ;;                              # one line
  esac
}

# Runs "$@" with a time limit; a crash or a hang is a failure.
check() {
  local label=$1; shift
  runs=$((runs + 1))
  timeout -s KILL $limit "$@" > out.txt 2> err.txt < /dev/null
  local status=$?
  local verdict=""
  if [ $status -eq 137 ]; then
    verdict="HANG ($limit s)"
  elif [ $status -gt 3 ]; then
    verdict="CRASH (exit $status)"
  fi
  if [ -n "$verdict" ]; then
    failures=$((failures + 1))
    echo "$verdict: $label: $*"
    tail -2 err.txt
    # Keep the mutated input for a rerun by hand.
    for input in case.prm study.prm t.csv; do
      [ -f "$input" ] && cp "$input" "${TMPDIR:-/tmp}/weaklink_fuzz_${runs}_$input"
    done
  fi
}

for base in "$source/tests/prm/ensemble_base.prm" "$source/prm/microstructure.prm" \
            "$source/prm/default.prm"; do
  for ((k = 0; k < count; ++k)); do
    mutate "$base" case.prm $((RANDOM % 7))
    check "weaklink --validate ($(basename "$base"), mutation $k)" "$build/weaklink" case.prm --validate
  done
done
for ((k = 0; k < count; ++k)); do
  mutate "$source/tests/prm/ensemble_base.prm" case.prm $((RANDOM % 7))
  check "weaklink-descriptors (mutation $k)" "$build/weaklink-descriptors" case.prm --samples 1 --output d
  check "weaklink-microstructure (mutation $k)" "$build/weaklink-microstructure" case.prm m.png 64
done
printf 'subsection Study\n  set Base case = %s\n  set Classes = Material/Microstructure/Porosity: 0.03, 0.08\n  set Samples per class = 1\nend\n' \
  "$source/tests/prm/ensemble_base.prm" > study_base.prm
for ((k = 0; k < count; ++k)); do
  mutate study_base.prm study.prm $((RANDOM % 7))
  check "weaklink-ensemble --print-parameters/validation (mutation $k)" \
    "$build/weaklink-ensemble" study.prm --output e$k --ranks-per-sample 1
done
for table in "$source/tests/data/ensemble_planted.csv" "$source/tests/data/dominance_planted.csv"; do
  for ((k = 0; k < count; ++k)); do
    mutate "$table" t.csv $((RANDOM % 7))
    check "weaklink-analyze ($(basename "$table"), mutation $k)" \
      "$build/weaklink-analyze" t.csv --no-sisso --bootstrap 20 --output a
    check "weaklink-weibull ($(basename "$table"), mutation $k)" \
      "$build/weaklink-weibull" t.csv "ccd [mA/cm2]" --censored censored
    check "weaklink-sisso ($(basename "$table"), mutation $k)" \
      "$build/weaklink-sisso" t.csv --target "ccd [mA/cm2]" --dimension 1 --subspace 5
  done
done
# Command lines: options without values, with bad values, unknown ones.
for tool in weaklink weaklink-weibull weaklink-sisso weaklink-descriptors weaklink-microstructure \
            weaklink-ensemble weaklink-analyze; do
  for args in "" "--" "-" "--help" "--frobnicate" "/nonexistent" "/dev/null" "/tmp" \
              "$source/tests/data/ensemble_planted.csv --dimension" \
              "$source/tests/data/ensemble_planted.csv --dimension -3" \
              "$source/tests/data/ensemble_planted.csv --bootstrap 1e9" \
              "$source/tests/data/ensemble_planted.csv --confidence nan" \
              "$source/prm/default.prm --ranks-per-sample 0" \
              "$source/prm/microstructure.prm out.png 0" \
              "$source/prm/microstructure.prm out.png 99999999999" \
              "$source/prm/microstructure.prm --samples -1"; do
    # shellcheck disable=SC2086
    check "$tool $args" "$build/$tool" $args
  done
done
echo "fuzz: $runs runs, $failures crashes or hangs"
exit $((failures > 0))
