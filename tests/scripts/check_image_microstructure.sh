#!/usr/bin/env bash
# A generated microstructure written as a VTK image and read back as Material/Type = image
# has the same descriptors, and a plating step runs on it. A raw image of the wrong size is a
# one-line error before anything is written.
set -eu
descriptors=$1; weaklink=$2; mpiexec=$3; source_dir=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$descriptors" "$source_dir/prm/microstructure.prm" --samples 1 --voxel-size 1e-6 --images 1 --output generated > /dev/null
cat > image.prm <<PRM
include $source_dir/prm/microstructure.prm
subsection Material
  set Type = image
  subsection Image
    set File = $work/generated_0000.vtk
  end
end
subsection Output
  set Directory = $work/run
end
subsection Time stepping
  set End time = 30
  set Initial time step = 30
end
subsection Mesh refinement
  set Initial global refinement   = 4
  set Initial adaptive refinement = 0
  set Maximum level               = 4
end
PRM
"$descriptors" image.prm --output from_image > /dev/null
# Same descriptors (columns 3 onwards; sample and seed differ).
diff <(cut -d, -f3- generated.csv) <(cut -d, -f3- from_image.csv)
"$mpiexec" -np 2 --oversubscribe "$weaklink" image.prm > run.log
test -s run/statistics.csv

# A raw image whose size does not match its dimensions.
head -c 1000 /dev/zero > wrong.raw
cat > wrong.prm <<PRM
include image.prm
subsection Material
  subsection Image
    set File       = $work/wrong.raw
    set Size       = 200, 300
    set Voxel size = 5e-7
  end
end
subsection Output
  set Directory = $work/wrong_run
end
PRM
# A one-line error that contains $3 and a non-zero exit from "$1 $2".
expect_one_line_error() {
  set +e
  "$1" "$2" > /dev/null 2> error.txt
  local status=$?
  set -e
  cat error.txt
  test $status -ne 0
  test $(wc -l < error.txt) -eq 1
  grep -q "$3" error.txt
}
expect_one_line_error "$weaklink" wrong.prm "has 1000 bytes; 60000 voxels of 1 byte(s) need 60000"
test ! -e wrong_run

# The image does not cover the separator: the run and the descriptors refuse it.
cat > thick.prm <<PRM
include image.prm
subsection Geometry
  set Thickness = 1.6e-4
end
subsection Output
  set Directory = $work/thick_run
end
PRM
for tool in "$weaklink" "$descriptors"; do
  expect_one_line_error "$tool" thick.prm "covers 0.00015 m along axis 1, the separator 0.00016 m"
done
test ! -e thick_run
