#include "scenario/suggest.hpp"

#include <gtest/gtest.h>

namespace sellershock {
namespace {

TEST(ScenarioSuggest, EditDistance) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("recal", "recall"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("nmae", "name"), 1u);
}

TEST(ScenarioSuggest, NearestCandidateOnlyForPlausibleTypos) {
  const std::vector<std::string> keys = {"recall", "false_positive_rate", "name", "start", "end"};
  EXPECT_EQ(nearest_candidate("recal", keys), "recall");
  EXPECT_EQ(nearest_candidate("false_positve_rate", keys), "false_positive_rate");
  EXPECT_EQ(nearest_candidate("nmae", keys), "name");
  EXPECT_EQ(nearest_candidate("zzzzzz", keys), "");
  EXPECT_EQ(nearest_candidate("x", keys), "");
  EXPECT_EQ(nearest_candidate("recall", {}), "");
}

}  // namespace
}  // namespace sellershock
