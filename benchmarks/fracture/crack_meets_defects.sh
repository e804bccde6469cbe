#!/usr/bin/env bash
# A lithium-pressurised crack growing from the plating electrode meets a
# weak grain-boundary facet and then a dry pore (issue #5; doc/fracture.md).
# usage: crack_meets_defects.sh <weaklink> <ranks> [work dir] [picture dir]
# The 40 µm × 40 µm LLZO section is a segmented image written here: grains,
# a weak facet 1 µm wide that crosses the crack path at 30° from
# (20, 10) µm to (30, 15.8) µm, and a pore of radius 2.5 µm centred at
# (32.5, 20) µm. The crack starts as a 4 µm notch at x = 20 µm on the
# plating side (y = 0); the pressure p = 450 MPa + t · 100 MPa/s acts in it
# but not in the pore, which stays dry (p = 0 within 2.75 µm of its centre,
# one voxel beyond its staircase edge). AT1 with the spectral split; the
# damage of the previous step degrades the equilibrium equation, and a
# running crack advances at the minimum step (0.2 MPa). Pictures of the
# damage over the phases go to <picture dir> (default: the work dir) as
# crack_meets_defects_<output index>.png.
set -euo pipefail
weaklink=$1; ranks=$2
work=${3:-$(mktemp -d)}
pictures=${4:-$work}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work" "$pictures"

python3 - "$work/section.raw" <<'PY'
import math, sys
n, voxel = 160, 0.25  # voxels per side, µm
start, direction = (20.0, 10.0), (math.cos(math.radians(30)), math.sin(math.radians(30)))
length, half_width = 11.6, 0.5
pore, radius = (32.5, 20.0), 2.5
labels = bytearray()
for j in range(n):          # y, slowest
    for i in range(n):      # x, fastest
        x, y = (i + 0.5) * voxel, (j + 0.5) * voxel
        rx, ry = x - start[0], y - start[1]
        along = rx * direction[0] + ry * direction[1]
        across = abs(-rx * direction[1] + ry * direction[0])
        if math.hypot(x - pore[0], y - pore[1]) <= radius:
            labels.append(3)
        elif 0 <= along <= length and across <= half_width:
            labels.append(2)
        else:
            labels.append(0)
open(sys.argv[1], "wb").write(labels)
PY

cat > "$work/case.prm" <<PRM
set Dimension = 2
subsection Physics
  set Modules = fracture
end
subsection Output
  set Directory             = $work/output
  set Field output interval = 10
end
subsection Time stepping
  set End time          = 0.8
  set Initial time step = 0.05
  set Maximum time step = 0.05
  set Minimum time step = 0.002
end
subsection Geometry
  set Width                         = 40e-6
  set Thickness                     = 40e-6
  set Coarse cells across thickness = 20
end
subsection Mesh refinement
  set Initial global refinement   = 0
  set Initial adaptive refinement = 3
  set Maximum level               = 3
  set Use error estimator         = false
  set Refine material interfaces  = true
end
subsection Newton
  set Maximum iterations = 40
  set Relative tolerance = 1e-9
  set Absolute tolerance = 1e-20
end
subsection Material
  set Type = image
  subsection Image
    set File       = $work/section.raw
    set Format     = raw8
    set Size       = 160, 160
    set Voxel size = 0.25e-6
    set Labels     = 0:grain, 2:weak boundary, 3:pore
  end
end
subsection Coupling
  set Prescribed lithium pressure = (x - 32.5e-6)^2 + (y - 20e-6)^2 <= (2.75e-6)^2 ? 0 : 1e8 * (4.5 + t)
end
subsection Fracture
  set Model                            = AT1
  set Energy split                     = spectral
  set Length scale                     = 0.5e-6
  set Residual stiffness               = 1e-8
  set Displacement boundary conditions = bottom: y = 0; top: y = 0; left: x = 0; right: x = 0
  set Initial damage                   = (abs(x - 20e-6) <= 0.26e-6 && y <= 4e-6) ? 1 : 0
  set Refinement threshold             = 0.05
  set Damage in the displacement equation = lagged
  set Maximum damage increment         = 0.25
  set Opening profile axis             = y
  set Picture pixels                   = 320
end
PRM
mpirun -np "$ranks" --oversubscribe "$weaklink" "$work/case.prm" > "$work/log" 2>&1
for picture in "$work"/output/solution_*_damage.png; do
  index=$(basename "$picture" | sed 's/solution_0*\([0-9]*\)_damage.png/\1/')
  cp "$picture" "$pictures/crack_meets_defects_${index:-0}.png"
done
python3 - "$work/output/statistics.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print("%8s %10s %12s %14s %12s" % ("t", "p [MPa]", "tip y [µm]", "crack length", "dt"))
for r in rows[::max(1, len(rows) // 25)] + rows[-1:]:
    t = float(r["time [s]"])
    print("%8.3f %10.1f %12.2f %14.3e %12.4g" % (t, 450 + 100 * t, 1e6 * float(r["crack_tip_y [m]"]),
          float(r["crack_length [m]"]), float(r["dt [s]"])))
PY
