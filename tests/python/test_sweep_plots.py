"""sellershock.plot's sweep figures (response_curves, scatter_matrix, sensitivity_indices) on real sweep
files that `sellershock sweep` writes of the tiny fixture scenario (300 sellers, 12 weeks, 2
replications): what is drawn equals what the file holds, and labels come from the file's attributes."""

import numpy as np
import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure

import sellershock
import sellershock.plot as sp
from sellershock.metadata import money_scale
from test_sweep import HEADER, TWO_FACTORS as FACTORS, run_sweep

LOSS = "attributable_loss_cents"


def _sweep(tmp_path_factory, name, design_lines):
    tmp_path = tmp_path_factory.mktemp(name)
    finished, out = run_sweep(tmp_path, HEADER + FACTORS + design_lines + f"outputs: [{LOSS}, exits]\n",
                              name=f"{name}.yaml")
    assert finished.returncode == 0, finished.stderr
    return sellershock.load_sweep(out)


@pytest.fixture(scope="module")
def sobol(tmp_path_factory):
    return _sweep(tmp_path_factory, "sobol", "design: sobol\nsamples: 4\nreplications: 2\nbootstrap_samples: 50\n")


@pytest.fixture(scope="module")
def morris(tmp_path_factory):
    return _sweep(tmp_path_factory, "morris", "design: morris\nsamples: 3\nreplications: 2\n")


@pytest.fixture(scope="module")
def lhs(tmp_path_factory):
    return _sweep(tmp_path_factory, "lhs", "design: lhs\nsamples: 5\nreplications: 2\n")


def _dollar_divisor(values_cents):
    return 100.0 * money_scale(float(np.max(np.abs(values_cents))) / 100.0)[0]


def _point_line(ax):
    return next(line for line in ax.get_lines() if line.get_marker() == "o")


def test_response_curves_plot_the_per_point_mean_and_its_5_95_band_against_each_factor(sobol):
    figure = sp.response_curves(sobol, LOSS)
    assert isinstance(figure, Figure)
    axes = [ax for ax in figure.axes if ax.get_visible()]
    factors = [str(f) for f in sobol["factor"].values]
    assert len(axes) == len(factors)
    loss = sobol[LOSS].astype(float)
    mean = loss.mean("replication").values
    q05, q95 = loss.quantile([0.05, 0.95], dim="replication").values
    divisor = _dollar_divisor(np.concatenate([mean, q05, q95]))
    for ax, factor in zip(axes, factors):
        x = sobol[factor].values
        order = np.argsort(x, kind="stable")
        line = _point_line(ax)
        np.testing.assert_allclose(line.get_xdata(), x[order])
        np.testing.assert_allclose(line.get_ydata(), mean[order] / divisor)
        whiskers = next(c for c in ax.collections if isinstance(c, LineCollection))
        ends = np.array([[segment[:, 1].min(), segment[:, 1].max()] for segment in whiskers.get_segments()])
        np.testing.assert_allclose(ends[:, 0], q05[order] / divisor)
        np.testing.assert_allclose(ends[:, 1], q95[order] / divisor)
        assert ax.get_xlabel().startswith(factor)
        assert ax.get_ylabel().startswith("USD")  # the file's unit, USD cents, shown in dollars
    assert ax.get_xscale() == "log"  # false_positive_rate is a log factor
    assert sobol[LOSS].attrs["long_name"] in figure._suptitle.get_text()


def test_response_curves_of_a_count_are_unscaled_and_in_its_unit(lhs):
    figure = sp.response_curves(lhs, "exits")
    ax = figure.axes[0]
    order = np.argsort(lhs["enforcement.hold_days"].values, kind="stable")
    np.testing.assert_allclose(_point_line(ax).get_ydata(), lhs["exits"].mean("replication").values[order])
    assert ax.get_ylabel() == lhs["exits"].attrs["units"]
    with pytest.raises(KeyError, match="not a summary entry"):
        sp.response_curves(lhs, "no_such_output")


def test_scatter_matrix_pairs_factors_and_outputs_point_by_point(sobol):
    figure = sp.scatter_matrix(sobol)  # outputs: the ones the sweep names
    factors = [str(f) for f in sobol["factor"].values]
    outputs = [str(o) for o in sobol["output"].values]
    n = len(factors) + len(outputs)
    visible = [ax for ax in figure.axes if ax.get_visible()]
    assert len(visible) == n * (n + 1) // 2  # the diagonal and below
    grid = np.array(figure.axes).reshape(n, n)
    # Bottom-left panel: the last output's per-point mean against the first factor.
    last = outputs[-1]
    mean = sobol[last].astype(float).mean("replication").values
    divisor = _dollar_divisor(mean) if sobol[last].attrs["units"] == "USD cents" else 1.0
    dots = next(c for c in grid[n - 1, 0].collections if isinstance(c, PathCollection))
    np.testing.assert_allclose(dots.get_offsets()[:, 0], sobol[factors[0]].values)
    np.testing.assert_allclose(dots.get_offsets()[:, 1], mean / divisor)
    # Histograms on the diagonal count every point.
    for i in range(n):
        assert sum(patch.get_height() for patch in grid[i, i].patches) == sobol.sizes["point"]
    assert sobol[last].attrs["long_name"] in grid[n - 1, 0].get_ylabel().replace("\n", " ")
    # A chosen output.
    figure = sp.scatter_matrix(sobol, outputs=["exits"])
    assert len([ax for ax in figure.axes if ax.get_visible()]) == 6


def test_sensitivity_indices_bars_are_the_stored_sobol_indices_with_their_intervals(sobol):
    for output in [str(o) for o in sobol["output"].values]:
        figure = sp.sensitivity_indices(sobol, output)
        ax = figure.axes[0]
        bars = [patch.get_width() for patch in ax.patches]
        s1 = sobol["S1"].sel(output=output).values
        st = sobol["ST"].sel(output=output).values
        np.testing.assert_allclose(bars, np.concatenate([s1, st]))
        whiskers = [c for c in ax.collections if isinstance(c, LineCollection)]
        for name, collection in zip(("S1", "ST"), whiskers[:2]):
            value = sobol[name].sel(output=output).values
            low = sobol[f"{name}_low"].sel(output=output).values
            high = sobol[f"{name}_high"].sel(output=output).values
            inside = (low <= value) & (value <= high)
            ends = np.array([[s[:, 0].min(), s[:, 0].max()] for s in collection.get_segments()])
            np.testing.assert_allclose(ends[inside, 0], low[inside])
            np.testing.assert_allclose(ends[inside, 1], high[inside])
        assert [t.get_text() for t in ax.get_yticklabels()] == [str(f) for f in sobol["factor"].values]
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend == [f"{sobol['S1'].attrs['long_name']} (S1)", f"{sobol['ST'].attrs['long_name']} (ST)"]
        assert sobol[output].attrs["long_name"] in ax.get_title(loc="left")


def test_sensitivity_indices_of_a_morris_sweep_are_mu_star_and_sigma_in_the_outputs_unit(morris):
    figure = sp.sensitivity_indices(morris, LOSS)
    ax = figure.axes[0]
    mu_star = morris["mu_star"].sel(output=LOSS).values
    sigma = morris["sigma"].sel(output=LOSS).values
    divisor = _dollar_divisor(np.concatenate([mu_star, sigma]))
    np.testing.assert_allclose([patch.get_width() for patch in ax.patches],
                               np.concatenate([mu_star, sigma]) / divisor)
    assert ax.get_xlabel().startswith("USD")


def test_sensitivity_indices_refuse_a_sweep_without_them_and_an_output_without_them(lhs, sobol):
    with pytest.raises(ValueError, match="no sensitivity indices"):
        sp.sensitivity_indices(lhs, LOSS)
    with pytest.raises(KeyError, match="no indices of"):
        sp.sensitivity_indices(sobol, "forfeited_cents")
