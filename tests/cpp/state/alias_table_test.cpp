#include "state/alias_table.hpp"

#include <gtest/gtest.h>

#include <map>

#include "state/random.hpp"

namespace sellershock {

TEST(AliasTable, DrawsInProportionToWeights) {
  const std::vector<std::uint32_t> items{10, 20, 30, 40};
  const std::vector<double> weights{1.0, 2.0, 0.0, 7.0};
  AliasTable table;
  table.build(items, weights);
  ASSERT_EQ(table.size(), 3u);  // zero weights are left out
  RandomStream stream(1, 0, 0, 0, Purpose::Purchase);
  std::map<std::uint32_t, int> counts;
  const int n = 200000;
  for (int k = 0; k < n; ++k) ++counts[table.sample(stream())];
  EXPECT_EQ(counts.count(30), 0u);
  EXPECT_NEAR(counts[10] / double(n), 0.1, 0.005);
  EXPECT_NEAR(counts[20] / double(n), 0.2, 0.005);
  EXPECT_NEAR(counts[40] / double(n), 0.7, 0.005);
}

TEST(AliasTable, EmptyWhenNothingHasWeight) {
  AliasTable table;
  table.build(std::vector<std::uint32_t>{1, 2}, std::vector<double>{0.0, 0.0});
  EXPECT_TRUE(table.empty());
  table.build(std::vector<std::uint32_t>{}, std::vector<double>{});
  EXPECT_TRUE(table.empty());
}

TEST(AliasTable, SingleItemIsAlwaysDrawn) {
  AliasTable table;
  table.build(std::vector<std::uint32_t>{7}, std::vector<double>{3.0});
  for (std::uint64_t r : {0ull, 1ull, ~0ull, 0x8000000000000000ull}) EXPECT_EQ(table.sample(r), 7u);
}

TEST(AliasTable, RebuildReplacesTheContents) {
  AliasTable table;
  table.build(std::vector<std::uint32_t>{1, 2, 3}, std::vector<double>{1, 1, 1});
  table.build(std::vector<std::uint32_t>{9}, std::vector<double>{1});
  EXPECT_EQ(table.size(), 1u);
  EXPECT_EQ(table.sample(12345), 9u);
}

}  // namespace sellershock
