#include "scenario/loader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>

#include "scenario/config_tree.hpp"
#include "scenario/error.hpp"
#include "scenario/parameters.hpp"
#include "scenario/schema.hpp"
#include "scenario/suggest.hpp"

namespace sellershock {

namespace {

namespace fs = std::filesystem;

// Longer chains are surely a mistake; cycles are caught before this.
constexpr std::size_t max_extends_chain = 32;
constexpr double share_sum_tolerance = 1e-6;
// The element index build_section passes for members outside lists (no accessor reads it).
constexpr std::size_t kNotInList = static_cast<std::size_t>(-1);

[[noreturn]] void fail(const SourceLocation& where, const std::string& key_path, const std::string& what) {
  throw InputError(where, key_path, format_input_error(where, key_path, what));
}

std::string join_key(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }
std::string index_key(const std::string& path, std::size_t index) { return path + "[" + std::to_string(index) + "]"; }

std::string location_text(const SourceLocation& where) {
  std::string text = where.file;
  if (where.line > 0) text += ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
  return text;
}

// ---------------------------------------------------------------------------------------------
// extends: a child file's maps merge into its base's; scalars and lists replace the base's.

ConfigNodePtr merge(const ConfigNodePtr& base, const ConfigNodePtr& child, const std::string& key_path) {
  using Kind = ConfigNode::Kind;
  const Parameter* parameter = find_parameter(key_path);
  // A share map is one value (its shares sum to 1): merging would keep regions the child dropped.
  const bool replaced_whole = parameter && parameter->kind == ParameterKind::share_map;
  if (base->kind != Kind::map || child->kind != Kind::map || replaced_whole) return child;
  auto merged = std::make_shared<ConfigNode>();
  merged->kind = Kind::map;
  merged->where = child->where;
  for (const ConfigEntry& base_entry : base->entries) {
    const ConfigEntry* child_entry = child->find(base_entry.key);
    if (!child_entry) {
      merged->entries.push_back(base_entry);
      continue;
    }
    merged->entries.push_back({child_entry->key, child_entry->key_where,
                               merge(base_entry.value, child_entry->value, join_key(key_path, base_entry.key))});
  }
  for (const ConfigEntry& child_entry : child->entries)
    if (!base->find(child_entry.key)) merged->entries.push_back(child_entry);
  return merged;
}

void require_top_level_map(const ConfigNode& root, const std::string& label) {
  if (root.kind == ConfigNode::Kind::null)
    fail({label, 0, 0}, "", "the file is empty; expected a map of scenario parameters (see docs/SCENARIOS.md)");
  if (root.kind != ConfigNode::Kind::map)
    fail(root.where, "", "expected a map of scenario parameters at the top level, found " + describe_found(root));
}

std::string canonical_name(const std::string& path) {
  std::error_code ignored;
  const fs::path canonical = fs::weakly_canonical(path, ignored);
  return canonical.empty() ? path : canonical.string();
}

// Resolves the `extends:` of a file already parsed (and of its bases), returning the merged tree.
// chain: canonical names of the files being resolved, outermost first (cycle detection).
ConfigNodePtr resolve_extends(const ConfigNodePtr& tree, const std::string& label, std::vector<std::string>& chain,
                              std::vector<std::string>& chain_labels) {
  require_top_level_map(*tree, label);
  const ConfigEntry* extends = tree->find("extends");
  if (!extends) return tree;
  const ConfigNode& value = *extends->value;
  if (value.kind != ConfigNode::Kind::scalar || value.scalar.empty())
    fail(value.where, "extends", "expected the name of a scenario file to extend, found " + describe_found(value));

  const std::string base_label = (fs::path(label).parent_path() / value.scalar).lexically_normal().string();
  const std::string base_canonical = canonical_name(base_label);
  for (std::size_t i = 0; i < chain.size(); ++i) {
    if (chain[i] != base_canonical) continue;
    std::string cycle;
    for (std::size_t j = i; j < chain_labels.size(); ++j) cycle += chain_labels[j] + " -> ";
    fail(value.where, "extends", "extends cycle: " + cycle + base_label);
  }
  if (chain.size() >= max_extends_chain)
    fail(value.where, "extends", "more than " + std::to_string(max_extends_chain) + " files extend one another");
  std::error_code status_error;
  if (!fs::exists(base_label, status_error))
    fail(value.where, "extends", "no such file '" + base_label + "' (paths are relative to the file that extends)");

  chain.push_back(base_canonical);
  chain_labels.push_back(base_label);
  const ConfigNodePtr base = resolve_extends(parse_config_file(base_label), base_label, chain, chain_labels);
  chain.pop_back();
  chain_labels.pop_back();

  auto own = std::make_shared<ConfigNode>(*tree);
  std::erase_if(own->entries, [](const ConfigEntry& entry) { return entry.key == "extends"; });
  return merge(base, own, "");
}

// ---------------------------------------------------------------------------------------------
// --set overrides: "enforcement.waves[0].recall=0.8", the value parsed as YAML.

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
  const SourceLocation where{"--set " + override_text, 0, 0};
  const std::size_t equals = override_text.find('=');
  if (equals == std::string::npos)
    fail(where, "", "malformed override: expected KEY=VALUE, e.g. --set enforcement.waves[0].recall=0.8");
  const std::string key = trim(override_text.substr(0, equals));
  const std::vector<PathSegment> segments = parse_key_path(key, where);
  const ConfigNodePtr value = parse_config_text(override_text.substr(equals + 1), where.file, false);
  return set_at_path(root, segments, 0, value, &scenario_schema(), "", where);
}

// ---------------------------------------------------------------------------------------------
// Building the typed Scenario from the merged tree, checked against the parameter table.

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

class ScenarioBuilder {
 public:
  ScenarioBuilder(const std::string& default_name, const std::string& label)
      : scenario_(default_scenario(default_name)), fallback_where_{label, 0, 0} {}

  Scenario build(const ConfigNode& root) {
    build_section(root, scenario_schema(), "", kNotInList);
    check_region_shares();
    check_waves();
    check_platform_events();
    check_counterfactual();
    return scenario_;
  }

 private:
  [[noreturn]] void expected(const Parameter& parameter, const ConfigNode& found, const std::string& path) const {
    fail(found.where, path, "expected " + expected_value_text(parameter) + ", found " + describe_found(found));
  }

  const SourceLocation& where(const std::string& path) const {
    const auto found = where_.find(path);
    return found == where_.end() ? fallback_where_ : found->second;
  }

  // element: the index of the list element whose members `section` holds (kNotInList outside lists).
  void build_section(const ConfigNode& node, const SchemaNode& section, const std::string& path, std::size_t element) {
    // An empty section ("enforcement:" with its members commented out) changes nothing.
    if (node.kind != ConfigNode::Kind::map && node.kind != ConfigNode::Kind::null)
      fail(node.where, path, "expected a map, found " + describe_found(node));
    for (const ConfigEntry& entry : node.entries) {
      const std::string member_path = join_key(path, entry.key);
      const SchemaNode* member = section.member(entry.key);
      if (!member) fail(entry.key_where, member_path, unknown_key_message(entry.key, section));
      if (member->is_section()) build_section(*entry.value, *member, member_path, element);
      else assign(*member, *entry.value, member_path, element);
    }
    for (const auto& [name, member] : section.members)
      if (member->parameter && member->parameter->required && !node.find(name))
        fail(node.where, path, "missing required key '" + name + "' (" + expected_value_text(*member->parameter) + ")");
  }

  const ConfigNode& scalar(const Parameter& parameter, const ConfigNode& value, const std::string& path) const {
    if (value.kind != ConfigNode::Kind::scalar) expected(parameter, value, path);
    return value;
  }

  double real_in_range(const Parameter& parameter, const ConfigNode& value, const std::string& path) const {
    const std::optional<double> number = parse_real(scalar(parameter, value, path).scalar);
    if (!number || !parameter.range.contains(*number)) expected(parameter, value, path);
    return *number;
  }

  static std::string text(const ConfigNode& value, const std::string& path) {
    if (value.kind != ConfigNode::Kind::scalar || value.scalar.empty())
      fail(value.where, path, "expected a non-empty text value, found " + describe_found(value));
    return value.scalar;
  }

  void assign(const SchemaNode& member, const ConfigNode& value, const std::string& path, std::size_t element) {
    const Parameter& parameter = *member.parameter;
    FieldRef field;
    if (parameter.element_field) field = parameter.element_field(scenario_, element);
    else if (parameter.scenario_field) field = parameter.scenario_field(scenario_);
    where_[path] = value.where;

    switch (parameter.kind) {
      case ParameterKind::integer: {
        const std::optional<std::int64_t> number = parse_integer(scalar(parameter, value, path).scalar);
        if (!number || !parameter.range.contains(static_cast<double>(*number))) expected(parameter, value, path);
        if (auto* narrow = std::get_if<int*>(&field)) **narrow = static_cast<int>(*number);
        else *std::get<std::int64_t*>(field) = *number;
        return;
      }
      case ParameterKind::seed: {
        const std::string& digits = scalar(parameter, value, path).scalar;
        std::uint64_t seed = 0;
        const auto [stop, error] = std::from_chars(digits.data(), digits.data() + digits.size(), seed);
        if (digits.empty() || error != std::errc() || stop != digits.data() + digits.size())
          expected(parameter, value, path);
        *std::get<std::uint64_t*>(field) = seed;
        return;
      }
      case ParameterKind::real:
        *std::get<double*>(field) = real_in_range(parameter, value, path);
        return;
      case ParameterKind::text:
        *std::get<std::string*>(field) = text(value, path);
        return;
      case ParameterKind::date: {
        const std::optional<Date> date = Date::parse_iso(scalar(parameter, value, path).scalar);
        if (!date) expected(parameter, value, path);
        *std::get<Date*>(field) = *date;
        return;
      }
      case ParameterKind::choice: {
        const std::string& word = scalar(parameter, value, path).scalar;
        if (std::find(parameter.choices.begin(), parameter.choices.end(), word) == parameter.choices.end()) {
          const std::string nearest = nearest_candidate(word, parameter.choices);
          fail(value.where, path, "expected " + expected_value_text(parameter) + ", found " + describe_found(value) +
                                      (nearest.empty() ? "" : "; did you mean '" + nearest + "'?"));
        }
        if (auto* chosen = std::get_if<std::string*>(&field)) **chosen = word;
        return;
      }
      case ParameterKind::text_list: {
        if (value.kind != ConfigNode::Kind::list) expected(parameter, value, path);
        std::vector<std::string>& items = *std::get<std::vector<std::string>*>(field);
        items.clear();
        for (std::size_t i = 0; i < value.items.size(); ++i) {
          where_[index_key(path, i)] = value.items[i]->where;
          items.push_back(text(*value.items[i], index_key(path, i)));
        }
        return;
      }
      case ParameterKind::share_map: {
        if (value.kind != ConfigNode::Kind::map || value.entries.empty()) expected(parameter, value, path);
        std::vector<RegionShare>& shares = *std::get<std::vector<RegionShare>*>(field);
        shares.clear();
        for (const ConfigEntry& entry : value.entries) {
          const std::string share_path = join_key(path, entry.key);
          if (entry.key.empty()) fail(entry.key_where, share_path, "expected a non-empty name");
          where_[share_path] = entry.value->where;
          shares.push_back({entry.key, real_in_range(parameter, *entry.value, share_path)});
        }
        return;
      }
      case ParameterKind::map_list: {
        if (value.kind != ConfigNode::Kind::list)
          fail(value.where, path, "expected a list of maps (write [] for none), found " + describe_found(value));
        // Default elements first, then each filled in place through its members' accessors.
        reset_list(field, value.items.size());
        for (std::size_t i = 0; i < value.items.size(); ++i) {
          const ConfigNode& item = *value.items[i];
          if (item.kind != ConfigNode::Kind::map)
            fail(item.where, index_key(path, i), "expected a map, found " + describe_found(item));
          build_section(item, *member.element, index_key(path, i), i);
        }
        return;
      }
    }
  }

  void check_region_shares() const {
    double sum = 0.0;
    for (const RegionShare& share : scenario_.sellers.region_shares) sum += share.share;
    if (std::abs(sum - 1.0) > share_sum_tolerance) {
      char sum_text[32];
      std::snprintf(sum_text, sizeof sum_text, "%.9g", sum);
      fail(where("sellers.region_shares"), "sellers.region_shares",
           std::string("the shares sum to ") + sum_text + ", expected 1 (within 1e-6)");
    }
  }

  void check_waves() const {
    std::vector<std::string> regions;
    for (const RegionShare& share : scenario_.sellers.region_shares) regions.push_back(share.region);
    const std::vector<WaveSpec>& waves = scenario_.enforcement.waves;
    for (std::size_t i = 0; i < waves.size(); ++i) {
      const std::string path = index_key("enforcement.waves", i);
      const WaveSpec& wave = waves[i];
      if (wave.end < wave.start)
        fail(where(path + ".end"), path + ".end",
             "the wave ends (" + wave.end.iso() + ") before it starts (" + wave.start.iso() + ")");
      const std::vector<std::string> size_classes(std::begin(kSizeClassNames), std::end(kSizeClassNames));
      check_known_names(wave.target_size_classes, size_classes, path + ".target.size_classes", "size class",
                        "one of under-100k, 100k-1M, 1M-10M, over-10M");
      check_known_names(wave.target_regions, regions, path + ".target.regions", "region",
                        "regions are the keys of sellers.region_shares");
    }
    check_unique_names(waves, "enforcement.waves", "wave");
  }

  void check_platform_events() const { check_unique_names(scenario_.platform.events, "platform.events", "event"); }

  // The elements of the list at list_path must have different names: a name identifies its element
  // (counterfactual.remove refers to waves by name).
  template <typename Spec>
  void check_unique_names(const std::vector<Spec>& elements, const std::string& list_path,
                          const std::string& noun) const {
    for (std::size_t i = 0; i < elements.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (elements[j].name == elements[i].name) {
          const std::string path = index_key(list_path, i) + ".name";
          fail(where(path), path,
               "duplicate " + noun + " name '" + elements[i].name + "' (also " + index_key(list_path, j) + ")");
        }
  }

  // Each of `names` must be one of `known`; an unknown one is an error at key_path[i] suggesting the
  // nearest known name.
  void check_known_names(const std::vector<std::string>& names, const std::vector<std::string>& known,
                         const std::string& key_path, const std::string& noun, const std::string& hint) const {
    for (std::size_t k = 0; k < names.size(); ++k) {
      if (std::find(known.begin(), known.end(), names[k]) != known.end()) continue;
      const std::string name_path = index_key(key_path, k);
      std::string what = "unknown " + noun + " '" + names[k] + "'";
      const std::string nearest = nearest_candidate(names[k], known);
      if (!nearest.empty()) what += "; did you mean '" + nearest + "'?";
      fail(where(name_path), name_path, what + " (" + hint + ")");
    }
  }

  void check_counterfactual() const {
    const std::string prefix = "enforcement.waves.";
    std::vector<std::string> removable;
    for (const WaveSpec& wave : scenario_.enforcement.waves) removable.push_back(prefix + wave.name);
    const std::vector<std::string>& remove = scenario_.counterfactual.remove;
    for (std::size_t i = 0; i < remove.size(); ++i) {
      if (std::find(removable.begin(), removable.end(), remove[i]) != removable.end()) continue;
      const std::string path = index_key("counterfactual.remove", i);
      std::string what = "'" + remove[i] + "' names no wave";
      const std::string nearest = nearest_candidate(remove[i], removable);
      if (!nearest.empty()) what += "; did you mean '" + nearest + "'?";
      else if (removable.empty()) what += " (the scenario has no waves)";
      else what += " (expected enforcement.waves.NAME, one of the waves' names)";
      fail(where(path), path, what);
    }
  }

  Scenario scenario_;
  std::map<std::string, SourceLocation> where_;  // where each value came from, by concrete key path
  SourceLocation fallback_where_;  // for values that kept their defaults
};

Scenario build_scenario(ConfigNodePtr tree, const std::string& label, const std::vector<std::string>& overrides) {
  std::vector<std::string> chain{canonical_name(label)};
  std::vector<std::string> chain_labels{label};
  tree = resolve_extends(tree, label, chain, chain_labels);
  for (const std::string& override_text : overrides) tree = apply_override(tree, override_text);
  ScenarioBuilder builder(fs::path(label).stem().string(), label);
  return builder.build(*tree);
}

}  // namespace

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  return build_scenario(parse_config_file(path), path, overrides);
}

Scenario load_scenario_from_text(const std::string& yaml_text, const std::string& label,
                                 const std::vector<std::string>& overrides) {
  return build_scenario(parse_config_text(yaml_text, label), label, overrides);
}

}  // namespace sellershock
