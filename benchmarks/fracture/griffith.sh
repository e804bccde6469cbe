#!/usr/bin/env bash
# Critical pressure of Sneddon's crack with AT1 against Griffith.
# usage: griffith.sh <weaklink> <ranks> <first level> <last level> [work dir]
# The pressure rises by 0.005 per step from 0.55; the critical pressure is the
# first one at which the crack tip (d >= 0.9) has moved (by a quadrature point,
# more than h/4).
# Printed: level, h, ℓ, the bracket of the measured p_c, Griffith's p_c, and
# Griffith's with the effective toughness Gc (1 + 3h/(8ℓ)) of AT1 on a mesh.
set -u
weaklink=$1; ranks=$2; first=$3; last=$4
work=${5:-$(mktemp -d)}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
printf '%5s %10s %10s %18s %10s %12s %8s\n' level h ell measured_p_c griffith griffith_eff wall[s]
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
end
subsection Mesh refinement
  set Maximum level = $level
end
subsection Fracture
  set Length scale = $ell
  set Pressure = 0.55 + t
  set Initial damage = (abs(x - 10) <= 1 && abs(y - 10) <= $h) ? 1 : 0
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
print("%5s %10.4g %10.4g %18s %10.4f %12.4f %8.1f" % (level, h, ell, bracket, griffith, effective,
      float(end) - float(start)))
PY
done
