#!/usr/bin/env bash
# Shared set-up for ./run.sh and ./test.sh: installs the Debian packages the project needs (when run as
# root; otherwise prints the exact command and stops), then configures and builds a CMake preset.
# Assumes only bash and apt (Debian 12 or a recent Ubuntu).
set -euo pipefail

# Everything the build, the tests and the Python package use, by Debian package name (DESIGN.md §5).
SELLERSHOCK_PACKAGES=(
  build-essential cmake ninja-build git
  libyaml-cpp-dev libtbb-dev libhdf5-dev libboost-dev librandom123-dev libcli11-dev
  libgtest-dev libgmock-dev
  libbenchmark-dev                          # bench/: micro-benchmarks of the hot kernels (preset bench, run by hand)
  libeigen3-dev libopenmpi-dev openmpi-bin  # sweeps: sensitivity arithmetic (Eigen), MPI distribution (optional in CMake)
  clang libclang-rt-14-dev  # the fuzz preset: clang++ -fsanitize=fuzzer (libFuzzer's runtime is in libclang-rt)
  python3-dev pybind11-dev                              # the Python module sellershock._engine (sim/python)
  python3 python3-numpy python3-h5py python3-pandas python3-xarray python3-h5netcdf python3-yaml python3-scipy python3-pytest
  python3-matplotlib                                    # sellershock.plot and the report's figures
  python3-nbconvert python3-nbclient python3-nbformat python3-ipykernel  # notebooks/ run by ./test.sh (python3 kernel)
  chromium                                              # test_report.py renders the report in headless Chromium
)

sellershock_missing_packages() {
  local package missing=()
  for package in "${SELLERSHOCK_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  echo "${missing[@]:-}"
}

sellershock_install_packages() {
  local missing
  missing=$(sellershock_missing_packages)
  [[ -z "$missing" ]] && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "These Debian packages are missing: $missing" >&2
    echo "Install them as root, then run this command again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $missing" >&2
    exit 1
  fi
  echo "Installing Debian packages: $missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086  # word splitting of the package list is intended
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# sellershock_build PRESET: configure (once) and build build/PRESET.
sellershock_build() {
  local preset=$1
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$(nproc)"
}
