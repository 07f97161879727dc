// One replication of a scenario paired with its counterfactual, recorded through the output catalogue
// (catalogue.hpp): the scenario runs week by week; at the first week the two differ, the counterfactual
// starts from a copy of the scenario's world and then steps beside it with the same random numbers.
#include <chrono>
#include <optional>

#include "run/catalogue.hpp"
#include "run/replication.hpp"

namespace sellershock {

ReplicationResult simulate_replication(const Scenario& scenario, std::int64_t replication, RunProgress* progress,
                                       bool with_counterfactual, PhaseSeconds* phases) {
  using Clock = std::chrono::steady_clock;
  PhaseSeconds outside_weeks;
  const Scenario counterfactual_scenario = counterfactual_of(scenario);
  const std::int32_t fork_week = with_counterfactual ? first_divergent_week(scenario) : scenario.weeks;
  const std::size_t runs = with_counterfactual ? 2 : 1;
  const std::size_t weeks = static_cast<std::size_t>(scenario.weeks);
  const std::size_t regions = scenario.sellers.region_shares.size();
  const std::size_t groups = regions * kSizeClassCount;
  const std::int64_t scale = scenario.sellers.scale;

  ReplicationResult result;
  result.replication = replication;
  result.series.resize(kSeriesCount);
  for (std::size_t s = 0; s < kSeriesCount; ++s)
    result.series[s].assign(runs * weeks * series_width(kSeries[s].source, regions), 0);

  Clock::time_point started = Clock::now();
  Replication main_run(scenario, replication);
  outside_weeks.setup = seconds_since(started);
  std::optional<Replication> counterfactual_run;
  RunTotals scenario_totals(groups);
  std::optional<RunTotals> counterfactual_totals;
  if (with_counterfactual) counterfactual_totals.emplace(groups);

  for (std::size_t w = 0; w < weeks; ++w) {
    if (progress && progress->cancel_requested.load(std::memory_order_relaxed)) throw RunCancelled();
    if (with_counterfactual && static_cast<std::int32_t>(w) == fork_week) {
      started = Clock::now();
      counterfactual_run.emplace(counterfactual_scenario, main_run.world(), fork_week, main_run);
      outside_weeks.fork = seconds_since(started);
    }
    main_run.step();
    record_week(result.series, 0, w, weeks, regions, scale, main_run.last_week());
    scenario_totals.add_week(main_run.last_week());
    if (with_counterfactual) {
      // Before the fork both runs are the same world: record the scenario's week for both.
      const WeekTally& tally = counterfactual_run ? (counterfactual_run->step(), counterfactual_run->last_week())
                                                  : main_run.last_week();
      record_week(result.series, 1, w, weeks, regions, scale, tally);
      counterfactual_totals->add_week(tally);
    }
    if (progress) progress->weeks_done.fetch_add(1, std::memory_order_relaxed);
  }

  // Without a fork (no counterfactual) the scenario is its own counterfactual: every difference is 0 and
  // nobody is treated.
  started = Clock::now();
  const LossBreakdown loss =
      measure_loss(main_run.world(), counterfactual_run ? counterfactual_run->world() : main_run.world());
  const RunPair totals{scenario_totals, counterfactual_totals ? &*counterfactual_totals : nullptr, regions, loss};
  result.summary = report_summaries(totals, scale);
  outside_weeks.results = seconds_since(started);
  if (phases) {
    phases->add(outside_weeks);
    phases->add(main_run.phase_seconds());
    if (counterfactual_run) phases->add(counterfactual_run->phase_seconds());
  }
  return result;
}

}  // namespace sellershock
