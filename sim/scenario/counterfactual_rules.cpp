#include "scenario/counterfactual_rules.hpp"

#include <algorithm>

namespace sellershock {

void check_counterfactual_removes_a_shock(const Scenario& scenario,
                                          const std::function<SourceLocation(const std::string&)>& where) {
  const auto fail = [&](const std::string& key, const std::string& what) {
    const SourceLocation at = where(key);
    throw InputError(at, key, format_input_error(at, key, what));
  };
  const std::vector<std::string>& remove = scenario.counterfactual.remove;
  const auto& waves = scenario.enforcement.waves;
  if (remove.empty() && !waves.empty())
    fail("counterfactual.remove",
         "removes nothing, so the counterfactual is the scenario itself and every loss is 0; name the shock, e.g. "
         "[enforcement.waves." + waves.front().name + "] (or run without a counterfactual)");
  const Date first_day = scenario.start_date;
  const Date last_day = scenario.start_date.plus_days(7 * scenario.weeks - 1);
  for (std::size_t i = 0; i < remove.size(); ++i) {
    const auto wave = std::find_if(waves.begin(), waves.end(),
                                   [&](const WaveSpec& w) { return "enforcement.waves." + w.name == remove[i]; });
    if (wave == waves.end()) continue;  // the loader's own check names it
    if (wave->end < first_day || last_day < wave->start)
      fail("counterfactual.remove[" + std::to_string(i) + "]",
           "wave '" + wave->name + "' (" + wave->start.iso() + " to " + wave->end.iso() +
               ") is in force on no day of the run (" + first_day.iso() + " to " + last_day.iso() +
               "), so removing it changes nothing; move the wave or lengthen the run (weeks)");
  }
}

}  // namespace sellershock
