// An untyped YAML tree that remembers where every node came from (file, line, column), so that
// errors found after merging `extends:` files and applying --set overrides still point at the
// text the user wrote. Only the scenario layer sees it: the model reads the typed Scenario.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/error.hpp"

namespace sellershock {

// Limits on hostile input: far above any real scenario, far below what hurts the process.
inline constexpr std::size_t max_scenario_file_bytes = 16u * 1024u * 1024u;  // as max_input_file_bytes
inline constexpr int max_config_depth = 64;
// Nodes in the tree with every YAML alias expanded ("billion laughs" defence). A scenario has a
// few hundred; a node costs about 230 bytes, so this bounds a hostile file at about 25 MB.
inline constexpr std::size_t max_config_nodes = 100'000;

struct ConfigNode;
using ConfigNodePtr = std::shared_ptr<const ConfigNode>;

struct ConfigEntry {
  std::string key;
  SourceLocation key_where;
  ConfigNodePtr value;
};

// Immutable once built; aliases share the anchored node instead of copying it.
struct ConfigNode {
  enum class Kind { null, scalar, list, map };
  Kind kind = Kind::null;
  SourceLocation where;
  std::string scalar;                // Kind::scalar: the text, unquoted
  std::vector<ConfigNodePtr> items;  // Kind::list
  std::vector<ConfigEntry> entries;  // Kind::map, in file order, keys unique
  std::size_t expanded_nodes = 1;    // this node plus all below it, aliases expanded (saturating)
  int depth = 1;                     // 1 for a scalar or null

  const ConfigEntry* find(std::string_view key) const;
};

// "a map", "a list", "a number/text value 'abc'", "nothing (null)": for "found ..." in errors.
std::string describe_found(const ConfigNode& node);

// Parses YAML text holding one document. `label` names the source in errors (a path or
// "--set key=value"); with_positions=false omits line:column (for override values, whose
// positions are meaningless to the user). An empty document gives a null node.
// Throws InputError for malformed YAML, duplicate keys, nesting deeper than max_config_depth,
// more than max_config_nodes nodes after alias expansion, or more than one document.
ConfigNodePtr parse_config_text(const std::string& text, const std::string& label, bool with_positions = true);

// Reads and parses a file (through read_input_file). Throws InputError if it is missing, not a
// regular file (a directory, FIFO or device), unreadable, larger than max_scenario_file_bytes, or
// not valid YAML (see parse_config_text).
ConfigNodePtr parse_config_file(const std::string& path);

}  // namespace sellershock
