"""sellershock.run and sellershock.sweep: the C++ engine from Python (sim/python,
analysis/sellershock/api.py). They give the same Results (run) and Dataset (sweep) as loading the file
the executable writes, stop cleanly on Ctrl-C, release the GIL and report bad input as the command line
does."""

import contextlib
import os
import signal
import subprocess
import threading
import time

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import sellershock
from test_cli import BAD, ROOT, TINY, executable

TINY_RELATIVE = TINY.relative_to(ROOT)
OVERRIDES = {"sellers.count": 150, "enforcement.waves[0].recall": 0.7}
# A run long enough to interrupt (a few seconds on one thread), small enough for a shared machine.
LONG_OVERRIDES = {"sellers.count": 3000, "weeks": 80}


@pytest.fixture(autouse=True)
def in_repository(monkeypatch):
    """Scenario paths relative to the repository, as a user in it would type them (and as the
    executable's provenance records them)."""
    monkeypatch.chdir(ROOT)


def assert_same_results(in_memory, from_file):
    xr.testing.assert_identical(in_memory.timeseries, from_file.timeseries)
    xr.testing.assert_identical(in_memory.summary_dataset, from_file.summary_dataset)
    pd.testing.assert_frame_equal(in_memory.summary, from_file.summary)
    pd.testing.assert_frame_equal(in_memory.statistics, from_file.statistics)
    assert in_memory.units == from_file.units
    assert in_memory.summary_tables.keys() == from_file.summary_tables.keys()
    for name, table in in_memory.summary_tables.items():
        xr.testing.assert_identical(table, from_file.summary_tables[name])
    assert in_memory.scenario == from_file.scenario
    # Times and the command line differ; what the run was is the same.
    for key in ("format_version", "program_version", "git_revision", "seed", "ranks", "scenario_name",
                "scenario_file"):
        assert in_memory.provenance[key] == from_file.provenance[key], key
    assert in_memory.provenance.keys() == from_file.provenance.keys()


def test_run_in_memory_is_identical_to_the_executables_file(tmp_path):
    out = tmp_path / "cli.h5"
    command = [executable(), "run", str(TINY_RELATIVE), "-o", str(out), "--quiet", "-r", "3", "--seed", "7", "-j", "2",
               *[arg for key, value in OVERRIDES.items() for arg in ("--set", f"{key}={value}")]]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr

    results = sellershock.run(TINY_RELATIVE, overrides=OVERRIDES, replications=3, seed=7, threads=1)

    assert results.path is None
    assert results.provenance["seed"] == 7 and results.provenance["threads"] == 1
    assert results.provenance["command_line"].startswith("sellershock.run(")
    assert results.summary.shape[0] == 3
    assert_same_results(results, sellershock.load(out))


def test_run_with_output_writes_the_same_file_and_loads_it(tmp_path):
    out = tmp_path / "api.h5"
    written = sellershock.run(TINY_RELATIVE, replications=2, seed=11, threads=1, output=out)
    assert out.is_file() and written.path == out
    assert_same_results(sellershock.run(TINY_RELATIVE, replications=2, seed=11, threads=1), written)
    with pytest.raises(sellershock.InputError, match="exists"):
        sellershock.run(TINY_RELATIVE, replications=2, seed=11, threads=1, output=out)


@contextlib.contextmanager
def ctrl_c_after(seconds):
    """What Ctrl-C does, `seconds` into the block: SIGINT to the process, handled by Python's handler on the
    main thread. The handler is Python's own for the block: Python leaves SIGINT ignored when it starts with
    it ignored (as under nohup), and these tests are about what Ctrl-C does in a session."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    main_thread = threading.get_ident()
    timer = threading.Timer(seconds, lambda: signal.pthread_kill(main_thread, signal.SIGINT))
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("to_file", [False, True], ids=["in-memory", "output"])
def test_keyboard_interrupt_cancels_the_run_and_the_interpreter_stays_usable(tmp_path, to_file):
    output = tmp_path / "interrupted.h5" if to_file else None
    started = time.monotonic()
    with ctrl_c_after(0.5), pytest.raises(KeyboardInterrupt):
        sellershock.run(TINY_RELATIVE, overrides=LONG_OVERRIDES, replications=4, threads=1, output=output)
    interrupted_after_s = time.monotonic() - started
    assert list(tmp_path.iterdir()) == [], "an interrupted run leaves no file"

    # The run stopped soon after the signal, not at its end.
    started = time.monotonic()
    complete = sellershock.run(TINY_RELATIVE, overrides=LONG_OVERRIDES, replications=4, threads=1)
    complete_s = time.monotonic() - started
    assert complete.summary.shape[0] == 4
    assert interrupted_after_s < 0.5 + 0.5 * complete_s, (interrupted_after_s, complete_s)


def test_the_gil_is_released_while_the_engine_runs():
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)

    ticker = threading.Thread(target=tick)
    ticker.start()
    try:
        started = time.monotonic()
        sellershock.run(TINY_RELATIVE, overrides=LONG_OVERRIDES, replications=2, threads=1)
        finished = time.monotonic()
    finally:
        stop.set()
        ticker.join()
    during = [t for t in ticks if started < t < finished]
    # Held for the whole run, the GIL would let the ticker run hardly at all; released, it ticks about
    # every 10 ms (a tenth of that on a busy machine still tells the two apart).
    assert len(during) > 0.1 * (finished - started) / 0.01, (len(during), finished - started)


def test_bad_input_raises_input_error_with_the_command_lines_located_message():
    bad = BAD.relative_to(ROOT) / "wrong_type.yaml"
    finished = subprocess.run([executable(), "run", str(bad), "-o", os.devnull], cwd=ROOT, capture_output=True,
                              text=True, timeout=60)
    assert finished.returncode == 2
    cli_message = finished.stderr.strip().removeprefix("error: ")

    with pytest.raises(sellershock.InputError) as raised:
        sellershock.run(bad)
    assert str(raised.value) == cli_message
    assert f"{bad}:2:8: weeks:" in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_bad_overrides_and_arguments_raise_input_error():
    with pytest.raises(sellershock.InputError, match="--set"):
        sellershock.run(TINY_RELATIVE, overrides={"sellers.cuont": 10})
    with pytest.raises(sellershock.InputError, match="replications"):
        sellershock.run(TINY_RELATIVE, replications=-1)
    with pytest.raises(sellershock.InputError, match="threads"):
        sellershock.run(TINY_RELATIVE, threads=-3)
    with pytest.raises(sellershock.InputError, match="no-such-file.yaml"):
        sellershock.run("no-such-file.yaml")


# --- sellershock.sweep --------------------------------------------------------------------------------

SWEEP_HEADER = f"""scenario: {TINY}
fixed:
  sellers.count: 300
  weeks: 12
factors:
  - key: enforcement.hold_days
    values: [30, 90]
  - key: enforcement.waves[0].false_positive_rate
    low: 0.01
    high: 0.1
    log: true
"""
SWEEP_DESIGNS = {
    "grid-with-series": "design: grid\nsamples: 2\nreplications: 2\nseed: 17\n"
                        "outputs: [loss_to_suspended_cents, exits]\nseries: [frozen_balance_cents, sales_cents]\n",
    "sobol": "design: sobol\nsamples: 2\nreplications: 1\nbootstrap_samples: 30\noutputs: [loss_to_suspended_cents]\n",
    "morris": "design: morris\nsamples: 2\nreplications: 1\noutputs: [loss_to_suspended_cents, exits]\n",
}
# What differs between two runs of one sweep: when, how, and on how many threads it ran.
SWEEP_RUN_ATTRIBUTES = ("command_line", "start_time", "end_time", "wall_seconds", "threads")


def _cli_sweep(tmp_path, text, name="sweep.yaml"):
    """Runs `sellershock sweep` on a sweep file with `text`; returns the file's path and the output's."""
    sweep_file = tmp_path / name
    sweep_file.write_text(text)
    out = tmp_path / (sweep_file.stem + ".h5")
    finished = subprocess.run([executable(), "sweep", str(sweep_file), "-o", str(out), "-q", "-j", "2"],
                              cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    return sweep_file, out


def _without_run_attributes(dataset, also=()):
    dataset = dataset.copy()
    for key in (*SWEEP_RUN_ATTRIBUTES, *also):
        dataset.attrs.pop(key)
    return dataset


@pytest.mark.parametrize("design", SWEEP_DESIGNS)
def test_sweep_in_memory_is_identical_to_the_executables_file(tmp_path, design):
    sweep_file, out = _cli_sweep(tmp_path, SWEEP_HEADER + SWEEP_DESIGNS[design])
    from_file = sellershock.load_sweep(out)

    in_memory = sellershock.sweep(sweep_file, threads=1)

    assert set(tmp_path.iterdir()) == {sweep_file, out}  # no file written by the in-memory sweep
    assert in_memory.attrs["command_line"] == f"sellershock.sweep({str(sweep_file)!r}, threads=1)"
    assert in_memory.attrs["threads"] == 1 and from_file.attrs["threads"] == 2
    # Every variable, coordinate and attribute bit for bit, the provenance's times and threads aside.
    xr.testing.assert_identical(_without_run_attributes(in_memory), _without_run_attributes(from_file))
    assert in_memory["loss_to_suspended_cents"].dtype == np.int64
    assert ("S1" in in_memory) == (design == "sobol") and ("mu_star" in in_memory) == (design == "morris")
    assert ("frozen_balance_cents_by_week" in in_memory) == (design == "grid-with-series")


def test_sweep_replications_and_seed_replace_the_sweep_files(tmp_path):
    """replications= and seed= give the sweep the file would give with those values written in it (an
    LHS: the seed also places the points)."""
    lhs = "design: lhs\nsamples: 3\noutputs: [loss_to_suspended_cents]\n"
    _, out = _cli_sweep(tmp_path, SWEEP_HEADER + lhs + "replications: 3\nseed: 9\n", "written.yaml")
    given = tmp_path / "given.yaml"
    given.write_text(SWEEP_HEADER + lhs + "replications: 1\nseed: 4\n")

    in_memory = sellershock.sweep(given, replications=3, seed=9, threads=2)

    assert in_memory.sizes["replication"] == 3 and in_memory.attrs["seed"] == 9
    assert "replications=3, seed=9" in in_memory.attrs["command_line"]
    # The same sweep but for the sweep file's own name and text, which the file records as they were.
    xr.testing.assert_identical(_without_run_attributes(in_memory, ("sweep", "sweep_file")),
                                _without_run_attributes(sellershock.load_sweep(out), ("sweep", "sweep_file")))
    assert sellershock.sweep(given, seed=9, replications=3, threads=2)["unit_values"].equals(in_memory["unit_values"])
    assert not sellershock.sweep(given, threads=2)["unit_values"].equals(in_memory["unit_values"])


def test_sweep_with_output_writes_the_executables_file_too(tmp_path):
    sweep_file, out = _cli_sweep(tmp_path, SWEEP_HEADER + SWEEP_DESIGNS["sobol"])
    written = tmp_path / "api.h5"
    in_memory = sellershock.sweep(sweep_file, threads=1, output=written)
    assert written.is_file()
    xr.testing.assert_identical(_without_run_attributes(sellershock.load_sweep(written)),
                                _without_run_attributes(sellershock.load_sweep(out)))
    xr.testing.assert_identical(in_memory, sellershock.load_sweep(written))
    with pytest.raises(sellershock.InputError, match="exists"):
        sellershock.sweep(sweep_file, threads=1, output=written)


def test_keyboard_interrupt_cancels_the_sweep_and_the_interpreter_stays_usable(tmp_path):
    sweep_file = tmp_path / "long.yaml"
    sweep_file.write_text(f"""scenario: {TINY}
fixed: {{sellers.count: {LONG_OVERRIDES['sellers.count']}, weeks: {LONG_OVERRIDES['weeks']}}}
factors:
  - {{key: enforcement.hold_days, values: [30, 90]}}
design: grid
replications: 4
""")  # 8 runs on one thread: still running when Ctrl-C comes at 0.5 s (2 runs no longer were)
    outputs = tmp_path / "out"
    outputs.mkdir()
    started = time.monotonic()
    with ctrl_c_after(0.5), pytest.raises(KeyboardInterrupt):
        sellershock.sweep(sweep_file, threads=1, output=outputs / "interrupted.h5")
    interrupted_after_s = time.monotonic() - started
    assert list(outputs.iterdir()) == [], "an interrupted sweep leaves no file (and no journal)"

    # The interpreter, and the engine, still work; the sweep stopped soon after the signal.
    started = time.monotonic()
    complete = sellershock.sweep(sweep_file, threads=1)
    complete_s = time.monotonic() - started
    assert complete.sizes["point"] == 2 and complete.sizes["replication"] == 4
    assert interrupted_after_s < 0.5 + 0.5 * complete_s, (interrupted_after_s, complete_s)


def test_a_bad_sweep_file_raises_input_error_with_the_command_lines_located_message(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SWEEP_HEADER + "design: lhs\nsampels: 4\n")
    finished = subprocess.run([executable(), "sweep", str(bad), "-o", str(tmp_path / "bad.h5")], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
    assert finished.returncode == 2
    cli_message = finished.stderr.strip().removeprefix("error: ")

    with pytest.raises(sellershock.InputError) as raised:
        sellershock.sweep(bad)
    assert str(raised.value) == cli_message
    assert f"{bad}:13:1: sampels:" in str(raised.value) and "did you mean 'samples'" in str(raised.value)
    assert isinstance(raised.value, ValueError)
    assert list(tmp_path.iterdir()) == [bad]


def test_bad_sweep_arguments_raise_input_error_naming_them(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(SWEEP_HEADER + SWEEP_DESIGNS["morris"])
    with pytest.raises(sellershock.InputError, match="replications: expected a whole number from 1"):
        sellershock.sweep(good, replications=0)
    with pytest.raises(sellershock.InputError, match="seed: expected a whole number from 0"):
        sellershock.sweep(good, seed=-1)
    with pytest.raises(sellershock.InputError, match="threads"):
        sellershock.sweep(good, threads=-3)
    with pytest.raises(sellershock.InputError, match="no-such-sweep.yaml"):
        sellershock.sweep(tmp_path / "no-such-sweep.yaml")
