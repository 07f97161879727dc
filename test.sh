#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: C++ (GoogleTest through CTest), a short fuzz
# run (libFuzzer), Python (pytest, which also runs the notebooks). Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
sellershock_install_packages
sellershock_build release

echo "== C++ tests"
ctest --preset release -j "$(nproc)"

echo "== Fuzz: libFuzzer on the scenario loader and the --set parser, about 60 s (fuzz/, the fuzz preset)"
# Fails on a crash, a sanitizer report, an exception other than InputError, or a scenario that does not
# reload to the same scenario after to_yaml. Only the two targets and the scenario layer are built.
sellershock_build fuzz
fuzz_work=$(mktemp -d)
mkdir -p "$fuzz_work/loader" "$fuzz_work/override" build/fuzz/artifacts
fuzz_options=(-max_total_time=30 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
              -artifact_prefix="$PWD/build/fuzz/artifacts/")
# The loader's label has no directory, so `extends:` in the seeds resolves from scenarios/.
(cd scenarios && "$OLDPWD/build/fuzz/fuzz/scenario_loader_fuzzer" "${fuzz_options[@]}" \
  "$fuzz_work/loader" . ../tests/fixtures/scenarios)
build/fuzz/fuzz/override_fuzzer "${fuzz_options[@]}" "$fuzz_work/override" fuzz/corpus/override
rm -rf "$fuzz_work"

echo "== Python tests"
# Debian's interpreter, which sees the python3-* packages.
SELLERSHOCK_EXE="$PWD/build/release/sellershock" /usr/bin/python3 -m pytest -q tests/python

# The notebooks (notebooks/*.ipynb) run top to bottom inside the Python tests above
# (tests/python/test_notebooks.py: each under two minutes, with its figures), not a second time here.
echo "All tests passed."
