"""End-to-end tests of what the scenario layer accepts as input: every problem reported at once, in file
order; input files that must be regular files of bounded size (failure 4 of issue 8); names, labels and
dates the output can hold (failure 7). Each refusal is exit code 2 with a located message and no output."""
import os
import subprocess

import pytest

from cli_helpers import BAD, ROOT, TINY, executable


def sellershock(*args, cwd=ROOT, timeout=60):
    # A hang (the FIFO case before the fix) fails the test through the timeout instead of blocking the suite.
    argv = [executable(), *(arg if isinstance(arg, bytes) else str(arg) for arg in args)]
    result = subprocess.run(argv, cwd=cwd, capture_output=True, timeout=timeout)
    result.stderr = result.stderr.decode("utf-8", errors="replace")
    result.stdout = result.stdout.decode("utf-8", errors="replace")
    return result


def refused_without_output(tmp_path, scenario, *expected, extra=()):
    """`run` and `validate` both refuse `scenario` with exit 2, naming every `expected` part; no output file."""
    out = tmp_path / "never.h5"
    for command in (["validate", scenario, *extra], ["run", scenario, "-o", out, "--quiet", *extra]):
        result = sellershock(*command)
        assert result.returncode == 2, (command, result.stderr)
        for part in expected:
            assert part in result.stderr, (command, part, result.stderr)
    assert not out.exists()
    assert not list(tmp_path.glob(".never.h5.tmp*"))


# --- validate reports every problem, in file order ----------------------------------------------------

def test_validate_reports_all_four_mistakes_in_file_order():
    result = sellershock("validate", BAD / "four_mistakes.yaml")
    assert result.returncode == 2, result.stderr
    expected = [":3:8: weeks: expected an integer", ":6:3: sellers.cuont: unknown key 'cuont'; did you mean 'count'?",
                ":8:14: enforcement.hold_days: expected", ":12:12: enforcement.waves[0].end: the wave ends"]
    positions = [result.stderr.find(part) for part in expected]
    assert all(position >= 0 for position in positions), result.stderr
    assert positions == sorted(positions), result.stderr


def test_validate_reports_problems_of_the_file_and_of_the_overrides():
    result = sellershock("validate", BAD / "four_mistakes.yaml", "--set", "sellers.scale=0")
    assert result.returncode == 2
    assert result.stderr.index("four_mistakes.yaml:12:12") < result.stderr.index("--set sellers.scale=0")


# --- Failure 4: input files are regular files of bounded size ------------------------------------------

def test_fifo_as_scenario_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    refused_without_output(tmp_path, fifo, "pipe.yaml: is a FIFO (named pipe), expected a regular file")


def test_fifo_as_extends_target_is_refused_without_hanging(tmp_path):
    os.mkfifo(tmp_path / "base.yaml")
    child = tmp_path / "child.yaml"
    child.write_text("extends: base.yaml\n")
    refused_without_output(tmp_path, child, "child.yaml:1:10: extends:", "is not a regular file")


def test_dev_zero_as_scenario_or_extends_target_is_refused(tmp_path):
    refused_without_output(tmp_path, "/dev/zero", "/dev/zero: is a character device")
    child = tmp_path / "child.yaml"
    child.write_text("extends: /dev/zero\n")
    refused_without_output(tmp_path, child, "extends: '/dev/zero' is not a regular file")


def test_dev_zero_as_calibration_targets_file_is_refused(tmp_path):
    scenario = tmp_path / "calibrated.yaml"
    scenario.write_text(TINY.read_text() + "calibration:\n  targets_file: /dev/zero\n  targets: [any]\n")
    refused_without_output(tmp_path, scenario, "/dev/zero: is a character device, expected a regular file "
                                               "(the calibration targets file)")


def test_fifo_as_calibration_targets_file_is_refused(tmp_path):
    os.mkfifo(tmp_path / "targets.csv")
    scenario = tmp_path / "calibrated.yaml"
    scenario.write_text(TINY.read_text() + "calibration:\n  targets_file: targets.csv\n  targets: [any]\n")
    refused_without_output(tmp_path, scenario, "targets.csv: is a FIFO")


def test_oversized_scenario_and_targets_files_are_refused(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:
        f.truncate(16 * 1024 * 1024 + 1)  # sparse: no 16 MiB written to disk
    refused_without_output(tmp_path, big, "big.yaml: the scenario file is larger than 16 MiB")
    big_csv = tmp_path / "big.csv"
    with open(big_csv, "wb") as f:
        f.truncate(16 * 1024 * 1024 + 1)
    scenario = tmp_path / "calibrated.yaml"
    scenario.write_text(TINY.read_text() + "calibration:\n  targets_file: big.csv\n  targets: [any]\n")
    refused_without_output(tmp_path, scenario, "big.csv: the calibration targets file is larger than 16 MiB")


# --- Failure 7: names and labels are UTF-8 without control characters; dates pandas can read -----------

@pytest.mark.parametrize("override, expected", [
    ('name="a\\0b"', "name: the text contains the control character U+0000"),
    (b"name=caf\xe9", "name: the text is not valid UTF-8"),
    ('enforcement.waves[0].name="w\\x07"', "enforcement.waves[0].name: the text contains the control character U+0007"),
    ("start_date=0000-01-03", "start_date: expected an ISO date (YYYY-MM-DD) from 1900-01-01 to 2200-12-31"),
    ("start_date=9999-12-27", "start_date: expected an ISO date (YYYY-MM-DD) from 1900-01-01 to 2200-12-31"),
    ("start_date=2200-10-01", "the run's last week starts on 2201-02-11, after 2200-12-31"),
])
def test_bad_names_and_dates_from_overrides_are_refused(tmp_path, override, expected):
    refused_without_output(tmp_path, TINY, expected, extra=["--set", override])


def test_non_utf8_and_nul_names_in_a_file_are_refused(tmp_path):
    scenario = tmp_path / "bytes.yaml"
    scenario.write_bytes(TINY.read_bytes().replace(b"name: tiny", b"name: caf\xe9"))
    refused_without_output(tmp_path, scenario, "bytes.yaml:2:7: name: the text is not valid UTF-8")
    scenario.write_bytes(TINY.read_bytes().replace(b"name: china-2021", b'name: "china\\0-2021"'))
    refused_without_output(tmp_path, scenario, "enforcement.waves[0].name: the text contains the control character U+0000")


def test_unicode_names_run_and_the_stored_scenario_reloads(tmp_path):
    h5py = pytest.importorskip("h5py")
    scenario = tmp_path / "unicode.yaml"
    scenario.write_text(TINY.read_text(encoding="utf-8").replace("name: tiny", "name: 東莞 ünïcödé"), encoding="utf-8")
    out = tmp_path / "unicode.h5"
    result = sellershock("run", scenario, "-o", out, "-r", 1, "--set", "weeks=8", "--quiet")
    assert result.returncode == 0, result.stderr
    with h5py.File(out, "r") as f:
        stored = f["scenario"][()]
        name = f.attrs["scenario_name"]
    stored = stored.decode("utf-8") if isinstance(stored, bytes) else stored
    name = name.decode("utf-8") if isinstance(name, bytes) else name
    assert name == "東莞 ünïcödé"
    resolved = tmp_path / "resolved.yaml"
    resolved.write_text(stored, encoding="utf-8")
    result = sellershock("validate", resolved)
    assert result.returncode == 0, result.stderr
    assert "東莞 ünïcödé" in result.stdout
