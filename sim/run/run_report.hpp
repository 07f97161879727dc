// The text a run prints when it ends, assembled from the tables of run/report.hpp in a fixed order.
#pragma once

#include <string>

#include "output/summary_collector.hpp"
#include "run/plan.hpp"

namespace sellershock {

// A line naming the run (scenario, replications, weeks, sellers, seed), then the summary, recovery,
// attributable-loss, market-share and survival tables, then the calibration comparison when the
// scenario names targets. `collected` holds the run's summaries (a SummaryCollector given to execute).
// Throws InputError when a calibration target's metric is missing from `collected`.
std::string run_report(const PreparedRun& run, const SummaryCollector& collected);

// A line naming the study, then the dose-response table.
std::string dose_response_report(const PreparedDoseResponse& study, const SummaryCollector& collected);

// What `validate` prints for a valid scenario: one line with its name, size, weeks, replications, waves.
std::string validation_report(const PreparedRun& run);

}  // namespace sellershock
