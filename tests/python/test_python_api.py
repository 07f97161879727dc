"""sellershock.run: the C++ engine from Python (sim/python, analysis/sellershock/api.py). It gives the
same Results as loading the file the executable writes, stops cleanly on Ctrl-C, releases the GIL and
reports bad input as the command line does."""

import os
import signal
import subprocess
import threading
import time

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


@pytest.mark.parametrize("to_file", [False, True], ids=["in-memory", "output"])
def test_keyboard_interrupt_cancels_the_run_and_the_interpreter_stays_usable(tmp_path, to_file):
    output = tmp_path / "interrupted.h5" if to_file else None
    main_thread = threading.get_ident()
    started = time.monotonic()
    # What Ctrl-C does: SIGINT to the process, handled by Python's handler on the main thread.
    timer = threading.Timer(0.5, lambda: signal.pthread_kill(main_thread, signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            sellershock.run(TINY_RELATIVE, overrides=LONG_OVERRIDES, replications=4, threads=1, output=output)
    finally:
        timer.cancel()
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
