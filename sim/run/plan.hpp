// One run plan: a scenario file, the overrides applied to it, the thread count and whether to run the
// counterfactuals. prepare_* loads and checks all of it, touching no file; execute runs it into any
// ResultWriter; run_to_file writes an HDF5 file and returns the text report. The command line's `run`
// and `dose-response` go through here, as will `sweep` (one plan per point) and the Python module.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "output/results.hpp"
#include "output/writer.hpp"
#include "run/calibration.hpp"
#include "run/replication.hpp"
#include "run/runner.hpp"
#include "scenario/scenario.hpp"

namespace sellershock {

// Most worker threads a plan may ask for.
inline constexpr int kMaxThreads = 4096;

struct RunPlan {
  std::string scenario_path;
  // "KEY=VALUE" overrides applied in order after the file, the value parsed as YAML (--set).
  std::vector<std::string> overrides;
  // Replace the file's replications and seed, as text exactly as the user gave it: they are applied
  // as the last overrides, so they are validated (and refused) exactly like the file's values.
  std::optional<std::string> replications;
  std::optional<std::string> seed;
  int threads = 0;  // 0: every core; otherwise 1..kMaxThreads
  bool with_counterfactual = true;
};

// The overrides a plan applies, in order: its overrides, then replications= and seed= when given.
std::vector<std::string> all_overrides(const RunPlan& plan);

// Throws InputError naming `option` unless threads is 0 (every core) or in 1..kMaxThreads.
void check_threads(int threads, const std::string& option = "-j");

// Throws InputError naming scenario_file and counterfactual.remove when a run measured against the
// counterfactual could only measure zeros: the scenario has waves but removes none, or a removed wave is
// in force on no day of the run. (Runs without a counterfactual skip this check.)
void check_counterfactual_removes_a_shock(const Scenario& scenario, const std::string& scenario_file);

// A plan whose scenario is loaded and whose every input is checked: ready to execute.
struct PreparedRun {
  RunPlan plan;
  Scenario scenario;
  std::string resolved_scenario;  // to_yaml(scenario): stored in the output
  std::vector<CalibrationTarget> calibration_targets;  // what the report compares the run with
};

// Loads the scenario with the plan's overrides, checks the thread count, the memory the run needs
// (check_resources) and the calibration targets the scenario names (the file, the ids, and that the run
// produces each target's metric). Reads files, writes nothing.
// Throws InputError (file:line:column and key where known) for any problem with the input.
PreparedRun prepare_run(const RunPlan& plan);

// A diversification dose-response study (run/dose_response.hpp) of a prepared plan.
struct PreparedDoseResponse {
  PreparedRun run;
  std::vector<double> levels;  // sorted ascending
};

// prepare_run, plus: the scenario names a counterfactual (the study measures attributable losses), and
// the levels pass check_dose_levels. The plan's with_counterfactual is ignored (always run).
// Throws InputError naming counterfactual.remove or --levels.
PreparedDoseResponse prepare_dose_response(const RunPlan& plan, std::vector<double> levels);

// The provenance recorded in the output: program version and git revision, the command line as given,
// the scenario's name and file. The run adds times, seed and thread count.
Provenance provenance_of(const PreparedRun& run, const std::string& command_line);

// Runs the prepared plan into writer (see run_scenario and run_dose_response for what they write and
// throw); progress, if given, is counted and checked for cancellation (RunCancelled).
RunTimes execute(const PreparedRun& run, ResultWriter& writer, const Provenance& provenance,
                 RunProgress* progress = nullptr);
RunTimes execute(const PreparedDoseResponse& study, ResultWriter& writer, const Provenance& provenance,
                 RunProgress* progress = nullptr);

// Where results go when the user names no output: results/STEM.h5 for a run, results/STEM-dose-response.h5
// for a study, relative to the working directory.
std::string default_output_path(const PreparedRun& run);
std::string default_output_path(const PreparedDoseResponse& study);

struct RunOutcome {
  RunTimes times;
  std::string report;  // run_report / dose_response_report of the run (run/run_report.hpp)
};

// Runs into an HDF5 file at output_path (checked first; written under a temporary name and renamed
// when complete; replaced only with overwrite) and returns the text report of the run.
// Throws InputError for an unusable output path or a full disk (see Hdf5Writer), RunCancelled, and
// whatever execute throws; on any exception no file is left behind.
RunOutcome run_to_file(const PreparedRun& run, const std::string& output_path, bool overwrite,
                       const Provenance& provenance, RunProgress* progress = nullptr);
RunOutcome run_to_file(const PreparedDoseResponse& study, const std::string& output_path, bool overwrite,
                       const Provenance& provenance, RunProgress* progress = nullptr);

}  // namespace sellershock
