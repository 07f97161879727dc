// The shape of a scenario file (which keys nest under which), derived from the key paths of the
// parameter table so that the loader, the override paths and to_yaml all follow that one table.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenario/parameters.hpp"

namespace sellershock {

struct SchemaNode {
  // nullptr: a section (a map of named members). Otherwise a parameter; for a map_list the
  // members of one element are under `element`.
  const Parameter* parameter = nullptr;
  std::vector<std::pair<std::string, std::unique_ptr<SchemaNode>>> members;  // sections, in table order
  std::unique_ptr<SchemaNode> element;                                       // map_list only

  bool is_section() const { return parameter == nullptr; }
  const SchemaNode* member(std::string_view name) const;
  std::vector<std::string> member_names() const;
};

// The whole file's shape: a section whose members are the top-level keys.
const SchemaNode& scenario_schema();

}  // namespace sellershock
