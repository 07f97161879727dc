"""Labels, units and display scaling of a result's variables, read from the file's own attributes
(`units`, `long_name`, `description`, `measure`, docs/FORMAT.md), never from lists kept in Python."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

CENTS_UNIT = "USD cents"
_MONEY_SCALES = ((1e9, "billion"), (1e6, "million"), (1e3, "thousand"))


@dataclass(frozen=True)
class Meta:
    """What the file says about one variable."""

    name: str
    label: str          # long_name, or the name if the file has none
    units: str          # as stored, e.g. "USD cents", "businesses"
    description: str
    measure: str        # "stock", "flow" or ""

    @property
    def is_money(self) -> bool:
        return self.units == CENTS_UNIT

    @property
    def display_units(self) -> str:
        """The unit values are shown in: cents are shown as US dollars."""
        return "USD" if self.is_money else self.units

    def to_display(self, values):
        """Values in display units (dollars for cents, unchanged otherwise), as float."""
        values = np.asarray(values, dtype=float)
        return values / 100.0 if self.is_money else values


def variable(results, name: str) -> xr.DataArray:
    """The variable `name` from /summary, or else /timeseries. Raises KeyError naming what exists."""
    if name in results.summary_dataset.data_vars:
        return results.summary_dataset[name]
    if name in results.timeseries.data_vars:
        return results.timeseries[name]
    raise KeyError(f"'{name}' is neither a summary quantity nor a series of {results.path}")


def meta(results, name: str, *, prefer: str = "summary") -> Meta:
    """Label, unit, description and measure of a variable from its attributes. A name in both
    /summary and /timeseries (e.g. sales_cents) is looked up in `prefer` first."""
    groups = [results.summary_dataset, results.timeseries]
    if prefer == "timeseries":
        groups.reverse()
    for group in groups:
        if name in group.data_vars:
            attrs = group[name].attrs
            return Meta(name=name, label=str(attrs.get("long_name", name)), units=str(attrs.get("units", "")),
                        description=str(attrs.get("description", "")), measure=str(attrs.get("measure", "")))
    raise KeyError(f"'{name}' is neither a summary quantity nor a series of {results.path}")


def money_scale(max_abs_dollars: float) -> tuple[float, str]:
    """(divisor, word) that keeps dollar amounts readable: 1e6 and "million" for 3.2e7."""
    for divisor, word in _MONEY_SCALES:
        if max_abs_dollars >= divisor:
            return divisor, word
    return 1.0, ""


def format_value(value: float, units: str) -> str:
    """A number in display units for tables: dollars with thousands separators, counts likewise,
    fractions with some decimals."""
    if value is None or not np.isfinite(value):
        return "n/a"
    if abs(value) >= 100 or units == "USD" or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.3g}"
