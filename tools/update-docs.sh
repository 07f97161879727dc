#!/usr/bin/env bash
# Regenerates the parts of docs/ that are generated from the code (the parameter reference), from a
# built executable: tools/update-docs.sh [path/to/sellershock]. Tests fail when the docs are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
exe=${1:-build/release/sellershock}
reference=$(mktemp)
trap 'rm -f "$reference"' EXIT
"$exe" describe --markdown >"$reference"
for doc in docs/SCENARIOS.md docs/MODEL.md; do
  [[ -f $doc ]] || continue
  /usr/bin/python3 - "$doc" "$reference" <<'PY'
import sys
path, reference = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
text = open(path, encoding="utf-8").read()
begin, end = "<!-- BEGIN GENERATED PARAMETERS -->", "<!-- END GENERATED PARAMETERS -->"
if begin in text:
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    # The layout the tests check: marker, blank line, the reference as generated, newline, marker.
    text = head + begin + "\n\n" + reference + "\n" + end + tail
    open(path, "w", encoding="utf-8").write(text)
PY
done
