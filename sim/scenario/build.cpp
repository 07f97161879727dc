// Stage 3 of the scenario pipeline (pipeline.hpp): the typed Scenario from the merged tree, each value
// checked against its row of the parameter table. Every problem is collected; a value with one keeps
// its default so that the rest can still be checked.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <optional>

#include "scenario/parameters.hpp"
#include "scenario/pipeline.hpp"
#include "scenario/suggest.hpp"
#include "scenario/text.hpp"

namespace sellershock {

namespace {

// The element index build_section passes for members outside lists (no accessor reads it).
constexpr std::size_t kNotInList = static_cast<std::size_t>(-1);

std::optional<std::int64_t> parse_integer(const std::string& text) {
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  std::int64_t value = 0;
  const auto [stop, error] = std::from_chars(begin, end, value);
  if (begin == end || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

std::optional<double> parse_real(const std::string& text) {
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  double value = 0.0;
  const auto [stop, error] = std::from_chars(begin, end, value);
  if (begin == end || error != std::errc() || stop != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string date_range_text() {
  return "an ISO date (YYYY-MM-DD) from " + kEarliestScenarioDate.iso() + " to " + kLatestScenarioDate.iso();
}

class ScenarioBuilder {
 public:
  ScenarioBuilder(const std::string& default_name, const std::string& label, InputProblems& problems)
      : problems_(problems) {
    built_.scenario = default_scenario(default_name);
    built_.fallback_where = {label, 0, 0};
  }

  BuiltScenario build(const ConfigNode& root) {
    build_section(root, scenario_schema(), "", kNotInList);
    // The default name is the file's: it goes into the output like a name given in the file.
    if (!root.find("name"))
      if (const auto problem = label_text_problem(built_.scenario.name))
        problems_.add(built_.fallback_where, "name",
                      "the scenario's name, taken from its file name, " + *problem + "; give a name: in the file");
    return std::move(built_);
  }

 private:
  void problem(const SourceLocation& where, const std::string& path, const std::string& what) {
    problems_.add(where, path, what);
  }

  void expected(const Parameter& parameter, const ConfigNode& found, const std::string& path) {
    problem(found.where, path, "expected " + expected_value_text(parameter) + ", found " + describe_found(found));
  }

  // element: the index of the list element whose members `section` holds (kNotInList outside lists).
  void build_section(const ConfigNode& node, const SchemaNode& section, const std::string& path, std::size_t element) {
    // An empty section ("enforcement:" with its members commented out) changes nothing.
    if (node.kind != ConfigNode::Kind::map && node.kind != ConfigNode::Kind::null) {
      problem(node.where, path, "expected a map, found " + describe_found(node));
      return;
    }
    for (const ConfigEntry& entry : node.entries) {
      const std::string member_path = join_key(path, entry.key);
      const SchemaNode* member = section.member(entry.key);
      if (!member) problem(entry.key_where, member_path, unknown_key_message(entry.key, section));
      else if (member->is_section()) build_section(*entry.value, *member, member_path, element);
      else assign(*member, *entry.value, member_path, element);
    }
    for (const auto& [name, member] : section.members)
      if (member->parameter && member->parameter->required && !node.find(name))
        problem(node.where, path, "missing required key '" + name + "' (" + expected_value_text(*member->parameter) + ")");
  }

  const ConfigNode* scalar(const Parameter& parameter, const ConfigNode& value, const std::string& path) {
    if (value.kind == ConfigNode::Kind::scalar) return &value;
    expected(parameter, value, path);
    return nullptr;
  }

  std::optional<double> real_in_range(const Parameter& parameter, const ConfigNode& value, const std::string& path) {
    const ConfigNode* given = scalar(parameter, value, path);
    if (!given) return std::nullopt;
    const std::optional<double> number = parse_real(given->scalar);
    if (!number || !parameter.range.contains(*number)) {
      expected(parameter, value, path);
      return std::nullopt;
    }
    return number;
  }

  // A name or label: non-empty, valid UTF-8, no control characters (it goes into the output).
  std::optional<std::string> text(const ConfigNode& value, const std::string& path) {
    if (value.kind != ConfigNode::Kind::scalar || value.scalar.empty()) {
      problem(value.where, path, "expected a non-empty text value, found " + describe_found(value));
      return std::nullopt;
    }
    if (const auto what = label_text_problem(value.scalar)) {
      problem(value.where, path, "the text " + *what);
      return std::nullopt;
    }
    return value.scalar;
  }

  void assign(const SchemaNode& member, const ConfigNode& value, const std::string& path, std::size_t element) {
    const Parameter& parameter = *member.parameter;
    Scenario& scenario = built_.scenario;
    FieldRef field;
    if (parameter.element_field) field = parameter.element_field(scenario, element);
    else if (parameter.scenario_field) field = parameter.scenario_field(scenario);
    built_.where[path] = value.where;

    switch (parameter.kind) {
      case ParameterKind::integer: {
        const ConfigNode* given = scalar(parameter, value, path);
        if (!given) return;
        const std::optional<std::int64_t> number = parse_integer(given->scalar);
        if (!number || !parameter.range.contains(static_cast<double>(*number))) return expected(parameter, value, path);
        if (auto* narrow = std::get_if<int*>(&field)) **narrow = static_cast<int>(*number);
        else *std::get<std::int64_t*>(field) = *number;
        return;
      }
      case ParameterKind::seed: {
        const ConfigNode* given = scalar(parameter, value, path);
        if (!given) return;
        const std::string& digits = given->scalar;
        std::uint64_t seed = 0;
        const auto [stop, error] = std::from_chars(digits.data(), digits.data() + digits.size(), seed);
        if (digits.empty() || error != std::errc() || stop != digits.data() + digits.size())
          return expected(parameter, value, path);
        *std::get<std::uint64_t*>(field) = seed;
        return;
      }
      case ParameterKind::real:
        if (const std::optional<double> number = real_in_range(parameter, value, path)) *std::get<double*>(field) = *number;
        return;
      case ParameterKind::text:
        if (std::optional<std::string> given = text(value, path)) *std::get<std::string*>(field) = std::move(*given);
        return;
      case ParameterKind::date: {
        const ConfigNode* given = scalar(parameter, value, path);
        if (!given) return;
        const std::optional<Date> date = Date::parse_iso(given->scalar);
        if (!date) return expected(parameter, value, path);
        // The Python side reads dates as datetime64[ns], which ends in 1677 and 2262.
        if (*date < kEarliestScenarioDate || *date > kLatestScenarioDate)
          return problem(value.where, path, "expected " + date_range_text() + ", found " + describe_found(value));
        *std::get<Date*>(field) = *date;
        return;
      }
      case ParameterKind::choice: {
        const ConfigNode* given = scalar(parameter, value, path);
        if (!given) return;
        const std::string& word = given->scalar;
        if (std::find(parameter.choices.begin(), parameter.choices.end(), word) == parameter.choices.end()) {
          const std::string nearest = nearest_candidate(word, parameter.choices);
          return problem(value.where, path,
                         "expected " + expected_value_text(parameter) + ", found " + describe_found(value) +
                             (nearest.empty() ? "" : "; did you mean '" + nearest + "'?"));
        }
        if (auto* chosen = std::get_if<std::string*>(&field)) **chosen = word;
        return;
      }
      case ParameterKind::text_list: {
        if (value.kind != ConfigNode::Kind::list) return expected(parameter, value, path);
        std::vector<std::string> items;
        for (std::size_t i = 0; i < value.items.size(); ++i) {
          built_.where[index_key(path, i)] = value.items[i]->where;
          if (std::optional<std::string> item = text(*value.items[i], index_key(path, i))) items.push_back(*item);
        }
        *std::get<std::vector<std::string>*>(field) = std::move(items);
        return;
      }
      case ParameterKind::share_map: {
        if (value.kind != ConfigNode::Kind::map || value.entries.empty()) return expected(parameter, value, path);
        std::vector<RegionShare> shares;
        for (const ConfigEntry& entry : value.entries) {
          const std::string share_path = join_key(path, entry.key);
          built_.where[share_path] = entry.value->where;
          if (entry.key.empty()) {
            problem(entry.key_where, share_path, "expected a non-empty name");
          } else if (const auto what = label_text_problem(entry.key)) {
            problem(entry.key_where, path, "the name " + *what);
          } else if (const std::optional<double> share = real_in_range(parameter, *entry.value, share_path)) {
            shares.push_back({entry.key, *share});
          }
        }
        *std::get<std::vector<RegionShare>*>(field) = std::move(shares);
        return;
      }
      case ParameterKind::map_list: {
        if (value.kind != ConfigNode::Kind::list)
          return problem(value.where, path,
                         "expected a list of maps (write [] for none), found " + describe_found(value));
        // Default elements first, then each filled in place through its members' accessors.
        reset_list(field, value.items.size());
        for (std::size_t i = 0; i < value.items.size(); ++i) {
          const ConfigNode& item = *value.items[i];
          built_.where[index_key(path, i)] = item.where;
          if (item.kind != ConfigNode::Kind::map)
            problem(item.where, index_key(path, i), "expected a map, found " + describe_found(item));
          else
            build_section(item, *member.element, index_key(path, i), i);
        }
        return;
      }
    }
  }

  BuiltScenario built_;
  InputProblems& problems_;
};

}  // namespace

BuiltScenario build_scenario(const ConfigNode& root, const std::string& default_name, const std::string& label,
                             InputProblems& problems) {
  return ScenarioBuilder(default_name, label, problems).build(root);
}

}  // namespace sellershock
