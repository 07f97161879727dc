// Text a run prints for people: the summary table with intervals over replications.
#pragma once

#include <string>

#include "output/summary_collector.hpp"

namespace sellershock {

// One row per summary entry: mean and the 5/50/95% quantiles over replications; money in US dollars.
std::string format_summary_table(const SummaryCollector& collected);

// The attributable loss (scenario minus counterfactual) with its components, and split by home region and
// by size class: mean and 90% interval over replications, in US dollars. Empty without a counterfactual.
std::string format_loss_table(const SummaryCollector& collected);

// What happened to the frozen funds, by route of recovery (appeal, release after the hold, individual
// arbitration, collective action), with legal costs: mean and 90% interval over replications, in US dollars.
std::string format_recovery_table(const SummaryCollector& collected);

// Survival (share not exited at the end) by the channels businesses started with: mean and 90% interval.
std::string format_survival_table(const SummaryCollector& collected);

// Each channel's share of sales over the run, in the scenario and (when run) its counterfactual.
std::string format_market_share_table(const SummaryCollector& collected);

// "1,234,567" for 1234567; "-12" for -12.
std::string with_thousands_separators(long long value);

}  // namespace sellershock
