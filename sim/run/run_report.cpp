#include "run/run_report.hpp"

#include <filesystem>

#include "run/dose_response.hpp"
#include "run/report.hpp"

namespace sellershock {

std::string run_report(const PreparedRun& run, const SummaryCollector& collected) {
  const Scenario& scenario = run.scenario;
  std::string out = "scenario " + scenario.name + ": " + std::to_string(scenario.replications) + " replications x " +
                    std::to_string(scenario.weeks) + " weeks, " + with_thousands_separators(scenario.sellers.count) +
                    " sellers, seed " + std::to_string(scenario.seed) + "\n";
  out += format_summary_table(collected);
  out += "\n" + format_recovery_table(collected);
  out += "\n" + format_loss_table(collected);
  out += "\n" + format_market_share_table(collected);
  out += "\n" + format_survival_table(collected);
  if (!run.calibration_targets.empty())
    out += "\nModel versus observed figures:\n" + format_calibration_table(run.calibration_targets, collected);
  return out;
}

std::string dose_response_report(const PreparedDoseResponse& study, const SummaryCollector& collected) {
  const Scenario& scenario = study.run.scenario;
  return "dose-response study of scenario " + scenario.name + ": " + std::to_string(scenario.replications) +
         " replications x " + std::to_string(scenario.weeks) + " weeks per level, " +
         with_thousands_separators(scenario.sellers.count) + " sellers, seed " + std::to_string(scenario.seed) + "\n" +
         format_dose_response_table(collected, study.levels);
}

std::string run_file_report(const RunFile& file, std::string* note) {
  PreparedRun run;
  run.plan.scenario_path = file.scenario_file;
  run.scenario = file.scenario;
  run.resolved_scenario = file.resolved_scenario;
  if (file.dose_response) {
    PreparedDoseResponse study;
    study.run = run;
    study.levels = file.dose_levels;
    return dose_response_report(study, file.collected);
  }
  if (!file.scenario.calibration.targets.empty()) {
    try {
      const std::filesystem::path targets_file =
          std::filesystem::path(file.scenario_file).parent_path() / file.scenario.calibration.targets_file;
      run.calibration_targets = select_calibration_targets(load_calibration_targets(targets_file.string()),
                                                           file.scenario.calibration.targets, file.scenario_file);
    } catch (const InputError& error) {
      if (note) *note = std::string("calibration comparison left out: ") + error.what();
    }
  }
  return run_report(run, file.collected);
}

std::string validation_report(const PreparedRun& run) {
  const Scenario& scenario = run.scenario;
  return run.plan.scenario_path + ": valid scenario '" + scenario.name + "': " + std::to_string(scenario.sellers.count) +
         " sellers, " + std::to_string(scenario.sellers.region_shares.size()) + " regions, " +
         std::to_string(scenario.weeks) + " weeks from " + scenario.start_date.iso() + ", " +
         std::to_string(scenario.replications) + " replications, " +
         std::to_string(scenario.enforcement.waves.size()) + " waves\n";
}

}  // namespace sellershock
