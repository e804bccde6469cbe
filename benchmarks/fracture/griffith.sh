#!/usr/bin/env bash
# Critical pressure of Sneddon's crack with AT1 against Griffith.
# usage: griffith.sh <weaklink> <ranks> <first level> <last level> [work dir] [current|lagged]
# The pressure rises by 0.005 per step from 0.55; the critical pressure is the
# first one at which the crack tip (d >= 0.9) has moved (by a quadrature point,
# more than h/4).
# The last argument sets Fracture/Damage in the displacement equation
# (default current, the exact coupling); with lagged, a running crack would
# advance at the minimum step (Maximum damage increment 0.25).
# Printed: level, h, ℓ, the bracket of the measured p_c, Griffith's p_c,
# Griffith's with the effective toughness Gc (1 + 3h/(8ℓ)) of AT1 on a mesh,
# the crack tip at the end, the steps taken at the minimum step, Newton
# iterations per step and linear iterations per Newton iteration (means),
# and the wall time.
set -u
weaklink=$1; ranks=$2; first=$3; last=$4
work=${5:-$(mktemp -d)}
coupling=${6:-current}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
printf '%5s %10s %10s %18s %10s %12s %8s %8s %7s %7s %8s\n' level h ell measured_p_c griffith griffith_eff tip_end held newton linear wall[s]
for level in $(seq "$first" "$last"); do
  h=$(awk -v l="$level" 'BEGIN {printf "%.10g", 1 / 2^l}')
  ell=$(awk -v h="$h" 'BEGIN {printf "%.10g", 2 * h}')
  cat > "$work/level$level.prm" <<PRM
include $here/../../prm/griffith_2d.prm
subsection Output
  set Directory = $work/level$level
  set Write fields at end = false
end
subsection Time stepping
  set End time = 0.14
  set Initial time step = 0.005
  set Maximum time step = 0.005
  set Minimum time step = 0.0002
end
subsection Mesh refinement
  set Maximum level = $level
end
subsection Coupling
  set Prescribed lithium pressure = 0.55 + t
end
subsection Fracture
  set Length scale = $ell
  set Initial damage = (abs(x - 10) <= 1 && abs(y - 10) <= $h) ? 1 : 0
  set Damage in the displacement equation = $coupling
  set Maximum damage increment = 0.25
end
PRM
  start=$(date +%s.%N)
  mpirun -np "$ranks" --oversubscribe "$weaklink" "$work/level$level.prm" > "$work/level$level.log" 2>&1
  end=$(date +%s.%N)
  python3 - "$work/level$level/statistics.csv" "$level" "$h" "$ell" "$start" "$end" <<'PY'
import csv, math, sys
stats, level, h, ell, start, end = sys.argv[1:7]
h, ell = float(h), float(ell)
rows = list(csv.DictReader(open(stats)))
tip0 = float(rows[0]["crack_tip_x [m]"])
below, above = None, None
for r in rows:
    p = 0.55 + float(r["time [s]"])
    if float(r["crack_tip_x [m]"]) > tip0 + 0.25 * h:
        above = p
        break
    below = p
E_prime = 1.0 / (1 - 0.2**2)
griffith = math.sqrt(E_prime * 1.0 / math.pi)
effective = math.sqrt(E_prime * (1 + 3 * h / (8 * ell)) / math.pi)
bracket = "(%.3f, %.3f]" % (below, above) if above else "> %.3f" % below
held = sum(1 for r in rows[1:] if float(r["dt [s]"]) < 0.00021)
newton = [int(r["newton_iterations"]) for r in rows[1:]]
linear = [int(r["linear_iterations"]) for r in rows[1:]]
print("%5s %10.4g %10.4g %18s %10.4f %12.4f %8.3f %7d %7.2f %7.1f %8.1f" % (level, h, ell, bracket,
      griffith, effective, float(rows[-1]["crack_tip_x [m]"]), held, sum(newton) / len(newton),
      sum(linear) / max(1, sum(newton)), float(end) - float(start)))
PY
done
