"""The sellershock executable as the end-to-end tests run it: where it is, and one call of it.

SELLERSHOCK_EXE names the executable (default: build/release/sellershock under the repository root); a
missing executable fails the test that needs it (a test that silently skips proves nothing)."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "fixtures" / "scenarios" / "bad"
TINY = ROOT / "tests" / "fixtures" / "scenarios" / "tiny.yaml"


def executable():
    path = pathlib.Path(os.environ.get("SELLERSHOCK_EXE", ROOT / "build" / "release" / "sellershock"))
    if not path.is_file():
        pytest.fail(f"sellershock executable not found at {path}: build it or set SELLERSHOCK_EXE")
    return str(path)


def sellershock(*args, cwd=ROOT, timeout=600):
    """Runs the executable with the arguments (as strings) in `cwd`; its output as text."""
    return subprocess.run([executable(), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def default_stop_signals():
    """For Popen(preexec_fn=...): the child starts with SIGINT and SIGHUP at their defaults. The executable
    keeps them ignored when it inherits them ignored (as under nohup, or from a script's `&`), so the
    tests of its handlers would otherwise depend on how the test suite itself was started."""
    import signal
    for number in (signal.SIGINT, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)
