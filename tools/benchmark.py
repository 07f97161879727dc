#!/usr/bin/python3
"""The benchmark of DESIGN.md §6: runs scenarios/benchmark.yaml (2,000,000 sellers, 1,000,000 buyer
agents, 156 weeks, one replication with its counterfactual) on 1 and 2 threads and reports wall time,
peak memory, the speed-up, the share of the run spent writing HDF5, agent-steps per second and their
share of the memory-bandwidth limit, and where the time went by phase of the week (`run --timings`,
for a build that has it). With --baseline it runs another build of the executable side by side
(alternating runs, so that both see the same machine at the same time) and reports the ratio of their
times.

    /usr/bin/python3 tools/benchmark.py [--exe build/release/sellershock] [--threads 1,2] [--set KEY=VALUE ...]
    /usr/bin/python3 tools/benchmark.py --baseline /path/to/old/sellershock --rounds 3 --threads 2
    /usr/bin/python3 tools/benchmark.py --kernels      # also runs the micro-benchmarks (preset bench)

Agent-steps are (sellers + buyer agents) x weeks simulated, counting the counterfactual's weeks after
it forks from the scenario (before that it is not recomputed). The bandwidth limit is the machine's
memory bandwidth divided by the bytes an agent-step touches (--bandwidth-gbs, --bytes-per-step); the
defaults are the estimates of docs/PERFORMANCE.md for a 2-core machine like this one, not measured here.
"""
import argparse
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time
from typing import NamedTuple

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "benchmark.yaml"


class Measured(NamedTuple):
    """One run's figures. System time is mostly the first touch of memory (docs/PERFORMANCE.md, ninth
    session): on virtual machines it can be a large and variable part of a run."""
    wall: float            # s, the process from start to exit
    peak_kib: int          # peak resident memory of that process
    run_seconds: float     # s, as the run reports it
    writer_seconds: float  # s, of which writing the file
    user: float            # s of user CPU
    system: float          # s of system CPU
    phases: dict           # phase of the week -> s (empty for a build without `run --timings`)


def has_timings(exe):
    """Whether the build prints its time by phase (`run --timings`; builds before it do not)."""
    shown = subprocess.run([exe, "run", "--help"], capture_output=True, text=True)
    return "--timings" in shown.stdout


def run(exe, threads, overrides, out, timings=False):
    """One run of the benchmark scenario (Measured)."""
    command = [exe, "run", str(SCENARIO), "-o", str(out), "--force", "--quiet", "-j", str(threads)]
    if timings:
        command.append("--timings")
    for override in overrides:
        command += ["--set", override]
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, text=True)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own peak memory, not the maximum of all
        wall = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        out_text, err_text = stdout.read(), stderr.read()
    if process.returncode != 0:
        sys.exit(f"benchmark run failed ({process.returncode}): {' '.join(command)}\n{err_text}")
    match = re.search(r"run ([0-9.]+) s, of which writing the file ([0-9.]+) s", out_text)
    if not match:
        sys.exit(f"benchmark: no timing line in the output of {exe}:\n{out_text[-2000:]}")
    phases = {}
    line = re.search(r"time by phase, s, summed over replications: (.*)", out_text)
    if line:
        for part in line.group(1).split(", "):
            name, _, seconds = part.rpartition(" ")
            phases[name] = float(seconds)
    return Measured(wall, usage.ru_maxrss, float(match.group(1)), float(match.group(2)), usage.ru_utime, usage.ru_stime,
                    phases)


def agent_steps(path):
    """Agent-steps of the run in the file, and a description of them."""
    import sellershock  # noqa: E402  (analysis/ is put on the path by main)
    r = sellershock.load(path)
    scenario = r.scenario_data()
    sellers, buyers, weeks = scenario["sellers"]["count"], scenario["buyers"]["count"], scenario["weeks"]
    fork = _fork_week(r)
    return ((sellers + buyers) * (weeks + (weeks - fork)),
            f"{sellers:,} sellers + {buyers:,} buyers, {weeks} weeks + {weeks - fork} counterfactual weeks")


def _fork_week(results):
    """The first week in which the counterfactual differs from the scenario (weeks if never)."""
    import numpy as np
    sales = results.timeseries["sales_cents"].isel(replication=0)
    if "counterfactual" not in list(sales["run"].values):
        return int(sales.sizes["week"])
    differs = (sales.sel(run="scenario") != sales.sel(run="counterfactual")).any("channel").values
    return int(np.argmax(differs)) if differs.any() else int(sales.sizes["week"])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exe", default=str(ROOT / "build" / "release" / "sellershock"))
    parser.add_argument("--baseline", help="another build of sellershock to run side by side with --exe")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each executable per thread count (the "
                        "fastest is reported; with --baseline they alternate)")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--set", action="append", default=[], dest="overrides")
    parser.add_argument("--bandwidth-gbs", type=float, default=55.0,
                        help="memory bandwidth of the machine, GB/s (default: the estimate for 2 cores)")
    parser.add_argument("--bytes-per-step", type=float, default=128.0,
                        help="bytes of memory an agent-step touches (default: the estimate of docs/PERFORMANCE.md)")
    parser.add_argument("--kernels", action="store_true",
                        help="then run the micro-benchmarks, build/bench/bench/sellershock_kernels (preset bench)")
    args = parser.parse_args()

    executables = [("candidate", args.exe)] + ([("baseline", args.baseline)] if args.baseline else [])
    timed = {exe: has_timings(exe) for _, exe in executables}
    for _, exe in executables:
        checked = subprocess.run([exe, "validate", str(SCENARIO)] + [a for o in args.overrides for a in ("--set", o)],
                                 capture_output=True, text=True)
        if checked.returncode != 0:
            sys.exit(f"{exe}: {checked.stderr}")
    sys.path.insert(0, str(ROOT / "analysis"))
    limit = args.bandwidth_gbs * 1e9 / args.bytes_per_step
    best = {}  # (name, threads) -> fastest Measured
    steps = described = None
    with tempfile.TemporaryDirectory() as tmp:
        for threads in [int(t) for t in args.threads.split(",")]:
            for round_ in range(args.rounds):
                for name, exe in executables:
                    out = pathlib.Path(tmp) / f"{name}-{threads}.h5"
                    measured = run(exe, threads, args.overrides, out, timed[exe])
                    if steps is None:
                        steps, described = agent_steps(out)
                    print(f"  {name} threads {threads} round {round_ + 1}: run {measured.run_seconds:.1f} s "
                          f"(wall {measured.wall:.1f} s, user {measured.user:.1f} s, system {measured.system:.1f} s, "
                          f"peak {measured.peak_kib / 2**20:.2f} GiB)", flush=True)
                    if (name, threads) not in best or measured.run_seconds < best[name, threads].run_seconds:
                        best[name, threads] = measured
    print(f"benchmark: {described}; {steps:.3g} agent-steps; bandwidth limit {limit:.3g} agent-steps/s "
          f"({args.bandwidth_gbs:g} GB/s / {args.bytes_per_step:g} bytes per step)")
    for (name, threads), m in best.items():
        print(f"{name} threads {threads}: run {m.run_seconds:.1f} s (wall {m.wall:.1f} s; CPU user {m.user:.1f} s, "
              f"system {m.system:.1f} s), peak memory {m.peak_kib / 2**20:.2f} GiB, "
              f"HDF5 writing {m.writer_seconds:.3f} s ({100 * m.writer_seconds / m.run_seconds:.2f}% of the run), "
              f"{steps / m.run_seconds:.3g} agent-steps/s ({100 * steps / m.run_seconds / limit:.1f}% of the bandwidth limit)")
        if m.phases:
            print(f"  time by phase: " + ", ".join(f"{phase} {seconds:.2f} s ({100 * seconds / m.run_seconds:.1f}%)"
                                                   for phase, seconds in m.phases.items()))
    for name, _ in executables:
        if (name, 1) in best and (name, 2) in best:
            print(f"{name} speed-up on 2 threads: {best[name, 1].run_seconds / best[name, 2].run_seconds:.2f}x")
    if args.baseline:
        for (name, threads) in best:
            if name == "candidate" and ("baseline", threads) in best:
                print(f"threads {threads}: candidate {best['baseline', threads].run_seconds / best[name, threads].run_seconds:.2f}x "
                      f"faster than the baseline (fastest of {args.rounds} alternating runs each)")
    if args.kernels:
        kernels = ROOT / "build" / "bench" / "bench" / "sellershock_kernels"
        if not kernels.exists():
            sys.exit(f"{kernels} is missing: cmake --preset bench && cmake --build --preset bench")
        subprocess.run([str(kernels)], check=True)


if __name__ == "__main__":
    main()
