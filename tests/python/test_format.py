"""The output file as report builders see it (docs/FORMAT.md): h5py, xarray/h5netcdf and sellershock.load."""

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


def test_every_dataset_reads_with_h5py(output_path):
    seen = []

    def read(name, item):
        if isinstance(item, h5py.Dataset):
            values = item.asstr()[()] if h5py.check_string_dtype(item.dtype) else item[()]
            assert values is not None
            seen.append(name)

    with h5py.File(output_path, "r") as file:
        file.visititems(read)
    assert "scenario" in seen
    assert {"timeseries/replication", "timeseries/week", "summary/replication", "summary/statistic"} <= set(seen)


def test_provenance_attributes_are_recorded(output_path):
    with h5py.File(output_path, "r") as file:
        attrs = dict(file.attrs)
    assert set(PROVENANCE_KEYS) <= set(attrs)
    assert attrs["format_version"] == sellershock.FORMAT_VERSION
    for key in ("program_version", "git_revision", "command_line", "scenario_name", "start_time", "end_time"):
        assert isinstance(attrs[key], str) and attrs[key], key
    assert int(attrs["seed"]) >= 0
    assert int(attrs["threads"]) >= 1 and int(attrs["ranks"]) >= 1
    start, end = (datetime.fromisoformat(attrs[k].replace("Z", "+00:00")) for k in ("start_time", "end_time"))
    assert start <= end


def test_scenario_is_nonempty_yaml(output_path):
    with h5py.File(output_path, "r") as file:
        text = file["scenario"].asstr()[()]
        raw = file["scenario"][()]
    assert isinstance(raw, bytes) and raw.decode("utf-8") == text
    assert text.strip()
    assert isinstance(yaml.safe_load(text), dict)


def test_timeseries_open_with_named_dimensions_and_coordinates(output_path):
    with open_group(output_path, "timeseries") as ts:
        assert {"replication", "week"} <= set(ts.dims)
        assert ts.data_vars, "no time series in the file"
        for dim in ts.dims:
            assert dim in ts.coords, f"dimension {dim} has no coordinate"
            values = ts[dim].values
            if ts[dim].dtype == object:
                assert all(isinstance(label, str) for label in values), dim
                assert len(set(values)) == len(values), f"labels of {dim} repeat"
            else:
                assert ts[dim].dtype == np.int64, dim
        assert ts["replication"].dtype == np.int64 and ts["week"].dtype == np.int64
        assert list(ts["week"].values) == list(range(ts.sizes["week"]))
        for name, variable in ts.data_vars.items():
            assert variable.dims[:2] == ("replication", "week"), name
            assert variable.dtype == np.int64, name
            assert variable.attrs.get("units"), f"{name} has no units"
            assert variable.attrs.get("description"), f"{name} has no description"
            assert variable.attrs.get("long_name"), f"{name} has no long_name"

        start = date.fromisoformat(ts.attrs["start_date"])
        assert ts["date"].dims == ("week",)
        expected = [(start + timedelta(weeks=int(w))).isoformat() for w in ts["week"].values]
        assert list(ts["date"].values) == expected


def test_summary_opens_with_named_dimensions_and_statistics(output_path):
    with open_group(output_path, "summary") as summary:
        assert set(summary.dims) == {"replication", "statistic"}
        assert summary["replication"].dtype == np.int64
        assert list(summary["statistic"].values) == list(STATISTICS)
        assert all(isinstance(label, str) for label in summary["statistic"].values)
        names = [n for n, v in summary.data_vars.items() if v.dims == ("replication",)]
        assert names, "no summary quantities in the file"
        assert set(summary.data_vars) == set(names) | {f"{n}_statistics" for n in names}
        for name in names:
            values = summary[name]
            statistics = summary[f"{name}_statistics"]
            assert values.dtype == np.int64 and statistics.dtype == np.float64
            assert statistics.dims == ("statistic",)
            assert values.attrs.get("units") and values.attrs.get("description"), name
            data = values.values.astype(np.float64)
            expected = [data.mean(), *np.quantile(data, [0.05, 0.5, 0.95])]
            np.testing.assert_allclose(statistics.values, expected, rtol=1e-12, err_msg=name)


def test_time_series_are_chunked_by_replication_and_compressed(output_path):
    with h5py.File(output_path, "r") as file:
        group = file["timeseries"]
        for name, dataset in group.items():
            if dataset.attrs.get("CLASS") == b"DIMENSION_SCALE" or name == "date" or 0 in dataset.shape:
                continue
            assert dataset.chunks is not None and dataset.chunks[0] == 1, name
            assert dataset.compression == "gzip" and dataset.shuffle, name


def test_no_temporary_file_is_left_next_to_the_output(output_path):
    leftovers = list(output_path.parent.glob(f".{output_path.name}.tmp-*"))
    assert leftovers == []


def test_load_gives_provenance_scenario_timeseries_and_summaries(output_path):
    results = sellershock.load(output_path)
    with h5py.File(output_path, "r") as file:
        assert results.provenance["seed"] == int(file.attrs["seed"])
        assert results.scenario == file["scenario"].asstr()[()]
    assert set(PROVENANCE_KEYS) <= set(results.provenance)
    assert isinstance(results.provenance["command_line"], str)

    assert isinstance(results.timeseries, xr.Dataset)
    assert np.issubdtype(results.timeseries["date"].dtype, np.datetime64)
    with open_group(output_path, "timeseries") as ts:
        for name in ts.data_vars:
            np.testing.assert_array_equal(results.timeseries[name].values, ts[name].values)

    assert isinstance(results.summary, pd.DataFrame)
    assert results.summary.index.name == "replication"
    assert list(results.statistics.columns) == list(STATISTICS)
    assert list(results.statistics.index) == list(results.summary.columns)
    with open_group(output_path, "summary") as summary:
        for name in results.summary.columns:
            np.testing.assert_array_equal(results.summary[name].values, summary[name].values)
            np.testing.assert_array_equal(results.statistics.loc[name].values, summary[f"{name}_statistics"].values)
        assert len(results.summary) == summary.sizes["replication"]
    assert all(name in results.units for name in results.summary.columns)


def test_load_refuses_files_that_are_not_sellershock_output(tmp_path):
    with pytest.raises(FileNotFoundError):
        sellershock.load(tmp_path / "missing.h5")
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as file:
        file["x"] = [1, 2, 3]
    with pytest.raises(ValueError, match="not a sellershock output file"):
        sellershock.load(other)
