"""Shared fixtures for the Python tests: the analysis package on sys.path, and one real output file.

The output file comes from running the sellershock executable on the tiny fixture scenario once per
session. Environment variables:
  SELLERSHOCK_EXE       the executable (default: build/release/sellershock under the repository root)
  SELLERSHOCK_SAMPLE_H5 an existing output file to check instead of running the executable
A missing executable fails the tests: a format test that silently skips proves nothing.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
TINY_SCENARIO = Path("tests/fixtures/scenarios/tiny.yaml")  # relative to REPO_ROOT, as a user would type it

sys.path.insert(0, str(REPO_ROOT / "analysis"))


def _executable() -> Path:
    configured = os.environ.get("SELLERSHOCK_EXE")
    exe = Path(configured).resolve() if configured else REPO_ROOT / "build" / "release" / "sellershock"
    if not (exe.is_file() and os.access(exe, os.X_OK)):
        origin = "SELLERSHOCK_EXE" if configured else "the default location"
        pytest.fail(
            f"sellershock executable not found at {exe} ({origin}). Build it first "
            "(cmake --preset release && cmake --build --preset release), or set SELLERSHOCK_EXE to its path, "
            "or set SELLERSHOCK_SAMPLE_H5 to an existing output file to check.",
            pytrace=False,
        )
    return exe


@pytest.fixture(scope="session")
def output_path(tmp_path_factory) -> Path:
    """Path of a finished output file of the tiny scenario."""
    sample = os.environ.get("SELLERSHOCK_SAMPLE_H5")
    if sample:
        path = Path(sample).resolve()
        if not path.is_file():
            pytest.fail(f"SELLERSHOCK_SAMPLE_H5={sample} is not a file", pytrace=False)
        return path

    exe = _executable()
    if not (REPO_ROOT / TINY_SCENARIO).is_file():
        pytest.fail(f"fixture scenario {REPO_ROOT / TINY_SCENARIO} is missing", pytrace=False)
    out = tmp_path_factory.mktemp("run") / "out.h5"
    command = [str(exe), "run", str(TINY_SCENARIO), "-o", str(out), "--quiet"]
    try:
        finished = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(command)} took longer than 600 s", pytrace=False)
    if finished.returncode != 0:
        pytest.fail(
            f"{' '.join(command)} exited with code {finished.returncode}\n"
            f"stdout:\n{finished.stdout}\nstderr:\n{finished.stderr}",
            pytrace=False,
        )
    if not out.is_file():
        pytest.fail(f"{' '.join(command)} succeeded but wrote no file at {out}", pytrace=False)
    return out
