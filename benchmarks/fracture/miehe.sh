#!/usr/bin/env bash
# Miehe's single-edge-notched tension or shear test: load–displacement
# curve, peak load and solver figures.
# usage: miehe.sh <weaklink> <ranks> tension|shear [work dir]
# Printed: the curve sampled every 2e-4 mm (and every step after the peak
# until the load halves), the peak against the reference (0.70 kN tension,
# 0.53 kN shear), steps, DoFs, Newton and linear iterations, wall time.
set -euo pipefail
weaklink=$1; ranks=$2; test=$3
work=${4:-$(mktemp -d)}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
cat > "$work/$test.prm" <<PRM
include $here/../../prm/miehe_$test.prm
subsection Output
  set Directory = $work/$test
end
PRM
start=$(date +%s.%N)
mpirun -np "$ranks" --oversubscribe "$weaklink" "$work/$test.prm" > "$work/$test.log" 2>&1 || true
end=$(date +%s.%N)
python3 - "$work/$test/statistics.csv" "$test" "$start" "$end" <<'PY'
import csv, sys
path, test, start, end = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
rows = list(csv.DictReader(open(path)))
axis = "y" if test == "tension" else "x"
u = [float(r["boundary_displacement_" + axis + " [m]"]) for r in rows]
f = [float(r["reaction_force_" + axis + " [N/m]"]) for r in rows]
peak = max(range(len(f)), key=lambda k: f[k])
reference = 0.70 if test == "tension" else 0.53
print("%12s %10s %10s %8s %8s" % ("u [mm]", "F [kN]", "tip x", "newton", "linear"))
last = -1.0
for k, r in enumerate(rows):
    if u[k] - last >= 2e-4 - 1e-12 or k == peak or k == len(rows) - 1:
        print("%12.5e %10.4f %10.4f %8s %8s" % (u[k], f[k], float(r["crack_tip_x [m]"]),
              r["newton_iterations"], r["linear_iterations"]))
        last = u[k]
newton = [int(r["newton_iterations"]) for r in rows[1:]]
linear = [int(r["linear_iterations"]) for r in rows[1:]]
dofs = [int(r["dofs"]) for r in rows]
print("peak %.4f kN at u = %.4e mm (reference ~%.2f kN: %+.1f %%)" %
      (f[peak], u[peak], reference, 100 * (f[peak] / reference - 1)))
print("%d steps to u = %.4e mm, final load %.4f kN; DoFs %d..%d; Newton per step mean %.2f max %d;"
      " linear per Newton %.1f; wall %.0f s" %
      (len(rows) - 1, u[-1], f[-1], min(dofs), max(dofs), sum(newton) / len(newton), max(newton),
       sum(linear) / max(1, sum(newton)), end - start))
PY
