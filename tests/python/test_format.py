"""The output file as report builders see it (docs/FORMAT.md): h5py, xarray/h5netcdf and sellershock.load.

Most tests run twice: on the real executable's output ("run") and on the sample the C++ writer test
writes ("writer"), which uses every feature of the format, including ones the model does not use yet
(summary entries with dimensions, series whose second dimension is not week).
"""

from datetime import date, datetime, timedelta

import h5py
import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

import sellershock
from sellershock.io import PROVENANCE_KEYS, STATISTICS


def open_group(path, group):
    return xr.open_dataset(path, group=group, engine="h5netcdf")


@pytest.fixture(params=["run", "writer"])
def result_path(request):
    """A finished output file: the executable's ("run") or the C++ writer test's ("writer")."""
    return request.getfixturevalue("output_path" if request.param == "run" else "writer_sample_path")


def summary_quantities(summary):
    """Names of the summary quantities (scalars and tables) of an opened /summary group."""
    return [name for name, variable in summary.data_vars.items() if variable.dims[:1] == ("replication",)]


def assert_coordinate_labels(dataset, dim):
    assert dim in dataset.coords, f"dimension {dim} has no coordinate"
    values = dataset[dim].values
    if dataset[dim].dtype == object:
        assert all(isinstance(label, str) for label in values), dim
        assert len(set(values)) == len(values), f"labels of {dim} repeat"
    else:
        assert dataset[dim].dtype == np.int64, dim


def test_every_dataset_reads_with_h5py(result_path):
    seen = []

    def read(name, item):
        if isinstance(item, h5py.Dataset):
            values = item.asstr()[()] if h5py.check_string_dtype(item.dtype) else item[()]
            assert values is not None
            seen.append(name)

    with h5py.File(result_path, "r") as file:
        file.visititems(read)
    assert "scenario" in seen
    assert {"timeseries/replication", "timeseries/week", "summary/replication", "summary/statistic"} <= set(seen)


def test_provenance_attributes_are_recorded(result_path):
    with h5py.File(result_path, "r") as file:
        attrs = dict(file.attrs)
    assert set(PROVENANCE_KEYS) <= set(attrs)
    assert attrs["format_version"] == sellershock.FORMAT_VERSION
    for key in ("program_version", "git_revision", "command_line", "scenario_name", "start_time", "end_time"):
        assert isinstance(attrs[key], str) and attrs[key], key
    assert int(attrs["seed"]) >= 0
    assert int(attrs["threads"]) >= 1 and int(attrs["ranks"]) >= 1
    start, end = (datetime.fromisoformat(attrs[k].replace("Z", "+00:00")) for k in ("start_time", "end_time"))
    assert start <= end


def test_scenario_is_nonempty_yaml(result_path):
    with h5py.File(result_path, "r") as file:
        text = file["scenario"].asstr()[()]
        raw = file["scenario"][()]
    assert isinstance(raw, bytes) and raw.decode("utf-8") == text
    assert text.strip()
    assert isinstance(yaml.safe_load(text), dict)


def test_timeseries_open_with_named_dimensions_and_coordinates(result_path):
    with open_group(result_path, "timeseries") as ts:
        assert {"replication", "week"} <= set(ts.dims)
        assert ts.data_vars, "no time series in the file"
        for dim in ts.dims:
            assert_coordinate_labels(ts, dim)
        assert ts["replication"].dtype == np.int64 and ts["week"].dtype == np.int64
        assert list(ts["week"].values) == list(range(ts.sizes["week"]))
        for name, variable in ts.data_vars.items():
            # Only the first dimension is fixed: (replication, week, ...), (replication, run, week, ...), ...
            assert variable.dims[0] == "replication", name
            assert len(set(variable.dims)) == len(variable.dims), name
            if "week" in variable.dims:
                assert "date" in variable.coords, name
            assert variable.dtype == np.int64, name
            assert variable.attrs.get("units"), f"{name} has no units"
            assert variable.attrs.get("description"), f"{name} has no description"
            assert variable.attrs.get("long_name"), f"{name} has no long_name"

        start = date.fromisoformat(ts.attrs["start_date"])
        assert ts["date"].dims == ("week",)
        expected = [(start + timedelta(weeks=int(w))).isoformat() for w in ts["week"].values]
        assert list(ts["date"].values) == expected


def test_summary_opens_with_named_dimensions_and_statistics(result_path):
    with open_group(result_path, "summary") as summary, open_group(result_path, "timeseries") as ts:
        assert summary["replication"].dtype == np.int64
        np.testing.assert_array_equal(summary["replication"].values, ts["replication"].values)
        assert list(summary["statistic"].values) == list(STATISTICS)
        assert all(isinstance(label, str) for label in summary["statistic"].values)
        names = summary_quantities(summary)
        assert names, "no summary quantities in the file"
        assert set(summary.data_vars) == set(names) | {f"{n}_statistics" for n in names}
        # /summary holds replication, statistic and exactly the axes its quantities use.
        used = {dim for name in names for dim in summary[name].dims}
        assert set(summary.dims) == used | {"statistic"}
        for dim in summary.dims:
            assert_coordinate_labels(summary, dim)
            if dim in ts.coords:  # the same axis as in /timeseries
                np.testing.assert_array_equal(summary[dim].values, ts[dim].values, err_msg=dim)
        for name in names:
            check_summary_quantity(summary, name)


def check_summary_quantity(summary, name):
    """A scalar (replication) or table (replication, dims...) and its statistics (statistic, dims...):
    mean and quantiles over replications, element by element."""
    values = summary[name]
    statistics = summary[f"{name}_statistics"]
    assert values.dtype == np.int64 and statistics.dtype == np.float64, name
    assert values.dims[0] == "replication" and "statistic" not in values.dims, name
    assert statistics.dims == ("statistic", *values.dims[1:]), name
    assert values.attrs.get("units") and values.attrs.get("description"), name
    assert values.attrs.get("long_name"), name
    assert statistics.attrs.get("units") == values.attrs["units"], name
    data = values.values.astype(np.float64)
    if data.shape[0] == 0:
        assert np.isnan(statistics.values).all(), name
        return
    standard_error = data.std(axis=0, ddof=1) / np.sqrt(data.shape[0]) if data.shape[0] > 1 else np.full(data.shape[1:], np.nan)
    expected = np.stack([data.mean(axis=0), *np.quantile(data, [0.05, 0.5, 0.95], axis=0), standard_error])
    np.testing.assert_allclose(statistics.values, expected, rtol=1e-12, err_msg=name)
    # Labels select the same element in values and statistics.
    if values.ndim > 1:
        last = {dim: values[dim].values[-1] for dim in values.dims[1:]}
        element = values.sel(last).values.astype(np.float64)
        np.testing.assert_allclose(statistics.sel(last).sel(statistic="q50").values, np.quantile(element, 0.5),
                                   rtol=1e-12, err_msg=name)


def test_the_writer_sample_has_summary_tables_and_series_with_other_dims_than_week_second(writer_sample_path):
    with open_group(writer_sample_path, "summary") as summary:
        tables = [name for name in summary_quantities(summary) if summary[name].ndim > 1]
        assert tables, "the C++ writer sample has no summary entry with dimensions"
        for name in tables:
            check_summary_quantity(summary, name)
    with open_group(writer_sample_path, "timeseries") as ts:
        assert any(v.ndim >= 4 and v.dims[1] != "week" for v in ts.data_vars.values()), \
            "no series like (replication, run, week, region)"


def test_time_series_are_chunked_by_replication_and_compressed(result_path):
    with h5py.File(result_path, "r") as file:
        group = file["timeseries"]
        for name, dataset in group.items():
            if dataset.attrs.get("CLASS") == b"DIMENSION_SCALE" or name == "date" or 0 in dataset.shape:
                continue
            assert dataset.chunks is not None and dataset.chunks[0] == 1, name
            assert dataset.compression == "gzip" and dataset.shuffle, name


def test_no_temporary_file_is_left_next_to_the_output(output_path):
    leftovers = list(output_path.parent.glob(f".{output_path.name}.tmp-*"))
    assert leftovers == []


def test_load_gives_provenance_scenario_timeseries_and_summaries(result_path):
    results = sellershock.load(result_path)
    with h5py.File(result_path, "r") as file:
        assert results.provenance["seed"] == int(file.attrs["seed"])
        assert results.scenario == file["scenario"].asstr()[()]
    assert set(PROVENANCE_KEYS) <= set(results.provenance)
    assert isinstance(results.provenance["command_line"], str)

    assert isinstance(results.timeseries, xr.Dataset)
    assert np.issubdtype(results.timeseries["date"].dtype, np.datetime64)
    with open_group(result_path, "timeseries") as ts:
        for name in ts.data_vars:
            np.testing.assert_array_equal(results.timeseries[name].values, ts[name].values)

    assert isinstance(results.summary, pd.DataFrame)
    assert results.summary.index.name == "replication"
    assert list(results.statistics.columns) == list(STATISTICS)
    assert list(results.statistics.index) == list(results.summary.columns)
    assert isinstance(results.summary_dataset, xr.Dataset)
    with open_group(result_path, "summary") as summary:
        names = summary_quantities(summary)
        # Scalars in the DataFrames, entries with dimensions in summary_tables: each exactly once.
        assert list(results.summary.columns) == [n for n in names if summary[n].dims == ("replication",)]
        assert list(results.summary_tables) == [n for n in names if summary[n].ndim > 1]
        for name in results.summary.columns:
            np.testing.assert_array_equal(results.summary[name].values, summary[name].values)
            np.testing.assert_array_equal(results.statistics.loc[name].values, summary[f"{name}_statistics"].values)
        assert len(results.summary) == summary.sizes["replication"]
        for name, table in results.summary_tables.items():
            assert isinstance(table, xr.DataArray)
            assert table.dims == summary[name].dims and table.dtype == np.int64, name
            np.testing.assert_array_equal(table.values, summary[name].values)
            for dim in table.dims:
                np.testing.assert_array_equal(table[dim].values, summary[dim].values)
            statistics = results.table_statistics(name)
            assert statistics.dims == ("statistic", *table.dims[1:]), name
            np.testing.assert_array_equal(statistics.values, summary[f"{name}_statistics"].values)
        xr.testing.assert_identical(results.summary_dataset, summary.load())
    assert all(name in results.units for name in [*results.summary.columns, *results.summary_tables])


def test_load_refuses_files_that_are_not_sellershock_output(tmp_path):
    with pytest.raises(FileNotFoundError):
        sellershock.load(tmp_path / "missing.h5")
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as file:
        file["x"] = [1, 2, 3]
    with pytest.raises(ValueError, match="not a sellershock output file"):
        sellershock.load(other)
