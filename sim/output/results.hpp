// What a run produces, independent of the file format: named axes, time series with named
// dimensions, per-replication summary values. The run layer fills it; writers consume it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace sellershock {

// One dimension of the output (replication, week, region, channel, ...). Exactly one of
// labels (categorical axis) or values (numeric axis) is non-empty.
struct Axis {
  std::string name;
  std::string description;
  std::vector<std::string> labels;
  std::vector<std::int64_t> values;
  std::size_t size() const { return labels.empty() ? values.size() : labels.size(); }
};

// A time series: int64 values (cents or counts) over dims, the first always "replication".
struct SeriesSpec {
  std::string name;         // e.g. "sales_cents"
  std::string unit;         // e.g. "USD cents", "accounts"
  std::string description;
  std::vector<std::string> dims;  // names of Axis entries, e.g. {"replication", "week", "channel"}
  std::string long_name = {};     // a short label for plots (CF long_name); the description if empty
  std::string measure = {};       // "stock" (a level at the end of the week) or "flow" (over the week)
};

// A per-replication value, e.g. total frozen funds (dims empty), or a small table of them, e.g. the
// attributable loss by (component, region, size_class).
struct SummarySpec {
  std::string name;
  std::string unit;
  std::string description;
  std::vector<std::string> dims = {};  // names of Axis entries after replication; empty for a scalar
  std::string long_name = {};          // a short label for plots (CF long_name); the description if empty
  std::string measure = {};            // "stock" (at the end of the run) or "flow" (over the run)
};

struct Layout {
  std::vector<Axis> axes;
  std::vector<SeriesSpec> series;
  std::vector<SummarySpec> summary;
  std::string start_date;  // ISO date of week 0
  const Axis& axis(const std::string& name) const;
  // Number of values per replication of a series or summary entry with these dims (after replication).
  std::size_t element_count(const std::vector<std::string>& dims_after_replication) const;
};

// The output of one replication: for each series and each summary entry (in Layout order) its values
// without the replication dimension, row-major over the remaining dims (one value for a scalar entry).
struct ReplicationResult {
  std::int64_t replication = 0;
  std::vector<std::vector<std::int64_t>> series;
  std::vector<std::vector<std::int64_t>> summary;
};

// Facts about the run recorded at the root of the output file.
struct Provenance {
  int format_version = 1;
  std::string program_version;
  std::string git_revision;
  std::string command_line;
  std::uint64_t seed = 0;
  int threads = 1;
  int ranks = 1;
  std::string start_time;  // ISO 8601 UTC
  std::string end_time;
  std::string scenario_name;
  std::string scenario_file;
};

// The current time as ISO 8601 UTC, e.g. 2026-11-30T23:59:59Z (the provenance's start and end times).
std::string utc_now_iso();

// Quantiles over replications reported for every summary entry.
struct SummaryStatistics {
  double mean = 0, q05 = 0, q50 = 0, q95 = 0;
  // Monte Carlo standard error of the mean: the sample standard deviation over replications divided by
  // the square root of their number (NaN with fewer than 2).
  double standard_error = 0;
};
// The statistics every writer stores per summary element, in this order, and what they are.
inline constexpr std::array<const char*, 5> kSummaryStatisticLabels = {"mean", "q05", "q50", "q95", "standard_error"};
inline constexpr const char* kSummaryStatisticDescription =
    "statistic over replications: mean, 5%, 50% and 95% quantiles, and the standard error of the mean";
inline std::array<double, 5> statistic_values(const SummaryStatistics& s) {
  return {s.mean, s.q05, s.q50, s.q95, s.standard_error};
}

// Mean, 5/50/95% quantiles (linear interpolation between order statistics, as numpy's default) and the
// standard error of the mean.
SummaryStatistics summarize(std::vector<std::int64_t> values);

}  // namespace sellershock
