#!/usr/bin/env bash
# The Porz anchor (MODEL.md §7): a lithium-filled flaw plated into by a
# potentiostatic ramp cracks when its lithium, held at the stall pressure of
# its overpotential, reaches Griffith's pressure, p_c = √(E′ Gc_eff/(π a)) with
# AT1's effective toughness Gc(1 + 3h/(8ℓ)); so the overpotential at onset,
# Ωp/F, falls as 1/√a. Two flaw sizes, a = 8 and 4 µm, in the same material
# and mesh (benchmarks/coupled/porz_flaw*.prm), each stopped by the crack-front
# criterion one cell past its flaw: the flaw's pressure (mean_lithium_pressure)
# within 10 % of Griffith's, and the pair's ratio within 10 % of √2.
#   check_porz_flaw.sh WEAKLINK MPIRUN SOURCE_DIR
set -u
weaklink=$1
mpirun=$2
source=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

# Column $2 of the last row of CSV file $1, found by its name.
last_value() {
  awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == name) column = i }
                        END { if (column) print $column }' "$1"
}

# Runs benchmark $1 until the crack front passes $2 m; prints the flaw's pressure.
onset_pressure() {
  local out=out_$(basename "$1" .prm)
  cat > "$out.prm" <<PRM
include $source/benchmarks/coupled/$1
subsection Output
  set Directory             = $out
  set Field output interval = 0
  set Write fields at end   = false
end
subsection Termination
  set Criteria             = crack front, end time
  set Crack front distance = $2
end
PRM
  if ! "$mpirun" -np 2 --oversubscribe "$weaklink" "$out.prm" > "$out.log" 2>&1; then
    echo "FAIL: $1 did not run" >&2
    tail -5 "$out.log" >&2
    return 1
  fi
  if ! grep -q '"stopped_by": "crack front"' "$out/summary.json"; then
    echo "FAIL: $1 ended before its crack passed the flaw:" >&2
    grep '"reason"' "$out/summary.json" >&2
    return 1
  fi
  last_value "$out/statistics.csv" "mean_lithium_pressure [Pa]"
}

# Griffith for a central crack of half-length $1 [m] in LLZO (E = 150 GPa,
# ν = 0.26, K_Ic = 1.25 MPa√m, plane strain), h = 0.25 µm, ℓ = 0.5 µm.
griffith() {
  awk -v a="$1" 'BEGIN { E = 1.5e11; nu = 0.26; K = 1.25e6; h = 0.25e-6; l = 0.5e-6
                         Ep = E / (1 - nu * nu); Gc = K * K / Ep * (1 + 3 * h / (8 * l))
                         printf "%.6g", sqrt(Ep * Gc / (3.141592653589793 * a)) }'
}

p8=$(onset_pressure porz_flaw.prm 8.1e-6) || exit 1
p4=$(onset_pressure porz_flaw_4um.prm 4.1e-6) || exit 1
awk -v p8="$p8" -v p4="$p4" -v g8="$(griffith 8e-6)" -v g4="$(griffith 4e-6)" 'BEGIN {
  F = 96485.33212; omega = 1.30e-5
  printf "a = 8 um: onset at %.4g Pa (eta %.4g mV), Griffith %.4g Pa: %+.1f %%\n", p8, 1e3 * omega * p8 / F, g8, 100 * (p8 / g8 - 1)
  printf "a = 4 um: onset at %.4g Pa (eta %.4g mV), Griffith %.4g Pa: %+.1f %%\n", p4, 1e3 * omega * p4 / F, g4, 100 * (p4 / g4 - 1)
  printf "ratio %.4g, Porz sqrt(2) = 1.414: %+.1f %%\n", p4 / p8, 100 * (p4 / p8 / sqrt(2) - 1)
  bad = (p8 / g8 - 1) ^ 2 > 0.01 || (p4 / g4 - 1) ^ 2 > 0.01 || (p4 / p8 / sqrt(2) - 1) ^ 2 > 0.01
  if (bad) print "FAIL: an onset is more than 10 % off"
  exit bad }'
