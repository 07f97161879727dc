"""Run scenarios, load, plot and report sellershock results (HDF5 files written by `sellershock run`).

    >>> import sellershock
    >>> results = sellershock.run("tests/fixtures/scenarios/tiny.yaml", replications=2, seed=1)
    >>> results = sellershock.load("out.h5")
    >>> ds = sellershock.sweep("sweeps/lhs-2-factor.yaml", replications=2)   # a sweep, in memory
    >>> results.timeseries["sales_cents"].mean("replication")
    >>> results.statistics.loc["newly_frozen_cents", ["q05", "q50", "q95"]]
    >>> results.summary_tables["attributable_loss_by_group_cents"].sum(["component", "size_class"])
    >>> results.table_statistics("attributable_loss_by_group_cents").sel(statistic="q50")

    >>> import sellershock.plot, sellershock.report
    >>> sellershock.loss.table(results)                 # the headline and its components, USD
    >>> sellershock.plot.loss_by_component(results)     # a matplotlib Figure
    >>> sellershock.report.write("out.h5")              # out.html, one self-contained page

Modules: api (run and sweep: the C++ engine in memory, the same Results as load and the same Dataset as
load_sweep), io (load), sweep (load_sweep: a
sweep file as an xarray Dataset), loss (which loss is the headline, statistics with the Monte Carlo standard
error), metadata (labels and units from the file), plot, report (also `python3 -m sellershock.report
FILE.h5`), calibration, limits, paths (the repository and the executable). The file layout is
documented in docs/FORMAT.md.
"""

from . import loss, metadata, paths
from .api import InputError, run, sweep
from .io import FORMAT_VERSION, Results, load
from .sweep import load_sweep

__all__ = ["FORMAT_VERSION", "InputError", "Results", "load", "load_sweep", "loss", "metadata", "paths", "run", "sweep"]
