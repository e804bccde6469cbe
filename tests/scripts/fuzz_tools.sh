#!/usr/bin/env bash
# Malformed input for every executable: parameter files, tables and command
# lines mutated at random (truncated, bytes overwritten, binary junk, extreme
# or mistyped values, lines dropped, repeated or joined, options without or
# with bad values). A tool may refuse anything, but must neither crash (a
# signal, or an exit status other than 0, 1, 2 or 3) nor hang (each run has a
# time limit). The runs go through tool_fuzz_driver, which calls each
# executable's main in a forked child of one loaded process; a few runs start
# the real executables to check that they are those mains. Deterministic: the
# mutations come from a fixed seed.
#   fuzz_tools.sh BUILD_DIR SOURCE_DIR DRIVER [mutated inputs per executable, default 200]
set -u
build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
driver=$3
count=${4:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# Each run is one process without mpirun: skip Open MPI's transport probing (0.3 s a start).
export OMPI_MCA_ess_singleton_isolated=1 OMPI_MCA_pml=ob1
t=$'\t'
third=$((count / 3)) half=$((count / 2))
printf 'subsection Study\n  set Base case = %s\n  set Classes = Material/Microstructure/Porosity: 0.03, 0.08\n  set Samples per class = 1\nend\n' \
  "$source/tests/prm/ensemble_base.prm" > study_base.prm
planted=$source/tests/data/ensemble_planted.csv
# Four classes of the dominance table, six samples each (the whole table takes seconds per run):
# still a map over two class parameters.
awk -F, 'NR == 1 || (($3 == 0.02 || $3 == 0.14) && ($4 == 0 || $4 == 1) && $5 < 6)' \
  "$source/tests/data/dominance_planted.csv" > dominance.csv
dominance=$work/dominance.csv
# The PNG conversion is another program (rsvg-convert, 50 ms a picture) and not under test here:
# a stand-in that fails makes the tools take their "no PNG" path.
mkdir bin
printf '#!/bin/sh\nexit 1\n' > bin/rsvg-convert
chmod +x bin/rsvg-convert
export PATH=$work/bin:$PATH
{
  for base in "$source/tests/prm/ensemble_base.prm" "$source/prm/microstructure.prm" \
              "$source/prm/default.prm"; do
    echo "$third${t}weaklink${t}@$base${t}--validate"
  done
  echo "$count${t}weaklink-descriptors${t}@$source/tests/prm/ensemble_base.prm${t}--samples${t}1${t}--output${t}d{run}"
  echo "$count${t}weaklink-microstructure${t}@$source/tests/prm/ensemble_base.prm${t}m{run}.png${t}64"
  echo "$count${t}weaklink-ensemble${t}@$work/study_base.prm${t}--output${t}e{run}${t}--ranks-per-sample${t}1"
  for table in "$planted" "$dominance"; do
    echo "$half${t}weaklink-analyze${t}@$table${t}--no-sisso${t}--bootstrap${t}20${t}--output${t}a{run}"
    echo "$half${t}weaklink-weibull${t}@$table${t}ccd [mA/cm2]${t}--censored${t}censored${t}--output${t}w{run}"
    echo "$half${t}weaklink-sisso${t}@$table${t}--target${t}ccd [mA/cm2]${t}--dimension${t}1${t}--subspace${t}5${t}--output${t}s{run}"
  done
  # Command lines: options without values, with bad values, unknown ones.
  for tool in weaklink weaklink-weibull weaklink-sisso weaklink-descriptors \
              weaklink-microstructure weaklink-ensemble weaklink-analyze; do
    for args in "" "--" "-" "--help" "--frobnicate" "/nonexistent" "/dev/null" "/tmp" \
                "$planted --dimension" "$planted --dimension -3" "$planted --bootstrap 1e9" \
                "$planted --confidence nan" "$source/prm/default.prm --ranks-per-sample 0" \
                "$source/prm/microstructure.prm out.png 0" \
                "$source/prm/microstructure.prm out.png 99999999999" \
                "$source/prm/microstructure.prm --samples -1"; do
      echo "1${t}$tool${args:+$t${args// /$t}}"
    done
  done
} > plan.tsv

"$driver" plan.tsv --jobs 2 --time-limit 20 --seed 20261203
status=$?

# The executables themselves: each must be the main the driver ran.
for tool in weaklink weaklink-weibull weaklink-sisso weaklink-descriptors \
            weaklink-microstructure weaklink-ensemble weaklink-analyze; do
  timeout -s KILL 20 "$build/$tool" --frobnicate > out.txt 2> err.txt < /dev/null
  code=$?
  if [ $code -ne 2 ] || [ "$(wc -l < err.txt)" -ne 1 ] || ! grep -q "^$tool: error: " err.txt; then
    echo "$tool --frobnicate: exit $code, expected 2 and a one-line error:"
    cat err.txt
    status=1
  fi
done
exit $status
