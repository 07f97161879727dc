"""Load, plot and report sellershock results (HDF5 files written by `sellershock run`).

    >>> import sellershock
    >>> results = sellershock.load("out.h5")
    >>> results.timeseries["sales_cents"].mean("replication")
    >>> results.statistics.loc["newly_frozen_cents", ["q05", "q50", "q95"]]
    >>> results.summary_tables["attributable_loss_by_group_cents"].sum(["component", "size_class"])
    >>> results.table_statistics("attributable_loss_by_group_cents").sel(statistic="q50")

The file layout is documented in docs/FORMAT.md.
"""

from .io import FORMAT_VERSION, Results, load
from .sweep import load_sweep

__all__ = ["FORMAT_VERSION", "Results", "load", "load_sweep"]
