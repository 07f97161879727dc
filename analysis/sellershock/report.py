"""One self-contained HTML report of a sellershock output file: a run, a dose-response study or a sweep.

    /usr/bin/python3 -m sellershock.report FILE.h5 [-o REPORT.html]     (default: FILE.html)

The page needs nothing but itself: figures are inline SVG (text drawn as paths, so no font is
needed), the style sheet is inline, there is no script, and a Content-Security-Policy forbids
fetching anything else. It holds the provenance (with the resolved scenario), the headline loss
with its 90 % interval and Monte Carlo standard error, the summary table, the calibration
comparison when the scenario names targets, the figures, and the model's limits that apply.
A dose-response file gets a simpler page: the loss per business at each level. A sweep file
(`sellershock sweep`) gets its own page: the design, the sensitivity indices (sobol: S1 and ST with
their intervals; morris: mu* and sigma), response curves of each analysed output over each factor, a
scatter matrix, the per-point table, the limits and the provenance with the sweep file's text.
"""

from __future__ import annotations

import argparse
import html
import io
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import h5py
import matplotlib
import numpy as np
import xarray as xr

from . import calibration as _calibration
from . import limits as _limits
from . import loss as _loss
from . import plot as _plot
from .io import Results, load
from .sweep import load_sweep
from .metadata import format_value, meta

CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
PROVENANCE_ROWS = (
    ("scenario", "scenario_name"), ("scenario file", "scenario_file"), ("program version", "program_version"),
    ("git revision", "git_revision"), ("command line", "command_line"), ("seed", "seed"),
    ("threads", "threads"), ("ranks", "ranks"), ("started", "start_time"), ("finished", "end_time"),
    ("format version", "format_version"),
)
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1c2833;
       max-width: 1100px; margin: 0 auto; padding: 24px 32px 64px; line-height: 1.45; background: #fff; }
h1 { font-size: 1.7em; margin-bottom: 0.1em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #d5d8dc; padding-bottom: 4px; margin-top: 2em; }
.subtitle { color: #566573; margin-top: 0; }
.headline { background: #fdf2e9; border-left: 6px solid #c0392b; padding: 14px 20px; margin: 1em 0; }
.headline .value { font-size: 2.2em; font-weight: 700; color: #922b21; }
.headline .interval { font-size: 1.1em; }
.note { color: #566573; font-size: 0.9em; }
.warning { background: #fef9e7; border-left: 4px solid #f1c40f; padding: 8px 14px; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e5e8e8; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead th { background: #f4f6f6; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em; background: #f4f6f6; padding: 0 3px; }
figure { margin: 1.5em 0; }
figure svg { width: 100%; height: auto; }
figcaption { color: #566573; font-size: 0.9em; }
details pre { background: #f8f9f9; padding: 10px; overflow-x: auto; font-size: 0.85em; }
nav a { margin-right: 1em; }
table.calibration td:first-child { min-width: 24em; }
table.calibration td:last-child { white-space: nowrap; }
.wide { overflow-x: auto; max-width: 100%; }
th.factor { white-space: normal; max-width: 13em; }
"""


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _markdown_inline(text: str) -> str:
    """Escaped text with Markdown's `code`, **bold** and *italic* as HTML (MODEL.md's bullets)."""
    text = _e(text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"(?<![\w*])\*([^*]+)\*(?![\w*])", r"<em>\1</em>", text)


def figure_svg(figure, name: str) -> str:
    """A figure as an inline <svg> element: no XML prolog or DOCTYPE, text as paths (no fonts),
    ids made unique and reproducible by hashing with the figure's name."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": name}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    # The RDF metadata block names vocabularies by URL; it carries nothing the page needs.
    return re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)


def _money_or_unit(results, name: str):
    info = meta(results, name)
    return info, info.display_units


def _stat_cells(stats: _loss.Statistics, units: str, *, with_median: bool = True) -> str:
    cells = [stats.mean, stats.q05] + ([stats.q50] if with_median else []) + [stats.q95, stats.mc_standard_error]
    return "".join(f'<td class="num">{_e(format_value(v, units))}</td>' for v in cells)


def _stat_header(first: str, *, with_median: bool = True) -> str:
    columns = ["mean", "5 %"] + (["median"] if with_median else []) + ["95 %", "MC s.e."]
    return (f"<thead><tr><th>{first}</th><th>unit</th>"
            + "".join(f'<th class="num">{c}</th>' for c in columns) + "</tr></thead>")


def _quantity_row(results, name: str, label: str | None = None, values=None) -> str:
    info = meta(results, name)
    values = results.summary_dataset[name].values if values is None else values
    stats = _loss.statistics(info.to_display(values))
    return (f'<tr><td title="{_e(info.description)}">{_e(label or info.label)} <code>{_e(name)}</code></td>'
            f"<td>{_e(info.display_units)}</td>{_stat_cells(stats, info.display_units)}</tr>")


def _provenance(results: Results) -> str:
    rows = "".join(f"<tr><th>{_e(label)}</th><td><code>{_e(results.provenance[key])}</code></td></tr>"
                   for label, key in PROVENANCE_ROWS if key in results.provenance)
    return (f'<h2 id="provenance">Provenance</h2><table>{rows}'
            f"<tr><th>file</th><td><code>{_e(results.path)}</code></td></tr></table>"
            f"<details><summary>Resolved scenario (YAML, as the run used it)</summary>"
            f"<pre>{_e(results.scenario)}</pre></details>")


def _headline(results: Results, definition: _loss.LossDefinition) -> str:
    info = meta(results, definition.total)
    stats = _loss.statistics(info.to_display(results.summary_dataset[definition.total].values))
    replications = stats.replications
    parts = [f'<h2 id="headline">Headline: {_e(info.label)}</h2>',
             f'<div class="headline"><div class="value">{_e(format_value(stats.mean, info.display_units))} '
             f"{_e(info.display_units)}</div>"
             f'<div class="interval">90 % interval over {replications} replications: '
             f"{_e(format_value(stats.q05, info.display_units))} to {_e(format_value(stats.q95, info.display_units))}"
             f" {_e(info.display_units)} &middot; median {_e(format_value(stats.q50, info.display_units))}"
             f" &middot; Monte Carlo standard error of the mean "
             f"{_e(format_value(stats.mc_standard_error, info.display_units))}</div>"
             f'<p class="note"><code>{_e(definition.total)}</code>: {_e(info.description)}</p></div>']
    if not definition.is_loss_to_suspended:
        parts.append('<p class="warning">This file has no loss to the suspended businesses '
                     "(<code>loss_to_suspended_cents</code>); the headline is the net loss over all sellers, in "
                     "which competitors' gains offset the suspended businesses' losses (see Limits).</p>")
    parts.append('<p class="note">Mean and quantiles over replications; the Monte Carlo standard error is the '
                 "sample standard deviation over replications divided by the square root of their number: the "
                 "uncertainty of the mean from running finitely many replications, not the spread of outcomes.</p>")
    if definition.components:
        rows = []
        for (label, values), quantity in zip(_plot.component_values(results, definition),
                                             definition.component_quantities):
            stats_c = _loss.statistics(info.to_display(values.values))
            rows.append(f"<tr><td>{_e(label)}{f' <code>{_e(quantity)}</code>' if quantity else ''}</td>"
                        f"<td>{_e(info.display_units)}</td>{_stat_cells(stats_c, info.display_units)}</tr>")
        parts.append(f"<table>{_stat_header('component')}<tbody>{''.join(rows)}"
                     f"{_quantity_row(results, definition.total, 'total')}</tbody></table>")
    beside = [name for name in (*_loss.BESIDE_HEADLINE, "attributable_loss_cents")
              if name != definition.total and name in results.summary_dataset.data_vars
              and results.summary_dataset[name].dims == ("replication",)]
    if beside:
        parts.append("<h3>Beside the headline, never netted into it</h3>"
                     f"<table>{_stat_header('quantity')}<tbody>"
                     + "".join(_quantity_row(results, name) for name in beside) + "</tbody></table>")
    return "".join(parts)


def _summary_table(results: Results) -> str:
    names = [name for name, variable in results.summary_dataset.data_vars.items() if variable.dims == ("replication",)]
    rows = "".join(_quantity_row(results, name) for name in names)
    return (f'<h2 id="summary">Summary over the run</h2><p class="note">Every scalar summary quantity of the file, '
            f"per replication, then over replications (hover a name for its description). Money in US dollars.</p>"
            f"<table>{_stat_header('quantity')}<tbody>{rows}</tbody></table>")


def _calibration_section(results: Results) -> str:
    comparison = _calibration.compare(results)
    if comparison is None:
        return ""
    parts = ['<h2 id="calibration">Model against observed figures</h2>']
    if comparison.comparisons:
        rows = "".join(
            f"<tr><td><code>{_e(c.id)}</code><br><span class=\"note\">{_e(c.description)} Source: {_e(c.source)}."
            f"</span></td><td>{_e(c.status)}</td><td>{_e(c.unit)}</td>"
            f'<td class="num">{_e(format_value(c.low, c.unit))} ..<br>{_e(format_value(c.high, c.unit))}</td>'
            f'<td class="num">{_e(format_value(c.mean, c.unit))}</td>'
            f'<td class="num">{_e(format_value(c.q05, c.unit))} ..<br>{_e(format_value(c.q95, c.unit))}</td>'
            f"<td>{_e(c.verdict)}</td></tr>"
            for c in comparison.comparisons)
        parts.append("<table class=\"calibration\"><thead><tr><th>target</th><th>status</th><th>unit</th>"
                     "<th class=\"num\">observed</th><th class=\"num\">model mean</th>"
                     f"<th class=\"num\">model 5 % .. 95 %</th><th>verdict</th></tr></thead><tbody>{rows}</tbody></table>"
                     f'<p class="note">Targets from <code>{_e(comparison.targets_file)}</code>. Status: V found in '
                     "the named source; W only in a weak or interested source; A only the article's claim.</p>")
    if comparison.problem:
        parts.append(f'<p class="warning">{_e(comparison.problem)}</p>')
    return "".join(parts)


def _figures(results: Results, makers) -> str:
    parts = ['<h2 id="figures">Figures</h2>']
    for name, maker, caption in makers:
        try:
            figure = maker(results)
        except (KeyError, ValueError) as error:  # the file lacks what this figure needs: say so
            parts.append(f'<p class="note">{_e(name)}: not drawn ({_e(error)}).</p>')
            continue
        parts.append(f'<figure id="fig-{_e(name)}">{figure_svg(figure, name)}'
                     f"<figcaption>{_e(caption)}</figcaption></figure>")
    return "".join(parts)


def _limits_section(results: Results) -> str:
    try:
        limits = [limit for limit in _limits.read_limits() if _limits.applies(limit, results)]
    except (OSError, ValueError) as error:
        return (f'<h2 id="limits">Limits</h2><p class="warning">The model\'s documented limits could not be read '
                f"({_e(error)}); see docs/MODEL.md, section Known simplifications and limits.</p>")
    items = "".join(f"<li><strong>{_e(limit.title)}</strong>: {_markdown_inline(limit.text)}</li>" for limit in limits)
    return (f'<h2 id="limits">Limits</h2><p>The model\'s known simplifications that apply to this run '
            f"(from docs/MODEL.md, section Known simplifications and limits):</p><ul>{items}</ul>")


RUN_FIGURES = (
    ("weekly", _plot.weekly_overview, "Weekly series of the scenario and its counterfactual (the same run without "
     "the shock, same random numbers): median over replications with the 5-95 % band; the wave shaded."),
    ("loss-by-component", _plot.loss_by_component, "The headline loss by component."),
    ("loss-by-group", _plot.loss_by_group, "The headline loss by home region and by size class."),
    ("frozen-funds", _plot.frozen_funds_by_route, "Funds frozen over the run and how they were recovered or lost."),
    ("survival", _plot.survival_by_diversification, "Survival by the channels a business started with. "
     + _plot.SURVIVAL_CAVEAT),
)


def _page(results: Results, title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>\n")


def _run_page(results: Results) -> str:
    definition = _loss.definition(results)
    name = results.provenance.get("scenario_name", results.path.stem)
    replications = results.summary_dataset.sizes.get("replication", 0)
    weeks = results.timeseries.sizes.get("week", 0)
    dates = results.timeseries["date"].values if "date" in results.timeseries.coords else []
    period = f", {str(dates[0])[:10]} to {str(dates[-1])[:10]}" if len(dates) else ""
    body = [f"<h1>sellershock: {_e(name)}</h1>",
            f'<p class="subtitle">{replications} replications &times; {weeks} weeks{_e(period)}; written by '
            f"sellershock {_e(results.provenance.get('program_version', '?'))} at "
            f"{_e(results.provenance.get('end_time', '?'))}</p>",
            '<nav><a href="#headline">Headline</a><a href="#summary">Summary</a><a href="#figures">Figures</a>'
            '<a href="#limits">Limits</a><a href="#provenance">Provenance</a></nav>']
    if definition is not None:
        body.append(_headline(results, definition))
    else:
        body.append('<p class="warning">This run has no counterfactual, so no loss caused by the shock is '
                    "reported: only the scenario's own totals.</p>")
    body += [_summary_table(results), _calibration_section(results),
             _figures(results, RUN_FIGURES if definition else (RUN_FIGURES[0], *RUN_FIGURES[3:])),
             _limits_section(results), _provenance(results)]
    return _page(results, f"sellershock report: {name}", "".join(body))


def _dose_response_page(results: Results) -> str:
    summary = results.summary_dataset
    name = results.provenance.get("scenario_name", results.path.stem)
    levels = [str(level) for level in summary["off_platform_share"].values]
    names = [n for n, v in summary.data_vars.items() if v.dims == ("replication", "off_platform_share")]
    sections = []
    for quantity in names:
        info = meta(results, quantity)
        rows = "".join(
            f"<tr><td>{_e(level)}</td><td>{_e(info.display_units)}</td>"
            f"{_stat_cells(_loss.statistics(info.to_display(summary[quantity].sel(off_platform_share=level).values)), info.display_units)}</tr>"
            for level in levels)
        sections.append(f"<h3>{_e(info.label)} <code>{_e(quantity)}</code></h3><p class=\"note\">"
                        f"{_e(info.description)}</p><table>{_stat_header('off-platform share')}<tbody>{rows}</tbody></table>")
    body = [f"<h1>sellershock dose-response: {_e(name)}</h1>",
            f'<p class="subtitle">{summary.sizes.get("replication", 0)} replications at each of {len(levels)} '
            f"off-platform shares ({_e(', '.join(levels))}): every business sells that share of its sales off the "
            "dominant marketplace and nobody changes channels (docs/MODEL.md, Dose-response study).</p>",
            _figures(results, (("dose-response", _plot.dose_response,
                                "Loss per business by the share of sales made off the dominant marketplace."),)),
            '<h2 id="summary">By level</h2><p class="note">Mean and quantiles over replications; MC s.e. is the '
            "Monte Carlo standard error of the mean (sample standard deviation / &radic;replications).</p>",
            *sections, _limits_section(results), _provenance(results)]
    return _page(results, f"sellershock dose-response: {name}", "".join(body))


def is_dose_response(results: Results) -> bool:
    return "off_platform_share" in results.summary_dataset.dims


# --- Sweeps -------------------------------------------------------------------------------------------

SWEEP_PROVENANCE_ROWS = (
    ("sweep file", "sweep_file"), ("base scenario", "scenario_file"), ("program version", "program_version"),
    ("git revision", "git_revision"), ("command line", "command_line"), ("seed", "seed"),
    ("threads", "threads"), ("ranks", "ranks"), ("started", "start_time"), ("finished", "end_time"),
    ("wall time (s)", "wall_seconds"), ("format version", "format_version"),
)
DESIGN_DESCRIPTIONS = {
    "grid": "every combination of each factor's levels",
    "lhs": "a Latin hypercube: each factor's range cut into as many strata as points, one point in each",
    "sobol": "Saltelli's scheme on a Sobol sequence: N base samples give N (k + 2) points, for Sobol indices",
    "morris": "Morris trajectories: r trajectories of k + 1 points, one factor moving per step, for "
              "elementary effects",
}
# Beyond this many points the per-point table shows the first ones and says where the rest are.
POINT_TABLE_ROWS = 200


def is_sweep_file(path) -> bool:
    """Whether the file at `path` is a sweep's HDF5 file (@kind = "sweep"); False for anything else,
    including a missing or non-HDF5 file (which `load` then refuses with its own message)."""
    try:
        with h5py.File(path, "r") as f:
            kind = f.attrs.get("kind")
    except OSError:
        return False
    return (kind.decode() if isinstance(kind, bytes) else kind) == "sweep"


def _is_sweep(results) -> bool:
    return isinstance(results, xr.Dataset) and results.attrs.get("kind") == "sweep"


def _number(value) -> str:
    return f"{float(value):.6g}"


def _breakable_key(key: str) -> str:
    """A scenario key, escaped, that may wrap after its dots (long keys in narrow table headers)."""
    return _e(key).replace(".", ".<wbr>")


def _sweep_outputs(sweep: xr.Dataset) -> list[str]:
    return _plot._sweep_outputs(sweep)


def _sweep_design(sweep: xr.Dataset) -> str:
    attrs = sweep.attrs
    design = str(attrs.get("design", "?"))
    factors = [str(f) for f in sweep["factor"].values]
    points, replications = sweep.sizes["point"], sweep.sizes["replication"]
    rows = []
    for j, factor in enumerate(factors):
        values = np.unique(sweep[factor].values)
        spread = "log" if bool(sweep["log"].values[j]) else "linear"
        taken = (", ".join(_number(v) for v in values) if len(values) <= 8
                 else f"{len(values)} distinct values")
        rows.append(f"<tr><td><code>{_e(factor)}</code></td><td class=\"num\">{_e(_number(sweep['low'].values[j]))}</td>"
                    f"<td class=\"num\">{_e(_number(sweep['high'].values[j]))}</td><td>{spread}</td>"
                    f"<td>{_e(taken)}</td></tr>")
    outputs = []
    for name in _sweep_outputs(sweep):
        info = _plot._sweep_meta(sweep, name)
        outputs.append(f"<li>{_e(info.label)} <code>{_e(name)}</code> ({_e(info.display_units)}): "
                       f"{_e(info.description)}</li>")
    series = sorted(name for name in sweep.data_vars if name.endswith("_by_week"))
    return (f'<h2 id="design">Design</h2>'
            f"<p><strong>{_e(design)}</strong>: {_e(DESIGN_DESCRIPTIONS.get(design, ''))}. "
            f"{_e(attrs.get('samples', '?'))} samples give <strong>{points} points &times; {replications} "
            f"replications</strong> = {points * replications} runs, each with its counterfactual (the same run "
            f"without the shock). Replication r of every point uses the same random streams (seed "
            f"<code>{_e(attrs.get('seed', '?'))}</code>), so differences between points are not replication "
            f"noise. Base scenario <code>{_e(attrs.get('scenario_file', '?'))}</code> with the sweep file's "
            "fixed overrides (resolved below, under Provenance).</p>"
            "<table><thead><tr><th>factor (scenario key)</th><th class=\"num\">low</th><th class=\"num\">high</th>"
            f"<th>spread</th><th>values taken</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p>Outputs analysed (the sweep file's <code>outputs</code>):</p><ul>{''.join(outputs)}</ul>"
            + (f'<p class="note">Weekly series kept: {", ".join(f"<code>{_e(s)}</code>" for s in series)}.</p>'
               if series else ""))


def _sweep_figure(name: str, make, caption: str) -> str:
    try:
        figure = make()
    except (KeyError, ValueError) as error:
        return f'<p class="note">{_e(name)}: not drawn ({_e(error)}).</p>'
    return f'<figure id="fig-{_e(name)}">{figure_svg(figure, name)}<figcaption>{_e(caption)}</figcaption></figure>'


def _index(value: float) -> str:
    return f"{round(value, 3) + 0.0:.3f}"  # + 0.0: no "-0.000" for a tiny negative estimate


def _index_cell(value, low=None, high=None) -> str:
    text = "n/a" if not np.isfinite(value) else _index(value)
    if low is not None:
        text += f" [{_index(low)}, {_index(high)}]" if np.isfinite(low) and np.isfinite(high) else " [n/a]"
    return f'<td class="num">{_e(text)}</td>'


def _morris_value(sweep: xr.Dataset, name: str, output: str, factor: str, info) -> float:
    """A Morris statistic in display units; rounding noise of exact zeros (1e-17) shown as 0."""
    value = float(info.to_display(float(sweep[name].sel(output=output, factor=factor))))
    scale = float(np.nanmax(np.abs(info.to_display(sweep[name].sel(output=output).values))) or 1.0)
    return 0.0 if abs(value) < 1e-12 * max(scale, 1.0) else value


def _sweep_sensitivity(sweep: xr.Dataset) -> str:
    if "output" not in sweep.coords:
        return ""
    factors = [str(f) for f in sweep["factor"].values]
    parts = ['<h2 id="sensitivity">Sensitivity indices</h2>']
    for output in (str(o) for o in sweep["output"].values):
        info = _plot._sweep_meta(sweep, output)
        parts.append(f"<h3>{_e(info.label)} <code>{_e(output)}</code></h3>")
        parts.append(_sweep_figure(f"indices-{output}", lambda: _plot.sensitivity_indices(sweep, output),
                                   f"Sensitivity indices of {output}, one row per factor."))
        if "S1" in sweep:
            rows = "".join(
                f"<tr><td><code>{_e(factor)}</code></td>"
                + _index_cell(*(float(sweep[n].sel(output=output, factor=factor)) for n in ("S1", "S1_low", "S1_high")))
                + _index_cell(*(float(sweep[n].sel(output=output, factor=factor)) for n in ("ST", "ST_low", "ST_high")))
                + "</tr>" for factor in factors)
            parts.append('<table><thead><tr><th>factor</th><th class="num">first order S1 [95 % interval]</th>'
                         f'<th class="num">total ST [95 % interval]</th></tr></thead><tbody>{rows}</tbody></table>'
                         '<p class="note">Shares of the variance of the per-point mean over replications: S1 what '
                         "a factor explains alone, ST alone and in interaction with the others. Intervals: "
                         f"{_e(sweep.attrs.get('sensitivity_bootstrap_samples', '?'))} bootstrap resamples of the "
                         "base samples. An interval that contains 0 means \"not distinguishable from no effect\"; "
                         "wide intervals or estimates outside [0, 1] mean too few samples.</p>")
        else:
            rows = "".join(
                f"<tr><td><code>{_e(factor)}</code></td>"
                + "".join(f'<td class="num">{_e(format_value(_morris_value(sweep, n, output, factor, info), info.display_units))}</td>'
                          for n in ("mu_star", "mu", "sigma")) + "</tr>" for factor in factors)
            parts.append(f'<table><thead><tr><th>factor</th><th class="num">mu* ({_e(info.display_units)})</th>'
                         f'<th class="num">mu ({_e(info.display_units)})</th><th class="num">sigma '
                         f"({_e(info.display_units)})</th></tr></thead><tbody>{rows}</tbody></table>"
                         '<p class="note">Elementary effects per factor range: mu* the mean absolute change of the '
                         "output when the factor moves across its whole range, mu its signed mean, sigma their "
                         "standard deviation (interactions or non-linearity). No intervals: more trajectories "
                         "give stabler values.</p>")
    return "".join(parts)


def _sweep_point_table(sweep: xr.Dataset, path) -> str:
    factors = [str(f) for f in sweep["factor"].values]
    points = sweep.sizes["point"]
    shown = min(points, POINT_TABLE_ROWS)
    parts = ['<h2 id="points">Per point</h2>']
    if shown < points:
        parts.append(f'<p class="note">The first {shown} of {points} points; every point and replication: '
                     f"<code>sellershock summarize {_e(path or 'FILE.h5')} --format csv</code>.</p>")
    statistics = [str(s) for s in sweep["statistic"].values]
    for output in _sweep_outputs(sweep):
        info = _plot._sweep_meta(sweep, output)
        stats = sweep[f"{output}_statistics"]
        columns = [c for c in ("mean", "q05", "q50", "q95", "standard_error") if c in statistics]
        header = ("<thead><tr><th class=\"num\">point</th>"
                  + "".join(f'<th class="num factor"><code>{_breakable_key(f)}</code></th>' for f in factors)
                  + "".join(f'<th class="num">{label}</th>' for label in
                            [{"mean": "mean", "q05": "5 %", "q50": "median", "q95": "95 %",
                              "standard_error": "MC s.e."}[c] for c in columns]) + "</tr></thead>")
        values = {c: info.to_display(stats.sel(statistic=c).values) for c in columns}
        rows = "".join(
            f'<tr><td class="num">{p}</td>'
            + "".join(f'<td class="num">{_e(_number(sweep[f].values[p]))}</td>' for f in factors)
            + "".join(f'<td class="num">{_e(format_value(values[c][p], info.display_units))}</td>' for c in columns)
            + "</tr>" for p in range(shown))
        parts.append(f"<h3>{_e(info.label)} <code>{_e(output)}</code> ({_e(info.display_units)})</h3>"
                     f'<div class="wide"><table>{header}<tbody>{rows}</tbody></table></div>')
    parts.append(f'<p class="note">Statistics over the {sweep.sizes["replication"]} replications of each point; '
                 "MC s.e. is the Monte Carlo standard error of the mean (sample standard deviation / "
                 "&radic;replications).</p>")
    return "".join(parts)


def _sweep_limits(sweep: xr.Dataset) -> str:
    """The model's limits that apply to the base scenario (as for a run of it)."""
    def scenario_data():
        import yaml
        return yaml.safe_load(sweep.attrs.get("scenario", "")) or {}
    as_results = SimpleNamespace(scenario_data=scenario_data, summary_dataset=sweep)
    return _limits_section(as_results).replace("apply to this run", "apply to this sweep's runs")


def _sweep_provenance(sweep: xr.Dataset, path) -> str:
    attrs = sweep.attrs
    rows = "".join(f"<tr><th>{_e(label)}</th><td><code>{_e(attrs[key])}</code></td></tr>"
                   for label, key in SWEEP_PROVENANCE_ROWS if key in attrs)
    file_row = f"<tr><th>file</th><td><code>{_e(path)}</code></td></tr>" if path else ""
    return (f'<h2 id="provenance">Provenance</h2><table>{rows}{file_row}</table>'
            f"<details open><summary>The sweep file (as run)</summary><pre>{_e(attrs.get('sweep', ''))}</pre></details>"
            f"<details><summary>Resolved base scenario (YAML, with the fixed overrides; each point adds its factor "
            f"values and the seed)</summary><pre>{_e(attrs.get('scenario', ''))}</pre></details>")


def _sweep_page(sweep: xr.Dataset, path=None) -> str:
    attrs = sweep.attrs
    name = Path(str(attrs.get("sweep_file", path or "sweep"))).stem
    outputs = _sweep_outputs(sweep)
    has_indices = "output" in sweep.coords
    body = [f"<h1>sellershock sweep: {_e(name)}</h1>",
            f'<p class="subtitle">{_e(attrs.get("design", "?"))} design, {sweep.sizes["point"]} points &times; '
            f'{sweep.sizes["replication"]} replications of <code>{_e(attrs.get("scenario_file", "?"))}</code>; '
            f"written by sellershock {_e(attrs.get('program_version', '?'))} at {_e(attrs.get('end_time', '?'))}</p>",
            '<nav><a href="#design">Design</a>' + ('<a href="#sensitivity">Indices</a>' if has_indices else "")
            + '<a href="#response">Response curves</a><a href="#scatter">Scatter matrix</a>'
            '<a href="#points">Per point</a><a href="#limits">Limits</a><a href="#provenance">Provenance</a></nav>',
            _sweep_design(sweep), _sweep_sensitivity(sweep), '<h2 id="response">Response curves</h2>']
    for output in outputs:
        body.append(_sweep_figure(f"response-{output}", lambda: _plot.response_curves(sweep, output),
                                  f"{output} against each factor: the mean over replications at each point with "
                                  "its 5-95 % range, and the mean of the points in bins of the factor. The other "
                                  "factors vary between points, so the spread at one factor value is theirs too."))
    body += ['<h2 id="scatter">Scatter matrix</h2>',
             _sweep_figure("scatter", lambda: _plot.scatter_matrix(sweep, outputs),
                           "Factors and analysed outputs pairwise, one dot per point (outputs: mean over "
                           "replications); histograms on the diagonal."),
             _sweep_point_table(sweep, path), _sweep_limits(sweep), _sweep_provenance(sweep, path)]
    return _page(sweep, f"sellershock sweep report: {name}", "".join(body))


def build(results) -> str:
    """The report of a result (Results, a sweep's Dataset, or a path to either file) as one HTML document."""
    if _is_sweep(results):
        return _sweep_page(results)
    if not isinstance(results, Results):
        if is_sweep_file(results):
            return _sweep_page(load_sweep(results), results)
        results = load(results)
    return _dose_response_page(results) if is_dose_response(results) else _run_page(results)


def write(path, output=None) -> Path:
    """Writes the report of the file at `path` (a run's, a dose-response study's or a sweep's) to
    `output` (default: path with .html) and returns where. Raises FileNotFoundError / ValueError as
    `load` does."""
    path = Path(path)
    output = Path(output) if output else path.with_suffix(".html")
    page = build(path)  # a run's, a dose-response study's or a sweep's page, by the file's kind
    temporary = output.with_name(f".{output.name}.tmp")
    temporary.write_text(page, encoding="utf-8")
    temporary.replace(output)
    return output


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m sellershock.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("file", help="sellershock output file (.h5) of a run, a dose-response study or a sweep")
    parser.add_argument("-o", "--output", help="HTML file to write (default: FILE with .html)")
    args = parser.parse_args(argv)
    try:
        output = write(args.file, args.output)
    except (FileNotFoundError, ValueError, OSError) as error:
        print(f"sellershock.report: {error}", file=sys.stderr)
        return 2
    print(f"report written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
