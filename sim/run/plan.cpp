#include "run/plan.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <stdexcept>

#include "output/hdf5_writer.hpp"
#include "output/summary_collector.hpp"
#include "run/dose_response.hpp"
#include "run/run_report.hpp"
#include "scenario/error.hpp"
#include "scenario/loader.hpp"
#include "sellershock/version.hpp"

namespace sellershock {

namespace {

InputError input_error(const std::string& file, const std::string& key, const std::string& what) {
  return InputError({file, 0, 0}, key, format_input_error({file, 0, 0}, key, what));
}

// The calibration targets the scenario names, checked before the run: the file (relative to the scenario
// file), the ids, and that the run will produce each target's metric.
std::vector<CalibrationTarget> calibration_targets_for(const Scenario& scenario, const std::string& scenario_path,
                                                       bool with_counterfactual) {
  if (scenario.calibration.targets.empty()) return {};
  const std::filesystem::path file =
      std::filesystem::path(scenario_path).parent_path() / scenario.calibration.targets_file;
  std::vector<CalibrationTarget> targets = select_calibration_targets(
      load_calibration_targets(file.string()), scenario.calibration.targets, scenario_path);
  const Layout layout = make_layout(scenario, with_counterfactual);
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const bool produced = std::any_of(layout.summary.begin(), layout.summary.end(), [&](const SummarySpec& spec) {
      return spec.dims.empty() && spec.name == targets[k].metric;
    });
    if (!produced)
      throw input_error(scenario_path, "calibration.targets[" + std::to_string(k) + "]",
                        "target '" + targets[k].id + "' compares with " + targets[k].metric +
                            ", which this run does not produce" +
                            (with_counterfactual ? "" : " without its counterfactual"));
  }
  return targets;
}

std::string default_output_path_for(const std::string& scenario_path, const std::string& suffix) {
  return (std::filesystem::path("results") / std::filesystem::path(scenario_path).stem()).string() + suffix + ".h5";
}

RunOptions options_of(const PreparedRun& run, RunProgress* progress) {
  RunOptions options;
  options.threads = run.plan.threads;
  options.with_counterfactual = run.plan.with_counterfactual;
  options.progress = progress;
  return options;
}

// Runs `execute_into` into the HDF5 file and a collector of the summaries, then reports from the collector.
template <typename Study, typename Report>
RunOutcome run_to_file_with(const Study& study, const std::string& output_path, bool overwrite,
                            const Provenance& provenance, RunProgress* progress, Report report) {
  Hdf5Writer file_writer(output_path, overwrite);  // checks the path; creates nothing yet
  // A stop requested while the file was being written: no file, as for a stop during the run.
  file_writer.set_commit_check([progress] { throw_if_cancelled(progress); });
  SummaryCollector collected;
  FanOutWriter writer({&file_writer, &collected});
  RunOutcome outcome;
  outcome.times = execute(study, writer, provenance, progress);
  outcome.report = report(study, collected);
  return outcome;
}

}  // namespace

std::vector<std::string> all_overrides(const RunPlan& plan) {
  std::vector<std::string> overrides = plan.overrides;
  if (plan.replications) overrides.push_back("replications=" + *plan.replications);
  if (plan.seed) overrides.push_back("seed=" + *plan.seed);
  return overrides;
}

void check_threads(int threads, const std::string& option) {
  if (threads < 0 || threads > kMaxThreads)
    throw InputError({option, 0, 0}, option,
                     option + ": expected a thread count in [1, " + std::to_string(kMaxThreads) + "], found " +
                         std::to_string(threads));
}

void check_counterfactual_removes_a_shock(const Scenario& scenario, const std::string& scenario_file) {
  const std::vector<std::string>& remove = scenario.counterfactual.remove;
  const auto& waves = scenario.enforcement.waves;
  if (remove.empty() && !waves.empty())
    throw input_error(scenario_file, "counterfactual.remove",
                      "removes nothing, so the counterfactual would be the scenario itself and every loss 0; name "
                      "the shock, e.g. [enforcement.waves." + waves.front().name + "], or run with --no-counterfactual");
  const Date first_day = scenario.start_date;
  const Date last_day = scenario.start_date.plus_days(7 * scenario.weeks - 1);
  for (std::size_t i = 0; i < remove.size(); ++i)
    for (const WaveSpec& wave : waves) {
      if ("enforcement.waves." + wave.name != remove[i] || !(wave.end < first_day || last_day < wave.start)) continue;
      throw input_error(scenario_file, "counterfactual.remove[" + std::to_string(i) + "]",
                        "wave '" + wave.name + "' (" + wave.start.iso() + " to " + wave.end.iso() +
                            ") is in force on no day of the run (" + first_day.iso() + " to " + last_day.iso() +
                            "), so removing it changes nothing and every loss would be 0; move the wave, lengthen "
                            "the run (weeks), or run with --no-counterfactual");
    }
}

PreparedRun prepare_run(const RunPlan& plan) {
  check_threads(plan.threads);
  PreparedRun run{plan, load_scenario(plan.scenario_path, all_overrides(plan)), {}, {}};
  if (plan.with_counterfactual) check_counterfactual_removes_a_shock(run.scenario, plan.scenario_path);
  check_resources(run.scenario, plan.scenario_path, plan.threads, plan.with_counterfactual);
  run.calibration_targets = calibration_targets_for(run.scenario, plan.scenario_path, plan.with_counterfactual);
  run.resolved_scenario = to_yaml(run.scenario);
  return run;
}

PreparedDoseResponse prepare_dose_response(const RunPlan& plan, std::vector<double> levels) {
  RunPlan with_counterfactual = plan;
  with_counterfactual.with_counterfactual = true;
  check_threads(plan.threads);
  PreparedRun run{with_counterfactual, load_scenario(plan.scenario_path, all_overrides(plan)), {}, {}};
  check_resources(run.scenario, plan.scenario_path, plan.threads, true);
  check_counterfactual_removes_a_shock(run.scenario, plan.scenario_path);
  if (run.scenario.counterfactual.remove.empty())
    throw input_error(plan.scenario_path, "counterfactual.remove",
                      "a dose-response study measures the attributable loss, so the scenario must name the shock "
                      "its counterfactual removes");
  try {
    check_dose_levels(levels);
  } catch (const std::invalid_argument& error) {
    throw InputError({"--levels", 0, 0}, "--levels", std::string("--levels: ") + error.what());
  }
  std::sort(levels.begin(), levels.end());
  run.resolved_scenario = to_yaml(run.scenario);
  return {std::move(run), std::move(levels)};
}

Provenance provenance_of(const PreparedRun& run, const std::string& command_line) {
  Provenance provenance;
  provenance.program_version = kProgramVersion;
  provenance.git_revision = kGitRevision;
  provenance.command_line = command_line;
  provenance.scenario_name = run.scenario.name;
  provenance.scenario_file = run.plan.scenario_path;
  return provenance;
}

RunTimes execute(const PreparedRun& run, ResultWriter& writer, const Provenance& provenance, RunProgress* progress) {
  return run_scenario(run.scenario, run.resolved_scenario, writer, provenance, options_of(run, progress));
}

RunTimes execute(const PreparedDoseResponse& study, ResultWriter& writer, const Provenance& provenance,
                 RunProgress* progress) {
  // The study's replications run inside it: a stop requested before it starts creates nothing.
  if (progress && progress->cancel_requested.load()) throw RunCancelled();
  const auto started = std::chrono::steady_clock::now();
  run_dose_response(study.run.scenario, study.levels, writer, provenance, options_of(study.run, progress));
  RunTimes times;
  times.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return times;
}

std::string default_output_path(const PreparedRun& run) {
  return default_output_path_for(run.plan.scenario_path, "");
}

std::string default_output_path(const PreparedDoseResponse& study) {
  return default_output_path_for(study.run.plan.scenario_path, "-dose-response");
}

RunOutcome run_to_file(const PreparedRun& run, const std::string& output_path, bool overwrite,
                       const Provenance& provenance, RunProgress* progress) {
  return run_to_file_with(run, output_path, overwrite, provenance, progress, run_report);
}

RunOutcome run_to_file(const PreparedDoseResponse& study, const std::string& output_path, bool overwrite,
                       const Provenance& provenance, RunProgress* progress) {
  return run_to_file_with(study, output_path, overwrite, provenance, progress, dose_response_report);
}

}  // namespace sellershock
