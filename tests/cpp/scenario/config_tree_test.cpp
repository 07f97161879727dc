#include "scenario/config_tree.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "scenario_test_support.hpp"

namespace sellershock {
namespace {

using testing::contains_all;
using testing::fixture_path;
using testing::input_error_message;
using testing::ScratchDirectory;

TEST(ScenarioConfigTree, RemembersOneBasedLineAndColumnOfKeysAndValues) {
  const ConfigNodePtr root = parse_config_text("name: x\nsellers:\n  count: 200\n", "f.yaml");
  ASSERT_EQ(root->kind, ConfigNode::Kind::map);
  const ConfigEntry* sellers = root->find("sellers");
  ASSERT_NE(sellers, nullptr);
  EXPECT_EQ(sellers->key_where.line, 2);
  EXPECT_EQ(sellers->key_where.column, 1);
  const ConfigEntry* count = sellers->value->find("count");
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->value->scalar, "200");
  EXPECT_EQ(count->value->where.file, "f.yaml");
  EXPECT_EQ(count->value->where.line, 3);
  EXPECT_EQ(count->value->where.column, 10);
}

TEST(ScenarioConfigTree, EmptyValueIsNullAtItsKey) {
  const ConfigNodePtr root = parse_config_text("a: 1\nb:\nc: 2\n", "f.yaml");
  const ConfigNode& b = *root->find("b")->value;
  EXPECT_EQ(b.kind, ConfigNode::Kind::null);
  EXPECT_EQ(b.where.line, 2);
}

TEST(ScenarioConfigTree, WithoutPositionsOmitsLineAndColumn) {
  const ConfigNodePtr value = parse_config_text("[a, b]", "--set x=[a, b]", false);
  ASSERT_EQ(value->kind, ConfigNode::Kind::list);
  EXPECT_EQ(value->items.size(), 2u);
  EXPECT_EQ(value->items[1]->where.line, 0);
  EXPECT_EQ(value->items[1]->where.file, "--set x=[a, b]");
}

TEST(ScenarioConfigTree, MalformedYamlNamesFileLineAndColumn) {
  const std::string message = input_error_message([] { parse_config_text("a: [1, 2\nb: 3\n", "m.yaml"); });
  EXPECT_TRUE(contains_all(message, {"m.yaml:2:", "malformed YAML"}));
}

TEST(ScenarioConfigTree, DuplicateKeyIsAnErrorNamingBothPlaces) {
  const std::string message =
      input_error_message([] { parse_config_text("weeks: 10\nseed: 1\nweeks: 20\n", "d.yaml"); });
  EXPECT_TRUE(contains_all(message, {"d.yaml:3:1: weeks: duplicate key 'weeks'", "line 1, column 1"}));
}

TEST(ScenarioConfigTree, NonTextMapKeyIsAnError) {
  const std::string message = input_error_message([] { parse_config_text("? [a, b]\n: 1\n", "k.yaml"); });
  EXPECT_TRUE(contains_all(message, {"k.yaml:1:", "map keys must be plain text"}));
}

TEST(ScenarioConfigTree, MoreThanOneDocumentIsAnError) {
  const std::string message = input_error_message([] { parse_config_text("a: 1\n---\nb: 2\n", "two.yaml"); });
  EXPECT_TRUE(contains_all(message, {"two.yaml", "more than one YAML document"}));
}

TEST(ScenarioConfigTree, NestingBeyondTheLimitIsRefused) {
  std::string text = "a: ";
  for (int i = 0; i < max_config_depth + 1; ++i) text += "[";
  const std::string message = input_error_message([&] { parse_config_text(text, "deep.yaml"); });
  EXPECT_TRUE(contains_all(message, {"deep.yaml:1:", "nesting deeper than 64 levels"}));
}

TEST(ScenarioConfigTree, NestingAtTheLimitIsAccepted) {
  std::string text;
  for (int i = 0; i < max_config_depth; ++i) text += "[";
  for (int i = 0; i < max_config_depth; ++i) text += "]";
  EXPECT_EQ(parse_config_text(text, "ok.yaml")->depth, max_config_depth);
}

TEST(ScenarioConfigTree, HundredThousandOpenBracketsDoNotCrashTheProcess) {
  const std::string text = "sellers: " + std::string(100'000, '[');
  const std::string message = input_error_message([&] { parse_config_text(text, "brackets.yaml"); });
  EXPECT_TRUE(contains_all(message, {"brackets.yaml:1:", "nesting deeper"}));
}

TEST(ScenarioConfigTree, DeepNestingOfEveryShapeIsRefused) {
  std::string block_maps;
  for (int i = 0; i < 100; ++i) block_maps += std::string(i, ' ') + "k:\n";
  std::string block_lists;
  for (int i = 0; i < 100'000; ++i) block_lists += "- ";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a: " + std::string(100'000, '{'), "flow.yaml:1:"},
      {block_lists + "x\n", "lists.yaml:1:"},
      {block_maps, "maps.yaml:65:65"},
  };
  for (const auto& [text, where] : cases) {
    const std::string label = where.substr(0, where.find(':'));
    EXPECT_TRUE(contains_all(input_error_message([&] { parse_config_text(text, label); }), {where, "nesting deeper"}));
  }
}

TEST(ScenarioConfigTree, FlatFileBeyondTheNodeBudgetIsRefused) {
  std::string text = "sellers:\n";
  for (std::size_t i = 0; i < max_config_nodes; ++i) text += "  - 1\n";
  EXPECT_TRUE(contains_all(input_error_message([&] { parse_config_text(text, "flat.yaml"); }),
                           {"flat.yaml:", "more than 100000 nodes"}));
}

TEST(ScenarioConfigTree, DeepNestingFixtureIsRefused) {
  const std::string path = fixture_path("bad/deep_nesting.yaml").string();
  const std::string message = input_error_message([&] { parse_config_file(path); });
  EXPECT_TRUE(contains_all(message, {"deep_nesting.yaml:2:", "nesting deeper"}));
}

TEST(ScenarioConfigTree, AliasBombIsRefusedQuicklyWithoutExpansion) {
  const std::string path = fixture_path("bad/alias_bomb.yaml").string();
  const auto started = std::chrono::steady_clock::now();
  const std::string message = input_error_message([&] { parse_config_file(path); });
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(contains_all(message, {"alias_bomb.yaml:", "more than 100000 nodes", "alias bomb"}));
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count(), 5);
}

TEST(ScenarioConfigTree, AliasesShareNodesAndCountTheirExpansion) {
  const ConfigNodePtr root = parse_config_text("a: &x [1, 2, 3]\nb: *x\n", "alias.yaml");
  EXPECT_EQ(root->find("a")->value, root->find("b")->value);  // shared, not copied
  EXPECT_EQ(root->expanded_nodes, 1u + 2u + 2u * 4u);         // map, two keys, two lists of 1 + 3
}

TEST(ScenarioConfigTree, RecursiveAliasIsRefused) {
  const std::string message = input_error_message([] { parse_config_text("a: &x [1, *x]\n", "rec.yaml"); });
  EXPECT_TRUE(contains_all(message, {"rec.yaml:1:", "recursive alias"}));
}

TEST(ScenarioConfigTree, UndefinedAliasIsMalformed) {
  const std::string message = input_error_message([] { parse_config_text("a: *nowhere\n", "undef.yaml"); });
  EXPECT_TRUE(contains_all(message, {"undef.yaml:1:", "malformed YAML"}));
}

TEST(ScenarioConfigTree, MissingFileIsNamed) {
  const std::string message = input_error_message([] { parse_config_file("/nonexistent/dir/none.yaml"); });
  EXPECT_TRUE(contains_all(message, {"/nonexistent/dir/none.yaml", "no such file"}));
}

TEST(ScenarioConfigTree, DirectoryIsRefused) {
  ScratchDirectory scratch;
  const std::string message = input_error_message([&] { parse_config_file(scratch.path().string()); });
  EXPECT_TRUE(contains_all(message, {scratch.path().string(), "is a directory"}));
}

TEST(ScenarioConfigTree, FileOverSixteenMebibytesIsRefused) {
  ScratchDirectory scratch;
  const std::string path = scratch.write("big.yaml", "# " + std::string(max_scenario_file_bytes, 'x') + "\n");
  const std::string message = input_error_message([&] { parse_config_file(path); });
  EXPECT_TRUE(contains_all(message, {"big.yaml", "larger than 16 MiB"}));
}

TEST(ScenarioConfigTree, EmptyAndCommentOnlyFilesGiveANullRoot) {
  ScratchDirectory scratch;
  EXPECT_EQ(parse_config_file(scratch.write("e.yaml", ""))->kind, ConfigNode::Kind::null);
  EXPECT_EQ(parse_config_file(scratch.write("c.yaml", "# only a comment\n\n"))->kind, ConfigNode::Kind::null);
}

}  // namespace
}  // namespace sellershock
