// A finished run's file read back into memory: its scenario, layout and every summary entry per
// replication, so that `sellershock summarize` reprints the run's tables without running again, and
// scripts get them as JSON or CSV.
#pragma once

#include <string>
#include <vector>

#include "output/summary_collector.hpp"
#include "scenario/scenario.hpp"

namespace sellershock {

struct RunFile {
  std::string path;
  std::string resolved_scenario;  // the YAML stored in the file
  Scenario scenario;
  std::string scenario_file;      // the scenario file the run was given (root attribute)
  bool dose_response = false;     // a dose-response study's file
  std::vector<double> dose_levels;  // its levels
  bool with_counterfactual = false;
  SummaryCollector collected;     // every summary entry, per replication
};

// Throws InputError naming the file when it is missing, not HDF5, or not a sellershock run or
// dose-response file of this format version.
RunFile read_run_file(const std::string& path);

// Every summary entry with its unit, dimensions and labels, per-replication values and statistics, as
// JSON (numbers unformatted: cents stay cents).
std::string format_summaries_json(const RunFile& file);
// The same in long form: entry,unit,measure,element,replication,value (element: the labels of the
// entry's dimensions joined by '/', empty for a scalar).
std::string format_summaries_csv(const RunFile& file);

}  // namespace sellershock
