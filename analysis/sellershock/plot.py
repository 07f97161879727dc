"""Figures of a loaded result (what `sellershock.load` returns), each a matplotlib Figure.

    >>> import sellershock, sellershock.plot as sp
    >>> results = sellershock.load("results/default.h5")
    >>> sp.weekly_series(results, "suspended_sellers").savefig("suspended.svg")
    >>> sp.loss_by_component(results)

Every figure shows the spread over replications: time series as the median with a 5-95 % band,
totals as the mean (means add up) with whiskers from the 5 % to the 95 % quantile. Titles, axis
labels and units come from the file's attributes (`long_name`, `units`, `measure`), money is shown
in US dollars. Figures are made without pyplot (`matplotlib.figure.Figure`, rendered by Agg or the
SVG backend when saved): nothing is shown, no window opens, and no figure lingers in pyplot's
registry. In a notebook a returned figure displays itself.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter, PercentFormatter

from . import loss as _loss
from .metadata import Meta, meta, money_scale

SCENARIO_COLOR = "#c0392b"
COUNTERFACTUAL_COLOR = "#2c6fbb"
GAIN_COLOR = "#2e8b57"
NEUTRAL_COLOR = "#7f8c8d"
BAND_NOTE = "line: median over {r} replications; band: 5-95 %"
BAR_NOTE = "bars: mean over {r} replications; whiskers: 5-95 %"

# Flows of frozen funds, in the order money takes: frozen, then each way out (docs/MODEL.md §8).
# Only the selection and order live here; labels and units are read from the file.
FROZEN_FUNDS_TOTAL = "newly_frozen_cents"
FROZEN_FUNDS_ROUTES = ("reinstated_cents", "released_cents", "arbitration_awards_cents",
                       "collective_awards_cents", "forfeited_cents", "still_frozen_cents")
SURVIVAL_CAVEAT = (
    "Caveat: diversification at the start is confounded by size (larger businesses are more often "
    "diversified and more often survive). The gap between levels is the same without the wave "
    "(compare the counterfactual), so it is not the protection diversification gives; for that, see the "
    "dose-response study (sellershock dose-response).")


def _new_figure(width: float = 8.0, height: float = 4.5, rows: int = 1, cols: int = 1):
    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.subplots(rows, cols, squeeze=False)
    return figure, axes


def _note(figure, text: str, fontsize: float = 7.5, color: str = "#444", **_) -> None:
    """A note under the axes, wrapped to the figure's width (constrained layout makes room for it)."""
    width = int(figure.get_figwidth() * 16)
    figure.supxlabel(textwrap.fill(text, width), fontsize=fontsize, color=color, x=0.01, ha="left")


def _replications(results) -> int:
    return int(results.summary_dataset.sizes.get("replication", 0))


def _value_axis(ax, info: Meta, max_abs: float, *, per_week: bool = False, axis: str = "y") -> float:
    """Labels the value axis with the variable's display unit (scaled for money) and returns the
    divisor that values in display units must be divided by."""
    divisor, word = money_scale(max_abs) if info.is_money else (1.0, "")
    unit = f"{info.display_units} {word}".strip()
    if per_week:
        unit += " per week"
    (ax.set_ylabel if axis == "y" else ax.set_xlabel)(unit)
    formatter = FuncFormatter(lambda value, _: f"{value:,.0f}" if abs(value) >= 10 or value == 0 else f"{value:,.3g}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)
    return divisor


def _quantiles(array: xr.DataArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    q = array.quantile([0.05, 0.5, 0.95], dim="replication").values
    return q[0], q[1], q[2]


def _waves(results) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    """(name, start, end) of each enforcement wave in the resolved scenario, [] if unreadable."""
    try:
        waves = (results.scenario_data() or {}).get("enforcement", {}).get("waves", []) or []
        return [(str(w.get("name", "wave")), pd.Timestamp(str(w["start"])), pd.Timestamp(str(w["end"])))
                for w in waves if "start" in w and "end" in w]
    except Exception:  # a scenario we cannot parse only loses the shading
        return []


def _shade_waves(ax, results) -> None:
    for index, (name, start, end) in enumerate(_waves(results)):
        ax.axvspan(start, end, color="#f5b041", alpha=0.18, lw=0, label=f"wave {name}" if index < 3 else None)


def weekly_series(results, name: str, *, category=None, ax=None) -> Figure:
    """A weekly series over calendar dates: the scenario and, when the file has it, its
    counterfactual, each as the median over replications with a 5-95 % band; the scenario's waves
    shaded. The series is summed over its category axis (region, channel, ...) unless `category`
    selects one label of it. Flows are per week, stocks at the end of each week.
    Raises KeyError for a name that is not a series."""
    if name not in results.timeseries.data_vars:
        raise KeyError(f"no weekly series '{name}'; series: {sorted(results.timeseries.data_vars)}")
    info = meta(results, name, prefer="timeseries")
    array = results.timeseries[name]
    categories = [dim for dim in array.dims if dim not in ("replication", "run", "week")]
    title = info.label
    if category is not None:
        if len(categories) != 1:
            raise ValueError(f"'{name}' has category axes {categories}; cannot select {category!r}")
        array = array.sel({categories[0]: category})
        title += f": {category}"
    elif categories:
        array = array.sum(categories)
    dates = results.timeseries["date"].values if "date" in results.timeseries.coords else array["week"].values

    own_figure = ax is None
    if own_figure:
        figure, axes = _new_figure()
        ax = axes[0, 0]
    else:
        figure = ax.figure
    runs = [str(run) for run in array["run"].values] if "run" in array.dims else [None]
    per_run = {run: array.sel(run=run) if run else array for run in runs}
    to_display = 100.0 if info.is_money else 1.0
    max_abs = max(float(abs(values).max()) for values in per_run.values()) / to_display
    divisor = _value_axis(ax, info, max_abs, per_week=info.measure == "flow") * to_display
    for run, values in per_run.items():
        q05, q50, q95 = _quantiles(values.astype(float) / divisor)
        color = COUNTERFACTUAL_COLOR if run == "counterfactual" else SCENARIO_COLOR
        style = "--" if run == "counterfactual" else "-"
        ax.fill_between(dates, q05, q95, color=color, alpha=0.2, lw=0)
        ax.plot(dates, q50, style, color=color, lw=1.6, label=run or "median")
    _shade_waves(ax, results)
    ax.set_title(title, loc="left", fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best", frameon=False)
    if own_figure:
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_ha("right")
    return figure


def weekly_overview(results, names=("suspended_sellers", "frozen_balance_cents", "exited_sellers", "diversified_sellers"),
                    columns: int = 2) -> Figure:
    """Several weekly series (scenario against counterfactual) in one figure, one panel each;
    names the file does not have are left out."""
    names = [name for name in names if name in results.timeseries.data_vars]
    if not names:
        raise ValueError(f"{results.path} has none of the weekly series asked for")
    rows = -(-len(names) // columns)
    figure, axes = _new_figure(10.0, 3.4 * rows, rows, columns)
    for ax, name in zip(axes.flat, names):
        weekly_series(results, name, ax=ax)
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_ha("right")
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    figure.suptitle(f"Weekly series, scenario against counterfactual ({BAND_NOTE.format(r=_replications(results))})",
                    fontsize=10)
    return figure


def _require_loss(results) -> _loss.LossDefinition:
    definition = _loss.definition(results)
    if definition is None:
        raise ValueError(f"{results.path} has no loss entries (a run without counterfactual?)")
    return definition


def _loss_title(results, definition: _loss.LossDefinition, what: str) -> str:
    return f"{meta(results, definition.total).label} ({definition.total}) {what}"


def component_values(results, definition: _loss.LossDefinition) -> list[tuple[str, xr.DataArray]]:
    """(label, per-replication values) of each component: the scalar quantity when the file has
    it, else the group table summed over groups."""
    parts = []
    for label, quantity in zip(definition.components, definition.component_quantities):
        if quantity:
            parts.append((meta(results, quantity).label, results.summary_dataset[quantity]))
        else:
            table = results.summary_dataset[definition.by_group].sel({definition.component_dim: label})
            parts.append((label.replace("_", " "), table.sum([d for d in table.dims if d != "replication"])))
    return parts


def loss_by_component(results) -> Figure:
    """Waterfall of the headline loss: each component's mean added to the last (means add up to the
    total's), with the 5-95 % interval of the component as a whisker at its bar's end, then the
    total with its own interval. Uses loss_to_suspended_* when the file has it, else attributable_*
    (named in the title). Raises ValueError for a file without loss entries."""
    definition = _require_loss(results)
    info = meta(results, definition.total)
    parts = component_values(results, definition)
    total = results.summary_dataset[definition.total]
    stats = [(label, _loss.statistics(info.to_display(values.values))) for label, values in parts]
    total_stats = _loss.statistics(info.to_display(total.values))
    max_abs = max([abs(total_stats.q95), abs(total_stats.q05)] + [abs(s.mean) for _, s in stats] + [1.0])

    figure, axes = _new_figure(9.0, 4.8)
    ax = axes[0, 0]
    divisor = _value_axis(ax, info, max_abs)
    start = 0.0
    labels = []
    for position, (label, s) in enumerate(stats):
        color = SCENARIO_COLOR if s.mean >= 0 else GAIN_COLOR
        ax.bar(position, s.mean / divisor, bottom=start / divisor, color=color, alpha=0.85, width=0.6)
        ax.errorbar(position, (start + s.q50) / divisor,
                    yerr=[[(s.q50 - s.q05) / divisor], [(s.q95 - s.q50) / divisor]],
                    color="black", capsize=4, lw=1, fmt="none")
        if position + 1 < len(stats):
            ax.plot([position + 0.3, position + 0.7], [(start + s.mean) / divisor] * 2, color=NEUTRAL_COLOR, lw=0.8)
        start += s.mean
        labels.append(label)
    position = len(stats)
    ax.bar(position, total_stats.mean / divisor, color="#34495e", width=0.6)
    ax.errorbar(position, total_stats.q50 / divisor,
                yerr=[[(total_stats.q50 - total_stats.q05) / divisor], [(total_stats.q95 - total_stats.q50) / divisor]],
                color="black", capsize=5, lw=1.2, fmt="none")
    labels.append("total")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(range(len(labels)), labels, rotation=20, ha="right")
    ax.grid(axis="y", alpha=0.3)
    ax.set_title(_loss_title(results, definition, "by component"), loc="left", fontsize=11)
    _note(figure, f"Bars: mean over {total_stats.replications} replications, each component starting "
                "where the previous ended (red: loss, green: gain); whiskers: the component's 5-95 % interval "
                "around its median.", fontsize=7.5, color="#444")
    return figure


def loss_by_group(results) -> Figure:
    """The headline loss by home region and by size class (two panels): per replication the group
    table summed over the other axes, then the mean with its 5-95 % interval. Raises ValueError for
    a file without a loss table by group."""
    definition = _require_loss(results)
    if definition.by_group is None:
        raise ValueError(f"{results.path} has no loss table by group ({definition.total} only)")
    info = meta(results, definition.by_group)
    table = results.summary_dataset[definition.by_group]
    panels = [dim for dim in _loss.GROUP_DIMS if dim in table.dims]
    figure, axes = _new_figure(10.0, 4.6, 1, len(panels))
    for ax, dim in zip(axes.flat, panels):
        per_group = table.sum([d for d in table.dims if d not in ("replication", dim)])
        values = info.to_display(per_group.values)
        means = values.mean(axis=0)
        q05, q50, q95 = np.quantile(values, [0.05, 0.5, 0.95], axis=0)
        divisor = _value_axis(ax, info, float(np.max(np.abs([q05, q95, means]))), axis="x")
        labels = [str(label) for label in per_group[dim].values]
        y = np.arange(len(labels))
        colors = [SCENARIO_COLOR if m >= 0 else GAIN_COLOR for m in means]
        ax.barh(y, means / divisor, color=colors, alpha=0.85, height=0.6)
        ax.errorbar(q50 / divisor, y, xerr=[(q50 - q05) / divisor, (q95 - q50) / divisor],
                    fmt="none", color="black", capsize=3, lw=1)
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.axvline(0, color="black", lw=0.8)
        ax.grid(axis="x", alpha=0.3)
        ax.set_title(f"by {dim.replace('_', ' ')}", loc="left", fontsize=10)
    figure.suptitle(_loss_title(results, definition, "by group"), fontsize=11, x=0.01, ha="left")
    _note(figure, BAR_NOTE.format(r=_replications(results)) + " (median-centred); "
                "red: loss, green: gain. " + info.description, fontsize=7.5, color="#444")
    return figure


def frozen_funds_by_route(results) -> Figure:
    """Funds frozen over the run and where they went: recovered by appeal, released after the hold,
    won in arbitration or a collective action (awards include interest), forfeited, or still frozen
    at the end; mean with 5-95 % interval of each. Raises ValueError if the file has none of them."""
    names = [name for name in (FROZEN_FUNDS_TOTAL, *FROZEN_FUNDS_ROUTES) if name in results.summary_dataset.data_vars]
    if not names:
        raise ValueError(f"{results.path} has no frozen-funds quantities")
    infos = [meta(results, name) for name in names]
    values = [info.to_display(results.summary_dataset[name].values) for info, name in zip(infos, names)]
    stats = [_loss.statistics(v) for v in values]
    figure, axes = _new_figure(9.0, 0.5 * len(names) + 1.8)
    ax = axes[0, 0]
    divisor = _value_axis(ax, infos[0], max(max(abs(s.q95), abs(s.mean)) for s in stats) or 1.0, axis="x")
    y = np.arange(len(names))
    colors = ["#34495e" if name == FROZEN_FUNDS_TOTAL else
              (GAIN_COLOR if name in FROZEN_FUNDS_ROUTES[:4] else SCENARIO_COLOR) for name in names]
    ax.barh(y, [s.mean / divisor for s in stats], color=colors, alpha=0.85, height=0.6)
    ax.errorbar([s.q50 / divisor for s in stats], y,
                xerr=[[(s.q50 - s.q05) / divisor for s in stats], [(s.q95 - s.q50) / divisor for s in stats]],
                fmt="none", color="black", capsize=3, lw=1)
    ax.set_yticks(y, [info.label for info in infos])
    ax.invert_yaxis()
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("Frozen funds by route of recovery", loc="left", fontsize=11)
    _note(figure, BAR_NOTE.format(r=_replications(results)) + "; green: recovered by the seller, "
                "red: lost to it. Awards include interest.", fontsize=7.5, color="#444")
    return figure


def survival_by_diversification(results) -> Figure:
    """Share of businesses surviving to the end of the run by their diversification at the start,
    scenario against counterfactual (mean with 5-95 % interval), with the caveat that the
    comparison is confounded by size. Businesses at the start of a level are its survivors plus its
    exits in the scenario (both runs start from the same businesses). Raises ValueError if the file
    lacks surviving_sellers_by_diversification or exits_by_diversification."""
    summary = results.summary_dataset
    for name in ("surviving_sellers_by_diversification", "exits_by_diversification"):
        if name not in summary.data_vars:
            raise ValueError(f"{results.path} has no '{name}'")
    survivors = summary["surviving_sellers_by_diversification"].astype(float)
    at_start = survivors + summary["exits_by_diversification"]
    shares = {"scenario": survivors / at_start.where(at_start > 0)}
    series = results.timeseries.get("surviving_sellers")
    if series is not None and "run" in series.dims and "counterfactual" in series["run"].values:
        final = series.sel(run="counterfactual").isel(week=-1)
        shares["counterfactual"] = final / at_start.where(at_start > 0)
    labels = [str(label) for label in survivors["diversification"].values]
    figure, axes = _new_figure(9.0, 5.0)
    ax = axes[0, 0]
    width = 0.8 / len(shares)
    x = np.arange(len(labels))
    for offset, (run, share) in enumerate(shares.items()):
        values = share.transpose("replication", "diversification").values * 100.0
        means = np.nanmean(values, axis=0)
        q05, q95 = np.nanquantile(values, [0.05, 0.95], axis=0)
        position = x + (offset - (len(shares) - 1) / 2) * width
        color = COUNTERFACTUAL_COLOR if run == "counterfactual" else SCENARIO_COLOR
        # Points, not bars: the axis does not start at zero.
        ax.errorbar(position, means, yerr=[np.maximum(means - q05, 0), np.maximum(q95 - means, 0)], fmt="o",
                    color=color, ms=7, capsize=4, lw=1.4, label=f"{run} (mean, 5-95 %)", clip_on=False)
    counts = at_start.mean("replication").values
    ax.set_xticks(x, [f"{label}\n({count:,.0f} businesses)" for label, count in zip(labels, counts)], fontsize=8)
    low = np.nanmin([np.nanmin(s.values) for s in shares.values()]) * 100.0
    ax.set_ylim(max(0.0, low - max(1.0, 0.25 * (100.0 - low))), 100.0)  # no tick above 100 %; points at 100 % are not clipped
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=None))
    ax.set_ylabel("businesses surviving to the end (%)")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    ax.set_title(f"{meta(results, 'surviving_sellers_by_diversification').label} by diversification at the start",
                 loc="left", fontsize=11)
    _note(figure, SURVIVAL_CAVEAT + f" Points: mean over {_replications(results)} replications; whiskers: 5-95 %.",
                fontsize=7.5, color="#7b241c")
    return figure


def dose_response(results) -> Figure:
    """Loss per business against the off-platform share of sales (a file written by `sellershock
    dose-response`): median with 5-95 % band over replications, and the mean of each part. Raises
    ValueError for a file without the off_platform_share axis."""
    summary = results.summary_dataset
    if "off_platform_share" not in summary.dims or "loss_per_seller_cents" not in summary.data_vars:
        raise ValueError(f"{results.path} is not a dose-response file (no loss_per_seller_cents by off_platform_share)")
    levels = np.array([float(level) for level in summary["off_platform_share"].values])
    total_info = meta(results, "loss_per_seller_cents")
    parts = [name for name, variable in summary.data_vars.items()
             if name.endswith("_per_seller_cents") and name != "loss_per_seller_cents"
             and variable.dims == ("replication", "off_platform_share")]
    total = total_info.to_display(summary["loss_per_seller_cents"].values)
    figure, axes = _new_figure(8.5, 4.8)
    ax = axes[0, 0]
    divisor = _value_axis(ax, total_info, float(np.max(np.abs(total))) if total.size else 1.0)
    q05, q50, q95 = np.quantile(total, [0.05, 0.5, 0.95], axis=0) / divisor
    ax.fill_between(levels, q05, q95, color=SCENARIO_COLOR, alpha=0.2, lw=0, label="5-95 %")
    ax.plot(levels, q50, "o-", color=SCENARIO_COLOR, lw=1.8, label=f"{total_info.label} (median)")
    for name in parts:
        info = meta(results, name)
        ax.plot(levels, info.to_display(summary[name].values).mean(axis=0) / divisor, "--", lw=1,
                label=f"{info.label} (mean)")
    ax.axhline(0, color="black", lw=0.8)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_xlabel("share of each business's sales made off the dominant marketplace")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, frameon=False)
    ax.set_title(f"{total_info.label} by off-platform share (dose-response)", loc="left", fontsize=11)
    _note(figure, BAND_NOTE.format(r=_replications(results)) + ". " + total_info.description,
                fontsize=7.5, color="#444")
    return figure


# ---------------------------------------------------------------------------------------------------
# Sweeps: what `sellershock.load_sweep` returns (an xarray Dataset over point x replication, factor
# values as coordinates along point, indices over output x factor). Factors are named by their
# scenario keys (the file stores no other label for them); outputs are labelled from their attributes.

SWEEP_POINT_NOTE = ("each point: mean over {r} replications, whiskers 5-95 % over replications; "
                    "the other factors vary between points")


def _sweep_meta(sweep: xr.Dataset, name: str) -> Meta:
    if name not in sweep.data_vars or sweep[name].dims != ("point", "replication"):
        scalars = sorted(n for n, v in sweep.data_vars.items() if v.dims == ("point", "replication"))
        raise KeyError(f"'{name}' is not a summary entry of the sweep; entries: {scalars}")
    attrs = sweep[name].attrs
    return Meta(name=name, label=str(attrs.get("long_name", name)), units=str(attrs.get("units", "")),
                description=str(attrs.get("description", "")), measure=str(attrs.get("measure", "")))


def _sweep_factors(sweep: xr.Dataset) -> list[str]:
    return [str(factor) for factor in sweep["factor"].values]


def sweep_point_statistics(sweep: xr.Dataset, output: str) -> dict[str, np.ndarray]:
    """Per point mean, q05 and q95 of `output` over replications, in the file's units: the sweep's
    own `OUTPUT_statistics` when it has them, else computed from the replications."""
    _sweep_meta(sweep, output)
    stored = sweep.get(f"{output}_statistics")
    if stored is not None and {"mean", "q05", "q95"} <= set(map(str, sweep["statistic"].values)):
        return {s: stored.sel(statistic=s).values.astype(float) for s in ("mean", "q05", "q95")}
    values = sweep[output].astype(float)
    q = values.quantile([0.05, 0.95], dim="replication").values
    return {"mean": values.mean("replication").values, "q05": q[0], "q95": q[1]}


def _sweep_outputs(sweep: xr.Dataset) -> list[str]:
    """The outputs the sweep file names (its indices' outputs, else its `outputs:` key)."""
    if "output" in sweep.coords:
        return [str(name) for name in sweep["output"].values]
    try:
        import yaml
        listed = (yaml.safe_load(sweep.attrs.get("sweep", "")) or {}).get("outputs") or []
    except Exception:
        listed = []
    listed = [name for name in listed if name in sweep.data_vars]
    # None listed: the default, the headline (older files: the net loss, then the default).
    return listed or [name for name in ("loss_to_suspended_cents", "attributable_loss_cents") if name in sweep.data_vars][:1]


def _wrap_label(label: str, width: int = 28) -> str:
    """Wrapped at spaces and, in scenario keys, after dots (never inside a word)."""
    return textwrap.fill(label.replace(".", ". "), width, break_long_words=False).replace(". ", ".")


def _log_axis(axis) -> None:
    """A log-scaled factor axis with plain numbers (0.02, not 2 x 10^-2) and no minor labels."""
    axis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axis.set_minor_formatter(NullFormatter())


def _left_title(figure, title: str, fontsize: float = 11) -> None:
    """A figure title at the left, wrapped to the figure's width (a long output name and a narrow
    figure of two panels would otherwise cut it off at the right edge)."""
    characters_per_inch = 72 / (0.6 * fontsize)  # DejaVu Sans: about 0.6 em a character on average
    width = max(20, int(figure.get_figwidth() * characters_per_inch) - 2)
    figure.suptitle(textwrap.fill(title, width, break_long_words=False), fontsize=fontsize, x=0.01, ha="left")


def _sweep_title(sweep: xr.Dataset) -> str:
    return (f"{sweep.attrs.get('design', '?')} design, {sweep.sizes['point']} points x "
            f"{sweep.sizes['replication']} replications")


def response_curves(sweep: xr.Dataset, output: str, columns: int = 3) -> Figure:
    """`output` against each factor of a sweep, one panel per factor: at each point the mean over
    replications with whiskers from the 5 % to the 95 % quantile (the file's per-point statistics),
    and a line through the mean of the points in each of a few bins of the factor (each distinct
    value for a grid). Log factors on a log axis. Raises KeyError for an unknown output."""
    info = _sweep_meta(sweep, output)
    stats = {key: info.to_display(values) for key, values in sweep_point_statistics(sweep, output).items()}
    factors = _sweep_factors(sweep)
    logs = dict(zip(factors, sweep["log"].values.astype(bool))) if "log" in sweep else {}
    columns = min(columns, len(factors))
    rows = -(-len(factors) // columns)
    figure, axes = _new_figure(4.2 * columns + 0.6, 3.6 * rows + 0.8, rows, columns)
    max_abs = float(np.nanmax(np.abs([stats["q05"], stats["q95"], stats["mean"]]))) or 1.0
    for ax, factor in zip(axes.flat, factors):
        divisor = _value_axis(ax, info, max_abs)
        x = sweep[factor].values.astype(float)
        order = np.argsort(x, kind="stable")
        x = x[order]
        mean, q05, q95 = (stats[s][order] / divisor for s in ("mean", "q05", "q95"))
        ax.errorbar(x, mean, yerr=[np.maximum(mean - q05, 0), np.maximum(q95 - mean, 0)], fmt="o",
                    color=SCENARIO_COLOR, ms=4, lw=0.8, capsize=2, alpha=0.8, label="point (mean, 5-95 %)")
        distinct = np.unique(x)
        if len(distinct) <= 8:
            centers = distinct
            trend = np.array([mean[x == value].mean() for value in distinct])
        else:
            bins = min(8, max(3, len(x) // 4))
            edges = np.quantile(x, np.linspace(0, 1, bins + 1))
            index = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, bins - 1)
            keep = [b for b in range(bins) if (index == b).any()]
            centers = np.array([x[index == b].mean() for b in keep])
            trend = np.array([mean[index == b].mean() for b in keep])
        if len(centers) > 1:
            ax.plot(centers, trend, "-", color="#34495e", lw=1.6, label="mean of points (binned)")
        if logs.get(factor):
            ax.set_xscale("log")
            _log_axis(ax.xaxis)
        ax.set_xlabel(factor + (" (log scale)" if logs.get(factor) else ""))
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(factors):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7.5, loc="best", framealpha=0.85)
    _left_title(figure, f"{info.label} ({output}) against each factor: {_sweep_title(sweep)}")
    _note(figure, SWEEP_POINT_NOTE.format(r=sweep.sizes["replication"]) + ". " + info.description)
    return figure


def scatter_matrix(sweep: xr.Dataset, outputs=None) -> Figure:
    """Factors and outputs pairwise, one dot per point (outputs as the mean over replications):
    histograms on the diagonal, scatter plots below it. `outputs` defaults to the outputs the sweep
    file names. Raises KeyError for an unknown output."""
    outputs = list(_sweep_outputs(sweep) if outputs is None else outputs)
    columns = [(factor, sweep[factor].values.astype(float), factor, bool(log))
               for factor, log in zip(_sweep_factors(sweep), sweep["log"].values)]
    for output in outputs:
        info = _sweep_meta(sweep, output)
        values = info.to_display(sweep_point_statistics(sweep, output)["mean"])
        divisor, word = money_scale(float(np.nanmax(np.abs(values))) or 1.0) if info.is_money else (1.0, "")
        unit = f"{info.display_units} {word}".strip()
        columns.append((f"{info.label}\n({unit}, mean)", values / divisor, output, False))
    n = len(columns)
    figure, axes = _new_figure(2.3 * n + 0.5, 2.3 * n + 0.6, n, n)
    for i, (label_i, values_i, _, log_i) in enumerate(columns):
        for j, (label_j, values_j, _, log_j) in enumerate(columns):
            ax = axes[i, j]
            if j > i:
                ax.set_visible(False)
                continue
            if i == j:
                bins = min(12, max(4, len(values_i) // 3))
                if log_i:
                    bins = np.geomspace(np.min(values_i), np.max(values_i), bins + 1)
                ax.hist(values_i, bins=bins, color=NEUTRAL_COLOR, alpha=0.8)
            else:
                ax.scatter(values_j, values_i, s=10, color=SCENARIO_COLOR, alpha=0.7, lw=0)
                if log_i:
                    ax.set_yscale("log")
                    _log_axis(ax.yaxis)
            if log_j:
                ax.set_xscale("log")
                _log_axis(ax.xaxis)
            ax.tick_params(labelsize=7)
            ax.grid(alpha=0.3)
            if i == n - 1:
                ax.set_xlabel(_wrap_label(label_j), fontsize=8)
            else:
                ax.tick_params(labelbottom=False)
            if j == 0 and i > 0:
                ax.set_ylabel(_wrap_label(label_i), fontsize=8)
            elif j > 0:
                ax.tick_params(labelleft=False) if i != j else None
    _left_title(figure, f"Factors and outputs pairwise: {_sweep_title(sweep)}")
    _note(figure, "One dot per point; outputs as the mean over replications; diagonal: histograms.")
    return figure


def sensitivity_indices(sweep: xr.Dataset, output: str) -> Figure:
    """The sweep's sensitivity indices of `output`, one row per factor. Sobol designs: first-order S1
    and total ST as bars with their 95 % bootstrap intervals (S1_low..S1_high, ST_low..ST_high) as
    whiskers. Morris designs: mu* (mean absolute elementary effect) and sigma as bars, in the output's
    units per factor range. Raises ValueError for a sweep without indices, KeyError for an output
    the indices do not cover."""
    if "output" not in sweep.coords:
        raise ValueError(f"a {sweep.attrs.get('design', '?')} sweep has no sensitivity indices "
                         "(only sobol and morris designs do)")
    if output not in [str(o) for o in sweep["output"].values]:
        raise KeyError(f"no indices of '{output}'; outputs: {[str(o) for o in sweep['output'].values]}")
    info = _sweep_meta(sweep, output)
    factors = _sweep_factors(sweep)
    y = np.arange(len(factors))
    figure, axes = _new_figure(9.0, 1.0 + 0.75 * len(factors) + 1.2)
    ax = axes[0, 0]
    height = 0.38
    if "S1" in sweep:
        for offset, (name, color) in enumerate((("S1", SCENARIO_COLOR), ("ST", COUNTERFACTUAL_COLOR))):
            value = sweep[name].sel(output=output).values.astype(float)
            low = sweep[f"{name}_low"].sel(output=output).values.astype(float)
            high = sweep[f"{name}_high"].sel(output=output).values.astype(float)
            position = y + (offset - 0.5) * height
            ax.barh(position, value, height=height * 0.9, color=color, alpha=0.85,
                    label=f"{sweep[name].attrs.get('long_name', name)} ({name})")
            ax.errorbar(value, position, xerr=[np.maximum(value - low, 0), np.maximum(high - value, 0)],
                        fmt="none", color="black", capsize=3, lw=1)
            outside = (low > value) | (high < value)
            if outside.any():  # a percentile interval need not contain the estimate: draw it as a line
                ax.hlines(position[outside], low[outside], high[outside], color="black", lw=1)
        ax.axvline(0, color="black", lw=0.8)
        ax.axvline(1, color=NEUTRAL_COLOR, lw=0.8, ls=":")
        ax.set_xlabel("share of the output's variance (1 = all of it)")
        note = (f"Sobol indices of the per-point mean over {sweep.sizes['replication']} replications, "
                f"N = {sweep.attrs.get('samples', '?')} base samples; whiskers: 95 % bootstrap intervals "
                f"({sweep.attrs.get('sensitivity_bootstrap_samples', '?')} resamples). S1: the variance a factor "
                "explains alone; ST: alone and with the others. Estimates outside [0, 1] or beyond their "
                "interval mean N is too small to quote them.")
    elif "mu_star" in sweep:
        values = {name: info.to_display(sweep[name].sel(output=output).values) for name in ("mu_star", "sigma")}
        max_abs = max(float(np.nanmax(np.abs(v))) for v in values.values()) or 1.0
        divisor = _value_axis(ax, info, max_abs, axis="x")
        for offset, (name, color) in enumerate((("mu_star", SCENARIO_COLOR), ("sigma", COUNTERFACTUAL_COLOR))):
            ax.barh(y + (offset - 0.5) * height, values[name] / divisor, height=height * 0.9, color=color,
                    alpha=0.85, label={"mu_star": "mu* (importance)", "sigma": "sigma (interaction, non-linearity)"}[name])
        ax.set_xlabel(ax.get_xlabel() + ", per factor range")
        note = (f"Morris elementary effects on {output} over {sweep.attrs.get('samples', '?')} trajectories: "
                "mu*, the mean absolute change of the output when the factor moves across its whole range; "
                "sigma, their standard deviation (interactions or non-linearity). No intervals: raise the "
                "trajectories for stable values.")
    else:
        raise ValueError("the sweep has neither Sobol (S1, ST) nor Morris (mu_star, sigma) indices")
    ax.set_yticks(y, factors)
    ax.invert_yaxis()
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, frameon=False, loc="best")
    ax.set_title(f"Sensitivity of {info.label} ({output})", loc="left", fontsize=11)
    _note(figure, note)
    return figure
