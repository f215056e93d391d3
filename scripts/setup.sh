#!/usr/bin/env bash
# Installs the Debian packages wijkmatch needs. Idempotent: does nothing when all are present.
set -euo pipefail
packages=(
  build-essential cmake pkg-config clang libclang-rt-14-dev gcovr locales
  libboost-graph-dev libeigen3-dev nlohmann-json3-dev catch2 libbenchmark-dev
  pybind11-dev liblemon-dev libcli11-dev libsqlite3-dev libsimdjson-dev
  python3 python3-dev python3-numpy python3-pandas python3-pytest
  python3-dask python3-distributed python3-matplotlib python3-setuptools python3-jsonschema python3-pip python3-venv python3-scipy python3-networkx
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi
echo "setup: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
