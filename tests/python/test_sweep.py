"""`sellershock sweep` end to end on the tiny fixture scenario, and `sellershock.load_sweep` on its files
(docs/SWEEPS.md). Runs are tiny: 300 sellers, 12 weeks."""

import subprocess
from pathlib import Path

import numpy as np
import pytest

import sellershock
from conftest import REPO_ROOT, TINY_SCENARIO, _executable

HEADER = f"""scenario: {REPO_ROOT / TINY_SCENARIO}
fixed:
  sellers.count: 300
  weeks: 12
"""
# Two continuous factors (one spread logarithmically), for sobol, morris and grid sweeps of the tests.
TWO_FACTORS = """factors:
  - key: enforcement.hold_days
    low: 30
    high: 180
  - key: enforcement.waves[0].false_positive_rate
    low: 0.01
    high: 0.1
    log: true
"""


def run_sweep(tmp_path: Path, text: str, name: str = "sweep.yaml", extra=()):
    sweep = tmp_path / name
    sweep.write_text(text)
    out = tmp_path / (Path(name).stem + ".h5")
    finished = subprocess.run([str(_executable()), "sweep", str(sweep), "-o", str(out), *extra],
                              capture_output=True, text=True, timeout=600, cwd=tmp_path)
    return finished, out


@pytest.fixture(scope="module")
def grid_sweep(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("grid")
    finished, out = run_sweep(tmp_path, HEADER + """factors:
  - key: enforcement.hold_days
    values: [30, 90, 180]
  - key: enforcement.waves[0].recall
    low: 0.3
    high: 0.9
design: grid
samples: 2
replications: 2
seed: 17
outputs: [attributable_loss_cents, exits]
series: [frozen_balance_cents, sales_cents]
""")
    assert finished.returncode == 0, finished.stderr
    return finished, out


@pytest.fixture(scope="module")
def sobol_sweep(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("sobol")
    finished, out = run_sweep(tmp_path, HEADER + TWO_FACTORS + """design: sobol
samples: 4
replications: 1
bootstrap_samples: 50
""")
    assert finished.returncode == 0, finished.stderr
    return finished, out


def test_grid_sweep_loads_with_factor_values_as_coordinates_along_point(grid_sweep):
    finished, out = grid_sweep
    ds = sellershock.load_sweep(out)
    assert ds.sizes["point"] == 6 and ds.sizes["replication"] == 2 and ds.sizes["factor"] == 2
    assert list(ds["factor"].values) == ["enforcement.hold_days", "enforcement.waves[0].recall"]
    hold = ds["enforcement.hold_days"]
    assert hold.dims == ("point",)
    np.testing.assert_array_equal(hold.values, [30, 30, 90, 90, 180, 180])
    np.testing.assert_allclose(ds["enforcement.waves[0].recall"].values, [0.3, 0.9] * 3)
    loss = ds["attributable_loss_cents"]
    assert loss.dims == ("point", "replication") and loss.dtype == np.int64
    assert loss.attrs["units"] == "USD cents"
    stats = ds["attributable_loss_cents_statistics"]
    assert list(ds["statistic"].values) == ["mean", "q05", "q50", "q95", "standard_error"]
    np.testing.assert_allclose(stats.sel(statistic="mean"), loss.mean("replication"))
    np.testing.assert_allclose(stats.sel(statistic="standard_error"),
                               loss.std("replication", ddof=1) / np.sqrt(2))
    # The factor coordinate can index the points.
    assert ds.swap_dims(point="enforcement.hold_days").sel({"enforcement.hold_days": 90}).sizes[
        "enforcement.hold_days"] == 2
    assert ds.attrs["design"] == "grid" and ds.attrs["kind"] == "sweep"
    assert "enforcement.hold_days" in ds.attrs["sweep"] and ds.attrs["seed"] == 17
    assert 'name: "tiny"' in ds.attrs["scenario"]
    assert "S1" not in ds
    frozen = ds["frozen_balance_cents_by_week"]
    assert frozen.dims == ("point", "replication", "run", "week", "region")
    assert frozen.sizes["week"] == 12 and list(frozen["run"].values) == ["scenario", "counterfactual"]
    assert ds["sales_cents_by_week"].dims == ("point", "replication", "run", "week", "channel")
    assert ds["sales_cents"].dims == ("point", "replication")  # the summary entry of the same name
    assert frozen.attrs["units"] == "USD cents"
    assert "newly_frozen_cents_by_week" not in ds  # only the series asked for
    # Every replication r of every point shares its streams: same seed, so the table prints per point.
    assert "attributable_loss_cents" in finished.stdout and "written to" in finished.stdout


def test_sobol_sweep_has_indices_with_intervals_per_output_and_factor(sobol_sweep):
    finished, out = sobol_sweep
    ds = sellershock.load_sweep(out)
    assert ds.sizes["point"] == 4 * (2 + 2)
    assert list(ds["output"].values) == ["loss_to_suspended_cents"]  # the default: the headline
    for name in ["S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"]:
        assert ds[name].dims == ("output", "factor")
    finite = np.isfinite(ds["ST"].values)
    assert (ds["ST_low"].values[finite] <= ds["ST"].values[finite] + 1e-12).all()
    assert "first-order S1" in finished.stdout
    assert ds.attrs["sensitivity_bootstrap_samples"] == 50


def test_no_temporary_file_is_left_behind(grid_sweep):
    _, out = grid_sweep
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


def test_unknown_series_are_refused_with_the_nearest_name(tmp_path):
    finished, out = run_sweep(tmp_path, HEADER + """factors:
  - key: enforcement.hold_days
    low: 30
    high: 180
design: lhs
samples: 3
series: [frozen_balance_cent]
""")
    assert finished.returncode == 2
    assert "sweep.yaml:11:10" in finished.stderr and "did you mean 'frozen_balance_cents'" in finished.stderr


def test_a_bad_sweep_file_exits_2_naming_line_and_column_and_writes_nothing(tmp_path):
    finished, out = run_sweep(tmp_path, HEADER + """factors:
  - key: enforcement.hold_days
    low: 30
    high: 180
design: lhs
sampels: 3
""")
    assert finished.returncode == 2
    assert "sweep.yaml:10:1" in finished.stderr and "did you mean 'samples'" in finished.stderr
    assert not out.exists()


def test_a_sweep_that_cannot_fit_in_memory_is_refused_with_exit_2_and_nothing_written(tmp_path):
    # 100,000 replications of 5,200 weeks with three weekly series kept: each point's rows alone are tens
    # of GiB, held until the point is complete.
    finished, out = run_sweep(tmp_path, f"""scenario: {REPO_ROOT / TINY_SCENARIO}
fixed: {{sellers.count: 300, weeks: 5200}}
factors:
  - key: enforcement.hold_days
    values: [30, 90]
design: grid
replications: 100000
series: [frozen_balance_cents, released_cents, forfeited_cents]
""", extra=["-j", "1"])
    assert finished.returncode == 2, finished.stderr
    message = finished.stderr
    assert "sweep.yaml" in message and "2 points x 100000 replications" in message
    assert "frozen_balance_cents" in message and "bytes" in message and "available" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.yaml"]  # no file, journal or temporary


def test_the_memory_estimate_is_printed_in_the_preamble(grid_sweep):
    finished, _ = grid_sweep
    assert "memory estimate" in finished.stderr


def test_a_factor_outside_the_parameters_range_is_refused_at_the_factors_line(tmp_path):
    finished, out = run_sweep(tmp_path, HEADER + """factors:
  - key: enforcement.waves[0].recall
    low: 0.5
    high: 1.5
design: lhs
samples: 3
""")
    assert finished.returncode == 2
    assert "sweep.yaml:6:" in finished.stderr and "recall" in finished.stderr
    assert not out.exists()


def test_load_sweep_refuses_a_run_file(tmp_path, output_path):
    with pytest.raises(ValueError, match="not a sweep file"):
        sellershock.load_sweep(output_path)


RESUMABLE = HEADER.replace("weeks: 12", "weeks: 20") + """factors:
  - key: enforcement.hold_days
    low: 30
    high: 180
  - key: enforcement.waves[0].recall
    low: 0.3
    high: 0.9
design: lhs
samples: 6
replications: 2
seed: 3
series: [forfeited_cents]
"""


def _same_datasets(a, b):
    assert set(a.data_vars) == set(b.data_vars)
    for name in a.data_vars:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)
    for name in a.coords:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)


def test_kill_9_then_resume_gives_the_same_datasets_as_an_uninterrupted_sweep(tmp_path):
    import os
    import signal
    import time

    whole_dir, killed_dir = tmp_path / "whole", tmp_path / "killed"
    whole_dir.mkdir()
    killed_dir.mkdir()
    finished, whole = run_sweep(whole_dir, RESUMABLE, extra=["-j", "1", "--quiet"])
    assert finished.returncode == 0, finished.stderr

    sweep = killed_dir / "sweep.yaml"
    sweep.write_text(RESUMABLE)
    out = killed_dir / "sweep.h5"
    journal = killed_dir / "sweep.h5.journal"
    process = subprocess.Popen([str(_executable()), "sweep", str(sweep), "-o", str(out), "-j", "1", "--quiet"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        if journal.exists() and journal.read_text().count("\n") >= 1 + 3:  # header and three runs
            break
        time.sleep(0.005)
    assert process.poll() is None, "the sweep finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not out.exists() and journal.exists()
    # The file was being written as points finished, under its temporary name.
    assert [p.name for p in killed_dir.iterdir() if p.name.startswith(".sweep.h5.tmp-")] != []
    done = journal.read_text().count("\n") - 1
    assert 3 <= done < 12

    refused = subprocess.run([str(_executable()), "sweep", str(sweep), "-o", str(out), "--quiet"],
                             capture_output=True, text=True, timeout=600)
    assert refused.returncode == 2 and "--resume" in refused.stderr

    resumed = subprocess.run([str(_executable()), "sweep", str(sweep), "-o", str(out), "--resume"],
                             capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{done} of 12 runs taken from" in resumed.stderr
    assert out.exists() and not journal.exists()
    assert [p.name for p in killed_dir.iterdir() if p.name.startswith(".")] == []  # the killed one's removed
    _same_datasets(sellershock.load_sweep(whole), sellershock.load_sweep(out))


def test_slices_merged_give_the_same_datasets_as_the_whole_sweep(tmp_path):
    exe = str(_executable())
    finished, whole = run_sweep(tmp_path, RESUMABLE, extra=["--quiet"])
    assert finished.returncode == 0, finished.stderr
    sweep = tmp_path / "sweep.yaml"
    for index, points in enumerate(["0:2", "2:5", "5:"]):
        sliced = subprocess.run([exe, "sweep", str(sweep), "--points", points, "-o", str(tmp_path / f"part{index}"),
                                 "--quiet"], capture_output=True, text=True, timeout=600)
        assert sliced.returncode == 0, sliced.stderr
    incomplete = subprocess.run([exe, "merge", str(sweep), str(tmp_path / "part0"), str(tmp_path / "part2"),
                                 "-o", str(tmp_path / "incomplete.h5")], capture_output=True, text=True, timeout=600)
    assert incomplete.returncode == 2 and "in none of them" in incomplete.stderr
    assert not (tmp_path / "incomplete.h5").exists()
    merged = subprocess.run([exe, "merge", str(sweep), *(str(tmp_path / f"part{k}") for k in range(3)),
                             "-o", str(tmp_path / "merged.h5")], capture_output=True, text=True, timeout=600)
    assert merged.returncode == 0, merged.stderr
    _same_datasets(sellershock.load_sweep(whole), sellershock.load_sweep(tmp_path / "merged.h5"))


def test_mpirun_with_two_ranks_writes_the_same_datasets_as_one_process(tmp_path):
    import shutil

    mpirun = shutil.which("mpirun")
    if mpirun is None:
        pytest.skip("mpirun not installed (openmpi-bin)")
    finished, whole = run_sweep(tmp_path, RESUMABLE, extra=["--quiet"])
    assert finished.returncode == 0, finished.stderr
    out = tmp_path / "mpi.h5"
    ran = subprocess.run([mpirun, "-np", "2", "--oversubscribe", "--allow-run-as-root", str(_executable()), "sweep",
                          str(tmp_path / "sweep.yaml"), "-o", str(out), "--quiet"],
                         capture_output=True, text=True, timeout=600)
    assert ran.returncode == 0, ran.stderr
    a, b = sellershock.load_sweep(whole), sellershock.load_sweep(out)
    if b.attrs["ranks"] == 1:
        pytest.skip("this sellershock was built without MPI: mpirun started independent processes")
    assert b.attrs["ranks"] == 2
    _same_datasets(a, b)


def _summarize(*args):
    return subprocess.run([str(_executable()), "summarize", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("fixture", ["grid_sweep", "sobol_sweep"])
def test_summarize_reprints_the_table_the_sweep_printed_byte_for_byte(fixture, request):
    finished, out = request.getfixturevalue(fixture)
    printed = finished.stdout.splitlines(keepends=True)
    assert printed[-1] == f"written to {out}\n"
    summarized = _summarize(out)
    assert summarized.returncode == 0, summarized.stderr
    assert summarized.stdout == "".join(printed[:-1])  # all but the "written to" line, as for a run
    assert summarized.stderr == ""


def test_summarize_gives_a_sweep_as_json_and_csv_with_unformatted_numbers(grid_sweep, sobol_sweep):
    import csv
    import io
    import json

    _, out = grid_sweep
    ds = sellershock.load_sweep(out)
    as_json = _summarize(out, "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["kind"] == "sweep" and data["design"] == "grid" and data["seed"] == 17
    assert data["points"] == ds.sizes["point"] and data["replications"] == ds.sizes["replication"]
    assert [f["key"] for f in data["factors"]] == list(ds["factor"].values)
    np.testing.assert_array_equal(data["factors"][0]["values"], ds["enforcement.hold_days"].values)
    scalars = {name for name, v in ds.data_vars.items() if v.dims == ("point", "replication")}
    assert set(data["summary"]) == scalars
    loss = data["summary"]["attributable_loss_cents"]
    assert loss["analysed"] and not data["summary"]["sales_cents"]["analysed"]
    np.testing.assert_array_equal([p["values"] for p in loss["points"]], ds["attributable_loss_cents"].values)
    np.testing.assert_array_equal([p["standard_error"] for p in loss["points"]],
                                  ds["attributable_loss_cents_statistics"].sel(statistic="standard_error").values)

    as_csv = _summarize(out, "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == len(scalars) * ds.sizes["point"] * ds.sizes["replication"]
    sales = [r for r in rows if r["entry"] == "sales_cents"]
    np.testing.assert_array_equal([int(r["value"]) for r in sales], ds["sales_cents"].values.ravel())
    np.testing.assert_array_equal([float(r["enforcement.waves[0].recall"]) for r in sales],
                                  np.repeat(ds["enforcement.waves[0].recall"].values, ds.sizes["replication"]))

    _, sobol = sobol_sweep
    indices = json.loads(_summarize(sobol, "--format", "json").stdout)["sensitivity"]["loss_to_suspended_cents"]
    sobol_ds = sellershock.load_sweep(sobol)
    for name in ("S1", "S1_low", "ST", "ST_high"):
        expected = sobol_ds[name].sel(output="loss_to_suspended_cents").values
        got = np.array([np.nan if row[name] is None else row[name] for row in indices], dtype=float)
        np.testing.assert_array_equal(got, expected, err_msg=name)


def test_summarize_refuses_a_damaged_sweep_file_naming_it(grid_sweep, tmp_path):
    import h5py

    _, out = grid_sweep
    damaged = tmp_path / "damaged.h5"
    damaged.write_bytes(out.read_bytes())
    with h5py.File(damaged, "a") as f:
        del f["summary/exits_statistics"]
    result = _summarize(damaged)
    assert result.returncode == 2
    assert str(damaged) in result.stderr and "exits_statistics" in result.stderr
