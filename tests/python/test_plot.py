"""sellershock.plot: every figure from a real run (the tiny scenario) and a real dose-response file,
with labels and units taken from the file's attributes, bands that are the quantiles of the data,
and the headline loss_to_suspended_* preferred over attributable_* when a file has it (older files
without it fall back)."""

import shutil

import h5py
import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

import sellershock
from sellershock import loss, plot
from test_cli import TINY, sellershock as run_sellershock

LOSS_COMPONENTS = ("frozen_not_recovered", "profit_lost", "inventory_written_off", "legal_costs_net",
                   "diversification_spend")
SUSPENDED_LABEL = "Loss to the suspended businesses"  # the long_name the catalogue gives it


@pytest.fixture(scope="module")
def results(output_path):
    return sellershock.load(output_path)


@pytest.fixture(scope="session")
def dose_path(tmp_path_factory):
    out = tmp_path_factory.mktemp("dose") / "dose.h5"
    finished = run_sellershock("dose-response", TINY, "--levels", "0,0.2,0.4", "-r", 3, "-j", 1, "-o", out, "--quiet")
    assert finished.returncode == 0, finished.stderr
    return out


def strip_loss_to_suspended(source, target):
    """A copy of a run file without the loss_to_suspended_* entries and their loss_component axis: a file
    written before the headline was redefined (docs/MODEL.md §8), for the fallback to attributable_*."""
    shutil.copy(source, target)
    with h5py.File(target, "r+") as f:
        summary = f["summary"]
        for name in [n for n in summary if n.startswith("loss_to_suspended")]:
            del summary[name]
        del summary["loss_component"]
    return target


@pytest.fixture(scope="module")
def old_results(output_path, tmp_path_factory):
    return sellershock.load(strip_loss_to_suspended(output_path, tmp_path_factory.mktemp("old") / "old.h5"))


def test_every_figure_is_a_figure_made_without_pyplot(results, dose_path):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    made = [plot.weekly_series(results, "suspended_sellers"), plot.weekly_overview(results),
            plot.loss_by_component(results), plot.loss_by_group(results), plot.frozen_funds_by_route(results),
            plot.survival_by_diversification(results), plot.dose_response(sellershock.load(dose_path))]
    for figure in made:
        assert isinstance(figure, Figure) and figure.axes
        figure.savefig(__import__("io").BytesIO(), format="png")  # renders (Agg) without a display
    assert plt.get_fignums() == before  # nothing registered with pyplot, nothing to show


def test_weekly_series_band_and_median_are_quantiles_over_replications(results):
    figure = plot.weekly_series(results, "suspended_sellers")
    ax = figure.axes[0]
    data = results.timeseries["suspended_sellers"].sum("region")
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) >= {"scenario", "counterfactual"}
    for run in ("scenario", "counterfactual"):
        expected = np.quantile(data.sel(run=run).values.astype(float), 0.5, axis=0)
        assert np.allclose(lines[run].get_ydata(), expected)
    # One band per run, spanning the 5 % and 95 % quantiles.
    bands = [c for c in ax.collections if c.__class__.__name__ == "PolyCollection"]
    assert len(bands) == 2
    top = np.quantile(data.sel(run="scenario").values.astype(float), 0.95, axis=0)
    vertices = bands[0].get_paths()[0].vertices[:, 1]
    assert np.isclose(vertices.max(), top.max())
    # Dates on the x axis: the week coordinate's calendar dates.
    first = matplotlib.dates.num2date(lines["scenario"].get_xdata(orig=False)[0]).date()
    assert str(first) == str(results.timeseries["date"].values[0])[:10]


def test_labels_and_units_come_from_the_file(results):
    attrs = results.timeseries["frozen_balance_cents"].attrs
    ax = plot.weekly_series(results, "frozen_balance_cents").axes[0]
    assert ax.get_title(loc="left") == attrs["long_name"]
    assert ax.get_ylabel().startswith("USD")  # USD cents are shown as dollars
    flow = plot.weekly_series(results, "newly_frozen_cents").axes[0]
    assert flow.get_ylabel().endswith("per week")  # measure = flow
    counts = plot.weekly_series(results, "suspended_sellers").axes[0]
    assert counts.get_ylabel() == results.timeseries["suspended_sellers"].attrs["units"]
    # Change the attribute in the loaded result: the figure follows it, so no label list hides in Python.
    results.timeseries["suspended_sellers"].attrs["long_name"] = "Renamed in the file"
    results.timeseries["suspended_sellers"].attrs["units"] = "widgets"
    try:
        renamed = plot.weekly_series(results, "suspended_sellers").axes[0]
        assert renamed.get_title(loc="left") == "Renamed in the file" and renamed.get_ylabel() == "widgets"
    finally:
        results.timeseries["suspended_sellers"].attrs.update(
            long_name=counts.get_title(loc="left"), units=counts.get_ylabel())
    route_labels = [t.get_text() for t in plot.frozen_funds_by_route(results).axes[0].get_yticklabels()]
    assert route_labels[0] == results.summary_dataset["newly_frozen_cents"].attrs["long_name"]


def test_loss_figures_fall_back_to_attributable_and_say_so(old_results):
    definition = loss.definition(old_results)
    assert definition.total == "attributable_loss_cents"
    assert definition.components == tuple(str(c) for c in old_results.summary_dataset["component"].values)
    title = plot.loss_by_component(old_results).axes[0].get_title(loc="left")
    assert "attributable_loss_cents" in title
    assert old_results.summary_dataset["attributable_loss_cents"].attrs["long_name"] in title


def test_loss_figures_prefer_the_loss_to_the_suspended_businesses(results):
    definition = loss.definition(results)
    assert definition.total == "loss_to_suspended_cents"
    assert definition.component_dim == "loss_component" and definition.components == LOSS_COMPONENTS
    figure = plot.loss_by_component(results)
    ax = figure.axes[0]
    assert "loss_to_suspended_cents" in ax.get_title(loc="left") and SUSPENDED_LABEL in ax.get_title(loc="left")
    labels = [t.get_text() for t in ax.get_xticklabels()]
    summary = results.summary_dataset
    assert labels == [summary[f"loss_to_suspended_{c}_cents"].attrs["long_name"] for c in LOSS_COMPONENTS] + ["total"]
    # The total bar is the mean of the total, in dollars (scaled to the axis' unit).
    total = summary["loss_to_suspended_cents"].values.mean() / 100
    divisor = {"USD": 1, "USD thousand": 1e3, "USD million": 1e6, "USD billion": 1e9}[ax.get_ylabel()]
    assert np.isclose(ax.patches[-1].get_height() * divisor, total)
    assert "loss_to_suspended_cents" in plot.loss_by_group(results)._suptitle.get_text()


def test_loss_by_group_bars_are_mean_totals_per_region(results, old_results):
    for loaded, table_name, component_dim in ((results, "loss_to_suspended_by_group_cents", "loss_component"),
                                              (old_results, "attributable_loss_by_group_cents", "component")):
        region_ax = plot.loss_by_group(loaded).axes[0]
        table = loaded.summary_dataset[table_name]
        means = table.sum([component_dim, "size_class"]).mean("replication").values / 100
        divisor = {"USD": 1, "USD thousand": 1e3, "USD million": 1e6, "USD billion": 1e9}[region_ax.get_xlabel()]
        widths = [patch.get_width() * divisor for patch in region_ax.patches]
        assert np.allclose(widths, means), table_name


def test_survival_figure_carries_its_caveat(results):
    figure = plot.survival_by_diversification(results)
    texts = " ".join(text.get_text() for text in [*figure.texts, figure._supxlabel] if text is not None)
    assert "confounded by size" in texts.replace("\n", " ")
    assert "same without the wave" in texts.replace("\n", " ")
    assert len(figure.axes[0].containers) == 2  # scenario and counterfactual


def test_dose_response_figure(dose_path):
    results = sellershock.load(dose_path)
    figure = plot.dose_response(results)
    ax = figure.axes[0]
    median = [line for line in ax.get_lines() if line.get_label().endswith("(median)")][0]
    assert np.allclose(median.get_xdata(), [0, 0.2, 0.4])
    expected = np.median(results.summary_dataset["loss_per_seller_cents"].values / 100, axis=0)
    divisor = {"USD": 1, "USD thousand": 1e3, "USD million": 1e6}[ax.get_ylabel()]
    assert np.allclose(np.asarray(median.get_ydata()) * divisor, expected)
    with pytest.raises(ValueError, match="not a dose-response file"):
        plot.dose_response(_run_like(results))


def _run_like(results):
    """A result whose summary lacks the dose-response axis."""
    copy = sellershock.Results(**{**results.__dict__})
    copy.summary_dataset = results.summary_dataset.drop_dims("off_platform_share")
    return copy


def test_monte_carlo_standard_error_is_sample_std_over_root_replications():
    stats = loss.statistics([1.0, 2.0, 3.0, 4.0])
    assert np.isclose(stats.mc_standard_error, np.std([1, 2, 3, 4], ddof=1) / 2)
    assert np.isclose(stats.q05, np.quantile([1, 2, 3, 4], 0.05))
    assert loss.statistics([5.0]).replications == 1 and np.isnan(loss.statistics([5.0]).mc_standard_error)
