// load_scenario: the pipeline of pipeline.hpp, stage by stage, and every problem found reported at once.
#include "scenario/loader.hpp"

#include <filesystem>

#include "scenario/config_tree.hpp"
#include "scenario/pipeline.hpp"

namespace sellershock {

namespace {

Scenario load(const ConfigNodePtr& parsed, const std::string& label, const std::vector<std::string>& overrides) {
  // Malformed YAML and a broken `extends:` chain stop here: nothing else can be read after them.
  const ConfigNodePtr merged = resolve_extends(parsed, label);
  InputProblems problems;
  const ConfigNodePtr tree = apply_overrides(merged, overrides, problems);
  BuiltScenario built = build_scenario(*tree, std::filesystem::path(label).stem().string(), label, problems);
  check_scenario_rules(built, problems);

  std::vector<std::string> source_order{label};
  for (const std::string& override_text : overrides) source_order.push_back(override_label(override_text));
  problems.throw_if_any(source_order);
  return std::move(built.scenario);
}

}  // namespace

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  return load(parse_config_file(path), path, overrides);
}

Scenario load_scenario_from_text(const std::string& yaml_text, const std::string& label,
                                 const std::vector<std::string>& overrides) {
  return load(parse_config_text(yaml_text, label), label, overrides);
}

}  // namespace sellershock
