"""One self-contained HTML report of a sellershock output file.

    /usr/bin/python3 -m sellershock.report FILE.h5 [-o REPORT.html]     (default: FILE.html)

The page needs nothing but itself: figures are inline SVG (text drawn as paths, so no font is
needed), the style sheet is inline, there is no script, and a Content-Security-Policy forbids
fetching anything else. It holds the provenance (with the resolved scenario), the headline loss
with its 90 % interval and Monte Carlo standard error, the summary table, the calibration
comparison when the scenario names targets, the figures, and the model's limits that apply.
A dose-response file gets a simpler page: the loss per business at each level.
"""

from __future__ import annotations

import argparse
import html
import io
import re
import sys
from pathlib import Path

import matplotlib

from . import calibration as _calibration
from . import limits as _limits
from . import loss as _loss
from . import plot as _plot
from .io import Results, load
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


def build(results) -> str:
    """The report of a result (or a path to one) as one HTML document."""
    if not isinstance(results, Results):
        results = load(results)
    return _dose_response_page(results) if is_dose_response(results) else _run_page(results)


def write(path, output=None) -> Path:
    """Writes the report of the file at `path` to `output` (default: path with .html) and returns
    where. Raises FileNotFoundError / ValueError as `load` does."""
    path = Path(path)
    output = Path(output) if output else path.with_suffix(".html")
    page = build(load(path))
    temporary = output.with_name(f".{output.name}.tmp")
    temporary.write_text(page, encoding="utf-8")
    temporary.replace(output)
    return output


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m sellershock.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("file", help="sellershock output file (.h5) of a run or a dose-response study")
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
