// Observed figures a run is compared with (data/calibration_targets.csv, documented in
// docs/CALIBRATION.md), and the table that compares them with the run's summary values.
#pragma once

#include <string>
#include <vector>

#include "output/summary_collector.hpp"
#include "scenario/error.hpp"

namespace sellershock {

// One row of the targets file. `metric` names the run's scalar summary entry the figure is compared
// with (empty: listed for reference only, not selectable). low/high are in natural units: US dollars
// for a metric ending in _cents, counts otherwise. status is "V", "W" or "A" as FACTS.md grades it.
struct CalibrationTarget {
  std::string id, description, metric, unit, source, status;
  double low = 0, high = 0;
  SourceLocation where = {};  // file and line of the row, for error messages
};

// Reads the targets CSV (header id,description,metric,low,high,unit,source,status; fields quoted as
// in RFC 4180; blank lines ignored).
// Throws InputError naming file:line for a missing or unreadable file, a wrong header, a malformed
// row (wrong field count, unterminated quote, empty id, a low/high that is not a finite number,
// low > high, a status other than V/W/A) or a repeated id.
std::vector<CalibrationTarget> load_calibration_targets(const std::string& csv_path);

// The targets named by `ids`, in that order.
// Throws InputError naming scenario_file and the key calibration.targets[i] for an id that is not in
// `all` (suggesting the nearest selectable id) or whose metric is empty (reference only).
std::vector<CalibrationTarget> select_calibration_targets(const std::vector<CalibrationTarget>& all,
                                                          const std::vector<std::string>& ids,
                                                          const std::string& scenario_file);

// A text table, one row per target: id, status, unit, the target range, the model's mean and 90%
// interval (5%..95% quantiles over replications), and a verdict: "inside" when the mean is within
// [low, high], else "below by N%" / "above by N%" relative to the nearest bound. Money in US dollars.
// Throws InputError naming the target (its file:line and id) when the run produced no scalar summary
// entry named by its metric.
std::string format_calibration_table(const std::vector<CalibrationTarget>& targets,
                                     const SummaryCollector& collected);

}  // namespace sellershock
