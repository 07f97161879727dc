"""End-to-end tests of the sellershock executable: real scenario files in, HDF5 out (or a clean refusal)."""
import os
import pathlib
import shutil
import subprocess

import h5py
import numpy as np
import pytest

from cli_helpers import BAD, ROOT, TINY, default_stop_signals, executable, sellershock  # noqa: F401 (other test modules import them from here)


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


def test_timings_show_where_the_run_went_and_change_no_result(tmp_path):
    import re
    timed, untimed = tmp_path / "timed.h5", tmp_path / "untimed.h5"
    result = sellershock("run", "scenarios/default.yaml", "-o", timed, "--quiet", "-r", 1, "--timings")
    assert result.returncode == 0, result.stderr
    run = re.search(r"run ([0-9.]+) s, of which writing the file ([0-9.]+) s", result.stdout)
    line = re.search(r"time by phase, s, summed over replications: (.*)", result.stdout)
    assert run and line, result.stdout
    phases = {name: float(seconds) for name, _, seconds in (p.rpartition(" ") for p in line.group(1).split(", "))}
    assert list(phases) == ["set-up", "alias tables", "buyers' choice", "allocation", "seller pass",
                            "rest of the weeks", "counterfactual's fork", "results"]
    assert all(seconds >= 0 for seconds in phases.values())
    assert phases["buyers' choice"] > 0 and phases["seller pass"] > 0
    # One replication: its phases are most of the run (the rest is the file), and never more (each is
    # printed to 0.01 s).
    run_seconds, writing = float(run.group(1)), float(run.group(2))
    assert 0.5 * (run_seconds - writing) <= sum(phases.values()) <= run_seconds + 0.05
    plain = sellershock("run", "scenarios/default.yaml", "-o", untimed, "--quiet", "-r", 1)
    assert plain.returncode == 0, plain.stderr
    assert "time by phase" not in plain.stdout
    with h5py.File(timed, "r") as a, h5py.File(untimed, "r") as b:
        for name in ("summary/loss_to_suspended_cents", "timeseries/sales_cents"):
            assert (a[name][()] == b[name][()]).all(), name


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
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=default_stop_signals)
    time.sleep(2.0)  # the run takes about ten seconds
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "no output file was written" in stderr
    assert list(tmp_path.iterdir()) == []


# Issue 8: failures found under attack. Each test below failed against the executable before the fix.

LONG_RUN = ["run", "scenarios/china-2021.yaml"]  # long enough to be interrupted mid-run


def leftovers(directory):
    return sorted(p.name for p in pathlib.Path(directory).iterdir())


def wait_for_temporary_file(directory, process, timeout=60.0):
    import time
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(".tmp-" in name for name in leftovers(directory)):
            return
        assert process.poll() is None, "the run ended before its temporary file appeared"
        time.sleep(0.02)
    pytest.fail("no temporary file appeared")


def can_mount_tmpfs():
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                           capture_output=True)
    return probe.returncode == 0


def test_full_disk_is_a_clear_error_without_a_crash_or_a_temporary_file():
    """Failure 2: on a 64 KiB tmpfs the run printed 'internal error: HDF5: cannot close' and crashed (139)."""
    if not can_mount_tmpfs():
        pytest.skip("needs root and unshare -m to mount a small tmpfs")
    script = ('mount -t tmpfs -o size=64k tmpfs /mnt && "$0" run "$1" -o /mnt/full.h5 -r 1 --quiet; '
              'code=$?; echo "files:$(ls -A /mnt | tr "\\n" " ")"; exit $code')
    result = subprocess.run(["unshare", "-m", "sh", "-c", script, executable(), str(TINY)], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "No space left on device" in result.stderr and "/mnt/" in result.stderr, result.stderr
    assert "internal error" not in result.stderr
    assert result.stdout.strip().endswith("files:"), result.stdout  # nothing left on the full disk


def test_file_size_limit_is_a_clear_error_without_a_crash_or_a_temporary_file(tmp_path):
    """Failure 2 without root: the file-size limit makes writes fail as a full disk does."""
    import resource
    import signal

    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    result = subprocess.run([executable(), "run", str(TINY), "-o", str(tmp_path / "big.h5"), "-r", "1", "--quiet"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600, preexec_fn=limit_file_size)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert str(tmp_path) in result.stderr and "File too large" in result.stderr, result.stderr
    assert leftovers(tmp_path) == []


def test_a_million_replications_are_refused_before_any_file_is_created(tmp_path):
    """Failure 5: -r 1000000 passed the memory check, then died of bad_alloc or the OOM killer."""
    result = subprocess.run([executable(), "run", str(TINY), "-o", str(tmp_path / "r.h5"), "-r", "1000000",
                             "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "replications" in result.stderr and "GiB" in result.stderr, result.stderr
    assert leftovers(tmp_path) == []


def test_too_many_buyers_are_refused_naming_buyers_count():
    result = sellershock("validate", TINY, "--set", "buyers.count=2000000000")
    assert result.returncode == 2, result.stderr
    assert "buyers.count" in result.stderr and "sellers.count" not in result.stderr, result.stderr


def test_the_memory_check_respects_the_cgroup_limit(tmp_path):
    """Failure 5: the check read physical memory only, not the container's limit. A private mount of a
    fake /sys/fs/cgroup gives this process a 256 MiB limit at the root of its hierarchy."""
    if not can_mount_tmpfs():
        pytest.skip("needs root and unshare -m")
    script = ('mount -t tmpfs tmpfs /sys/fs/cgroup && mkdir -p /sys/fs/cgroup/memory && '
              'echo 268435456 > /sys/fs/cgroup/memory/memory.limit_in_bytes && '
              'echo 268435456 > /sys/fs/cgroup/memory.max && exec "$0" validate "$1" --set sellers.count=4000000')
    result = subprocess.run(["unshare", "-m", "sh", "-c", script, executable(), str(TINY)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "sellers.count" in result.stderr and "256.0 MiB" in result.stderr, result.stderr
    # The same scenario without the limit fits this machine.
    assert sellershock("validate", TINY, "--set", "sellers.count=4000000").returncode == 0


def test_sighup_stops_the_run_and_leaves_no_temporary_file(tmp_path):
    """Failure 6: SIGHUP killed the run and left .NAME.tmp-PID."""
    import signal
    process = subprocess.Popen([executable(), *LONG_RUN, "-o", str(tmp_path / "hup.h5"), "--quiet"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=default_stop_signals)
    wait_for_temporary_file(tmp_path, process)
    process.send_signal(signal.SIGHUP)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 130, stderr
    assert "SIGHUP" in stderr and "no output file was written" in stderr
    assert leftovers(tmp_path) == []


def test_a_closed_pipe_stops_the_run_and_leaves_no_temporary_file(tmp_path):
    """Failure 6: `run ... 2>&1 | head -1` died of SIGPIPE (141) and left .NAME.tmp-PID."""
    process = subprocess.Popen([executable(), *LONG_RUN, "-o", str(tmp_path / "pipe.h5")], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    first_line = process.stdout.readline()
    assert b"sellershock" in first_line
    process.stdout.close()  # as head -1 does
    process.wait(timeout=300)
    assert process.returncode == 130
    assert leftovers(tmp_path) == []


def test_a_sigterm_pending_at_start_stops_the_run_before_any_file(tmp_path):
    """Failure 6: a SIGTERM in the first milliseconds, before the handlers were installed, killed the
    process (143). Blocking SIGTERM in the child before exec holds the signal until main installs its
    handlers and unblocks it, which makes that moment reproducible."""
    import signal
    process = subprocess.Popen([executable(), "run", str(TINY), "-o", str(tmp_path / "early.h5"), "--quiet"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM}))
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 130, stderr
    assert "SIGTERM" in stderr
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("delay", [0.0, 0.005, 0.01, 0.02, 0.05])
def test_an_early_sigterm_never_leaves_a_file(tmp_path, delay):
    import signal
    import time
    process = subprocess.Popen([executable(), "run", str(TINY), "-o", str(tmp_path / "early.h5"), "--quiet"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=300)
    # Before main() starts nothing can catch it; from main() on, the run stops cleanly.
    assert process.returncode in (130, -signal.SIGTERM), process.returncode
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("seed", ["-1", "18446744073709551616", "1e3"])
def test_a_seed_out_of_range_is_refused_like_the_files(tmp_path, seed):
    """Failure 8: --seed -1 and --seed 2^64 silently became 2^64-1."""
    result = sellershock("run", TINY, "-o", tmp_path / "s.h5", "--quiet", "--seed", seed)
    assert result.returncode == 2, (seed, result.stderr)
    assert "seed" in result.stderr
    assert leftovers(tmp_path) == []


def test_an_empty_output_path_is_refused(tmp_path):
    """Failure 8: -o '' wrote results/SCENARIO.h5 (run here in an empty directory to see it)."""
    result = sellershock("run", TINY, "-o", "", "-r", 1, "--quiet", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "empty" in result.stderr
    assert leftovers(tmp_path) == []


def test_an_output_where_no_file_can_be_created_is_bad_input():
    """Failure 8: -o /proc/x.h5 was an internal error (exit 1)."""
    result = sellershock("run", TINY, "-o", "/proc/sellershock-x.h5", "-r", 1, "--quiet")
    assert result.returncode == 2, result.stderr
    assert "/proc" in result.stderr and "internal error" not in result.stderr


def test_a_long_output_name_works_and_a_too_long_one_is_bad_input(tmp_path):
    """Failure 8: a 250-character name failed with exit 1 (the temporary name was too long)."""
    out = tmp_path / ("a" * 247 + ".h5")
    result = sellershock("run", TINY, "-o", out, "-r", 1, "--quiet")
    assert result.returncode == 0, result.stderr
    assert leftovers(tmp_path) == [out.name]
    result = sellershock("run", TINY, "-o", tmp_path / ("b" * 300 + ".h5"), "-r", 1, "--quiet")
    assert result.returncode == 2, result.stderr
    assert leftovers(tmp_path) == [out.name]


def test_a_dangling_symlink_as_output_is_refused_before_the_run(tmp_path):
    """Failure 8: a dangling symlink as -o gave a false message after the run and left a temporary file."""
    link = tmp_path / "link.h5"
    link.symlink_to(tmp_path / "nowhere" / "x.h5")
    result = sellershock("run", TINY, "-o", link, "-r", 1, "--quiet")
    assert result.returncode == 2, result.stderr
    assert "symbolic link" in result.stderr and "--force" in result.stderr, result.stderr
    assert leftovers(tmp_path) == ["link.h5"]


def test_validate_checks_the_thread_count_like_run():
    """Failure 8: validate -j 0 was accepted while run refused it."""
    for command in ("run", "validate"):
        result = sellershock(command, TINY, "-j", 0, *(["--quiet"] if command == "run" else []))
        assert result.returncode == 2, (command, result.stderr)
