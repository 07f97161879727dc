// The diversification dose-response study: the scenario run at several fixed off-platform shares of
// sellers' sales, each with its counterfactual, giving the attributable loss per seller at each level
// with intervals over replications. Every business runs an own web store making that share of its
// expected sales directly (sellers.own_store_share = 1, sellers.off_platform_sales_share = level), and
// nobody changes channels (diversification.review_weeks = 0), so the level is the dose.
#pragma once

#include <string>
#include <vector>

#include "output/writer.hpp"
#include "run/runner.hpp"
#include "scenario/scenario.hpp"

namespace sellershock {

// Levels used when none are given: 0 to 0.5 in six steps.
std::vector<double> default_dose_levels();

// The scenario at one level of the dose.
Scenario at_dose_level(const Scenario& scenario, double off_platform_share);

// Throws std::invalid_argument, saying why, unless the levels are at least 2, distinct, and in [0, 1).
void check_dose_levels(const std::vector<double>& levels);

// Runs the study and writes it through `writer` as one result: axes replication and
// off_platform_share, summary entries over off_platform_share (loss per seller and its parts, exits).
// The levels must pass check_dose_levels.
// provenance as for run_scenario. Progress counts every level's replications.
void run_dose_response(const Scenario& scenario, const std::vector<double>& levels, ResultWriter& writer,
                       Provenance provenance, const RunOptions& options = {});

// The study's layout (for the writer and for tests).
Layout dose_response_layout(const Scenario& scenario, const std::vector<double>& levels);

// The printed table: per level, loss per seller (mean and 90% interval), its parts, and exits.
std::string format_dose_response_table(const class SummaryCollector& collected, const std::vector<double>& levels);

}  // namespace sellershock
