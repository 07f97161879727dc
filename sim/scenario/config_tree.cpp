#include "scenario/config_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <sstream>
#include <unordered_map>

#include "scenario/input_file.hpp"

namespace sellershock {

const ConfigEntry* ConfigNode::find(std::string_view key) const {
  for (const ConfigEntry& entry : entries)
    if (entry.key == key) return &entry;
  return nullptr;
}

std::string describe_found(const ConfigNode& node) {
  switch (node.kind) {
    case ConfigNode::Kind::null: return "nothing (an empty value)";
    case ConfigNode::Kind::list: return "a list";
    case ConfigNode::Kind::map: return "a map";
    case ConfigNode::Kind::scalar: break;
  }
  constexpr std::size_t shown_chars = 60;
  if (node.scalar.size() > shown_chars) return "'" + node.scalar.substr(0, shown_chars) + "...'";
  return "'" + node.scalar + "'";
}

namespace {

// Builds ConfigNodes from yaml-cpp's parse events. Working through events rather than
// YAML::Load lets us refuse deep nesting before yaml-cpp recurses into it, count nodes as
// aliases would expand them without expanding anything, and see duplicate keys.
class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(std::shared_ptr<const std::string> label, bool with_positions)
      : label_(std::move(label)), with_positions_(with_positions) {}

  ConfigNodePtr take_root() { return std::move(root_); }
  bool has_root() const { return root_ != nullptr; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnAnchor(const YAML::Mark&, const std::string& anchor_name) override { pending_anchor_name_ = anchor_name; }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto node = make_node(ConfigNode::Kind::null, mark);
    // yaml-cpp places an empty value at the start of the next line; the key is what the user sees.
    if (!frames_.empty() && frames_.back().pending_key) node->where = frames_.back().pending_key->key_where;
    complete(std::move(node), anchor);
  }

  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    auto node = make_node(ConfigNode::Kind::scalar, mark);
    node->scalar = value;
    complete(std::move(node), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto found = anchored_.find(anchor);
    if (found == anchored_.end() || !found->second)
      fail(mark, "alias *" + anchor_names_[anchor] + " refers to a node that contains it (a recursive alias)");
    const ConfigNodePtr& target = found->second;
    if (static_cast<int>(frames_.size()) + target->depth > max_config_depth)
      fail(mark, "nesting deeper than " + std::to_string(max_config_depth) + " levels (through an alias)");
    count_nodes(mark, target->expanded_nodes);
    attach(target);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(ConfigNode::Kind::list, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(ConfigNode::Kind::map, mark, anchor);
  }
  void OnMapEnd() override {
    if (frames_.back().pending_key) {  // yaml-cpp always pairs keys with values; be safe anyway
      const SourceLocation where = frames_.back().pending_key->key_where;
      throw InputError(where, "", format_input_error(where, "", "map key without a value"));
    }
    close();
  }

 private:
  struct Frame {
    std::shared_ptr<ConfigNode> node;
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::unique_ptr<ConfigEntry> pending_key;  // maps: the key read, its value not yet
    std::unordered_map<std::string, SourceLocation> keys_seen;
    std::string path;  // key path of this node, e.g. "enforcement.waves[0]", for errors
  };

  // The key path of the node about to be attached to the innermost open container.
  std::string child_path() const {
    if (frames_.empty()) return "";
    const Frame& parent = frames_.back();
    if (parent.node->kind == ConfigNode::Kind::list)
      return parent.path + "[" + std::to_string(parent.node->items.size()) + "]";
    if (!parent.pending_key) return parent.path;  // a (complex) key
    return parent.path.empty() ? parent.pending_key->key : parent.path + "." + parent.pending_key->key;
  }

  SourceLocation location(const YAML::Mark& mark) const {
    SourceLocation where;
    where.file = *label_;
    if (with_positions_) {
      where.line = mark.line + 1;  // yaml-cpp marks are 0-based
      where.column = mark.column + 1;
    }
    return where;
  }

  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& what) const {
    const SourceLocation where = location(mark);
    throw InputError(where, "", format_input_error(where, "", what));
  }

  void count_nodes(const YAML::Mark& mark, std::size_t nodes) {
    total_nodes_ += nodes;
    if (total_nodes_ > max_config_nodes)
      fail(mark, "the document expands to more than " + std::to_string(max_config_nodes) +
                     " nodes (too large, or an alias bomb); scenario files are far smaller");
  }

  std::shared_ptr<ConfigNode> make_node(ConfigNode::Kind kind, const YAML::Mark& mark) {
    count_nodes(mark, 1);
    auto node = std::make_shared<ConfigNode>();
    node->kind = kind;
    node->where = location(mark);
    return node;
  }

  void open(ConfigNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (static_cast<int>(frames_.size()) >= max_config_depth)
      fail(mark, "nesting deeper than " + std::to_string(max_config_depth) + " levels");
    remember_anchor_name(anchor);
    if (anchor != YAML::NullAnchor) anchored_[anchor] = nullptr;  // open: an alias to it now is recursive
    Frame frame;
    frame.path = child_path();
    frame.node = make_node(kind, mark);
    frame.anchor = anchor;
    frames_.push_back(std::move(frame));
  }

  void close() {
    Frame frame = std::move(frames_.back());
    frames_.pop_back();
    complete(std::move(frame.node), frame.anchor);
  }

  void remember_anchor_name(YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) anchor_names_[anchor] = pending_anchor_name_;
    pending_anchor_name_.clear();
  }

  void complete(std::shared_ptr<ConfigNode> node, YAML::anchor_t anchor) {
    if (node->kind == ConfigNode::Kind::scalar || node->kind == ConfigNode::Kind::null)
      remember_anchor_name(anchor);
    ConfigNodePtr done = std::move(node);
    if (anchor != YAML::NullAnchor) anchored_[anchor] = done;
    attach(done);
  }

  void attach(const ConfigNodePtr& child) {
    if (frames_.empty()) {
      root_ = child;
      return;
    }
    Frame& parent = frames_.back();
    ConfigNode& container = *parent.node;
    container.expanded_nodes += child->expanded_nodes;
    container.depth = std::max(container.depth, child->depth + 1);
    if (container.kind == ConfigNode::Kind::list) {
      container.items.push_back(child);
      return;
    }
    if (!parent.pending_key) {
      if (child->kind != ConfigNode::Kind::scalar) {
        const std::string what = "map keys must be plain text, found " + describe_found(*child);
        throw InputError(child->where, "", format_input_error(child->where, "", what));
      }
      parent.pending_key = std::make_unique<ConfigEntry>(ConfigEntry{child->scalar, child->where, nullptr});
      return;
    }
    ConfigEntry entry = std::move(*parent.pending_key);
    parent.pending_key.reset();
    const auto [seen, inserted] = parent.keys_seen.emplace(entry.key, entry.key_where);
    if (!inserted) {
      const std::string key_path = parent.path.empty() ? entry.key : parent.path + "." + entry.key;
      std::string what = "duplicate key '" + entry.key + "'";
      if (seen->second.line > 0)
        what += " (first given at line " + std::to_string(seen->second.line) + ", column " +
                std::to_string(seen->second.column) + ")";
      throw InputError(entry.key_where, key_path, format_input_error(entry.key_where, key_path, what));
    }
    entry.value = child;
    container.entries.push_back(std::move(entry));
  }

  std::shared_ptr<const std::string> label_;
  bool with_positions_;
  std::vector<Frame> frames_;
  std::unordered_map<YAML::anchor_t, ConfigNodePtr> anchored_;
  std::unordered_map<YAML::anchor_t, std::string> anchor_names_;
  std::string pending_anchor_name_;
  std::size_t total_nodes_ = 0;
  ConfigNodePtr root_;
};

}  // namespace

ConfigNodePtr parse_config_text(const std::string& text, const std::string& label, bool with_positions) {
  auto shared_label = std::make_shared<const std::string>(label);
  std::istringstream input(text);
  try {
    YAML::Parser parser(input);
    TreeBuilder builder(shared_label, with_positions);
    if (!parser.HandleNextDocument(builder) || !builder.has_root()) {
      auto empty = std::make_shared<ConfigNode>();
      empty->where.file = label;
      return empty;
    }
    ConfigNodePtr root = builder.take_root();
    TreeBuilder rest(shared_label, with_positions);
    if (parser.HandleNextDocument(rest)) {
      const SourceLocation where{label, 0, 0};
      throw InputError(where, "", format_input_error(where, "", "more than one YAML document ('---'); expected one"));
    }
    return root;
  } catch (const YAML::Exception& error) {  // includes YAML::DeepRecursion
    SourceLocation where{label, 0, 0};
    if (with_positions && !error.mark.is_null()) {
      where.line = error.mark.line + 1;
      where.column = error.mark.column + 1;
    }
    throw InputError(where, "", format_input_error(where, "", "malformed YAML: " + error.msg));
  }
}

ConfigNodePtr parse_config_file(const std::string& path) {
  return parse_config_text(read_input_file(path, "scenario file", max_scenario_file_bytes), path, true);
}

}  // namespace sellershock
