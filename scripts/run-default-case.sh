#!/usr/bin/env bash
# Builds weaklink and runs the default case on 2 MPI ranks.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/build.sh"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cd "$here"
mpirun -np 2 --oversubscribe "$here/build/weaklink" "$here/prm/default.prm"
