"""End-to-end tests of `sellershock dose-response`: the table it prints and the HDF5 file it writes."""
import h5py
import numpy as np

from test_cli import ROOT, sellershock

SMALL = ["--set", "sellers.count=3000", "--set", "buyers.count=3000", "--set", "weeks=40", "-r", 6, "--quiet"]


def test_dose_response_prints_the_table_and_stores_it(tmp_path):
    out = tmp_path / "dose.h5"
    result = sellershock("dose-response", "scenarios/default.yaml", "-o", out, "--levels", "0,0.1,0.2,0.3,0.5", *SMALL)
    assert result.returncode == 0, result.stderr
    assert "off_platform_share" in result.stdout and "loss/suspended business" in result.stdout
    assert "Caveats" in result.stdout
    rows = [line.split() for line in result.stdout.splitlines() if line.strip().startswith(("0 ", "0.1", "0.2", "0.3", "0.5"))]
    assert [row[0] for row in rows] == ["0", "0.1", "0.2", "0.3", "0.5"]
    with h5py.File(out, "r") as f:
        loss = f["summary/loss_per_seller_cents"][()]
        per_suspended = f["summary/loss_per_suspended_business_cents"][()]
        assert loss.shape == (6, 5) and per_suspended.shape == (6, 5)
        labels = [x.decode() if isinstance(x, bytes) else x for x in f["summary/off_platform_share"][()]]
        assert labels == ["0", "0.1", "0.2", "0.3", "0.5"]
        assert "dose-response" in f.attrs["command_line"]
    mean = loss.mean(axis=0)
    headline = per_suspended.mean(axis=0)
    # The printed means are these, in dollars: the headline per suspended business, then (after the
    # interval) the net loss per business.
    printed = [float(row[1].replace(",", "")) for row in rows]
    assert np.allclose(printed, np.round(headline / 100), atol=1)
    printed_net = [float(row[5].replace(",", "")) for row in rows]
    assert np.allclose(printed_net, np.round(mean / 100), atol=1)
    # Diversification protects: both fall from no off-platform sales to half of them.
    assert mean[-1] < mean[0] and headline[-1] < headline[0]


def test_dose_response_refuses_bad_levels_and_writes_nothing(tmp_path):
    out = tmp_path / "dose.h5"
    for levels in ("0.2", "0.1,1.5", "0.1,0.1", "a,b"):
        result = sellershock("dose-response", "scenarios/default.yaml", "-o", out, "--levels", levels, "--quiet")
        assert result.returncode == 2, (levels, result.stdout, result.stderr)
        assert "levels" in result.stderr
        assert not out.exists()


def test_dose_response_needs_a_counterfactual(tmp_path):
    out = tmp_path / "dose.h5"
    result = sellershock("dose-response", "scenarios/default.yaml", "-o", out, "--set", "counterfactual.remove=[]", "--quiet")
    assert result.returncode == 2
    assert "counterfactual.remove" in result.stderr
    assert not out.exists()
