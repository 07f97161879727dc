// Scenario files -> the typed, immutable Scenario, and back to YAML. Documented for users in
// docs/SCENARIOS.md; every parameter is defined once in parameters.cpp.
#pragma once

#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace sellershock {

// Reads the scenario file at `path` (following `extends:` chains, paths relative to the file that
// names them), applies the overrides ("key.path=value", the value parsed as YAML, e.g.
// "enforcement.waves[0].recall=0.8") in order, and validates everything against the parameter table.
// `name` defaults to the file's stem. Never writes anything.
// Throws InputError naming file:line:column (or the override), the key path, what was expected and
// what was found, for any problem with the input: missing or unreadable files, malformed YAML,
// unknown keys, wrong types, out-of-range values, inconsistent waves or counterfactuals.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});

// The same from YAML text already in memory (e.g. the resolved scenario stored in an output file).
// `label` names the text in errors, gives the default name (its stem) and the directory that
// relative `extends:` paths start from. Throws InputError like load_scenario.
Scenario load_scenario_from_text(const std::string& yaml_text, const std::string& label,
                                 const std::vector<std::string>& overrides = {});

// The fully resolved scenario as YAML: every parameter, defaults included, no `extends:`.
// load_scenario_from_text(to_yaml(s), ...) == s for every valid scenario s.
std::string to_yaml(const Scenario& scenario);

}  // namespace sellershock
