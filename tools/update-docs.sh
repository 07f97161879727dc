#!/usr/bin/env bash
# Regenerates the parts of docs/ that are generated from the code (the parameter reference and the
# output dictionary), from a
# built executable: tools/update-docs.sh [path/to/sellershock]. Tests fail when the docs are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
exe=${1:-build/release/sellershock}
reference=$(mktemp)
outputs=$(mktemp)
trap 'rm -f "$reference" "$outputs"' EXIT
"$exe" describe --markdown >"$reference"
"$exe" describe --outputs >"$outputs"
# doc, generated text, marker name
for job in "docs/SCENARIOS.md $reference PARAMETERS" "docs/MODEL.md $reference PARAMETERS" "docs/FORMAT.md $outputs OUTPUTS"; do
  read -r doc generated marker <<<"$job"
  [[ -f $doc ]] || continue
  /usr/bin/python3 - "$doc" "$generated" "$marker" <<'PY'
import sys
path, reference, marker = sys.argv[1], open(sys.argv[2], encoding="utf-8").read(), sys.argv[3]
text = open(path, encoding="utf-8").read()
begin, end = f"<!-- BEGIN GENERATED {marker} -->", f"<!-- END GENERATED {marker} -->"
if begin in text:
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    # The layout the tests check: marker, blank line, the reference as generated, newline, marker.
    text = head + begin + "\n\n" + reference + "\n" + end + tail
    open(path, "w", encoding="utf-8").write(text)
PY
done
