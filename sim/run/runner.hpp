// Runs the replications of a scenario in parallel and hands each result to a writer.
#pragma once

#include <atomic>
#include <cstdint>
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
// rethrown. Results are identical for any thread count and any order in which replications finish.
// provenance: filled in by the caller except start and end times and thread count, set here.
// Returns how long the run took and how much of it the writer used (for the benchmark's HDF5 share).
struct RunTimes {
  double wall_seconds = 0;
  double writer_seconds = 0;
};
RunTimes run_scenario(const Scenario& scenario, const std::string& resolved_scenario, ResultWriter& writer,
                      Provenance provenance, const RunOptions& options = {});

// Memory a run would need at peak, in bytes, for the memory check made before it starts.
std::uint64_t estimated_peak_bytes(const Scenario& scenario, int threads);
// Throws InputError naming scenario_file and sellers.count, with the estimate, when the run would not
// fit in this machine's memory (or needs more than 255 regions).
void check_resources(const Scenario& scenario, const std::string& scenario_file, int threads);

// The number of threads a run will use for options.threads (0: every core).
int effective_threads(int requested);

}  // namespace sellershock
