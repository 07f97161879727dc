"""Shared fixtures for the Python tests: the analysis package on sys.path, one real output file, and
one file written by the C++ writer test.

The output file comes from running the sellershock executable on the tiny fixture scenario once per
session. The writer sample comes from running the C++ test that writes a sample layout with every
feature of the format (summary entries with dimensions, series whose second dimension is not week),
which the model's own output may not use yet. Environment variables:
  SELLERSHOCK_EXE       the executable (default: build/release/sellershock under the repository root)
  SELLERSHOCK_SAMPLE_H5 an existing output file to check instead of running the executable
  SELLERSHOCK_TESTS_EXE the C++ test executable (default: tests/sellershock_tests in the build
                        directory of the executable)
  SELLERSHOCK_WRITER_SAMPLE_H5 an existing file written by that test (with SELLERSHOCK_KEEP_SAMPLE)
                        to check instead of running it
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


# The C++ test that writes the sample file, and copies it to $SELLERSHOCK_KEEP_SAMPLE.
WRITER_SAMPLE_TEST = "Hdf5WriterTest.WritesValuesAxesSummariesAndProvenanceThatReadBackWithTheCApi"


def _executable_path() -> Path:
    configured = os.environ.get("SELLERSHOCK_EXE")
    return Path(configured).resolve() if configured else REPO_ROOT / "build" / "release" / "sellershock"


def _executable() -> Path:
    configured = os.environ.get("SELLERSHOCK_EXE")
    exe = _executable_path()
    if not (exe.is_file() and os.access(exe, os.X_OK)):
        origin = "SELLERSHOCK_EXE" if configured else "the default location"
        pytest.fail(
            f"sellershock executable not found at {exe} ({origin}). Build it first "
            "(cmake --preset release && cmake --build --preset release), or set SELLERSHOCK_EXE to its path, "
            "or set SELLERSHOCK_SAMPLE_H5 to an existing output file to check.",
            pytrace=False,
        )
    return exe


def _file_from_environment(variable: str):
    """The existing file the environment variable names, or None if it is unset (fails if not a file)."""
    value = os.environ.get(variable)
    if not value:
        return None
    path = Path(value).resolve()
    if not path.is_file():
        pytest.fail(f"{variable}={value} is not a file", pytrace=False)
    return path


@pytest.fixture(scope="session")
def output_path(tmp_path_factory) -> Path:
    """Path of a finished output file of the tiny scenario."""
    sample = _file_from_environment("SELLERSHOCK_SAMPLE_H5")
    if sample:
        return sample

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


@pytest.fixture(scope="session")
def writer_sample_path(tmp_path_factory) -> Path:
    """Path of the sample file the C++ writer test writes (docs/FORMAT.md's every feature)."""
    sample = _file_from_environment("SELLERSHOCK_WRITER_SAMPLE_H5")
    if sample:
        return sample

    configured = os.environ.get("SELLERSHOCK_TESTS_EXE")
    tests = Path(configured).resolve() if configured else _executable_path().parent / "tests" / "sellershock_tests"
    if not (tests.is_file() and os.access(tests, os.X_OK)):
        origin = "SELLERSHOCK_TESTS_EXE" if configured else "next to the sellershock executable"
        pytest.fail(
            f"C++ test executable not found at {tests} ({origin}). Build it with the executable, or set "
            "SELLERSHOCK_TESTS_EXE to its path, or SELLERSHOCK_WRITER_SAMPLE_H5 to a file it wrote.",
            pytrace=False,
        )
    out = tmp_path_factory.mktemp("writer") / "writer-sample.h5"
    command = [str(tests), f"--gtest_filter={WRITER_SAMPLE_TEST}"]
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=300,
                                  env={**os.environ, "SELLERSHOCK_KEEP_SAMPLE": str(out)})
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(command)} took longer than 300 s", pytrace=False)
    if finished.returncode != 0 or not out.is_file():
        pytest.fail(
            f"{' '.join(command)} exited with code {finished.returncode} and wrote "
            f"{'a' if out.is_file() else 'no'} sample file\nstdout:\n{finished.stdout}\nstderr:\n{finished.stderr}",
            pytrace=False,
        )
    return out
