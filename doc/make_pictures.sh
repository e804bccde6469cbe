#!/usr/bin/env bash
# Draws one generated microstructure per pore topology into doc/pictures/,
# all at the same porosity (6 %), grain size and seed: only the topology differs.
#   doc/make_pictures.sh [build directory]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for topology in poisson clustered boundary "aligned chains"; do
  name=${topology// /_}
  cat > "$work/$name.prm" <<PRM
include $here/prm/microstructure.prm
subsection Material
  subsection Microstructure
    set Pore topology = $topology
  end
end
PRM
  "$build/weaklink-microstructure" "$work/$name.prm" "$here/doc/pictures/microstructure_$name.png" 400
done
