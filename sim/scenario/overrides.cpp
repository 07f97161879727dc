// Stage 2 of the scenario pipeline (pipeline.hpp): --set overrides, "enforcement.waves[0].recall=0.8",
// the value parsed as YAML and put into the merged tree where the key path says.
#include <charconv>

#include "scenario/parameters.hpp"
#include "scenario/pipeline.hpp"
#include "scenario/suggest.hpp"

namespace sellershock {

namespace {

// Problems within one override stop that override (the rest of its path means nothing after them).
[[noreturn]] void fail(const SourceLocation& where, const std::string& key_path, const std::string& what) {
  throw InputError(where, key_path, format_input_error(where, key_path, what));
}

std::string location_text(const SourceLocation& where) {
  std::string text = where.file;
  if (where.line > 0) text += ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
  return text;
}

struct PathSegment {
  std::string name;  // empty for an index
  std::size_t index = 0;
  bool is_index() const { return name.empty(); }
};

std::string trim(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::vector<PathSegment> parse_key_path(const std::string& key, const SourceLocation& where) {
  auto malformed = [&](const std::string& why) {
    fail(where, "", "malformed key path '" + key + "': " + why + " (expected e.g. enforcement.waves[0].recall)");
  };
  std::vector<PathSegment> segments;
  std::size_t i = 0;
  while (true) {
    const std::size_t start = i;
    while (i < key.size() && key[i] != '.' && key[i] != '[' && key[i] != ']') ++i;
    if (i == start) malformed("empty key");
    segments.push_back({key.substr(start, i - start), 0});
    while (i < key.size() && key[i] == '[') {
      const std::size_t close = key.find(']', i);
      if (close == std::string::npos) malformed("'[' without ']'");
      const std::string digits = key.substr(i + 1, close - i - 1);
      std::size_t index = 0;
      const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
      if (digits.empty() || error != std::errc() || end != digits.data() + digits.size())
        malformed("list index '" + digits + "' is not a non-negative integer");
      segments.push_back({"", index});
      i = close + 1;
    }
    if (i == key.size()) break;
    if (key[i] != '.') malformed(std::string("unexpected '") + key[i] + "'");
    if (++i == key.size()) malformed("ends with '.'");
  }
  return segments;
}

// The default of a share map as a tree, so that "--set sellers.region_shares.US=0.3" edits the
// default shares when the file gives none, rather than starting an empty map.
ConfigNodePtr default_share_map(const Parameter& parameter, const SourceLocation& where) {
  Scenario defaults = default_scenario("");
  auto map = std::make_shared<ConfigNode>();
  map->kind = ConfigNode::Kind::map;
  map->where = where;
  const FieldRef field = parameter.scenario_field(defaults);
  for (const RegionShare& share : *std::get<std::vector<RegionShare>*>(field)) {
    auto value = std::make_shared<ConfigNode>();
    value->kind = ConfigNode::Kind::scalar;
    value->where = where;
    value->scalar = exact_number_text(share.share);
    map->entries.push_back({share.region, where, value});
  }
  return map;
}


// Returns `node` (nullptr: absent) with the value at segments[depth...] replaced, creating maps on
// the way. schema: the shape expected at `node`; nullptr inside a share map.
ConfigNodePtr set_at_path(const ConfigNodePtr& node, const std::vector<PathSegment>& segments, std::size_t depth,
                          const ConfigNodePtr& value, const SchemaNode* schema, const std::string& key_path,
                          const SourceLocation& where) {
  using Kind = ConfigNode::Kind;
  if (depth == segments.size()) return value;
  const PathSegment& segment = segments[depth];
  const bool is_last = depth + 1 == segments.size();
  const Parameter* parameter = schema ? schema->parameter : nullptr;
  auto found_at = [](const ConfigNode& existing) {
    return describe_found(existing) + (existing.where.line > 0 ? " (at " + location_text(existing.where) + ")" : "");
  };

  if (segment.is_index()) {
    const std::string element_path = index_key(key_path, segment.index);
    const SchemaNode* element_schema = nullptr;
    if (parameter && parameter->kind == ParameterKind::map_list) element_schema = schema->element.get();
    else if (!(parameter && parameter->kind == ParameterKind::text_list && is_last))
      fail(where, element_path, "'" + key_path + "' is not a list; it takes " +
                                    (parameter ? expected_value_text(*parameter) : std::string("a map")));
    const std::size_t size = node && node->kind == Kind::list ? node->items.size() : 0;
    if (node && node->kind != Kind::list && node->kind != Kind::null)
      fail(where, element_path, "cannot index into '" + key_path + "': it is " + found_at(*node) + ", not a list");
    if (segment.index >= size)
      fail(where, element_path,
           "index " + std::to_string(segment.index) + " is out of range: '" + key_path + "' has " +
               (size == 0 ? std::string("no elements")
                          : std::to_string(size) + (size == 1 ? " element (index 0)" : " elements (indices 0 to " +
                                                                                           std::to_string(size - 1) + ")")));
    auto list = std::make_shared<ConfigNode>(*node);
    list->items[segment.index] =
        set_at_path(node->items[segment.index], segments, depth + 1, value, element_schema, element_path, where);
    return list;
  }

  const std::string member_path = join_key(key_path, segment.name);
  const SchemaNode* member_schema = nullptr;
  if (schema && schema->is_section()) {
    member_schema = schema->member(segment.name);
    if (!member_schema) fail(where, member_path, unknown_key_message(segment.name, *schema));
  } else if (parameter && parameter->kind == ParameterKind::share_map) {
    if (!is_last) fail(where, member_path, "'" + member_path + "' is a share; nothing is nested under it");
  } else {
    fail(where, member_path,
         "'" + key_path + "' takes " + (parameter ? expected_value_text(*parameter) : std::string("a number")) +
             "; it has no key '" + segment.name + "'");
  }
  if (node && node->kind != Kind::map && node->kind != Kind::null)
    fail(where, member_path, "cannot set '" + segment.name + "' in '" + key_path + "': it is " + found_at(*node) +
                                 ", not a map");
  auto map = node && node->kind == Kind::map ? std::make_shared<ConfigNode>(*node) : std::make_shared<ConfigNode>();
  if (map->kind != Kind::map) {
    map->kind = Kind::map;
    map->where = where;
  }
  for (ConfigEntry& entry : map->entries) {
    if (entry.key != segment.name) continue;
    entry.value = set_at_path(entry.value, segments, depth + 1, value, member_schema, member_path, where);
    entry.key_where = where;  // errors about this key now concern the override
    return map;
  }
  const Parameter* member_parameter = member_schema ? member_schema->parameter : nullptr;
  const ConfigNodePtr absent = member_parameter && member_parameter->kind == ParameterKind::share_map && !is_last
                                   ? default_share_map(*member_parameter, where)
                                   : nullptr;
  map->entries.push_back(
      {segment.name, where, set_at_path(absent, segments, depth + 1, value, member_schema, member_path, where)});
  return map;
}

ConfigNodePtr apply_override(const ConfigNodePtr& root, const std::string& override_text) {
  const SourceLocation where{override_label(override_text), 0, 0};
  const std::size_t equals = override_text.find('=');
  if (equals == std::string::npos)
    fail(where, "", "malformed override: expected KEY=VALUE, e.g. --set enforcement.waves[0].recall=0.8");
  const std::string key = trim(override_text.substr(0, equals));
  const std::vector<PathSegment> segments = parse_key_path(key, where);
  const ConfigNodePtr value = parse_config_text(override_text.substr(equals + 1), where.file, false);
  return set_at_path(root, segments, 0, value, &scenario_schema(), "", where);
}

}  // namespace

std::string override_label(const std::string& override_text) { return "--set " + override_text; }

std::string unknown_key_message(const std::string& key, const SchemaNode& section) {
  std::string what = "unknown key '" + key + "'";
  const std::string nearest = nearest_candidate(key, section.member_names());
  if (!nearest.empty()) return what + "; did you mean '" + nearest + "'?";
  // The right name in the wrong place, e.g. hold_days at the top level.
  for (const Parameter& parameter : parameter_table()) {
    const std::size_t dot = parameter.key.rfind('.');
    if (dot != std::string::npos && parameter.key.compare(dot + 1, std::string::npos, key) == 0)
      return what + " here; did you mean '" + parameter.key + "'?";
  }
  std::string names;
  for (const std::string& name : section.member_names()) names += (names.empty() ? "" : ", ") + name;
  return what + "; expected one of: " + names;
}

ConfigNodePtr apply_overrides(ConfigNodePtr tree, const std::vector<std::string>& overrides, InputProblems& problems) {
  for (const std::string& override_text : overrides) {
    try {
      tree = apply_override(tree, override_text);
    } catch (const InputError& error) {
      problems.add(error);
    }
  }
  return tree;
}

}  // namespace sellershock
