#!/usr/bin/python3
"""Fit the lognormal of sellers' annual sales (sellers.annual_sales_usd.median/sigma) to FACTS.md.

The model draws each seller business's annual sales X from a lognormal with median m and log-spread
sigma. For a lognormal the share of total volume made by the top fraction p of sellers has a closed
form that does not depend on the median:

    top_share(p, sigma) = Phi(sigma + Phi^-1(p))        (Phi: standard normal CDF)

(the top p of sellers are those above x_p with P(X > x_p) = p, and E[X; X > x] / E[X] =
Phi(sigma - z) for z = (ln x - ln m) / sigma). So sigma is fitted to the concentration figures alone,
for a given number N of active sellers, and the median then follows from the total volume:
N * E[X] = GMV, E[X] = m * exp(sigma^2 / 2).

Observed figures (FACTS.md, "Marketplace structure", all V unless marked):
  worldwide: 700 sellers make 10% of volume, 33,000 make 50%, 300,000 make 90%;
  about 1 million active sellers (2021), another estimate 2.8 million;
  third-party GMV $390B (2021);
  US sellers: about 13% above $100k, 5% above $500k (W) -- a comparison, not a fitting input;
  US site: top 1,000 sellers make 25% of GMV, top 10,000 make 57% -- a cross-check, not a fitting input.

Least squares is done on the probit of the share, Phi^-1(share): on that scale a lognormal's
concentration curve is a straight line of slope 1 in Phi^-1(p) and intercept sigma, so each point
weighs the same whether it sits in the head (10%) or the body (90%) of the curve. `--metric log`
fits log(share) instead (it leans on the 10% point), for comparison.

Usage:  /usr/bin/python3 tools/fit_seller_sizes.py [--json] [--metric probit|log]
"""

from __future__ import annotations

import argparse
import json
import math
import sys

import numpy as np
from scipy import optimize, stats

# FACTS.md, "Marketplace structure" (V).
CONCENTRATION_POINTS = (  # (top k sellers worldwide, share of volume they make)
    (700, 0.10),
    (33_000, 0.50),
    (300_000, 0.90),
)
ACTIVE_SELLER_ESTIMATES = (1_000_000, 2_800_000)  # about 1 million active (2021); another estimate 2.8 million
THIRD_PARTY_GMV_USD = 390e9  # 2021
# Thresholds for the implied share of sellers above them; FACTS.md's US figures (W) where there are any.
SIZE_THRESHOLDS_USD = (100_000, 500_000, 1_000_000, 10_000_000)
US_SHARE_ABOVE = {100_000: 0.13, 500_000: 0.05}  # US sellers 2021, W
# A cross-check, not a fitting input: on the US site the top 1,000 sellers make 25% of GMV, the top 10,000 make 57%
# (V); the number of sellers on the US site is not in FACTS.md.
US_SITE_POINTS = ((1_000, 0.25), (10_000, 0.57))


def top_share(top_fraction, sigma):
    """Share of total volume made by the top `top_fraction` of a lognormal(., sigma) population."""
    top_fraction = np.asarray(top_fraction, dtype=float)
    return stats.norm.cdf(sigma + stats.norm.ppf(top_fraction))


def share_above(threshold_usd, median_usd, sigma):
    """Share of sellers whose annual sales exceed threshold_usd."""
    return stats.norm.sf((math.log(threshold_usd) - math.log(median_usd)) / sigma)


def median_for_total(sellers, total_usd, sigma):
    """Median annual sales such that `sellers` draws sum, in expectation, to total_usd."""
    mean_usd = total_usd / sellers
    return mean_usd * math.exp(-0.5 * sigma**2)


def fit_sigma(sellers, points=CONCENTRATION_POINTS, metric="probit"):
    """Least-squares sigma for the concentration points given `sellers` active sellers."""
    fractions = np.array([k / sellers for k, _ in points])
    shares = np.array([s for _, s in points])
    if metric == "probit":
        # Residual sigma + Phi^-1(p) - Phi^-1(share) is linear in sigma: the least-squares solution is the mean.
        return float(np.mean(stats.norm.ppf(shares) - stats.norm.ppf(fractions)))
    if metric == "log":
        result = optimize.least_squares(
            lambda s: np.log(top_share(fractions, s[0])) - np.log(shares), x0=[2.0], bounds=([0.01], [10.0])
        )
        return float(result.x[0])
    raise ValueError(f"unknown metric {metric!r}: expected 'probit' or 'log'")


def fit(sellers, total_usd=THIRD_PARTY_GMV_USD, metric="probit"):
    """The fitted lognormal for `sellers` active sellers, with its fitted shares and implied size shares."""
    sigma = fit_sigma(sellers, metric=metric)
    median = median_for_total(sellers, total_usd, sigma)
    points = []
    for k, observed in CONCENTRATION_POINTS:
        points.append(
            {
                "top_sellers": k,
                "top_fraction": k / sellers,
                "observed_share": observed,
                "fitted_share": float(top_share(k / sellers, sigma)),
                # sigma that would hit this point exactly: shows how well one lognormal fits all three
                "sigma_exact": float(stats.norm.ppf(observed) - stats.norm.ppf(k / sellers)),
            }
        )
    above = []
    for threshold in SIZE_THRESHOLDS_USD:
        above.append(
            {
                "threshold_usd": threshold,
                "share_of_sellers": float(share_above(threshold, median, sigma)),
                "sellers": float(share_above(threshold, median, sigma) * sellers),
                "us_observed_share": US_SHARE_ABOVE.get(threshold),
            }
        )
    return {
        "active_sellers": sellers,
        "total_usd": total_usd,
        "metric": metric,
        "sigma": sigma,
        "median_usd": median,
        "mean_usd": total_usd / sellers,
        "concentration": points,
        "share_above": above,
    }


def us_site_check(points=US_SITE_POINTS):
    """The seller count and sigma at which one lognormal passes exactly through both US-site points."""

    def exact_sigma(k, share, sellers):
        return stats.norm.ppf(share) - stats.norm.ppf(k / sellers)

    (k1, s1), (k2, s2) = points
    log_sellers = optimize.brentq(
        lambda ln_n: exact_sigma(k1, s1, math.exp(ln_n)) - exact_sigma(k2, s2, math.exp(ln_n)),
        math.log(2 * k2),
        math.log(1e9),
    )
    sellers = math.exp(log_sellers)
    return {
        "points": [{"top_sellers": k, "observed_share": s} for k, s in points],
        "sellers": sellers,
        "sigma": float(exact_sigma(k1, s1, sellers)),
        "sigma_if_500k_sellers": [float(exact_sigma(k, s, 500_000)) for k, s in points],
    }


def format_table(fits, check=None) -> str:
    lines = []
    for f in fits:
        lines.append(
            f"N = {f['active_sellers']:,} active sellers, GMV ${f['total_usd'] / 1e9:,.0f}B "
            f"(fit on {f['metric']} share):  sigma = {f['sigma']:.3f}   median = ${f['median_usd']:,.0f}   "
            f"mean = ${f['mean_usd']:,.0f}"
        )
        lines.append(f"  {'top sellers':>12} {'top fraction':>13} {'observed':>9} {'fitted':>8} {'exact sigma':>12}")
        for p in f["concentration"]:
            lines.append(
                f"  {p['top_sellers']:>12,} {p['top_fraction']:>13.5f} {p['observed_share']:>9.1%} "
                f"{p['fitted_share']:>8.1%} {p['sigma_exact']:>12.3f}"
            )
        lines.append(f"  {'sales above':>12} {'share of sellers':>17} {'sellers':>10} {'US 2021 (W)':>12}")
        for a in f["share_above"]:
            us = "" if a["us_observed_share"] is None else f"{a['us_observed_share']:.0%}"
            lines.append(
                f"  {'$' + format(a['threshold_usd'], ','):>12} {a['share_of_sellers']:>17.1%} "
                f"{a['sellers']:>10,.0f} {us:>12}"
            )
        lines.append("")
    if check is not None:
        lines.append(
            f"Cross-check, US site (top 1,000 make 25%, top 10,000 make 57%): one lognormal fits both points with "
            f"sigma = {check['sigma']:.3f} if the site has {check['sellers']:,.0f} sellers; with 500,000 sellers "
            f"the two points give sigma = {check['sigma_if_500k_sellers'][0]:.3f} and "
            f"{check['sigma_if_500k_sellers'][1]:.3f}"
        )
        lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument(
        "--metric", choices=("probit", "log"), default="probit", help="scale of the least-squares fit of shares"
    )
    args = parser.parse_args(argv)
    fits = [fit(n, metric=args.metric) for n in ACTIVE_SELLER_ESTIMATES]
    check = us_site_check()
    if args.json:
        json.dump({"fits": fits, "us_site_check": check}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_table(fits, check))
    return 0


if __name__ == "__main__":
    sys.exit(main())
