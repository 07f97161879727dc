"""Which loss a file reports as its headline, and statistics over replications with the Monte Carlo
standard error.

Files written after the headline was redefined (docs/MODEL.md §8) hold the loss to the businesses
the shock suspended, `loss_to_suspended_cents`, its components `loss_to_suspended_COMPONENT_cents`
and `loss_to_suspended_by_group_cents`; older files hold only the net loss over all sellers,
`attributable_loss_cents`, `attributable_COMPONENT_cents` and `attributable_loss_by_group_cents`.
The components are the labels of the group table's component axis, so nothing here lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

# (total, prefix of the components, table by component, region and size class), preferred first.
_DEFINITIONS = (
    ("loss_to_suspended_cents", "loss_to_suspended_", "loss_to_suspended_by_group_cents"),
    ("attributable_loss_cents", "attributable_", "attributable_loss_by_group_cents"),
)
# Quantities reported beside the headline, never netted into it (when the file has them).
BESIDE_HEADLINE = ("spillover_gain_cents", "platform_retained_cents", "net_loss_all_sellers_cents")
GROUP_DIMS = ("region", "size_class")


@dataclass(frozen=True)
class LossDefinition:
    """The loss entries one file uses for its headline."""

    total: str                      # scalar summary quantity, e.g. loss_to_suspended_cents
    by_group: str | None            # table over (component axis, region, size_class), or None
    component_dim: str | None       # name of the component axis of by_group
    components: tuple[str, ...]     # component labels, in the file's order
    component_quantities: tuple[str, ...]  # scalar quantity of each component (same order; may be "")

    @property
    def is_loss_to_suspended(self) -> bool:
        return self.total.startswith("loss_to_suspended")


def definition(results) -> LossDefinition | None:
    """The headline loss of `results`: the loss to the suspended businesses when the file has it,
    else the net attributable loss; None when the file has neither (a run without counterfactual,
    or a dose-response file)."""
    names = set(results.summary_dataset.data_vars)
    for total, prefix, by_group in _DEFINITIONS:
        if total not in names or results.summary_dataset[total].dims != ("replication",):
            continue
        table = results.summary_dataset[by_group] if by_group in names else None
        component_dim = None
        components: tuple[str, ...] = ()
        if table is not None:
            extra = [dim for dim in table.dims if dim not in ("replication", *GROUP_DIMS)]
            if len(extra) == 1:
                component_dim = extra[0]
                components = tuple(str(label) for label in table[component_dim].values)
        quantities = tuple(f"{prefix}{label}_cents" if f"{prefix}{label}_cents" in names else ""
                           for label in components)
        return LossDefinition(total=total, by_group=by_group if table is not None else None,
                              component_dim=component_dim, components=components,
                              component_quantities=quantities)
    return None


@dataclass(frozen=True)
class Statistics:
    """Mean, 5/50/95 % quantiles and the Monte Carlo standard error of the mean over replications
    (sample standard deviation / sqrt(replications), as `sellershock run` prints it)."""

    mean: float
    q05: float
    q50: float
    q95: float
    mc_standard_error: float
    replications: int


def statistics(values) -> Statistics:
    """Statistics of one number per replication (quantiles interpolate linearly, as numpy's default
    and the file's QUANTITY_statistics do). NaN when there are no replications; the standard error
    is NaN with fewer than two."""
    values = np.asarray(values, dtype=float).ravel()
    count = values.size
    if count == 0:
        nan = float("nan")
        return Statistics(nan, nan, nan, nan, nan, 0)
    q05, q50, q95 = np.quantile(values, [0.05, 0.5, 0.95])
    error = float(np.std(values, ddof=1) / np.sqrt(count)) if count > 1 else float("nan")
    return Statistics(float(values.mean()), float(q05), float(q50), float(q95), error, count)


def per_replication(results, name: str, keep: tuple[str, ...] = ()) -> xr.DataArray:
    """A summary quantity summed per replication over every dimension but replication and `keep`:
    statistics of totals must be taken after summing (docs/FORMAT.md: quantiles do not add up)."""
    array = results.summary_dataset[name]
    drop = [dim for dim in array.dims if dim != "replication" and dim not in keep]
    return array.sum(drop) if drop else array


def table(results) -> pd.DataFrame:
    """The headline and its components over replications, in the file's unit turned into display
    units (US dollars for cents): one row per component then `total`, columns mean, q05, q50, q95,
    mc_standard_error; the quantity each row comes from in column `quantity`. Raises ValueError for
    a file without loss entries."""
    from .metadata import meta

    chosen = definition(results)
    if chosen is None:
        raise ValueError(f"{results.path} has no loss entries (a run without counterfactual?)")
    info = meta(results, chosen.total)
    rows, index = [], []
    for label, quantity in zip(chosen.components, chosen.component_quantities):
        if quantity:
            values = results.summary_dataset[quantity]
        else:
            part = results.summary_dataset[chosen.by_group].sel({chosen.component_dim: label})
            values = part.sum([d for d in part.dims if d != "replication"])
        rows.append((quantity or f"{chosen.by_group}[{label}]", statistics(info.to_display(values.values))))
        index.append(label)
    rows.append((chosen.total, statistics(info.to_display(results.summary_dataset[chosen.total].values))))
    index.append("total")
    frame = pd.DataFrame([{"quantity": q, "mean": s.mean, "q05": s.q05, "q50": s.q50, "q95": s.q95,
                           "mc_standard_error": s.mc_standard_error} for q, s in rows],
                         index=pd.Index(index, name=chosen.component_dim or "component"))
    frame.attrs["units"] = info.display_units
    return frame
