"""End-to-end tests of the sellershock executable: real scenario files in, HDF5 out (or a clean refusal)."""
import os
import pathlib
import subprocess

import h5py
import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "fixtures" / "scenarios" / "bad"
TINY = ROOT / "tests" / "fixtures" / "scenarios" / "tiny.yaml"


def executable():
    path = pathlib.Path(os.environ.get("SELLERSHOCK_EXE", ROOT / "build" / "release" / "sellershock"))
    if not path.is_file():
        pytest.fail(f"sellershock executable not found at {path}: build it or set SELLERSHOCK_EXE")
    return str(path)


def sellershock(*args, cwd=ROOT):
    return subprocess.run([executable(), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=600)


def datasets(path):
    """Every dataset in the file, by name, as numpy arrays (strings decoded)."""
    found = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                found[name] = obj[()]
        f.visititems(visit)
    return found


def test_default_scenario_is_identical_on_one_and_two_threads(tmp_path):
    one, two = tmp_path / "j1.h5", tmp_path / "j2.h5"
    for out, threads in ((one, 1), (two, 2)):
        result = sellershock("run", "scenarios/default.yaml", "-o", out, "-j", threads, "-r", 3, "--quiet")
        assert result.returncode == 0, result.stderr
    a, b = datasets(one), datasets(two)
    assert sorted(a) == sorted(b)
    assert len(a) > 10
    for name in a:
        assert np.array_equal(a[name], b[name]), name
    with h5py.File(one, "r") as f1, h5py.File(two, "r") as f2:
        assert f1.attrs["threads"] == 1 and f2.attrs["threads"] == 2


def test_run_prints_summary_table_and_writes_file(tmp_path):
    out = tmp_path / "sub" / "tiny.h5"
    result = sellershock("run", TINY, "-o", out, "--quiet")
    assert result.returncode == 0, result.stderr
    assert out.is_file()
    assert "newly_frozen (USD)" in result.stdout and "95%" in result.stdout
    assert result.stderr == ""  # --quiet: no progress


def test_progress_goes_to_stderr_as_plain_lines_when_not_a_terminal(tmp_path):
    result = sellershock("run", TINY, "-o", tmp_path / "p.h5")
    assert result.returncode == 0, result.stderr
    assert "progress:" in result.stderr or "replications on" in result.stderr


def test_existing_output_is_kept_without_force(tmp_path):
    out = tmp_path / "keep.h5"
    out.write_bytes(b"precious")
    result = sellershock("run", TINY, "-o", out, "--quiet")
    assert result.returncode == 2
    assert "--force" in result.stderr
    assert out.read_bytes() == b"precious"
    result = sellershock("run", TINY, "-o", out, "--quiet", "--force")
    assert result.returncode == 0, result.stderr
    assert h5py.is_hdf5(out)


def test_overrides_and_seed_are_recorded_in_the_file(tmp_path):
    out = tmp_path / "o.h5"
    result = sellershock("run", TINY, "-o", out, "--quiet", "-r", 2, "--seed", 99,
                         "--set", "enforcement.waves[0].recall=0.9")
    assert result.returncode == 0, result.stderr
    with h5py.File(out, "r") as f:
        assert f.attrs["seed"] == 99
        text = f["scenario"][()]
        text = text.decode() if isinstance(text, bytes) else text
        assert "0.9" in text
        assert f["timeseries/sales_cents"].shape[0] == 2


def test_different_seeds_give_different_results(tmp_path):
    outs = []
    for seed in (1, 2):
        out = tmp_path / f"s{seed}.h5"
        assert sellershock("run", TINY, "-o", out, "--quiet", "--seed", seed).returncode == 0
        outs.append(datasets(out)["timeseries/sales_cents"])
    assert not np.array_equal(*outs)


def test_validate_accepts_the_shipped_scenarios():
    for scenario in sorted((ROOT / "scenarios").glob("*.yaml")):
        result = sellershock("validate", scenario)
        assert result.returncode == 0, f"{scenario}: {result.stderr}"


def test_version_and_help():
    version = sellershock("--version")
    assert version.returncode == 0 and "sellershock" in version.stdout
    help_text = sellershock("--help")
    assert help_text.returncode == 0 and "run" in help_text.stdout and "validate" in help_text.stdout


def test_describe_lists_parameters():
    result = sellershock("describe", "enforcement")
    assert result.returncode == 0, result.stderr
    assert "hold_days" in result.stdout


# Each bad input: exit code 2, a message naming the file (and line:column where there is a position),
# and no output file.
BAD_INPUTS = [
    ("malformed.yaml", True),
    ("top_level_list.yaml", True),
    ("unknown_key.yaml", True),
    ("wrong_type.yaml", True),
    ("negative_count.yaml", True),
    ("huge_count.yaml", False),  # refused by the memory check: names the file and key, no position
    ("deep_nesting.yaml", False),
    ("alias_bomb.yaml", False),
    ("empty.yaml", False),
]


@pytest.mark.parametrize("name,has_position", BAD_INPUTS)
def test_bad_scenario_is_refused_cleanly(tmp_path, name, has_position):
    out = tmp_path / "never.h5"
    for command in (["run", BAD / name, "-o", out, "--quiet"], ["validate", BAD / name]):
        result = sellershock(*command)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert name in result.stderr, result.stderr
        if has_position:
            assert f"{name}:" in result.stderr and any(ch.isdigit() for ch in result.stderr.split(name + ":")[1][:8])
        assert "internal error" not in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_huge_count_names_the_memory_it_would_need(tmp_path):
    result = sellershock("run", BAD / "huge_count.yaml", "-o", tmp_path / "x.h5", "--quiet")
    assert result.returncode == 2
    assert "sellers.count" in result.stderr and "GiB" in result.stderr


def test_unknown_key_suggests_the_nearest_valid_key():
    result = sellershock("validate", BAD / "unknown_key.yaml")
    assert result.returncode == 2
    assert "did you mean" in result.stderr


@pytest.mark.parametrize("target", ["missing.yaml", "a_directory"])
def test_missing_file_and_directory_are_refused(tmp_path, target):
    (tmp_path / "a_directory").mkdir()
    out = tmp_path / "never.h5"
    result = sellershock("run", tmp_path / target, "-o", out, "--quiet")
    assert result.returncode == 2, result.stderr
    assert target in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("args", [
    ["--set", "sellers.count=-5"],
    ["--set", "sellers.cuont=5"],
    ["--set", "nonsense"],
    ["-r", "0"],
    ["-j", "0"],
    ["--no-such-flag"],
])
def test_bad_command_line_values_are_refused(tmp_path, args):
    out = tmp_path / "never.h5"
    result = sellershock("run", TINY, "-o", out, "--quiet", *args)
    assert result.returncode == 2, (args, result.stderr)
    assert not out.exists()


def test_output_path_that_is_a_directory_is_refused(tmp_path):
    result = sellershock("run", TINY, "-o", tmp_path, "--quiet")
    assert result.returncode == 2, result.stderr


def test_run_prints_the_loss_table_with_intervals(tmp_path):
    result = sellershock("run", TINY, "-o", tmp_path / "loss.h5", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "Attributable loss to sellers" in result.stdout
    for line in ("frozen_not_recovered", "profit_lost", "inventory_written_off", "by home region", "by size class"):
        assert line in result.stdout
    with h5py.File(tmp_path / "loss.h5", "r") as f:
        assert list(f["timeseries/run"].asstr()[()]) == ["scenario", "counterfactual"]
        assert f["summary/attributable_loss_by_group_cents"].dims[1][0].name == "/summary/component"


def test_no_counterfactual_skips_the_attributable_outputs(tmp_path):
    out = tmp_path / "nocf.h5"
    result = sellershock("run", TINY, "-o", out, "--quiet", "--no-counterfactual")
    assert result.returncode == 0, result.stderr
    assert "Attributable loss" not in result.stdout
    with h5py.File(out, "r") as f:
        assert list(f["timeseries/run"].asstr()[()]) == ["scenario"]
        assert "attributable_loss_cents" not in f["summary"]


def test_calibrated_scenario_prints_model_versus_targets(tmp_path):
    # china-2021 at a tenth of its size (each simulated business standing for 100): quick, same table.
    result = sellershock("run", "scenarios/china-2021.yaml", "-o", tmp_path / "china.h5", "--quiet", "-r", 2,
                         "--set", "sellers.count=10000", "--set", "sellers.scale=100", "--set", "buyers.count=5000")
    assert result.returncode == 0, result.stderr
    assert "Model versus observed figures" in result.stdout
    for target in ("china-2021-accounts-suspended", "china-2021-businesses-affected", "china-2021-total-loss"):
        row = next(line for line in result.stdout.splitlines() if line.startswith(target))
        assert "inside" in row or "below by" in row or "above by" in row


def test_calibration_target_needing_the_counterfactual_is_refused_without_it(tmp_path):
    out = tmp_path / "never.h5"
    result = sellershock("run", "scenarios/pakistan-2022.yaml", "-o", out, "--quiet", "--no-counterfactual")
    assert result.returncode == 2
    assert "calibration.targets[0]" in result.stderr and "counterfactual" in result.stderr
    assert not out.exists()


def test_unknown_calibration_target_is_refused_with_a_suggestion(tmp_path):
    result = sellershock("validate", "scenarios/pakistan-2022.yaml",
                         "--set", "calibration.targets=[pakistan-2022-accounts-baned]")
    assert result.returncode == 2
    assert "did you mean 'pakistan-2022-accounts-banned'" in result.stderr


def test_interrupt_leaves_no_output_file(tmp_path):
    import signal
    import time
    out = tmp_path / "interrupted.h5"
    process = subprocess.Popen([executable(), "run", "scenarios/china-2021.yaml", "-o", str(out)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.0)  # the run takes about ten seconds
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "no output file was written" in stderr
    assert list(tmp_path.iterdir()) == []
