#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: C++ (GoogleTest through CTest), Python (pytest)
# and the notebooks. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
sellershock_install_packages
sellershock_build release

echo "== C++ tests"
ctest --preset release -j "$(nproc)"

echo "== Python tests"
# Debian's interpreter, which sees the python3-* packages.
SELLERSHOCK_EXE="$PWD/build/release/sellershock" /usr/bin/python3 -m pytest -q tests/python

shopt -s nullglob
notebooks=(notebooks/*.ipynb)
if (( ${#notebooks[@]} )); then
  echo "== Notebooks"
  for notebook in "${notebooks[@]}"; do
    /usr/bin/python3 -m nbconvert --to notebook --execute --output-dir "$(mktemp -d)" "$notebook"
  done
fi
echo "All tests passed."
