"""Load a sweep file written by `sellershock sweep` (layout: docs/SWEEPS.md, "Output file").

    >>> import sellershock
    >>> ds = sellershock.load_sweep("results/lhs-2-factor.h5")
    >>> ds["loss_to_suspended_cents"].mean("replication")          # one value per point
    >>> ds["loss_to_suspended_cents_statistics"].sel(statistic="standard_error")
    >>> ds.swap_dims(point="enforcement.hold_days")                 # index points by a factor
    >>> ds.attrs["design"], ds["S1"]                                # indices of sobol designs
"""

from __future__ import annotations

import h5py
import numpy as np
import xarray as xr

SWEEP_FORMAT_VERSION = 1


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def load_sweep(path) -> xr.Dataset:
    """An xarray Dataset of a sweep file.

    Dimensions: point, replication, statistic, factor (and output for the sensitivity indices).
    Coordinates along point: one per factor, named by its scenario key, holding the value the point ran
    with (the same values also as ``factor_values``, and the design's unit-cube coordinates as
    ``unit_values``, both over (point, factor)). Variables: every scalar
    summary entry over (point, replication) and its ``_statistics`` over (point, statistic); the factors'
    ``low``, ``high`` and ``log`` over factor; for sobol designs S1, S1_low, S1_high, ST, ST_low, ST_high,
    for morris designs mu_star, mu and sigma, each over (output, factor); the weekly series the sweep
    file keeps, as NAME_by_week over (point, replication, run, week, CATEGORY) (a series and a summary
    entry may share a name). Attributes: the file's
    provenance, plus ``sweep`` (the sweep file's text) and ``scenario`` (the resolved base scenario).
    Raises ValueError for a file that is not a sweep file or has a newer format version.

    sellershock.sweep (api.py) builds the same Dataset from the engine's arrays, through sweep_dataset.
    """
    with h5py.File(path, "r") as f:
        attrs = {key: (_text(v) if isinstance(v, (bytes, str)) else v.item() if hasattr(v, "item") else v)
                 for key, v in f.attrs.items()}
        if attrs.get("kind") != "sweep":
            raise ValueError(f"{path} is not a sweep file (written by `sellershock sweep`)")
        if int(attrs["format_version"]) > SWEEP_FORMAT_VERSION:
            raise ValueError(f"{path} has sweep format version {attrs['format_version']}; "
                             f"this reader knows up to {SWEEP_FORMAT_VERSION}")
        attrs["sweep"] = _text(f["sweep"][()])
        attrs["scenario"] = _text(f["scenario"][()])

        design_group = f["design"]
        design = {"point": design_group["point"][()],
                  "factor": [_text(name) for name in design_group["factor"][()]],
                  **{name: design_group[name][()] for name in ("values", "unit_values", "low", "high", "log")}}

        summary_group = f["summary"]
        summary = [(name, dataset[()], {k: _text(v) for k, v in dataset.attrs.items() if isinstance(v, (bytes, str))})
                   for name, dataset in summary_group.items() if name not in ("point", "replication", "statistic")]
        replication = summary_group["replication"][()]
        statistic = [_text(s) for s in summary_group["statistic"][()]]

        sensitivity = None
        if "sensitivity" in f:
            group = f["sensitivity"]
            tables = [(name, dataset[()],
                       {k: _text(v) for k, v in dataset.attrs.items() if isinstance(v, (bytes, str))})
                      for name, dataset in group.items() if name not in ("output", "factor")]
            group_attrs = {k: (_text(v) if isinstance(v, (bytes, str)) else np.asarray(v).item())
                           for k, v in group.attrs.items()}
            sensitivity = ([_text(s) for s in group["output"][()]], tables, group_attrs)
        has_series = "timeseries" in f
    # The weekly series the sweep file kept, with their dimension scales.
    series = xr.open_dataset(path, group="timeseries", engine="h5netcdf").load() if has_series else None
    return sweep_dataset(attrs, design, summary, replication, statistic, sensitivity, series)


def sweep_dataset(attrs: dict, design: dict, summary: list, replication, statistic: list, sensitivity,
                  series: xr.Dataset | None) -> xr.Dataset:
    """The Dataset load_sweep describes, from a sweep file's parts as read from the file or returned by
    the engine: ``attrs`` the root attributes with ``sweep`` and ``scenario``; ``design`` with point,
    factor, values, unit_values, low, high, log; ``summary`` a list of (name, values, attributes), each
    entry over (point, replication) and its NAME_statistics over (point, statistic); ``sensitivity``
    None or (outputs, [(name, values, attributes)], group attributes); ``series`` None or the
    /timeseries group as a Dataset (dims point, replication, run, week, CATEGORY...)."""
    factors = list(design["factor"])
    values = design["values"]
    coords = {"point": design["point"], "factor": factors}
    for j, key in enumerate(factors):
        coords[key] = ("point", values[:, j])
    data_vars = {
        "factor_values": (("point", "factor"), values),
        "unit_values": (("point", "factor"), design["unit_values"]),
        "low": ("factor", design["low"]),
        "high": ("factor", design["high"]),
        "log": ("factor", np.asarray(design["log"]).astype(bool)),
    }
    coords["replication"] = replication
    coords["statistic"] = list(statistic)
    for name, array, var_attrs in summary:
        dims = ("point", "statistic") if name.endswith("_statistics") else ("point", "replication")
        data_vars[name] = xr.Variable(dims, array, attrs=var_attrs)
    attrs = dict(attrs)
    if sensitivity is not None:
        outputs, tables, group_attrs = sensitivity
        coords["output"] = list(outputs)
        for name, array, var_attrs in tables:
            data_vars[name] = xr.Variable(("output", "factor"), array, attrs=var_attrs)
        attrs.update({f"sensitivity_{k}": v for k, v in group_attrs.items()})
    dataset = xr.Dataset(data_vars, coords=coords, attrs=attrs)
    if series is not None:
        series = series.drop_vars(["point", "replication"], errors="ignore")
        # A series and a summary entry may share a name (forfeited_cents: per week, and over the run).
        series = series.rename({name: f"{name}_by_week" for name in series.data_vars})
        dataset = dataset.merge(series, join="left")
    return dataset
