"""The model against the observed figures a scenario names (`calibration.targets`), rebuilt from an
output file: the same comparison `sellershock run` prints (sim/run/calibration.hpp).

The file stores the resolved scenario (target ids and `calibration.targets_file`, relative to the
scenario file) but not the targets themselves, so the targets CSV is read from where the scenario
file was (`@scenario_file`, relative to the directory the run was started in, which is tried as the
current directory, the output file's directory and its parent, and the repository this package
sits in).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPOSITORY = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Comparison:
    """One target against the run, in natural units (US dollars for a metric in cents)."""

    id: str
    description: str
    metric: str
    unit: str
    source: str
    status: str
    low: float
    high: float
    mean: float
    q05: float
    q95: float

    @property
    def verdict(self) -> str:
        """"inside" the observed range, else "below by N%" / "above by N%" of the nearest bound."""
        if self.low <= self.mean <= self.high:
            return "inside"
        below = self.mean < self.low
        bound = self.low if below else self.high
        gap = abs(self.mean - bound)
        share = f"{100.0 * gap / abs(bound):.0f}%" if bound else "n/a"
        return f"{'below' if below else 'above'} by {share}"


@dataclass(frozen=True)
class Calibration:
    """The comparisons, or why there are none although the scenario names targets."""

    target_ids: tuple[str, ...]
    comparisons: tuple[Comparison, ...]
    problem: str = ""           # e.g. the targets file was not found
    targets_file: Path | None = None


def _targets_file(results, relative: str) -> Path | None:
    scenario_file = Path(str(results.provenance.get("scenario_file", "")))
    if scenario_file.is_absolute():
        bases = [Path("/")]
    else:
        output_dir = Path(results.path).resolve().parent
        bases = [Path.cwd(), output_dir, output_dir.parent, REPOSITORY]
    for base in bases:
        candidate = (base / scenario_file).parent / relative
        if candidate.is_file():
            return candidate.resolve()
    return None


def compare(results) -> Calibration | None:
    """The calibration comparison of `results`, or None when its scenario names no targets."""
    scenario = results.scenario_data() or {}
    settings = scenario.get("calibration") or {}
    ids = tuple(str(target) for target in settings.get("targets") or [])
    if not ids:
        return None
    relative = str(settings.get("targets_file", "../data/calibration_targets.csv"))
    path = _targets_file(results, relative)
    if path is None:
        return Calibration(ids, (), problem=(
            f"the scenario names calibration targets ({', '.join(ids)}) but their file '{relative}' "
            f"(relative to {results.provenance.get('scenario_file', 'the scenario file')}) was not found "
            "from here; the comparison is printed by `sellershock run`"))
    with open(path, newline="", encoding="utf-8") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    comparisons, missing = [], []
    for target in ids:
        row = rows.get(target)
        metric = (row or {}).get("metric", "")
        if row is None or not metric or metric not in results.summary.columns:
            missing.append(target)
            continue
        values = results.summary[metric].to_numpy(dtype=float)
        if metric.endswith("_cents"):
            values = values / 100.0
        q05, q95 = np.quantile(values, [0.05, 0.95])
        comparisons.append(Comparison(
            id=target, description=row["description"], metric=metric, unit=row["unit"], source=row["source"],
            status=row["status"], low=float(row["low"]), high=float(row["high"]), mean=float(values.mean()),
            q05=float(q05), q95=float(q95)))
    problem = (f"no comparison for {', '.join(missing)}: not in {path} or the run has no such scalar quantity"
               if missing else "")
    return Calibration(ids, tuple(comparisons), problem=problem, targets_file=path)
