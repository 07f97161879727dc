"""Where the repository and the sellershock executable are, for scripts and notebooks that run
scenarios through the executable (until the Python module over the library can run them)."""

from __future__ import annotations

import os
from pathlib import Path


def repository() -> Path:
    """The repository this package sits in (analysis/sellershock -> the repository root)."""
    return Path(__file__).resolve().parents[2]


def executable() -> Path:
    """The sellershock executable: $SELLERSHOCK_EXE if set, else build/release/sellershock in the
    repository (what ./run.sh and ./test.sh build). Raises FileNotFoundError saying how to get it."""
    configured = os.environ.get("SELLERSHOCK_EXE")
    path = Path(configured).resolve() if configured else repository() / "build" / "release" / "sellershock"
    if not (path.is_file() and os.access(path, os.X_OK)):
        origin = "$SELLERSHOCK_EXE" if configured else "the release build"
        raise FileNotFoundError(f"no sellershock executable at {path} ({origin}): run ./run.sh or "
                                "`cmake --preset release && cmake --build --preset release`, or set SELLERSHOCK_EXE")
    return path
