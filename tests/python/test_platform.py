"""End-to-end tests of the platform's investments (platform.events): the buyer-first-2022 scenario
reproduces the signs of the Q1 2022 segment results, and a bad platform event is refused cleanly."""
import h5py
import numpy as np

import cli_helpers
from cli_helpers import ROOT

SCENARIO = ROOT / "scenarios" / "buyer-first-2022.yaml"
BAD_EVENT = ROOT / "tests" / "fixtures" / "scenarios" / "bad" / "platform_event.yaml"

# A fifth of the scenario's sellers, each standing for five times as many, and fewer buyer agents:
# the same market in well under a second per replication.
SMALL = ["--set", "sellers.count=20000", "--set", "sellers.scale=50", "--set", "buyers.count=10000"]


def sellershock(*args):
    return cli_helpers.sellershock(*args, timeout=300)


def q1_changes(path):
    """Q1 2022 over Q1 2021 sales, minus 1, by channel: the scenario run's sales_cents summed over the
    replications and the weeks of each quarter."""
    with h5py.File(path, "r") as f:
        ts = f["timeseries"]
        runs = list(ts["run"].asstr()[()])
        sales = ts["sales_cents"][()][:, runs.index("scenario")]  # (replication, week, channel)
        dates = np.array([np.datetime64(d) for d in ts["date"].asstr()[()]])
        channels = list(ts["channel"].asstr()[()])

    def quarter(year):
        weeks = (dates >= np.datetime64(f"{year}-01-01")) & (dates <= np.datetime64(f"{year}-03-31"))
        assert weeks.sum() == 13
        return sales[:, weeks].sum(axis=(0, 1))

    change = quarter(2022) / quarter(2021) - 1
    return {name: change[c] for c, name in enumerate(channels)}


def run_small(tmp_path, name, *extra):
    out = tmp_path / f"{name}.h5"
    result = sellershock("run", SCENARIO, "-o", out, "--quiet", "--no-counterfactual", "-r", 2, *SMALL, *extra)
    assert result.returncode == 0, result.stderr
    return q1_changes(out)


def test_buyer_first_2022_moves_sales_from_the_marketplace_to_the_stores(tmp_path):
    change = run_small(tmp_path, "buyer-first")
    # FACTS.md, Q1 2022: online stores -3%, physical stores +17% year on year.
    assert change["dominant"] < 0, change
    assert change["physical_store"] > 0, change
    assert -0.06 < change["dominant"] and change["physical_store"] < 0.30, change  # near the targets
    # The platform's events make the difference larger than the model's drift without them.
    without = run_small(tmp_path, "no-events", "--set", "platform.events=[]")
    assert change["physical_store"] > without["physical_store"] + 0.05, (change, without)
    assert change["dominant"] < without["dominant"], (change, without)


def test_resolved_scenario_keeps_the_platform_events(tmp_path):
    out = tmp_path / "resolved.h5"
    result = sellershock("run", SCENARIO, "-o", out, "--quiet", "--no-counterfactual", "-r", 1, *SMALL,
                         "--set", "weeks=2", "--set", "platform.events[2].count=31")
    assert result.returncode == 0, result.stderr
    with h5py.File(out, "r") as f:
        text = f["scenario"][()]
        text = text.decode() if isinstance(text, bytes) else text
        assert "converted-malls-2021" in text and "kind: stores" in text and "count: 31" in text
        assert f["timeseries/bad_purchases"].shape[-1] == 4
        assert "honest_businesses_suspended" in f["timeseries"]


def test_bad_platform_event_is_refused_with_exit_code_2(tmp_path):
    out = tmp_path / "never.h5"
    for command in (["run", BAD_EVENT, "-o", out, "--quiet"], ["validate", BAD_EVENT]):
        result = sellershock(*command)
        assert result.returncode == 2, (command, result.stderr)
        assert "platform_event.yaml:6:13: platform.events[0].kind" in result.stderr, result.stderr
        assert "did you mean 'fulfilment_centres'?" in result.stderr
        assert "internal error" not in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_describe_lists_the_platform_parameters():
    result = sellershock("describe", "platform.events[0].ramp_weeks")
    assert result.returncode == 0, result.stderr
    assert "platform.events[].ramp_weeks" in result.stdout and "expected: an integer in [0, 520]" in result.stdout
