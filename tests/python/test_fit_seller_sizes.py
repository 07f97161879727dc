"""tools/fit_seller_sizes.py: the closed-form top share of a lognormal, and the fit to FACTS.md's concentration."""

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "tools" / "fit_seller_sizes.py"


def _load_module():
    spec = importlib.util.spec_from_file_location("fit_seller_sizes", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fss = _load_module()


def _monte_carlo_top_share(top_fraction, sigma, median, n, seed):
    sales = np.random.default_rng(seed).lognormal(mean=math.log(median), sigma=sigma, size=n)
    sales.sort()
    k = int(round(top_fraction * n))
    return sales[-k:].sum() / sales.sum()


@pytest.mark.parametrize("sigma", [1.0, 1.85])
@pytest.mark.parametrize("top_fraction", [0.01, 0.033, 0.3])
def test_top_share_matches_monte_carlo(top_fraction, sigma):
    # The closed form does not depend on the median: draw with an arbitrary one.
    estimate = _monte_carlo_top_share(top_fraction, sigma, median=50_000, n=2_000_000, seed=20210504)
    assert fss.top_share(top_fraction, sigma) == pytest.approx(estimate, abs=0.01)


def test_top_share_limits():
    assert fss.top_share(1.0, 1.9) == pytest.approx(1.0)
    assert fss.top_share(0.5, 1e-9) == pytest.approx(0.5, abs=1e-6)  # equal sizes: the top half makes half
    assert fss.top_share(0.1, 2.0) > fss.top_share(0.1, 1.0)  # more spread, more concentration


def test_median_makes_sellers_total_the_gmv():
    sigma, sellers, total = 1.85, 1_000_000, 390e9
    median = fss.median_for_total(sellers, total, sigma)
    assert sellers * median * math.exp(sigma**2 / 2) == pytest.approx(total)


@pytest.mark.parametrize("sellers", fss.ACTIVE_SELLER_ESTIMATES)
def test_fit_reproduces_the_fifty_percent_point(sellers):
    result = fss.fit(sellers)
    middle = next(p for p in result["concentration"] if p["observed_share"] == 0.5)
    assert middle["fitted_share"] == pytest.approx(0.5, abs=0.05)
    assert 1.0 < result["sigma"] < 3.0


def test_fit_for_one_million_sellers_fits_all_three_points():
    result = fss.fit(1_000_000)
    for point in result["concentration"]:
        assert point["fitted_share"] == pytest.approx(point["observed_share"], abs=0.02)
    assert result["sigma"] == pytest.approx(1.85, abs=0.01)


def test_script_prints_table_and_json():
    table = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, check=True, timeout=60)
    assert "sigma" in table.stdout and "1,000,000" in table.stdout and "2,800,000" in table.stdout
    as_json = subprocess.run(
        [sys.executable, str(SCRIPT), "--json"], capture_output=True, text=True, check=True, timeout=60
    )
    fits = json.loads(as_json.stdout)["fits"]
    assert [f["active_sellers"] for f in fits] == list(fss.ACTIVE_SELLER_ESTIMATES)
    assert all(f["median_usd"] > 0 and f["sigma"] > 0 for f in fits)


def test_us_site_check_passes_through_both_points():
    check = fss.us_site_check()
    for point in check["points"]:
        share = fss.top_share(point["top_sellers"] / check["sellers"], check["sigma"])
        assert share == pytest.approx(point["observed_share"], abs=1e-6)
