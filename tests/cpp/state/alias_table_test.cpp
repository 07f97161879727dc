#include "state/alias_table.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

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

namespace {
// Vose's method as written before the table's build was made branch-free: stacks as vectors, pushed and
// popped. The table must hold the same slots, or every purchase draw of a run would change.
struct ReferenceSlot {
  std::uint32_t threshold, item, alias;
};
std::vector<ReferenceSlot> reference_table(const std::vector<std::uint32_t>& items, const std::vector<double>& weights) {
  std::vector<ReferenceSlot> slots;
  double total = 0.0;
  for (std::size_t k = 0; k < items.size(); ++k)
    if (weights[k] > 0.0) {
      slots.push_back({0xffffffffu, items[k], items[k]});
      total += weights[k];
    }
  const std::size_t n = slots.size();
  std::vector<double> scaled;
  for (std::size_t k = 0; k < items.size(); ++k)
    if (weights[k] > 0.0) scaled.push_back(weights[k] * static_cast<double>(n) / total);
  std::vector<std::uint32_t> small, large;
  for (std::size_t k = 0; k < n; ++k) (scaled[k] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(k));
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back();
    small.pop_back();
    const std::uint32_t l = large.back();
    slots[s].threshold = static_cast<std::uint32_t>(std::floor(scaled[s] * 4294967296.0));
    slots[s].alias = slots[l].item;
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  return slots;
}
}  // namespace

TEST(AliasTable, HoldsTheSlotsOfVosesMethodWithStacks) {
  RandomStream stream(7, 0, 0, 0, Purpose::Purchase);
  for (const std::size_t n : {1u, 2u, 5u, 100u, 5000u}) {
    std::vector<std::uint32_t> items;
    std::vector<double> weights;
    for (std::size_t k = 0; k < n; ++k) {
      items.push_back(static_cast<std::uint32_t>(3 * k + 1));
      const double u = stream.uniform();
      weights.push_back(u < 0.1 ? 0.0 : std::exp(4.0 * u));  // some zero, the rest skewed
    }
    AliasTable table;
    table.build(items, weights);
    const std::vector<ReferenceSlot> expected = reference_table(items, weights);
    ASSERT_EQ(table.size(), expected.size());
    const std::uint64_t size = expected.size();
    for (std::uint64_t j = 0; j < size; ++j) {
      // The high half that picks slot j; the coins on either side of its threshold.
      const std::uint64_t high = ((j << 32) + size - 1) / size;
      ASSERT_EQ((high * size) >> 32, j);
      const ReferenceSlot& slot = expected[j];
      for (const std::uint64_t coin : {std::uint64_t{0}, std::uint64_t{slot.threshold} - (slot.threshold > 0 ? 1 : 0),
                                       std::uint64_t{slot.threshold}, std::uint64_t{0xffffffffu}}) {
        const std::uint32_t drawn = coin < slot.threshold ? slot.item : slot.alias;
        EXPECT_EQ(table.sample((high << 32) | coin), drawn) << "n " << n << ", slot " << j << ", coin " << coin;
      }
    }
  }
}

TEST(AliasTable, ABuildWithScratchSpaceUsedBeforeEqualsAFreshBuild) {
  // One scratch space serves every table a thread rebuilds (Demand::refresh_market): what a larger or a
  // smaller table left in it must not reach the next one.
  RandomStream stream(11, 0, 0, 0, Purpose::Purchase);
  AliasTable::Scratch scratch;
  for (const std::size_t n : {5000u, 3u, 700u, 1u, 4000u}) {
    std::vector<std::uint32_t> items;
    std::vector<double> weights;
    for (std::size_t k = 0; k < n; ++k) {
      items.push_back(static_cast<std::uint32_t>(k + 5));
      const double u = stream.uniform();
      weights.push_back(u < 0.1 ? 0.0 : std::exp(5.0 * u));
    }
    AliasTable reused, fresh;
    reused.build(items, weights, scratch);
    fresh.build(items, weights);
    ASSERT_EQ(reused.size(), fresh.size());
    for (int k = 0; k < 20000; ++k) {
      const std::uint64_t r = stream();
      ASSERT_EQ(reused.sample(r), fresh.sample(r)) << "table of " << n << ", draw " << k;
    }
  }
}

}  // namespace sellershock
