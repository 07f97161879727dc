#include "state/world.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "process/demand.hpp"
#include "run/setup.hpp"
#include "support/test_scenario.hpp"

namespace sellershock {

TEST(World, SetUpIsDeterministicInScenarioAndReplication) {
  const Scenario s = testing::small_scenario();
  const World a = make_world(s, 2), b = make_world(s, 2), c = make_world(s, 3);
  EXPECT_EQ(a.sellers.expected_weekly_sales_cents, b.sellers.expected_weekly_sales_cents);
  EXPECT_EQ(a.sellers.region, b.sellers.region);
  EXPECT_EQ(a.buyers.followed_seller, b.buyers.followed_seller);
  EXPECT_NE(a.sellers.expected_weekly_sales_cents, c.sellers.expected_weekly_sales_cents);
}

TEST(World, RegionsBehaviourAndChannelsFollowTheScenarioShares) {
  Scenario s = testing::small_scenario(40000);
  s.sellers.alternative_share = 0.25;
  s.sellers.own_store_share = 0.4;
  const World w = make_world(s, 0);
  ASSERT_EQ(w.region_names, (std::vector<std::string>{"CN-Shenzhen", "PK-Punjab", "US"}));
  std::vector<double> counts(3);
  double rule_breakers = 0, alternative = 0, own = 0;
  for (std::size_t i = 0; i < w.sellers.size(); ++i) {
    counts[w.sellers.region[i]] += 1;
    rule_breakers += w.sellers.rule_breaker[i];
    alternative += w.sellers.on_alternative[i];
    own += w.sellers.on_own_store[i];
  }
  const double n = static_cast<double>(w.sellers.size());
  EXPECT_NEAR(counts[0] / n, 0.3, 0.01);
  EXPECT_NEAR(counts[1] / n, 0.1, 0.01);
  EXPECT_NEAR(counts[2] / n, 0.6, 0.01);
  EXPECT_NEAR(rule_breakers / n, 0.2, 0.01);
  EXPECT_NEAR(alternative / n, 0.25, 0.01);
  EXPECT_NEAR(own / n, 0.4, 0.01);
}

// The rule-breaker share by size class: with every factor but the smallest class's at 0, no business
// above $100k breaks the rules, and the smallest class holds rule-breakers at share x factor.
TEST(World, RuleBreakerShareFollowsTheSizeClassFactors) {
  Scenario s = testing::small_scenario(40000);
  s.sellers.rule_breaker_share = 0.2;
  s.sellers.rule_breaker_share_factor = {2.5, 0.0, 0.0, 0.0};
  const World w = make_world(s, 0);
  std::int64_t by_class[kSizeClassCount] = {}, breakers_by_class[kSizeClassCount] = {};
  for (std::size_t i = 0; i < w.sellers.size(); ++i) {
    by_class[w.sellers.size_class[i]] += 1;
    breakers_by_class[w.sellers.size_class[i]] += w.sellers.rule_breaker[i];
  }
  ASSERT_GT(by_class[0], 10000);
  ASSERT_GT(by_class[1] + by_class[2] + by_class[3], 5000);  // enough larger businesses for the check to bite
  EXPECT_NEAR(static_cast<double>(breakers_by_class[0]) / static_cast<double>(by_class[0]), 0.5, 0.02);
  EXPECT_EQ(breakers_by_class[1], 0);
  EXPECT_EQ(breakers_by_class[2], 0);
  EXPECT_EQ(breakers_by_class[3], 0);

  // Factors of 1 are the one share for everyone, draw for draw; a factor moves only its class.
  Scenario flat = testing::small_scenario(40000);
  Scenario large_only = flat;
  large_only.sellers.rule_breaker_share_factor = {1.0, 1.0, 1.0, 0.0};
  const World a = make_world(flat, 0), b = make_world(large_only, 0);
  std::int64_t large_breakers_before = 0;
  for (std::size_t i = 0; i < a.sellers.size(); ++i) {
    ASSERT_EQ(a.sellers.size_class[i], b.sellers.size_class[i]);
    if (a.sellers.size_class[i] == 3) {
      large_breakers_before += a.sellers.rule_breaker[i];
      EXPECT_EQ(b.sellers.rule_breaker[i], 0);
    } else {
      EXPECT_EQ(a.sellers.rule_breaker[i], b.sellers.rule_breaker[i]);
    }
  }
  EXPECT_GT(large_breakers_before, 0);
}

TEST(World, MedianAnnualSalesMatchesTheScenario) {
  Scenario s = testing::small_scenario(40001);
  const World w = make_world(s, 0);
  std::vector<Cents> weekly(w.sellers.expected_weekly_sales_cents.begin(), w.sellers.expected_weekly_sales_cents.end());
  std::nth_element(weekly.begin(), weekly.begin() + 20000, weekly.end());
  const double median_annual_usd = static_cast<double>(weekly[20000]) * 52.0 / 100.0;
  EXPECT_NEAR(median_annual_usd / s.sellers.annual_sales_usd.median, 1.0, 0.05);
}

TEST(World, LargerBusinessesRunMoreAccountsAndSitInLargerSizeClasses) {
  Scenario s = testing::small_scenario(20000);
  s.sellers.accounts_per_million_usd = 3;
  s.sellers.max_accounts = 50;
  const World w = make_world(s, 0);
  for (std::size_t i = 0; i < w.sellers.size(); ++i) {
    const double annual_usd = static_cast<double>(w.sellers.expected_weekly_sales_cents[i]) * 52.0 / 100.0;
    const double expected_accounts = std::min(50.0, 1.0 + std::floor(3.0 * annual_usd / 1e6));
    ASSERT_NEAR(w.sellers.accounts[i], expected_accounts, 1.0) << i;  // cents rounding at the boundaries
    ASSERT_EQ(w.sellers.size_class[i], size_class_of(annual_usd * (1 + 1e-12))) << i;
  }
  EXPECT_EQ(size_class_of(99'999), 0);
  EXPECT_EQ(size_class_of(100'000), 1);
  EXPECT_EQ(size_class_of(2e6), 2);
  EXPECT_EQ(size_class_of(1e9), 3);
}

TEST(World, SellersSitInContiguousRangesByCategory) {
  Scenario s = testing::small_scenario(1000);
  s.sellers.categories = 7;
  const World w = make_world(s, 0);
  ASSERT_EQ(w.category_begin.size(), 8u);
  EXPECT_EQ(w.category_begin.front(), 0u);
  EXPECT_EQ(w.category_begin.back(), 1000u);
  for (std::size_t c = 0; c < 7; ++c)
    for (std::size_t i = w.category_begin[c]; i < w.category_begin[c + 1]; ++i) ASSERT_EQ(w.sellers.category[i], c);
}

TEST(World, BuyersAreNumberedByTheSellerTheyFollow) {
  // So that the weekly look-up of each buyer's followed seller walks the seller table forwards.
  const World w = make_world(testing::small_scenario(2000), 0);
  ASSERT_GT(w.buyers.size(), 1u);
  EXPECT_TRUE(std::is_sorted(w.buyers.followed_seller.begin(), w.buyers.followed_seller.end()));
  EXPECT_LT(w.buyers.followed_seller.back(), w.sellers.size());
  // Large sellers are followed by more buyers: the draw by size survives the numbering.
  std::vector<std::size_t> followers(w.sellers.size(), 0);
  for (std::uint32_t s : w.buyers.followed_seller) ++followers[s];
  std::size_t largest = 0;
  for (std::size_t i = 1; i < w.sellers.size(); ++i)
    if (w.sellers.expected_weekly_sales_cents[i] > w.sellers.expected_weekly_sales_cents[largest]) largest = i;
  EXPECT_GT(static_cast<double>(followers[largest]), 10.0 * static_cast<double>(w.buyers.size()) / static_cast<double>(w.sellers.size()));
}

TEST(World, BuyersSpendWhatSellersExpectToSellPlusThePlatformsOwnStores) {
  const Scenario s = testing::small_scenario(5000);
  const World w = make_world(s, 0);
  double expected_sales = 0, spend = 0;
  for (Cents c : w.sellers.expected_weekly_sales_cents) expected_sales += static_cast<double>(c);
  for (Cents c : w.buyers.weekly_spend_cents) spend += static_cast<double>(c);
  // Buyers' spend is lognormal with mean one around the target; 20,000 buyers with sigma 1: ~1.5% sd.
  EXPECT_NEAR(spend * expected_seller_channel_share(s, w) / expected_sales, 1.0, 0.06);
}

TEST(World, OpeningMoneySumsToZeroAcrossAllAccounts) {
  const World w = make_world(testing::small_scenario(), 0);
  EXPECT_EQ(w.total_money_cents(), 0);
  EXPECT_LT(w.ledger.outside_cents, 0);  // the owners paid in the opening cash
}

}  // namespace sellershock

namespace sellershock {
namespace {

// The seller table is nothing but columns, and the one list that resizes them and counts their bytes
// (world.cpp) names every one: a column added to the struct but not to the list fails here.
TEST(SellerTable, TheColumnListCoversTheWholeTable) {
  static_assert(sizeof(std::vector<std::uint8_t>) == sizeof(std::vector<Cents>));
  EXPECT_EQ(SellerTable::column_count() * sizeof(std::vector<Cents>), sizeof(SellerTable));
  SellerTable table;
  table.resize(5);
  EXPECT_EQ(table.status[4], SellerStatus::Active);
  EXPECT_EQ(table.appeal_week[4], kNoWeek);
  EXPECT_EQ(table.revenue_cents[kSellerChannelCount - 1].size(), 5u);
  EXPECT_GT(SellerTable::bytes_per_seller(), SellerTable::column_count());
}

// The copy (the counterfactual's world at the fork) goes through the same list, on every thread: every
// column arrives whole, and the copy is its own memory.
TEST(SellerTable, ACopyHasEveryColumnOfTheOriginalInItsOwnMemory) {
  SellerTable table;
  table.resize(70000);  // columns of 2 MiB and more come from their own huge-page mappings
  for (std::size_t i = 0; i < table.size(); ++i) {
    table.region[i] = static_cast<std::uint8_t>(i % 7);
    table.cash_cents[i] = static_cast<Cents>(i) * 3 - 1000;
    table.revenue_cents[kSellerChannelCount - 1][i] = static_cast<Cents>(i);
    table.counterfactual_level[i] = 0.5 * static_cast<double>(i);
    table.treated_frozen_cents[i] = static_cast<Cents>(i) + 7;
  }
  SellerTable copy(table);
  EXPECT_EQ(copy.size(), table.size());
  EXPECT_EQ(copy.region, table.region);  // the first column of the list
  EXPECT_EQ(copy.cash_cents, table.cash_cents);
  EXPECT_EQ(copy.revenue_cents[kSellerChannelCount - 1], table.revenue_cents[kSellerChannelCount - 1]);
  EXPECT_EQ(copy.counterfactual_level, table.counterfactual_level);
  EXPECT_EQ(copy.treated_frozen_cents, table.treated_frozen_cents);  // the last
  EXPECT_EQ(copy.status, table.status);
  EXPECT_EQ(copy.appeal_week, table.appeal_week);
  EXPECT_NE(copy.cash_cents.data(), table.cash_cents.data());
  copy.cash_cents[5] = 42;
  EXPECT_EQ(table.cash_cents[5], 5 * 3 - 1000);

  SellerTable assigned;
  assigned.resize(3);
  assigned = table;
  EXPECT_EQ(assigned.treated_frozen_cents, table.treated_frozen_cents);
  assigned = static_cast<const SellerTable&>(assigned);  // to itself: unchanged
  EXPECT_EQ(assigned.cash_cents, table.cash_cents);
}

}  // namespace
}  // namespace sellershock
