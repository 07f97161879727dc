// The stages between a parsed scenario file and the typed Scenario, one file each, run in this order
// by loader.cpp:
//   extends.cpp    merge the `extends:` bases under the file
//   overrides.cpp  apply the --set overrides to the merged tree
//   build.cpp      check every value against the parameter table and fill the typed Scenario
//   rules.cpp      the cross-field rules (shares sum to 1, waves name known regions, ...)
// Stages after the first collect every problem they find into an InputProblems instead of stopping,
// so that `validate` reports them all. Internal to the scenario layer.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "scenario/config_tree.hpp"
#include "scenario/error.hpp"
#include "scenario/scenario.hpp"
#include "scenario/schema.hpp"

namespace sellershock {

// Key paths as errors show them: "sellers.count", "enforcement.waves[0]".
inline std::string join_key(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}
inline std::string index_key(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// extends.cpp. The tree of the file `label` with its `extends:` chain merged in (paths relative to the
// file that names them): a child's maps merge into its base's, scalars, lists and share maps replace
// them. Throws InputError at the first problem (a missing base, a cycle, a base's malformed YAML):
// nothing after it can be checked.
ConfigNodePtr resolve_extends(const ConfigNodePtr& tree, const std::string& label);

// overrides.cpp. The label an override's problems are reported under: "--set KEY=VALUE".
std::string override_label(const std::string& override_text);
// `tree` with each override ("enforcement.waves[0].recall=0.8", the value parsed as YAML) applied in
// order. An override that cannot apply (malformed, unknown key, index out of range) is added to
// `problems` and skipped.
ConfigNodePtr apply_overrides(ConfigNodePtr tree, const std::vector<std::string>& overrides, InputProblems& problems);

// "unknown key 'x'; did you mean 'y'?" for a key not among the members of `section` (build and overrides).
std::string unknown_key_message(const std::string& key, const SchemaNode& section);

// build.cpp. The typed scenario and where each of its values came from.
struct BuiltScenario {
  Scenario scenario;
  std::map<std::string, SourceLocation> where;  // by concrete key path ("enforcement.waves[0].end")
  SourceLocation fallback_where;                // for values that kept their defaults: the file

  const SourceLocation& where_of(const std::string& key_path) const {
    const auto found = where.find(key_path);
    return found == where.end() ? fallback_where : found->second;
  }
};
// Checks `root` (the merged tree) against the parameter table and fills a Scenario from the defaults
// and the values given. A value with a problem is added to `problems` and its default kept.
BuiltScenario build_scenario(const ConfigNode& root, const std::string& default_name, const std::string& label,
                             InputProblems& problems);

// rules.cpp. Applies every cross-field rule (scenario_rules() in rules.hpp) whose inputs have no
// problem yet, adding what they find to `problems`.
void check_scenario_rules(const BuiltScenario& built, InputProblems& problems);

}  // namespace sellershock
