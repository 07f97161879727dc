// Runs the replications of a scenario in parallel and hands each result to a writer.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "output/writer.hpp"
#include "run/replication.hpp"
#include "scenario/scenario.hpp"

namespace sellershock {

struct RunOptions {
  int threads = 0;  // 0: every core
  bool with_counterfactual = true;  // also run each replication's counterfactual (attributable losses)
  RunProgress* progress = nullptr;
};

// Runs every replication (replication numbers 0..replications-1, each seeded by (seed, replication))
// and calls writer.begin / add / finish; on any exception the writer is abandoned and the exception
// rethrown. Throws RunCancelled, without calling the writer at all, when options.progress asks to cancel
// before the run starts, and after abandoning it when it asks during the run. Results are identical for any thread count and any order in which replications finish.
// provenance: filled in by the caller except start and end times and thread count, set here.
// Returns how long the run took and how much of it the writer used (for the benchmark's HDF5 share).
struct RunTimes {
  double wall_seconds = 0;
  double writer_seconds = 0;
  PhaseSeconds phases;  // summed over the replications (which may run side by side)
};
RunTimes run_scenario(const Scenario& scenario, const std::string& resolved_scenario, ResultWriter& writer,
                      Provenance provenance, const RunOptions& options = {});

// What a run would hold in memory at its peak, for the check made before it starts.
struct MemoryEstimate {
  std::uint64_t total_bytes = 0;
  // Held by each replication while it runs (its world, its counterfactual's, their purchases and
  // results), times the replications that run side by side.
  std::uint64_t sellers_bytes = 0;
  std::uint64_t buyers_bytes = 0;
  // Held for every replication until the run is written: its series in the file being built and its
  // summary values (kept by the file writer and the printed report), times the replications.
  std::uint64_t per_replication_bytes = 0;
  std::uint64_t replications_bytes = 0;
  // The input that drives the estimate most: "sellers.count", "buyers.count" or "replications".
  std::string driving_key;
};
MemoryEstimate estimate_memory(const Scenario& scenario, int threads, bool with_counterfactual = true);
// estimate_memory(...).total_bytes.
std::uint64_t estimated_peak_bytes(const Scenario& scenario, int threads, bool with_counterfactual = true);

// The memory this process may use, in bytes: the smallest of physical memory and the memory limits of
// the control groups it runs in (cgroup v2 memory.max, v1 memory.limit_in_bytes, in its own group and
// those above it); 0 when none is known. `root` replaces "/" when reading /proc and /sys (for tests).
std::uint64_t memory_limit_bytes(const std::string& root = "/");

// The memory this process can use now, in bytes: the smaller of /proc/meminfo's MemAvailable and
// memory_limit_bytes(root) (physical memory and the cgroup limits); 0 when neither is known.
std::uint64_t available_memory_bytes(const std::string& root = "/");

// A byte count for people: "1.5 GiB".
std::string human_bytes(double bytes);

// Throws InputError naming scenario_file and the key that drives the estimate (sellers.count,
// buyers.count or replications), with the estimate and the limit, when the run would need more than
// 80% of the memory this process may use (memory_limit_bytes(), or `limit_bytes` when given; no check
// when it is unknown), or needs more than 255 regions. Creates nothing.
void check_resources(const Scenario& scenario, const std::string& scenario_file, int threads,
                     bool with_counterfactual = true, std::optional<std::uint64_t> limit_bytes = std::nullopt);

// The number of threads a run will use for options.threads (0: every core).
int effective_threads(int requested);

}  // namespace sellershock
