// The cross-field rules of a scenario: checks that need more than one value, beside the parameter
// table that checks each value alone. A new rule is one entry of scenario_rules() in rules.cpp.
#pragma once

#include <string>
#include <vector>

#include "scenario/pipeline.hpp"

namespace sellershock {

struct ScenarioRule {
  std::string name;                 // what must hold, e.g. "region_shares_sum_to_one"
  std::vector<std::string> inputs;  // key paths it reads; skipped if one of them already has a problem
  // Adds a problem for each violation, at the key path and location of the value to change.
  void (*check)(const BuiltScenario& built, InputProblems& problems);
};

// Every rule, in the order they are checked (problems are sorted by file position afterwards).
const std::vector<ScenarioRule>& scenario_rules();

}  // namespace sellershock
