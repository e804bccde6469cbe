#!/usr/bin/env bash
# Builds weaklink and runs the whole test suite through ctest.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/build.sh"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cd "${WEAKLINK_BUILD_DIR:-$here/build}"
ctest --output-on-failure -j 2 "$@"
