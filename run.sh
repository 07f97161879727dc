#!/usr/bin/env bash
# Installs what is missing, builds, runs scenarios/default.yaml into results/default.h5, prints the
# loss table and writes the report results/default.html. Extra arguments are passed to `sellershock run`
# (e.g. ./run.sh -r 16 -j 2).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
sellershock_install_packages
sellershock_build release
build/release/sellershock run scenarios/default.yaml -o results/default.h5 --force "$@"
if [[ -f analysis/sellershock/report.py ]]; then
  # One self-contained HTML page (figures inline, nothing fetched): open it in any browser.
  PYTHONPATH=analysis /usr/bin/python3 -m sellershock.report results/default.h5 -o results/default.html
fi
