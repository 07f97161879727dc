// to_yaml (declared in loader.hpp): the resolved scenario, written by walking the same schema the
// loader reads, so that every parameter appears and load_scenario gives back an equal Scenario.
#include <yaml-cpp/emitter.h>
#include <yaml-cpp/emittermanip.h>

#include <array>
#include <cctype>
#include <string_view>

#include "scenario/loader.hpp"
#include "scenario/parameters.hpp"
#include "scenario/schema.hpp"

namespace sellershock {

namespace {

// Region names are map keys: plain when they cannot be read as anything but text.
bool plain_key_is_safe(const std::string& key) {
  static const std::array<std::string_view, 11> special_words = {"null", "Null", "NULL", "true", "false", "yes",
                                                                  "no",   "on",   "off",  "y",    "n"};
  if (key.empty() || !std::isalpha(static_cast<unsigned char>(key[0]))) return false;
  for (const std::string_view word : special_words)
    if (key == word) return false;
  for (const char c : key)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

void emit_section(YAML::Emitter& out, const SchemaNode& section, Scenario& scenario, WaveSpec* wave);

void emit_parameter(YAML::Emitter& out, const SchemaNode& member, Scenario& scenario, WaveSpec* wave) {
  const Parameter& parameter = *member.parameter;
  FieldRef field;
  if (parameter.wave_field) field = parameter.wave_field(*wave);
  else if (parameter.scenario_field) field = parameter.scenario_field(scenario);

  switch (parameter.kind) {
    case ParameterKind::integer:
      if (auto* narrow = std::get_if<int*>(&field)) out << std::to_string(**narrow);
      else out << std::to_string(*std::get<std::int64_t*>(field));
      return;
    case ParameterKind::seed: out << std::to_string(*std::get<std::uint64_t*>(field)); return;
    case ParameterKind::real: out << exact_number_text(*std::get<double*>(field)); return;
    case ParameterKind::text: out << YAML::DoubleQuoted << *std::get<std::string*>(field); return;
    case ParameterKind::date: out << std::get<Date*>(field)->iso(); return;
    case ParameterKind::choice: out << parameter.choices.front(); return;
    case ParameterKind::text_list:
      out << YAML::Flow << YAML::BeginSeq;
      for (const std::string& item : *std::get<std::vector<std::string>*>(field)) out << YAML::DoubleQuoted << item;
      out << YAML::EndSeq;
      return;
    case ParameterKind::share_map:
      out << YAML::BeginMap;
      for (const RegionShare& share : *std::get<std::vector<RegionShare>*>(field)) {
        out << YAML::Key;
        if (!plain_key_is_safe(share.region)) out << YAML::DoubleQuoted;
        out << share.region << YAML::Value << exact_number_text(share.share);
      }
      out << YAML::EndMap;
      return;
    case ParameterKind::map_list: {
      std::vector<WaveSpec>& waves = *std::get<std::vector<WaveSpec>*>(field);
      if (waves.empty()) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (WaveSpec& element : waves) emit_section(out, *member.element, scenario, &element);
      out << YAML::EndSeq;
      return;
    }
  }
}

void emit_section(YAML::Emitter& out, const SchemaNode& section, Scenario& scenario, WaveSpec* wave) {
  out << YAML::BeginMap;
  for (const auto& [name, member] : section.members) {
    out << YAML::Key << name << YAML::Value;
    if (member->is_section()) emit_section(out, *member, scenario, wave);
    else emit_parameter(out, *member, scenario, wave);
  }
  out << YAML::EndMap;
}

}  // namespace

std::string to_yaml(const Scenario& scenario) {
  Scenario copy = scenario;  // the field accessors hand out mutable pointers; nothing is changed
  YAML::Emitter out;
  out << YAML::Comment("Resolved scenario: every parameter, defaults included (see docs/SCENARIOS.md)");
  out << YAML::Newline;
  emit_section(out, scenario_schema(), copy, nullptr);
  return std::string(out.c_str()) + "\n";
}

}  // namespace sellershock
