// One replication: a World advanced week by week by the step function, and its counterfactual.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <utility>

#include <tbb/enumerable_thread_specific.h>

#include "output/results.hpp"
#include "process/demand.hpp"
#include "process/week.hpp"
#include "scenario/scenario.hpp"
#include "state/world.hpp"

namespace sellershock {

// Sellers per block of the seller processes (3-9), which run one block at a time, in parallel over
// blocks: large enough to amortise scheduling and each process's set-up; smaller blocks (1,024, 256)
// measured no faster (docs/PERFORMANCE.md).
inline constexpr std::size_t kSellersPerBlock = 8192;

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

// Throws RunCancelled if `progress` asks to stop (nothing if it is null).
inline void throw_if_cancelled(const RunProgress* progress) {
  if (progress && progress->cancel_requested.load()) throw RunCancelled();
}

// Where a replication's time goes, in seconds of wall time on the thread that runs it (each phase's
// parallel loops use every thread the run has): for `run --timings` and tools/benchmark.py, so that the
// profile of docs/PERFORMANCE.md can be had without a profiler. Never written to the results file: its
// datasets stay the same from run to run.
struct PhaseSeconds {
  double setup = 0;         // the scenario's world built (set-up) and its replication made ready
  double tables = 0;        // process 2: the alias tables rebuilt
  double choice = 0;        // process 2: buyers choose a channel and place their purchases
  double allocation = 0;    // process 2: purchases become sellers' revenue
  double seller_pass = 0;   // processes 3-9 over every block of sellers
  double rest_of_week = 0;  // events, the suspension queue, the week's sums
  double fork = 0;          // the counterfactual's copy of the world and its replication made ready
  double results = 0;       // the loss measured and the summaries computed at the end
  void add(const PhaseSeconds& other);
  double total() const;
};
// Seconds of wall time since `start`.
inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The phases in order, each with its name as `run --timings` prints it: the one list that add(),
// total() and the printed line go through.
inline constexpr std::pair<const char*, double PhaseSeconds::*> kPhases[] = {
    {"set-up", &PhaseSeconds::setup},
    {"alias tables", &PhaseSeconds::tables},
    {"buyers' choice", &PhaseSeconds::choice},
    {"allocation", &PhaseSeconds::allocation},
    {"seller pass", &PhaseSeconds::seller_pass},
    {"rest of the weeks", &PhaseSeconds::rest_of_week},
    {"counterfactual's fork", &PhaseSeconds::fork},
    {"results", &PhaseSeconds::results}};

class Replication {
 public:
  Replication(const Scenario& scenario, std::int64_t replication);
  // Continues from a world stepped `weeks_done` weeks under another scenario (a counterfactual forked
  // from its scenario at the first week they differ).
  Replication(const Scenario& scenario, World world, std::int32_t weeks_done);
  // The same, writing its purchases into `stepped_in_turn`'s buckets (Demand): only for two
  // replications stepped one after the other, never at the same time (a scenario and its counterfactual).
  Replication(const Scenario& scenario, World world, std::int32_t weeks_done, const Replication& stepped_in_turn);

  // Advances one week: the processes of DESIGN.md §2 in order.
  void step();

  std::int32_t weeks_done() const noexcept { return world_.weeks_stepped; }
  const World& world() const noexcept { return world_; }
  // Aggregates of the week last stepped.
  const WeekTally& last_week() const noexcept { return tally_; }
  // The running stocks (process 9): the stock columns as of the end of the week last stepped.
  const WeekTally& stocks() const noexcept { return stocks_; }
  // Time spent in step()'s phases so far (set-up, fork and results are the caller's).
  const PhaseSeconds& phase_seconds() const noexcept { return phases_; }

 private:
  const Scenario& scenario_;
  World world_;
  WeekTally tally_;
  WeekTally stocks_;  // only its stock columns are used: counted at the start, then carried week by week
  tbb::enumerable_thread_specific<WeekTally> block_tallies_;
  Demand demand_;
  // By week of the run: the sellers whose appeal is decided or whose hold ends then (process 5 visits
  // these, not every seller), filed from the columns when the replication starts (or forks) and from
  // each week's suspensions after the week. Empty where an appeal or a hold can fall due in the
  // suspension's own week (due_in_suspension_week): process 5 then scans.
  std::vector<std::vector<std::uint32_t>> due_;
  void file_due(std::size_t seller);
  // By group: the weekly fixed costs of the businesses not exited, the part of each week's group
  // profit that process 7 leaves to the step function (summed from the columns when the replication
  // starts or forks; less each week's exits after the week).
  std::vector<Cents> fixed_costs_;
  // Process 4's active businesses by class and level (filed from the columns when the replication starts
  // or forks, and after each week's reinstatements), and this week's that fall.
  SuspensionQueue suspensions_;
  std::vector<std::uint32_t> falling_;
  PhaseSeconds phases_;
};

// The scenario without the events its counterfactual removes.
Scenario counterfactual_of(const Scenario& scenario);
// The first week in which the scenario and its counterfactual differ (scenario.weeks if never): before
// it both draw the same numbers on the same state, so the counterfactual starts from a copy.
std::int32_t first_divergent_week(const Scenario& scenario);

// The output layout for a scenario: axes, time series and summary entries (sim/run/catalogue.cpp).
Layout make_layout(const Scenario& scenario, bool with_counterfactual = true);

// Runs all weeks of one replication (and of its counterfactual, unless with_counterfactual is false)
// and records the output catalogue's series and summary (sim/run/simulate.cpp). progress, if given, counts weeks done and is checked for
// cancellation (RunCancelled) every week; phases, if given, has the replication's time by phase added.
ReplicationResult simulate_replication(const Scenario& scenario, std::int64_t replication,
                                       RunProgress* progress = nullptr, bool with_counterfactual = true,
                                       PhaseSeconds* phases = nullptr);

}  // namespace sellershock
