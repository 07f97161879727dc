#include "scenario/schema.hpp"

namespace sellershock {

const SchemaNode* SchemaNode::member(std::string_view name) const {
  for (const auto& [member_name, node] : members)
    if (member_name == name) return node.get();
  return nullptr;
}

std::vector<std::string> SchemaNode::member_names() const {
  std::vector<std::string> names;
  for (const auto& entry : members) names.push_back(entry.first);
  return names;
}

namespace {

SchemaNode& member_or_new(SchemaNode& section, const std::string& name) {
  for (auto& [member_name, node] : section.members)
    if (member_name == name) return *node;
  section.members.emplace_back(name, std::make_unique<SchemaNode>());
  return *section.members.back().second;
}

std::unique_ptr<SchemaNode> build_schema() {
  auto root = std::make_unique<SchemaNode>();
  for (const Parameter& parameter : parameter_table()) {
    // "enforcement.waves[].target.regions": the segment "waves[]" steps into one element of a list.
    SchemaNode* node = root.get();
    std::size_t begin = 0;
    while (true) {
      const std::size_t dot = parameter.key.find('.', begin);
      std::string segment = parameter.key.substr(begin, dot == std::string::npos ? std::string::npos : dot - begin);
      const bool into_element = segment.size() > 2 && segment.compare(segment.size() - 2, 2, "[]") == 0;
      if (into_element) segment.resize(segment.size() - 2);
      node = &member_or_new(*node, segment);
      if (dot == std::string::npos) {
        node->parameter = &parameter;
        if (parameter.kind == ParameterKind::map_list && !node->element) node->element = std::make_unique<SchemaNode>();
        break;
      }
      if (into_element) {
        if (!node->element) node->element = std::make_unique<SchemaNode>();
        node = node->element.get();
      }
      begin = dot + 1;
    }
  }
  return root;
}

}  // namespace

const SchemaNode& scenario_schema() {
  static const std::unique_ptr<SchemaNode> root = build_schema();
  return *root;
}

}  // namespace sellershock
