#!/usr/bin/env bash
# The table of benchmarks/solver_contrast: every method at every contrast and
# level, one process per row.
#   benchmarks/solver_contrast.sh BUILD_DIR RANKS DIM "LEVELS" ["CONTRASTS"] ["METHODS"]
set -eu
build=$1; ranks=$2; dim=$3; levels=$4
contrasts=${5:-"1 1e3 1e6 metal"}
methods=${6:-"amg-chebyshev amg amg-reuse direct direct-reuse"}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
bench="$build/benchmarks/solver_contrast"
echo "solver_contrast: ${dim}D, $ranks MPI ranks, $(date -u +%Y-%m-%d)"
"$bench" --header
for level in $levels; do
  for contrast in $contrasts; do
    for method in $methods; do
      mpirun -np "$ranks" --oversubscribe "$bench" "$dim" "$level" "$contrast" "$method"
    done
  done
done
