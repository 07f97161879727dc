// One replication: a World advanced week by week by the step function.
#pragma once

#include <atomic>
#include <cstdint>
#include <stdexcept>

#include <tbb/enumerable_thread_specific.h>

#include "output/results.hpp"
#include "process/week.hpp"
#include "scenario/scenario.hpp"
#include "state/world.hpp"

namespace sellershock {

// Shared with a progress reporter on another thread; runs only increment the counters.
struct RunProgress {
  std::atomic<std::int64_t> weeks_done{0};
  std::atomic<std::int64_t> replications_done{0};
  std::atomic<bool> cancel_requested{false};  // set e.g. by a signal handler: stop at the next week
};

// Thrown when RunProgress::cancel_requested stops a run.
struct RunCancelled : std::runtime_error {
  RunCancelled() : std::runtime_error("run cancelled") {}
};

class Replication {
 public:
  Replication(const Scenario& scenario, std::int64_t replication);

  // Advances one week: the processes of DESIGN.md §2 in order, over blocks of sellers in parallel.
  void step();

  std::int32_t weeks_done() const noexcept { return week_; }
  const World& world() const noexcept { return world_; }
  // Aggregates of the week last stepped.
  const WeekTally& last_week() const noexcept { return tally_; }

 private:
  const Scenario& scenario_;
  World world_;
  std::int32_t week_ = 0;
  WeekTally tally_;
  tbb::enumerable_thread_specific<WeekTally> block_tallies_;
};

// The output layout for a scenario: axes, time series and summary entries (sim/run/series.cpp).
Layout make_layout(const Scenario& scenario);

// Runs all weeks of one replication and records the layout's series and summary.
// progress, if given, counts weeks done and is checked for cancellation (RunCancelled) every week.
ReplicationResult simulate_replication(const Scenario& scenario, std::int64_t replication,
                                       RunProgress* progress = nullptr);

}  // namespace sellershock
