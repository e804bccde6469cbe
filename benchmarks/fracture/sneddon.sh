#!/usr/bin/env bash
# Sneddon pressurised crack: total crack volume (TCV) and opening profile
# against the exact solution over refinement levels, with ℓ = 2h, on N ranks.
# usage: sneddon.sh <weaklink> <dim 2|3> <ranks> <first level> <last level> [work dir]
# Prints one row per level: level, h, ℓ, DoFs, cells, Newton and linear
# iterations, wall time, TCV, its relative error and rate, opening-profile error.
set -eu
weaklink=$1; dim=$2; ranks=$3; first=$4; last=$5
work=${6:-$(mktemp -d)}
here=$(cd "$(dirname "$0")" && pwd)
prm=$here/../../prm/sneddon_${dim}d.prm
mkdir -p "$work"
coarse_h=$(awk '/Coarse cells across thickness/ {print 20 / $NF}' "$prm")
printf '%5s %10s %10s %9s %8s %6s %7s %9s %12s %9s %6s %10s\n' \
  level h ell dofs cells newton linear wall[s] TCV rel.err rate profile.err
previous=""
for level in $(seq "$first" "$last"); do
  h=$(awk -v c="$coarse_h" -v l="$level" 'BEGIN {printf "%.10g", c / 2^l}')
  ell=$(awk -v h="$h" 'BEGIN {printf "%.10g", 2 * h}')
  case_dir=$work/level$level
  if [ "$dim" = 2 ]; then band="abs(y - 10) <= $h"; crack="abs(x - 10) <= 1"
  else band="abs(y - 10) <= $h"; crack="(x - 10)^2 + (z - 10)^2 <= 1"; fi
  cat > "$work/level$level.prm" <<PRM
include $prm
subsection Output
  set Directory = $case_dir
  set Write fields at end = true
  set Field output interval = 0
end
subsection Mesh refinement
  set Maximum level = $level
end
subsection Fracture
  set Length scale = $ell
  set Initial damage = ($crack && $band) ? 1 : 0
end
PRM
  start=$(date +%s.%N)
  mpirun -np "$ranks" --oversubscribe "$weaklink" "$work/level$level.prm" > "$work/level$level.log"
  end=$(date +%s.%N)
  python3 - "$case_dir/statistics.csv" "$dim" "$level" "$h" "$ell" "$start" "$end" "$previous" \
    "$work/level$level.profile" <<'PY'
import csv, math, sys
stats, dim, level, h, ell, start, end, previous, profile_out = sys.argv[1:10]
dim = int(dim)
row = list(csv.DictReader(open(stats)))[-1]
p, E, nu, a = 1e-3, 1.0, 0.2, 1.0
exact = 2 * math.pi * p * a**2 * (1 - nu**2) / E if dim == 2 else 16 * p * a**3 * (1 - nu**2) / (3 * E)
unit = "m^2" if dim == 2 else "m^3"
tcv = float(row["crack_volume [%s]" % unit])
error = abs(tcv - exact) / exact
rate = ""
if previous:
    rate = "%.2f" % (math.log(float(previous) / error, 2))
print("%5s %10.4g %10.4g %9d %8d %6d %7d %9.2f %12.6e %9.2e %6s" % (
    level, float(h), float(ell), float(row["dofs"]), float(row["cells"]),
    float(row["newton_iterations"]), float(row["linear_iterations"]),
    float(end) - float(start), tcv, error, rate), end="")
open(profile_out, "w").write("%.10g\n" % error)
PY
  # Opening profile in 2D: relative L2 error of the binned opening over |x - 10| < 0.9.
  if [ "$dim" = 2 ]; then
    python3 - "$case_dir" <<'PY'
import glob, math, sys
files = sorted(glob.glob(sys.argv[1] + "/*crack_opening.csv"))
num = den = 0.0
for line in open(files[-1]).read().split("\n")[1:]:
    if not line: continue
    x, w = map(float, line.split(","))
    s = x - 10
    if abs(s) < 0.9:
        exact = 4e-3 * (1 - 0.04) * math.sqrt(1 - s * s)
        num += (w - exact) ** 2; den += exact ** 2
print(" %10.2e" % math.sqrt(num / den))
PY
  else echo; fi
  previous=$(cat "$work/level$level.profile")
done
