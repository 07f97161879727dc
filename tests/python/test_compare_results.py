"""tools/compare_results.py: bit-identity of two runs, and the paired shift of summaries when they differ."""

import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np

from cli_helpers import ROOT, TINY, sellershock

SCRIPT = ROOT / "tools" / "compare_results.py"


def compare(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=120)


def result_file(path: Path, replications, **summaries):
    """A file shaped like a result file's summary group: one value per replication for each summary."""
    with h5py.File(path, "w") as f:
        f["summary/replication"] = np.asarray(replications, dtype=np.int64)
        for name, values in summaries.items():
            f[f"summary/{name}"] = np.asarray(values, dtype=np.int64)
    return path


def test_two_runs_of_the_same_build_and_seed_are_identical(tmp_path):
    for name in ("a.h5", "b.h5"):
        run = sellershock("run", TINY, "-o", tmp_path / name, "--quiet")
        assert run.returncode == 0, run.stderr
    result = compare(tmp_path / "a.h5", tmp_path / "b.h5")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "identical: all" in result.stdout


def test_a_real_change_of_the_model_is_reported_as_a_shift(tmp_path):
    # Same seed and replications, so the runs pair; recall 0.6 -> 1.0 suspends far more businesses.
    assert sellershock("run", TINY, "-o", tmp_path / "a.h5", "--quiet").returncode == 0
    run = sellershock("run", TINY, "--set", "enforcement.waves[0].recall=1.0", "--set", "replications=8",
                      "-o", tmp_path / "b.h5", "--quiet")
    assert run.returncode == 0, run.stderr
    # Different replication counts cannot be paired.
    unpaired = compare(tmp_path / "a.h5", tmp_path / "b.h5")
    assert unpaired.returncode == 1
    assert "cannot be paired" in unpaired.stdout
    assert sellershock("run", TINY, "--set", "replications=8", "-o", tmp_path / "a.h5", "--quiet", "--force").returncode == 0
    shifted = compare(tmp_path / "a.h5", tmp_path / "b.h5")
    assert shifted.returncode == 1, shifted.stdout
    assert "businesses_suspended_by_wave" in shifted.stdout.split("shifted beyond")[1]


def test_differences_within_monte_carlo_error_pass(tmp_path):
    before = [1000, 1200, 1100, 1300, 900, 1050]
    noise = [3, -2, 1, -4, 2, 0]  # mean 0: z = 0
    a = result_file(tmp_path / "a.h5", range(6), loss=before)
    b = result_file(tmp_path / "b.h5", range(6), loss=[x + e for x, e in zip(before, noise)])
    result = compare(a, b)
    assert result.returncode == 0, result.stdout
    assert "within Monte Carlo error" in result.stdout
    assert "1 of 2 datasets differ" in result.stdout


def test_a_consistent_shift_fails_even_when_small(tmp_path):
    before = [1000, 1200, 1100, 1300, 900, 1050]
    a = result_file(tmp_path / "a.h5", range(6), loss=before)
    b = result_file(tmp_path / "b.h5", range(6), loss=[x + 10 + e for x, e in zip(before, [1, -1, 0, 1, -1, 0])])
    result = compare(a, b)
    assert result.returncode == 1
    assert "shifted beyond |z| = 3: loss" in result.stdout
    # A looser threshold accepts it only when asked.
    assert compare(a, b, "--z", "1000").returncode == 0


def test_input_errors_exit_2(tmp_path):
    a = result_file(tmp_path / "a.h5", range(2), loss=[1, 2])
    missing = compare(a, tmp_path / "nowhere.h5")
    assert missing.returncode == 2 and "nowhere.h5: no such file" in missing.stderr
    (tmp_path / "text.h5").write_text("not hdf5")
    assert compare(a, tmp_path / "text.h5").returncode == 2
    with h5py.File(tmp_path / "other.h5", "w") as f:
        f["x"] = [1]
    other = compare(a, tmp_path / "other.h5")
    assert other.returncode == 2 and "not a sellershock result file" in other.stderr
