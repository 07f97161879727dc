"""Running scenarios and sweeps from Python through the C++ library (the module sellershock._engine,
sim/python).

    >>> results = sellershock.run("scenarios/default.yaml", overrides={"sellers.count": 500},
    ...                           replications=4, seed=1, threads=2)
    >>> results.statistics.loc["loss_to_suspended_cents"]
    >>> ds = sellershock.sweep("sweeps/lhs-2-factor.yaml", replications=2, threads=2)
    >>> ds["loss_to_suspended_cents"].mean("replication")

sweep returns the same xarray Dataset as sellershock.load_sweep of the file `sellershock sweep` writes
for the same sweep file (identical design, summaries, statistics, indices and kept series; the
provenance's times, thread count and command line differ), in memory unless output= is given.

The run is made in memory and returns the same Results as sellershock.load of the file that
`sellershock run` writes with the same scenario, overrides and seed (identical series and summaries);
with output= it writes that file instead and loads it. Ctrl-C stops the run (KeyboardInterrupt); bad
input raises InputError (a ValueError) with the command line's message, file:line:column first.

Where the module is found: $SELLERSHOCK_ENGINE (the module file, or the directory that holds it),
else python/sellershock/ next to $SELLERSHOCK_EXE, else the release build of this repository
(build/release/python/sellershock/, which ./run.sh and ./test.sh build).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from . import paths
from .io import Results, load, results_from_datasets
from .sweep import load_sweep, sweep_dataset

_MODULE_NAME = "sellershock._engine"


class InputError(ValueError):
    """Bad input: scenario file, override or argument. The message is the command line's (file:line:
    column: key: what was expected). Raised in place of the engine's own InputError."""


def _engine_candidates() -> list[Path]:
    configured = os.environ.get("SELLERSHOCK_ENGINE")
    if configured:
        return [Path(configured)]
    candidates = []
    executable = os.environ.get("SELLERSHOCK_EXE")
    if executable:
        candidates.append(Path(executable).resolve().parent / "python" / "sellershock")
    candidates.append(paths.repository() / "build" / "release" / "python" / "sellershock")
    return candidates


def _module_file(candidate: Path) -> Path | None:
    if candidate.is_file():
        return candidate
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        if (candidate / f"_engine{suffix}").is_file():
            return candidate / f"_engine{suffix}"
    return None


def engine():
    """The compiled module, loaded once (see the module docstring for where it is looked for).
    Raises ImportError saying how to build it."""
    if _MODULE_NAME in sys.modules:
        return sys.modules[_MODULE_NAME]
    candidates = _engine_candidates()
    for candidate in candidates:
        module_file = _module_file(candidate)
        if module_file is None:
            continue
        spec = importlib.util.spec_from_file_location(_MODULE_NAME, module_file)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules[_MODULE_NAME] = module
        return module
    raise ImportError(
        "the sellershock engine module (_engine) is not built; looked in "
        + ", ".join(str(c) for c in candidates)
        + ": run ./run.sh or `cmake --preset release && cmake --build --preset release` (needs pybind11-dev "
        "and python3-dev, which scripts/setup.sh installs), or set SELLERSHOCK_ENGINE to the module file")


def _yaml_value(value) -> str:
    """A Python value as the YAML text of a --set override (strings are passed as typed, so
    "0.8" and "[a, b]" are parsed as YAML exactly as on the command line)."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return repr(value.item() if isinstance(value, np.generic) else value)
    return json.dumps(value)  # lists and mappings: JSON is YAML


def _override_strings(overrides) -> list[str]:
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        return [f"{key}={_yaml_value(value)}" for key, value in overrides.items()]
    if isinstance(overrides, str) or not isinstance(overrides, Iterable):
        raise TypeError("overrides: expected a mapping {key: value} or a list of 'KEY=VALUE' strings")
    return [str(item) for item in overrides]


def _command_line(scenario: str, overrides: list[str], replications, seed, threads, output) -> str:
    """The provenance's command line: the call as the user could type it again."""
    arguments = [repr(scenario)]
    if overrides:
        arguments.append(f"overrides={overrides!r}")
    for name, value in (("replications", replications), ("seed", seed), ("threads", threads or None),
                        ("output", output)):
        if value is not None:
            arguments.append(f"{name}={value!r}")
    return f"sellershock.run({', '.join(arguments)})"


def _axis_coordinate(axis: dict) -> xr.Variable:
    values = np.array(axis["labels"], dtype=object) if "labels" in axis else np.asarray(axis["values"], np.int64)
    return xr.Variable((axis["name"],), values, {"description": axis["description"],
                                                 "long_name": axis["description"]})


def _attributes(spec: dict, description: str, long_name: str, time_dim: str | None) -> dict:
    """The attributes the HDF5 writer gives a variable (write_description, write_measure)."""
    attributes = {}
    if spec["unit"]:
        attributes["units"] = spec["unit"]
    attributes["long_name"] = long_name or description
    attributes["description"] = description
    if time_dim and spec["measure"]:
        attributes["measure"] = spec["measure"]
        attributes["cell_methods"] = f"{time_dim}: {'point' if spec['measure'] == 'stock' else 'sum'}"
    return attributes


def _datasets(raw: dict) -> tuple[xr.Dataset, xr.Dataset]:
    """The /timeseries and /summary groups as `load` reads them, from the engine's arrays."""
    layout = raw["layout"]
    axes = {axis["name"]: axis for axis in layout["axes"]}
    replications = next(iter(raw["summary"].values()), next(iter(raw["series"].values()), np.empty(0))).shape[0]
    replication = axes.get("replication") or {
        "name": "replication", "description": "replication index", "values": np.arange(replications)}
    ordered_axes = [replication, *(axis for axis in layout["axes"] if axis["name"] != "replication")]

    coordinates = {axis["name"]: _axis_coordinate(axis) for axis in ordered_axes}
    if layout["start_date"] and "week" in axes:
        start = pd.Timestamp(layout["start_date"])
        weeks = np.asarray(axes["week"]["values"], np.int64)
        dates = pd.to_datetime([(start + pd.Timedelta(days=7 * int(w))).strftime("%Y-%m-%d") for w in weeks])
        description = "calendar date (ISO 8601) of the first day of the week"
        coordinates["date"] = xr.Variable(("week",), dates.values, {"description": description,
                                                                    "long_name": description})
    series = {
        spec["name"]: xr.Variable(tuple(spec["dims"]), raw["series"][spec["name"]],
                                  _attributes(spec, spec["description"], spec["long_name"], "week"))
        for spec in layout["series"]
    }
    timeseries = xr.Dataset(series, coords=coordinates,
                            attrs={"start_date": layout["start_date"]} if layout["start_date"] else {})

    used = {dim for spec in layout["summary"] for dim in spec["dims"]}
    statistic = {"name": "statistic", "description": raw["statistic_description"],
                 "labels": list(raw["statistic_labels"])}
    summary_axes = [replication, statistic, *(axis for axis in layout["axes"] if axis["name"] in used)]
    summary_variables = {}
    for spec in layout["summary"]:
        name = spec["name"]
        summary_variables[name] = xr.Variable(("replication", *spec["dims"]), raw["summary"][name],
                                              _attributes(spec, spec["description"], spec["long_name"], "run"))
        statistics_description = spec["description"] + " (statistics over replications)"
        summary_variables[f"{name}_statistics"] = xr.Variable(
            ("statistic", *spec["dims"]), raw["statistics"][name],
            _attributes(spec, statistics_description, spec["long_name"], None))
    summary = xr.Dataset(summary_variables, coords={axis["name"]: _axis_coordinate(axis) for axis in summary_axes})
    return timeseries, summary


def run(scenario, overrides=None, *, replications: int | None = None, threads: int = 0,
        seed: int | None = None, with_counterfactual: bool = True, output=None,
        overwrite: bool = False) -> Results:
    """Run a scenario file and return its Results, in memory (Results.path is None).

    scenario     -- path of the scenario YAML file (relative to the working directory)
    overrides    -- {key: value} (or ["KEY=VALUE", ...]) applied after the file, as `--set`
    replications, seed -- replace the scenario's (as -r and --seed)
    threads      -- worker threads; 0 (default) uses every core
    with_counterfactual -- False skips the counterfactual runs (no attributable losses)
    output       -- if given, write the HDF5 file there (as `sellershock run -o`) and load it;
                    overwrite allows replacing an existing file (--force)

    The GIL is released while the engine runs. Raises InputError for bad input, KeyboardInterrupt
    when interrupted (nothing is kept, and no file is written or replaced unless the interrupt came
    after the finished file took its name), ImportError if the module is not built.
    """
    module = engine()
    scenario_path = os.fspath(scenario)
    override_strings = _override_strings(overrides)
    command_line = _command_line(scenario_path, override_strings, replications, seed, threads,
                                 None if output is None else os.fspath(output))
    arguments = dict(
        scenario_path=scenario_path, overrides=override_strings,
        replications=None if replications is None else str(replications),
        seed=None if seed is None else str(seed), threads=int(threads),
        with_counterfactual=bool(with_counterfactual), command_line=command_line)
    try:
        if output is not None:
            module.run_to_file(**arguments, output_path=os.fspath(output), overwrite=bool(overwrite))
            return load(output)
        raw = module.run(**arguments)
    except module.InputError as error:
        raise InputError(str(error)) from None
    timeseries, summary = _datasets(raw)
    return results_from_datasets(None, dict(raw["provenance"]), raw["scenario"], timeseries, summary)


def _sweep_command_line(sweep_file: str, replications, seed, threads, output) -> str:
    arguments = [repr(sweep_file)]
    for name, value in (("replications", replications), ("seed", seed), ("threads", threads or None),
                        ("output", output)):
        if value is not None:
            arguments.append(f"{name}={value!r}")
    return f"sellershock.sweep({', '.join(arguments)})"


def _attributes_of(entry: dict, description: str) -> dict:
    """The string attributes write_sweep_file gives a summary entry or kept series (as load_sweep reads
    them): units when there are any, long_name, description, measure when there is one."""
    attributes = {}
    if entry["unit"]:
        attributes["units"] = entry["unit"]
    attributes["long_name"] = entry["long_name"] or description
    attributes["description"] = description
    if entry.get("measure") is not None and entry["measure"] and not description.endswith("(statistics over replications)"):
        attributes["measure"] = entry["measure"]
    return attributes


def _sweep_series(raw: dict) -> xr.Dataset | None:
    """The /timeseries group as xarray opens it from the file (dimension scales as coordinates with
    their description and long_name, series with their attributes)."""
    if not raw["series"]:
        return None
    axes = {axis["name"]: axis for axis in raw["axes"]}
    used = [dim for entry in raw["series"] for dim in entry["dims"] if dim != "replication"]
    coords = {}
    for name in dict.fromkeys(used):
        axis = axes[name]
        values = np.array(axis["labels"], dtype=object) if "labels" in axis else np.asarray(axis["values"], np.int64)
        coords[name] = xr.Variable((name,), values, {"long_name": axis["description"],
                                                     "description": axis["description"]})
    variables = {entry["name"]: xr.Variable(("point", *entry["dims"]), entry["values"],
                                            _attributes_of(entry, entry["description"]))
                 for entry in raw["series"]}
    return xr.Dataset(variables, coords=coords)


def _sweep_from_engine(raw: dict) -> xr.Dataset:
    attrs = dict(raw["attributes"])
    attrs["sweep"] = raw["sweep"]
    attrs["scenario"] = raw["scenario"]
    design = dict(raw["design"])
    points = design["values"].shape[0]
    design["point"] = np.arange(points, dtype=np.int64)
    summary = []
    for entry in raw["outputs"]:
        summary.append((entry["name"], entry["values"], _attributes_of(entry, entry["description"])))
        statistics_description = entry["description"] + " (statistics over replications)"
        summary.append((entry["name"] + "_statistics", entry["statistics"],
                        _attributes_of(entry, statistics_description)))
    replications = next(iter(raw["outputs"]))["values"].shape[1] if raw["outputs"] else 0
    sensitivity = None
    if raw["sensitivity"] is not None:
        group = raw["sensitivity"]
        tables = [(name, table["values"], {"units": "1", "long_name": table["description"],
                                           "description": table["description"]})
                  for name, table in group["tables"].items()]
        sensitivity = (list(group["output"]), tables, dict(group["attributes"]))
    return sweep_dataset(attrs, design, summary, np.arange(replications, dtype=np.int64),
                         list(raw["statistic_labels"]), sensitivity, _sweep_series(raw))


def sweep(sweep_file, *, replications: int | None = None, threads: int = 0, seed: int | None = None,
          output=None, overwrite: bool = False) -> xr.Dataset:
    """Run a sweep file (docs/SWEEPS.md) and return its Dataset, in memory: the same Dataset as
    sellershock.load_sweep of the file `sellershock sweep` writes (see load_sweep for its layout).

    sweep_file   -- path of the sweep YAML file (its scenario: is relative to it)
    replications, seed -- replace the sweep file's (replications per point; the seed of every point and
                    of the LHS, Morris and bootstrap draws); recorded in the attributes replications, seed
                    and command_line (the attribute sweep keeps the file's text as it is)
    threads      -- worker threads; 0 (default) uses every core
    output       -- if given, also write the sweep's HDF5 file there (as `sellershock sweep -o`, but
                    without a journal: an interrupted call keeps nothing); overwrite allows replacing an
                    existing file (--force)

    The GIL is released while the engine runs. Raises InputError for bad input (the sweep file, its
    scenario, the arguments) with the command line's message, KeyboardInterrupt when interrupted
    (nothing is kept, and no file is written or replaced unless the interrupt came after the finished
    file took its name), ImportError if the module is not built.
    """
    module = engine()
    sweep_path = os.fspath(sweep_file)
    output_path = None if output is None else os.fspath(output)
    command_line = _sweep_command_line(sweep_path, replications, seed, threads, output_path)
    try:
        raw = module.sweep(sweep_path=sweep_path,
                           replications=None if replications is None else str(replications),
                           seed=None if seed is None else str(seed), threads=int(threads),
                           command_line=command_line, output_path=output_path, overwrite=bool(overwrite))
    except module.InputError as error:
        raise InputError(str(error)) from None
    return _sweep_from_engine(raw)
