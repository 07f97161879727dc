"""python3 -m sellershock.report: the HTML it writes, for a run or a sweep, holds what it claims,
references nothing outside itself, and renders in a real browser (Debian's headless Chromium) to a page
that is not blank; a Content-Security-Policy that forbids fetching is present and, in the same browser,
stops a fetch that a page without it makes."""

import html.parser
import os
import re
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest

import sellershock
import sellershock.plot
from sellershock import report
from test_cli import ROOT
from test_plot import SUSPENDED_LABEL, strip_loss_to_suspended, dose_path  # noqa: F401  (fixture)
from test_sweep import HEADER as SWEEP_HEADER, TWO_FACTORS as SWEEP_FACTORS, run_sweep

CHROMIUM = Path("/usr/bin/chromium")
WINDOW = (1200, 6000)  # the whole page of a run: tables, then the figures
SWEEP_WINDOW = (1200, 3000)  # the top of a sweep's page: the design, indices and response curves
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium(*arguments, timeout=120):
    """Runs headless Chromium with a throw-away profile; fails (never skips) when it is missing."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"{CHROMIUM} not found: the report is checked in a real browser. Run ./test.sh's set-up "
                    "(scripts/setup.sh installs the Debian package chromium), or apt-get install chromium.",
                    pytrace=False)
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *map(str, arguments)],
                              capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def report_path(output_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    finished = subprocess.run([sys.executable, "-m", "sellershock.report", str(output_path), "-o", str(out)],
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "analysis")},
                              capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == f"report written to {out}"
    return out


def _report_of(h5, out):
    finished = subprocess.run([sys.executable, "-m", "sellershock.report", str(h5), "-o", str(out)],
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "analysis")},
                              capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == f"report written to {out}"
    return out


@pytest.fixture(scope="module")
def sweep_path(tmp_path_factory):
    """A Sobol sweep of the tiny scenario (16 points x 2 replications) with two analysed outputs."""
    finished, out = run_sweep(tmp_path_factory.mktemp("sweep"), SWEEP_HEADER + SWEEP_FACTORS
                              + "design: sobol\nsamples: 4\nreplications: 2\nbootstrap_samples: 100\nseed: 5\n"
                              "outputs: [loss_to_suspended_cents, exits]\n", name="sobol.yaml")
    assert finished.returncode == 0, finished.stderr
    return out


@pytest.fixture(scope="module")
def sweep_report_path(sweep_path, tmp_path_factory):
    return _report_of(sweep_path, tmp_path_factory.mktemp("sweep-report") / "sweep.html")


class References(html.parser.HTMLParser):
    """Every attribute value that could make a browser fetch something, and every tag."""

    FETCHING = {"src", "href", "xlink:href", "srcset", "data", "poster", "action", "background", "formaction"}

    def __init__(self):
        super().__init__()
        self.references, self.tags, self.csp = [], set(), None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        attributes = dict(attrs)
        self.references += [value for name, value in attrs if name in self.FETCHING and value is not None]
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp = attributes.get("content")

    handle_startendtag = handle_starttag


def parse(page):
    parser = References()
    parser.feed(page)
    return parser


@pytest.mark.parametrize("page_fixture", ["report_path", "sweep_report_path"])
def test_the_report_references_nothing_outside_itself(page_fixture, request):
    page = request.getfixturevalue(page_fixture).read_text(encoding="utf-8")
    parsed = parse(page)
    assert parsed.csp == report.CONTENT_SECURITY_POLICY == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert not parsed.tags & {"script", "link", "iframe", "object", "embed", "img", "video", "audio", "base"}
    # Links and SVG references are fragments of the page itself.
    assert parsed.references and all(value.startswith("#") for value in parsed.references), parsed.references
    assert not re.search(r"url\(\s*['\"]?(?!#)", page) and "@import" not in page and "@font-face" not in page
    assert "<svg" in page and "<!DOCTYPE svg" not in page and "<?xml" not in page


def test_the_report_states_provenance_headline_and_limits(output_path, report_path):
    page = report_path.read_text(encoding="utf-8")
    results = sellershock.load(output_path)
    for key in ("program_version", "git_revision", "seed", "threads", "start_time", "end_time"):
        assert f"<code>{results.provenance[key]}</code>" in page, key
    assert report._e(results.provenance["command_line"]) in page
    assert re.search(r"<details><summary>Resolved scenario.*?</summary><pre>", page)
    assert report._e(results.scenario.strip().splitlines()[0]) in page
    # The headline: mean, 90 % interval and Monte Carlo standard error of the loss to the suspended
    # businesses, in dollars.
    dollars = results.summary["loss_to_suspended_cents"].to_numpy(float) / 100
    q05, q95 = np.quantile(dollars, [0.05, 0.95])
    error = dollars.std(ddof=1) / np.sqrt(dollars.size)
    headline = page[page.index('<div class="headline">'):page.index('id="summary"')]
    assert f"{dollars.mean():,.0f} USD" in headline
    assert f"{q05:,.0f} to {q95:,.0f} USD" in headline
    assert f"standard error of the mean {error:,.0f}" in headline
    assert "<code>loss_to_suspended_cents</code>" in headline
    # Every scalar summary quantity is in the summary table; every figure is there.
    for name in results.statistics.index:
        assert f"<code>{name}</code>" in page, name
    assert page.count("<figure") == len(report.RUN_FIGURES)
    assert report._e(sellershock.plot.SURVIVAL_CAVEAT) in page  # also drawn (as paths) in the figure
    # Limits from docs/MODEL.md: the ones that apply (no platform events in the tiny scenario).
    limits_html = page[page.index('id="limits"'):page.index('id="provenance"')]
    assert "<strong>Legal</strong>" in limits_html and "<strong>Scale</strong>" in limits_html
    assert "Platform investments" not in limits_html
    assert "Model against observed figures" not in page  # the tiny scenario names no targets


def test_the_headline_is_the_loss_to_the_suspended_businesses_when_the_file_has_it(output_path, tmp_path):
    page = report.build(output_path)
    headline = page[page.index('id="headline"'):page.index('id="summary"')]
    assert SUSPENDED_LABEL in headline and "<code>loss_to_suspended_cents</code>" in headline
    assert "This file has no loss to the suspended businesses" not in headline
    assert "Beside the headline" in headline and "<code>attributable_loss_cents</code>" in headline
    # An older file without it: the net loss, said to be the fallback.
    old = report.build(strip_loss_to_suspended(output_path, tmp_path / "old.h5"))
    old_headline = old[old.index('id="headline"'):old.index('id="summary"')]
    assert "This file has no loss to the suspended businesses" in old_headline
    assert "<code>attributable_loss_cents</code>" in old_headline


def test_calibration_comparison_when_the_scenario_names_targets(tmp_path):
    out = tmp_path / "dongguan.h5"
    from test_cli import sellershock as run_sellershock
    finished = run_sellershock("run", "scenarios/dongguan-2021.yaml", "-o", out, "-r", 2, "-j", 1, "--set",
                               "sellers.count=1500", "--set", "buyers.count=1500", "--set", "weeks=30", "--quiet")
    assert finished.returncode == 0, finished.stderr
    page = report.build(out)
    section = page[page.index('id="calibration"'):page.index('id="figures"')]
    results = sellershock.load(out)
    for target in results.scenario_data()["calibration"]["targets"]:
        assert f"<code>{target}</code>" in section
    # The same verdicts the run printed.
    printed = [re.search(r"(inside|(?:below|above) by \S+)$", line).group(1)
               for line in finished.stdout.splitlines() if line.startswith(tuple(results.scenario_data()["calibration"]["targets"]))]
    assert printed
    for verdict in printed:
        assert f"<td>{verdict}</td>" in section


def test_dose_response_file_gets_its_own_page(dose_path, tmp_path):
    out = report.write(dose_path, tmp_path / "dose.html")
    page = out.read_text(encoding="utf-8")
    assert "dose-response" in page and page.count("<figure") == 1 and "<code>loss_per_seller_cents</code>" in page
    assert parse(page).csp == report.CONTENT_SECURITY_POLICY


def test_the_command_line_defaults_to_the_file_name_and_refuses_a_missing_file(output_path, tmp_path):
    copy = tmp_path / "run.h5"
    copy.write_bytes(output_path.read_bytes())
    env = {**os.environ, "PYTHONPATH": str(ROOT / "analysis")}
    finished = subprocess.run([sys.executable, "-m", "sellershock.report", str(copy)], env=env,
                              capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0 and (tmp_path / "run.html").is_file()
    assert str(tmp_path / "run.html") in finished.stdout
    missing = subprocess.run([sys.executable, "-m", "sellershock.report", str(tmp_path / "none.h5")], env=env,
                             capture_output=True, text=True, timeout=300)
    assert missing.returncode == 2 and "none.h5" in missing.stderr and not (tmp_path / "none.html").exists()


@pytest.mark.parametrize("page_fixture, window", [("report_path", WINDOW), ("sweep_report_path", SWEEP_WINDOW)])
def test_chromium_renders_the_report_to_a_page_that_is_not_blank(page_fixture, window, request, tmp_path):
    report_path = request.getfixturevalue(page_fixture)
    screenshot = tmp_path / "report.png"
    finished = chromium(f"--screenshot={screenshot}", f"--window-size={window[0]},{window[1]}",
                        report_path.as_uri())
    assert finished.returncode == 0 and screenshot.is_file(), finished.stderr[-2000:]
    pixels = matplotlib.image.imread(screenshot)[..., :3]
    assert pixels.shape[:2] == (window[1], window[0])
    # Not blank: the whole page varies, and so does each third of it (text, tables, figures).
    assert pixels.std() > 0.05
    for third in np.array_split(pixels, 3, axis=0):
        assert third.std() > 0.02
    # Some of it is the figures' colours (the scenario's red), not only black text on white.
    red = (pixels[..., 0] > 0.6) & (pixels[..., 1] < 0.4) & (pixels[..., 2] < 0.4)
    assert red.sum() > 2000
    keep = os.environ.get("SELLERSHOCK_KEEP_SCREENSHOT")
    if keep:
        Path(keep).with_stem(Path(keep).stem + ("" if page_fixture == "report_path" else "-sweep")).write_bytes(
            screenshot.read_bytes())


def test_chromium_sees_the_headline_in_the_rendered_dom(report_path, output_path):
    finished = chromium("--dump-dom", report_path.as_uri())
    assert finished.returncode == 0, finished.stderr[-2000:]
    dom = finished.stdout
    assert 'class="headline"' in dom and "<svg" in dom and "Limits" in dom
    assert sellershock.load(output_path).provenance["git_revision"] in dom


class _Recorder(BaseHTTPRequestHandler):
    requests: list = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_content_security_policy_stops_fetches_in_chromium(report_path, tmp_path):
    """A probe image pointing at a local server is added to a copy of the report: with the report's CSP
    Chromium does not request it; without the CSP it does (so the probe would have seen a fetch)."""
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        page = report_path.read_text(encoding="utf-8")
        probe = f'<img src="http://127.0.0.1:{server.server_port}/probe-PAGE.png" alt="">'
        meta = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>', page).group(0)
        with_policy = tmp_path / "with.html"
        with_policy.write_text(page.replace("<body>", "<body>" + probe.replace("PAGE", "with"), 1), encoding="utf-8")
        without_policy = tmp_path / "without.html"
        without_policy.write_text(page.replace(meta, "").replace("<body>", "<body>" + probe.replace("PAGE", "without"), 1),
                                  encoding="utf-8")
        for page_path in (with_policy, without_policy):
            finished = chromium("--dump-dom", "--virtual-time-budget=3000", page_path.as_uri())
            assert finished.returncode == 0, finished.stderr[-2000:]
    finally:
        server.shutdown()
        thread.join()
    assert "/probe-without.png" in _Recorder.requests, _Recorder.requests
    assert "/probe-with.png" not in _Recorder.requests, _Recorder.requests


def test_the_sweep_report_states_design_indices_points_and_provenance(sweep_path, sweep_report_path):
    page = sweep_report_path.read_text(encoding="utf-8")
    ds = sellershock.load_sweep(sweep_path)
    # Provenance: version, revision, command line, seed, and the sweep file's text and resolved scenario.
    for key in ("program_version", "git_revision", "seed", "threads", "start_time", "end_time"):
        assert f"<code>{report._e(ds.attrs[key])}</code>" in page, key
    assert report._e(ds.attrs["command_line"]) in page
    assert f"<pre>{report._e(ds.attrs['sweep'])}</pre>" in page
    assert report._e(ds.attrs["scenario"].strip().splitlines()[0]) in page
    # The design: its kind, points x replications, each factor with its bounds and spread.
    design = page[page.index('id="design"'):page.index('id="sensitivity"')]
    assert "<strong>sobol</strong>" in design
    assert f"<strong>{ds.sizes['point']} points &times; {ds.sizes['replication']} replications</strong>" in design
    for factor, low, high, log in zip(ds["factor"].values, ds["low"].values, ds["high"].values, ds["log"].values):
        assert (f"<tr><td><code>{report._e(factor)}</code></td><td class=\"num\">{low:.6g}</td>"
                f"<td class=\"num\">{high:.6g}</td><td>{'log' if log else 'linear'}</td>") in design
    # Indices: every analysed output, each factor's S1 and ST with their intervals as in the file.
    indices = page[page.index('id="sensitivity"'):page.index('id="response"')]
    for output in ("loss_to_suspended_cents", "exits"):
        assert f'id="fig-indices-{output}"' in indices
        for factor in ds["factor"].values:
            row = ds.sel(output=output, factor=factor)
            cells = [f"{float(row[n]):.3f} [{float(row[n + '_low']):.3f}, {float(row[n + '_high']):.3f}]"
                     .replace("-0.000", "0.000")  # a tiny negative estimate is shown as 0.000
                     if np.isfinite(float(row[n])) else None for n in ("S1", "ST")]
            for cell in filter(None, cells):
                assert cell in indices, (output, factor, cell)
    # Response curves per analysed output and one scatter matrix; every figure inline.
    assert page.count("<figure") == 2 + 2 + 1
    assert 'id="fig-response-loss_to_suspended_cents"' in page and 'id="fig-scatter"' in page
    # The per-point table: one row per point for each output, the mean in dollars.
    points = page[page.index('id="points"'):page.index('id="limits"')]
    loss_table = points[:points.index("<code>exits</code>")]
    assert loss_table.count('<tr><td class="num">') == ds.sizes["point"]
    mean = ds["loss_to_suspended_cents_statistics"].sel(statistic="mean").values / 100
    assert f'<td class="num">{mean[3]:,.0f}</td>' in loss_table
    assert "<strong>Scale</strong>" in page[page.index('id="limits"'):]


def test_a_morris_or_grid_sweep_gets_its_own_indices_or_none(tmp_path):
    """report.build takes the Dataset that sellershock.sweep returns, as well as a file."""
    morris_file = tmp_path / "morris.yaml"
    morris_file.write_text(SWEEP_HEADER + SWEEP_FACTORS + "design: morris\nsamples: 2\nreplications: 1\n"
                           "outputs: [loss_to_suspended_cents]\n")
    morris = sellershock.sweep(morris_file, threads=2)
    page = report.build(morris)
    indices = page[page.index('id="sensitivity"'):page.index('id="response"')]
    assert "mu* (USD)" in indices and "S1" not in indices
    mu_star = morris["mu_star"].sel(output="loss_to_suspended_cents").values / 100
    for value in mu_star:
        assert f'<td class="num">{value:,.0f}</td>' in indices
    assert parse(page).csp == report.CONTENT_SECURITY_POLICY

    grid_file = tmp_path / "grid.yaml"
    grid_file.write_text(SWEEP_HEADER + SWEEP_FACTORS + "design: grid\nsamples: 2\nreplications: 1\n")
    grid = sellershock.sweep(grid_file, threads=2)
    page = report.build(grid)
    assert 'id="sensitivity"' not in page and 'href="#sensitivity"' not in page
    assert page.count('<tr><td class="num">') == grid.sizes["point"]  # the default output's table
    assert page.count("<figure") == 1 + 1  # its response curves and the scatter matrix
