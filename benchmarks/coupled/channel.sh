#!/usr/bin/env bash
# The five-field coupled case (electrochemistry φ ψ, fracture u d, lithium c):
# prm/default.prm, lithium creeping up a pore channel, over refinement levels.
# usage: channel.sh <weaklink> <ranks> <end time [s]> <level>... [3d:<level>]
#   a level is the Initial global refinement in 2D; "3d:L" runs the same
#   channel as a square prism in a 20 µm cube at level L.
# Prints one row per run: dim, level, DoFs, accepted and cut steps, Newton
# iterations per accepted step, linear iterations per Newton iteration, wall
# seconds per accepted step and per Newton iteration (all iterations, cut
# steps included), assembly and linear-solve shares of the wall time, peak
# memory of one rank, and the Li front and short state (0, 1 = S1, 2 = S2)
# at the end.
set -eu
weaklink=$1; ranks=$2; end_time=$3; shift 3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
printf '%3s %5s %7s %6s %4s %8s %8s %8s %9s %9s %8s %9s %10s %6s\n' \
  dim level dofs steps cut newton/st lin/newt s/step s/newton assembly solve peak[MB] Li.front[um] short
for run in "$@"; do
  dim=2; level=$run
  case $run in 3d:*) dim=3; level=${run#3d:} ;; esac
  dir=$work/run_${dim}d_$level
  {
    echo "include $here/../../prm/default.prm"
    echo "set Dimension = $dim"
    echo "subsection Output"
    echo "  set Directory = $dir"
    echo "  set Field output interval = 0"
    echo "  set Write fields at end = false"
    echo "  set Checkpoint interval steps = 0"
    echo "end"
    echo "subsection Time stepping"
    echo "  set End time = $end_time"
    echo "end"
    echo "subsection Mesh refinement"
    echo "  set Initial global refinement = $level"
    echo "end"
    if [ "$dim" = 3 ]; then
      echo "subsection Geometry"
      echo "  set Depth = 2e-5"
      echo "end"
      echo "subsection Material"
      echo "  subsection Function"
      echo "    set Phase = (abs(x - 1e-5) < 1.25e-6 && abs(z - 1e-5) < 1.25e-6) ? 3 : 0"
      echo "    set Deposition area density = (abs(x - 1e-5) < 1.25e-6 && abs(z - 1e-5) < 1.25e-6) ? 1e7 : 0"
      echo "  end"
      echo "end"
      echo "subsection Lithium"
      echo "  set Initial filling = (abs(x - 1e-5) < 1.3e-6 && abs(z - 1e-5) < 1.3e-6 && y < 6.3e-6) ? 1 : 0"
      echo "end"
    fi
  } > "$dir.prm"
  /usr/bin/time -f '%M' -o "$dir.mem" mpirun -np "$ranks" --oversubscribe "$weaklink" "$dir.prm" > "$dir.log" 2>&1 || true
  timer() { awk -F'|' -v name="$1" 'index($2, name) { s += $5 } END { print s + 0 }' "$dir.log"; }
  awk -F, -v dim="$dim" -v level="$level" -v cut="$(grep -c 'failed' "$dir.log" || true)" \
      -v mem="$(tail -1 "$dir.mem")" -v jacobians="$(awk -F'|' '/assemble Jacobian/ {print $3 + 0}' "$dir.log")" \
      -v total="$(awk -F'|' '/Total wallclock/ {print $3 + 0}' "$dir.log")" \
      -v jac_time="$(timer 'assemble Jacobian')" \
      -v res_time="$(timer 'assemble residual')" -v solve="$(timer 'linear solve')" '
    NR == 1 { for (i = 1; i <= NF; ++i) col[$i] = i; next }
    $col["step"] > 0 { steps++; newton += $col["newton_iterations"]; linear += $col["linear_iterations"] }
    { dofs = $col["dofs"]; front = $col["lithium_front [m]"]; shorted = $col["short_circuit"] }
    END {
      printf "%3s %5s %7d %6d %4d %8.2f %8.1f %8.3f %9.4f %8.0f%% %8.0f%% %9.0f %10.3f %6d\n",
        dim, level, dofs, steps, cut, newton / steps, linear / newton, total / steps,
        total / jacobians, 100 * (jac_time + res_time) / total, 100 * solve / total, mem / 1024,
        front * 1e6, shorted
    }' "$dir/statistics.csv"
done
