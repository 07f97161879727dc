// Stage 1 of the scenario pipeline (pipeline.hpp): `extends:` chains, merged base first.
#include <filesystem>

#include "scenario/parameters.hpp"
#include "scenario/pipeline.hpp"

namespace sellershock {

namespace {

namespace fs = std::filesystem;

// Longer chains are surely a mistake; cycles are caught before this.
constexpr std::size_t max_extends_chain = 32;

[[noreturn]] void fail(const SourceLocation& where, const std::string& key_path, const std::string& what) {
  throw InputError(where, key_path, format_input_error(where, key_path, what));
}

// A child file's maps merge into its base's; scalars and lists replace the base's.
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
ConfigNodePtr resolve(const ConfigNodePtr& tree, const std::string& label, std::vector<std::string>& chain,
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
  if (!fs::is_regular_file(base_label, status_error))
    fail(value.where, "extends", "'" + base_label + "' is not a regular file; expected a scenario file to extend");

  chain.push_back(base_canonical);
  chain_labels.push_back(base_label);
  const ConfigNodePtr base = resolve(parse_config_file(base_label), base_label, chain, chain_labels);
  chain.pop_back();
  chain_labels.pop_back();

  auto own = std::make_shared<ConfigNode>(*tree);
  std::erase_if(own->entries, [](const ConfigEntry& entry) { return entry.key == "extends"; });
  return merge(base, own, "");
}

}  // namespace

ConfigNodePtr resolve_extends(const ConfigNodePtr& tree, const std::string& label) {
  std::vector<std::string> chain{canonical_name(label)};
  std::vector<std::string> chain_labels{label};
  return resolve(tree, label, chain, chain_labels);
}

}  // namespace sellershock
