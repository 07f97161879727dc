#include "run/run_report.hpp"

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

std::string validation_report(const PreparedRun& run) {
  const Scenario& scenario = run.scenario;
  return run.plan.scenario_path + ": valid scenario '" + scenario.name + "': " + std::to_string(scenario.sellers.count) +
         " sellers, " + std::to_string(scenario.sellers.region_shares.size()) + " regions, " +
         std::to_string(scenario.weeks) + " weeks from " + scenario.start_date.iso() + ", " +
         std::to_string(scenario.replications) + " replications, " +
         std::to_string(scenario.enforcement.waves.size()) + " waves\n";
}

}  // namespace sellershock
