"""Load a sweep file written by `sellershock sweep` (layout: docs/SWEEPS.md, "Output file").

    >>> import sellershock
    >>> ds = sellershock.load_sweep("results/lhs-2-factor.h5")
    >>> ds["attributable_loss_cents"].mean("replication")          # one value per point
    >>> ds["attributable_loss_cents_statistics"].sel(statistic="standard_error")
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

        design = f["design"]
        factors = [_text(name) for name in design["factor"][()]]
        values = design["values"][()]
        points = design["point"][()]
        coords = {"point": points, "factor": factors}
        for j, key in enumerate(factors):
            coords[key] = ("point", values[:, j])
        data_vars = {
            "factor_values": (("point", "factor"), values),
            "unit_values": (("point", "factor"), design["unit_values"][()]),
            "low": ("factor", design["low"][()]),
            "high": ("factor", design["high"][()]),
            "log": ("factor", design["log"][()].astype(bool)),
        }

        summary = f["summary"]
        coords["replication"] = summary["replication"][()]
        coords["statistic"] = [_text(s) for s in summary["statistic"][()]]
        for name, dataset in summary.items():
            if name in ("point", "replication", "statistic"):
                continue
            dims = ("point", "statistic") if name.endswith("_statistics") else ("point", "replication")
            var_attrs = {k: _text(v) for k, v in dataset.attrs.items() if isinstance(v, (bytes, str))}
            data_vars[name] = xr.Variable(dims, dataset[()], attrs=var_attrs)

        if "sensitivity" in f:
            sensitivity = f["sensitivity"]
            coords["output"] = [_text(s) for s in sensitivity["output"][()]]
            for name, dataset in sensitivity.items():
                if name in ("output", "factor"):
                    continue
                var_attrs = {k: _text(v) for k, v in dataset.attrs.items() if isinstance(v, (bytes, str))}
                data_vars[name] = xr.Variable(("output", "factor"), dataset[()], attrs=var_attrs)
            attrs.update({f"sensitivity_{k}": (_text(v) if isinstance(v, (bytes, str)) else np.asarray(v).item())
                          for k, v in sensitivity.attrs.items()})
        has_series = "timeseries" in f
    dataset = xr.Dataset(data_vars, coords=coords, attrs=attrs)
    if has_series:  # the weekly series the sweep file kept, with their dimension scales
        series = xr.open_dataset(path, group="timeseries", engine="h5netcdf").load()
        series = series.drop_vars(["point", "replication"], errors="ignore")
        # A series and a summary entry may share a name (forfeited_cents: per week, and over the run).
        series = series.rename({name: f"{name}_by_week" for name in series.data_vars})
        dataset = dataset.merge(series, join="left")
    return dataset
