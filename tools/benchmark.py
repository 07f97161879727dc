#!/usr/bin/python3
"""The benchmark of DESIGN.md §6: runs scenarios/benchmark.yaml (2,000,000 sellers, 1,000,000 buyer
agents, 156 weeks, one replication with its counterfactual) on 1 and 2 threads and reports wall time,
peak memory, the speed-up, the share of the run spent writing HDF5, and agent-steps per second.

    /usr/bin/python3 tools/benchmark.py [--exe build/release/sellershock] [--threads 1,2] [--set KEY=VALUE ...]

Agent-steps are (sellers + buyer agents) x weeks simulated, counting the counterfactual's weeks after
it forks from the scenario (before that it is not recomputed).
"""
import argparse
import pathlib
import re
import resource
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def run(exe, threads, overrides, out):
    command = [exe, "run", str(ROOT / "scenarios" / "benchmark.yaml"), "-o", str(out), "--force", "--quiet",
               "-j", str(threads)]
    for override in overrides:
        command += ["--set", override]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True)
    wall = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"benchmark run failed ({result.returncode}):\n{result.stderr}")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    match = re.search(r"run ([0-9.]+) s, of which writing the file ([0-9.]+) s", result.stdout)
    return wall, peak_kib if peak_kib > before else before, float(match.group(1)), float(match.group(2))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exe", default=str(ROOT / "build" / "release" / "sellershock"))
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--set", action="append", default=[], dest="overrides")
    args = parser.parse_args()

    # Sizes and weeks as the executable resolves them (after --set).
    described = subprocess.run([args.exe, "validate", str(ROOT / "scenarios" / "benchmark.yaml")] +
                               [a for o in args.overrides for a in ("--set", o)], capture_output=True, text=True)
    if described.returncode != 0:
        sys.exit(described.stderr)
    sys.path.insert(0, str(ROOT / "analysis"))
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for threads in [int(t) for t in args.threads.split(",")]:
            out = pathlib.Path(tmp) / f"bench-{threads}.h5"
            wall, peak_kib, run_seconds, writer_seconds = run(args.exe, threads, args.overrides, out)
            import sellershock  # noqa: E402  (analysis/ is on the path only here)
            r = sellershock.load(out)
            scenario = r.scenario_data()
            sellers, buyers, weeks = scenario["sellers"]["count"], scenario["buyers"]["count"], scenario["weeks"]
            fork = _fork_week(r)
            steps = (sellers + buyers) * (weeks + (weeks - fork))
            results[threads] = (wall, peak_kib, run_seconds, writer_seconds)
            print(f"threads {threads}: wall {wall:.1f} s (run {run_seconds:.1f} s), peak memory {peak_kib / 2**20:.2f} GiB, "
                  f"HDF5 writing {writer_seconds:.3f} s ({100 * writer_seconds / run_seconds:.2f}% of the run), "
                  f"{steps / run_seconds:.3g} agent-steps/s "
                  f"({sellers:,} sellers + {buyers:,} buyers, {weeks} weeks + {weeks - fork} counterfactual weeks)")
    if 1 in results and 2 in results:
        print(f"speed-up on 2 threads: {results[1][2] / results[2][2]:.2f}x")


def _fork_week(results):
    """The first week in which the counterfactual differs from the scenario (weeks if never)."""
    import numpy as np
    sales = results.timeseries["sales_cents"].isel(replication=0)
    if "counterfactual" not in list(sales["run"].values):
        return int(sales.sizes["week"])
    differs = (sales.sel(run="scenario") != sales.sel(run="counterfactual")).any("channel").values
    return int(np.argmax(differs)) if differs.any() else int(sales.sizes["week"])


if __name__ == "__main__":
    main()
