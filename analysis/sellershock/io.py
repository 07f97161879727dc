"""Reading sellershock HDF5 result files (layout: docs/FORMAT.md) into pandas and xarray."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import xarray as xr

# The newest file format this module understands (root attribute `format_version`).
FORMAT_VERSION = 1

STATISTICS = ("mean", "q05", "q50", "q95", "standard_error")
PROVENANCE_KEYS = (
    "format_version", "program_version", "git_revision", "command_line", "seed", "threads",
    "ranks", "start_time", "end_time", "scenario_name", "scenario_file",
)


@dataclass
class Results:
    """One sellershock output file, loaded into memory (the file is closed again), or one run made
    in memory by sellershock.run (path is None then).

    provenance  -- root attributes: versions, command line, seed, threads, ranks, times, scenario
    scenario    -- the resolved scenario as YAML text
    timeseries  -- xarray.Dataset; every series has replication as its first dimension, then
                   week, run, region, ... as the model defines; coordinate `date` holds each
                   week's first day as datetime64
    summary     -- pandas.DataFrame, one row per replication, one column per scalar summary
                   quantity
    statistics  -- pandas.DataFrame, one row per scalar summary quantity, columns mean, q05, q50, q95, standard_error
    units       -- unit of every time series and summary quantity (scalar or table), by name
    summary_tables  -- summary quantities with dimensions (e.g. loss by component and region), by
                   name: xarray.DataArray over (replication, dims...) with labelled coordinates
    summary_dataset -- the whole /summary group as an xarray.Dataset: scalar quantities, tables and
                   every NAME_statistics variable over (statistic, dims...)
    """

    path: Path | None
    provenance: dict
    scenario: str
    timeseries: xr.Dataset
    summary: pd.DataFrame
    statistics: pd.DataFrame
    units: dict = field(default_factory=dict)
    summary_tables: dict = field(default_factory=dict)
    summary_dataset: xr.Dataset = field(default_factory=xr.Dataset)

    def table_statistics(self, name: str) -> xr.DataArray:
        """Mean and 5/50/95 % quantiles over replications of a summary table, element by element:
        a DataArray over (statistic, dims...), e.g. .sel(statistic="q50", region="US")."""
        if name not in self.summary_tables:
            raise KeyError(f"no summary table '{name}'; tables: {sorted(self.summary_tables)}")
        return self.summary_dataset[f"{name}_statistics"]

    def scenario_data(self) -> dict:
        """The resolved scenario parsed from YAML (needs PyYAML)."""
        import yaml

        return yaml.safe_load(self.scenario)


def _plain(value):
    """numpy scalars and bytes from h5py attributes as plain Python values."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.generic):
        return value.item()
    return value


def load(path) -> Results:
    """Load a sellershock output file.

    Raises FileNotFoundError if path does not exist, ValueError if it is not a sellershock
    output file or was written by a newer format version than this module reads.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no sellershock output file at '{path}'")
    with h5py.File(path, "r") as file:
        missing = [name for name in ("scenario", "timeseries", "summary") if name not in file]
        if missing or "format_version" not in file.attrs:
            raise ValueError(f"'{path}' is not a sellershock output file (missing {missing or 'format_version'})")
        provenance = {key: _plain(value) for key, value in file.attrs.items()}
        scenario = file["scenario"].asstr()[()]
    if provenance["format_version"] > FORMAT_VERSION:
        raise ValueError(
            f"'{path}' has format version {provenance['format_version']}; this module reads up to "
            f"{FORMAT_VERSION}: update the sellershock Python package"
        )

    timeseries = xr.load_dataset(path, group="timeseries", engine="h5netcdf")
    if "date" in timeseries.coords:
        dates = timeseries["date"]
        timeseries = timeseries.assign_coords(date=(dates.dims, pd.to_datetime(dates.values), dates.attrs))

    summary_group = xr.load_dataset(path, group="summary", engine="h5netcdf")
    return results_from_datasets(path, provenance, scenario, timeseries, summary_group)


def results_from_datasets(path, provenance: dict, scenario: str, timeseries: xr.Dataset,
                          summary_group: xr.Dataset) -> Results:
    """Results from the file's /timeseries and /summary groups as xarray Datasets (as `load` reads
    them, or as sellershock.run builds them in memory; path is None then)."""
    names = [name for name, variable in summary_group.data_vars.items() if variable.dims == ("replication",)]
    tables = {
        name: variable for name, variable in summary_group.data_vars.items()
        if len(variable.dims) > 1 and variable.dims[0] == "replication"
    }
    summary = summary_group[names].to_dataframe() if names else pd.DataFrame(
        index=pd.Index(summary_group["replication"].values, name="replication"))
    statistics = pd.DataFrame(
        [summary_group[f"{name}_statistics"].sel(statistic=list(STATISTICS)).values for name in names],
        index=pd.Index(names, name="quantity"),
        columns=pd.Index(STATISTICS, name="statistic"),
    )

    units = {name: variable.attrs.get("units", "") for name, variable in timeseries.data_vars.items()}
    units.update({name: summary_group[name].attrs.get("units", "") for name in [*names, *tables]})
    return Results(path=path, provenance=provenance, scenario=scenario, timeseries=timeseries,
                   summary=summary, statistics=statistics, units=units, summary_tables=tables,
                   summary_dataset=summary_group)
