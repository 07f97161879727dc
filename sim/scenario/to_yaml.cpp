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

// element: the index of the list element whose members `section` holds (unused outside lists).
void emit_section(YAML::Emitter& out, const SchemaNode& section, Scenario& scenario, std::size_t element);

void emit_parameter(YAML::Emitter& out, const SchemaNode& member, Scenario& scenario, std::size_t element) {
  const Parameter& parameter = *member.parameter;
  FieldRef field;
  if (parameter.element_field) field = parameter.element_field(scenario, element);
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
    case ParameterKind::choice:
      if (const auto* chosen = std::get_if<std::string*>(&field)) out << **chosen;
      else out << parameter.choices.front();
      return;
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
      const std::size_t size = list_size(field);
      if (size == 0) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (std::size_t i = 0; i < size; ++i) emit_section(out, *member.element, scenario, i);
      out << YAML::EndSeq;
      return;
    }
  }
}

void emit_section(YAML::Emitter& out, const SchemaNode& section, Scenario& scenario, std::size_t element) {
  out << YAML::BeginMap;
  for (const auto& [name, member] : section.members) {
    out << YAML::Key << name << YAML::Value;
    if (member->is_section()) emit_section(out, *member, scenario, element);
    else emit_parameter(out, *member, scenario, element);
  }
  out << YAML::EndMap;
}

}  // namespace

std::string to_yaml(const Scenario& scenario) {
  Scenario copy = scenario;  // the field accessors hand out mutable pointers; nothing is changed
  YAML::Emitter out;
  out << YAML::Comment("Resolved scenario: every parameter, defaults included (see docs/SCENARIOS.md)");
  out << YAML::Newline;
  emit_section(out, scenario_schema(), copy, 0);
  return std::string(out.c_str()) + "\n";
}

}  // namespace sellershock
