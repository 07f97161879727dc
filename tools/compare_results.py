#!/usr/bin/python3
"""Compare two sellershock result files: the check behind every optimisation (docs/PERFORMANCE.md).

A change that keeps the random streams must leave every dataset bit-identical; a change that alters
them must move no summary beyond Monte Carlo error. Run the same scenario with the same seed and
replications under the build before and the build after, then

    /usr/bin/python3 tools/compare_results.py BEFORE.h5 AFTER.h5 [--z 3]

It first compares every dataset exactly. When they all match it says so and exits 0. Otherwise it
lists how many differ and compares each scalar summary (summary/NAME, one value per replication)
replication by replication: replication r of both files shares its seller and buyer set-up draws, so
the paired difference has a smaller spread than two independent samples. For each summary it prints
the means, the relative shift, and z = mean difference / its standard error (paired, and unpaired for
comparison). Exit status: 0 when every |z| is below the threshold (--z, default 3; with about fifty
summaries a z above 2 now and then is expected by chance), 1 when some summary shifted beyond it or
the files cannot be paired (different datasets, shapes or replications), 2 for an input error (a
missing file, not a sellershock result file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import h5py
import numpy as np


def datasets(group: h5py.Group) -> dict[str, h5py.Dataset]:
    found: dict[str, h5py.Dataset] = {}
    group.visititems(lambda name, item: found.__setitem__(name, item) if isinstance(item, h5py.Dataset) else None)
    return found


def same(a: h5py.Dataset, b: h5py.Dataset) -> bool:
    x, y = np.asarray(a[()]), np.asarray(b[()])
    if x.shape != y.shape or x.dtype.kind != y.dtype.kind:
        return False
    if x.dtype.kind == "f":
        return bool(np.array_equal(x, y, equal_nan=True))
    return bool(np.array_equal(x, y))


def z(shift: float, standard_error: float) -> float:
    """The shift in standard errors; with no spread at all, 0 for no shift and infinite for any."""
    if standard_error > 0:
        return float(shift / standard_error)
    return 0.0 if shift == 0 else float("inf")


def shifts(a: h5py.File, b: h5py.File) -> list[tuple[str, float, float, float, float]]:
    """(name, mean before, mean after, z paired, z unpaired) for every scalar summary."""
    rows = []
    for name, item in a["summary"].items():
        if not isinstance(item, h5py.Dataset) or item.ndim != 1 or item.dtype.kind not in "iuf" or name == "replication":
            continue
        if name not in b["summary"]:
            continue
        x = item[()].astype(float)
        y = b["summary"][name][()].astype(float)
        n = len(x)
        difference = y - x
        se_paired = difference.std(ddof=1) / np.sqrt(n) if n > 1 else 0.0
        se_unpaired = np.sqrt(x.var(ddof=1) / n + y.var(ddof=1) / n) if n > 1 else 0.0
        rows.append((name, x.mean(), y.mean(), z(difference.mean(), se_paired), z(difference.mean(), se_unpaired)))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--z", type=float, default=3.0, help="largest |z| accepted as Monte Carlo error (default 3)")
    args = parser.parse_args(argv)

    files = []
    for path in (args.before, args.after):
        if not path.is_file():
            print(f"compare_results: {path}: no such file", file=sys.stderr)
            return 2
        try:
            handle = h5py.File(path, "r")
        except OSError as error:
            print(f"compare_results: {path}: not an HDF5 file ({error})", file=sys.stderr)
            return 2
        if "summary" not in handle or "replication" not in handle["summary"]:
            print(f"compare_results: {path}: not a sellershock result file (no summary/replication)", file=sys.stderr)
            return 2
        files.append(handle)
    a, b = files

    left, right = datasets(a), datasets(b)
    missing = sorted(set(left) ^ set(right))
    differing = sorted(name for name in set(left) & set(right) if not same(left[name], right[name]))
    if not missing and not differing:
        print(f"identical: all {len(left)} datasets are bit-identical")
        return 0
    print(f"{len(differing)} of {len(left)} datasets differ" + (f"; {len(missing)} are in one file only" if missing else ""))
    replications = (a["summary/replication"][()], b["summary/replication"][()])
    if missing or replications[0].shape != replications[1].shape or not np.array_equal(*replications):
        print("the files cannot be paired: run the same scenario with the same seed and replications under both builds")
        return 1

    rows = shifts(a, b)
    print(f"{'summary':52s} {'before':>20s} {'after':>20s} {'shift':>8s} {'z paired':>9s} {'z unpaired':>10s}")
    for name, before, after, z, z_unpaired in rows:
        shift = (after - before) / abs(before) if before else 0.0
        print(f"{name:52s} {before:20,.0f} {after:20,.0f} {shift:+8.1%} {z:9.2f} {z_unpaired:10.2f}")
    beyond = [row for row in rows if abs(row[3]) >= args.z]
    largest = max((abs(row[3]) for row in rows), default=0.0)
    print(f"{len(replications[0])} replications, {len(rows)} summaries; largest |z| (paired) {largest:.2f}")
    if beyond:
        print(f"shifted beyond |z| = {args.z:g}: " + ", ".join(row[0] for row in beyond))
        return 1
    print(f"no summary shifted beyond |z| = {args.z:g}: within Monte Carlo error")
    return 0


if __name__ == "__main__":
    sys.exit(main())
