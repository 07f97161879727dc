// The text a run prints when it ends, assembled from the tables of run/report.hpp in a fixed order.
#pragma once

#include <string>

#include "output/summary_collector.hpp"
#include "run/plan.hpp"
#include "run/results_file.hpp"

namespace sellershock {

// A line naming the run (scenario, replications, weeks, sellers, seed), then the summary, recovery,
// attributable-loss, market-share and survival tables, then the calibration comparison when the
// scenario names targets. `collected` holds the run's summaries (a SummaryCollector given to execute).
// Throws InputError when a calibration target's metric is missing from `collected`.
std::string run_report(const PreparedRun& run, const SummaryCollector& collected);

// A line naming the study, then the dose-response table.
std::string dose_response_report(const PreparedDoseResponse& study, const SummaryCollector& collected);

// What `summarize FILE` prints in text form: the report the run (or dose-response study) printed, rebuilt
// from its file, without the final "written to" line. The calibration comparison needs the targets file
// the scenario names, found relative to the scenario file the run was given; if it cannot be read there,
// the comparison is left out and `note` (if given) says why.
std::string run_file_report(const RunFile& file, std::string* note = nullptr);

// What `validate` prints for a valid scenario: one line with its name, size, weeks, replications, waves.
std::string validation_report(const PreparedRun& run);

}  // namespace sellershock
