"""The output catalogue as a user sees it in the file: the ledger conserves money to the cent, every
dataset says what it measures, and money that would not fit in int64 cents is refused before anything
is written (issue 8, failure 1)."""
import pathlib

import h5py
import numpy as np
import pytest

from test_cli import sellershock  # the executable as the end-to-end tests run it

ROOT = pathlib.Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "fixtures" / "scenarios" / "tiny.yaml"


def test_ledger_in_the_file_sums_to_zero_every_week_of_every_run(output_path):
    with h5py.File(output_path, "r") as f:
        ledger = f["timeseries/ledger_balance_cents"]
        accounts = [a.decode() if isinstance(a, bytes) else a for a in f["timeseries/ledger_account"][()]]
        values = ledger[()]
    assert accounts[:4] == ["seller_cash", "seller_held_dominant", "seller_held_alternative", "seller_frozen"]
    assert "outside" in accounts and "platform_forfeited" in accounts
    # (replication, run, week, ledger_account): exact integer sums, no tolerance.
    assert values.dtype == np.int64
    assert np.all(values.sum(axis=-1) == 0)
    assert np.abs(values).sum() > 0


def test_every_dataset_says_what_it_measures(output_path):
    with h5py.File(output_path, "r") as f:
        for group, time_dim in (("timeseries", "week"), ("summary", "run")):
            for name, dataset in f[group].items():
                if "measure" not in dataset.attrs:
                    continue  # axes
                measure = dataset.attrs["measure"]
                assert measure in ("stock", "flow"), name
                assert dataset.attrs["cell_methods"] == f"{time_dim}: {'point' if measure == 'stock' else 'sum'}"
                assert dataset.attrs["long_name"] and dataset.attrs["description"], name
        assert f["timeseries/frozen_balance_cents"].attrs["measure"] == "stock"
        assert f["summary/newly_frozen_cents"].attrs["measure"] == "flow"
        assert "frozen_cents" not in f["timeseries"] and "frozen_cents" not in f["summary"]


@pytest.mark.parametrize(
    "overrides, key",
    [
        (["sellers.annual_sales_usd.sigma=7"], "sellers.annual_sales_usd.sigma"),
        (["sellers.annual_sales_usd.sigma=10"], "sellers.annual_sales_usd.sigma"),
        (["sellers.scale=1000000", "weeks=800"], "sellers.scale"),
    ],
)
def test_money_beyond_int64_is_refused_before_anything_is_written(tmp_path, overrides, key):
    out = tmp_path / "out.h5"
    args = ["run", "scenarios/default.yaml", "-r", 1, "-o", out, "--quiet"]
    for o in overrides:
        args += ["--set", o]
    result = sellershock(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert key in result.stderr and "scenarios/default.yaml" in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_summarize_reprints_the_runs_tables_and_exports_json_and_csv(tmp_path):
    import csv
    import io
    import json

    out = tmp_path / "tiny.h5"
    run = sellershock("run", TINY, "-o", out, "--quiet")
    assert run.returncode == 0, run.stderr
    printed = run.stdout.splitlines(keepends=True)
    assert printed[-1].startswith("written to ")
    text = sellershock("summarize", out)
    assert text.returncode == 0, text.stderr
    assert text.stdout == "".join(printed[:-1])  # byte for byte, without the timing line

    as_json = sellershock("summarize", out, "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    with h5py.File(out, "r") as f:
        assert set(data["summary"]) == {n for n in f["summary"] if "measure" in f["summary"][n].attrs}
        loss = data["summary"]["attributable_loss_cents"]["elements"][0]
        assert loss["values"] == [int(v) for v in f["summary/attributable_loss_cents"][()]]
        assert loss["mean"] == pytest.approx(float(np.mean(f["summary/attributable_loss_cents"][()])))

    as_csv = sellershock("summarize", out, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    sales = [int(r["value"]) for r in rows if r["entry"] == "sales_cents"]
    with h5py.File(out, "r") as f:
        assert sales == [int(v) for v in f["summary/sales_cents"][()]]


def test_summarize_refuses_what_is_not_a_run_file(tmp_path):
    text = tmp_path / "x.h5"
    text.write_text("not hdf5")
    for path in (text, tmp_path / "missing.h5"):
        result = sellershock("summarize", path)
        assert result.returncode == 2
        assert str(path) in result.stderr


def test_a_counterfactual_that_removes_nothing_is_refused_unless_none_is_run(tmp_path):
    out = tmp_path / "out.h5"
    result = sellershock("run", TINY, "-o", out, "--quiet", "--set", "counterfactual.remove=[]")
    assert result.returncode == 2
    assert "counterfactual.remove" in result.stderr and "removes nothing" in result.stderr
    assert not out.exists()
    # Without a counterfactual there is nothing to remove: a plain run of the scenario.
    result = sellershock("run", TINY, "-o", out, "--quiet", "--set", "counterfactual.remove=[]", "--no-counterfactual")
    assert result.returncode == 0, result.stderr


def test_a_removed_wave_after_the_run_is_refused(tmp_path):
    out = tmp_path / "out.h5"
    result = sellershock("run", TINY, "-o", out, "--quiet", "--set", "weeks=3")
    assert result.returncode == 2
    assert "in force on no day of the run" in result.stderr
    assert not out.exists()
