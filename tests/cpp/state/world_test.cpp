#include "state/world.hpp"

#include <gtest/gtest.h>

#include "support/test_scenario.hpp"

namespace sellershock {

TEST(World, SetUpIsDeterministicInScenarioAndReplication) {
  const Scenario s = testing::small_scenario();
  const World a = make_world(s, 2), b = make_world(s, 2), c = make_world(s, 3);
  EXPECT_EQ(a.sellers.expected_weekly_sales_cents, b.sellers.expected_weekly_sales_cents);
  EXPECT_EQ(a.sellers.region, b.sellers.region);
  EXPECT_NE(a.sellers.expected_weekly_sales_cents, c.sellers.expected_weekly_sales_cents);
}

TEST(World, RegionsAndBehaviourFollowTheScenarioShares) {
  Scenario s = testing::small_scenario(40000);
  const World w = make_world(s, 0);
  ASSERT_EQ(w.region_names, (std::vector<std::string>{"CN-Shenzhen", "PK-Punjab", "US"}));
  std::vector<double> counts(3);
  double rule_breakers = 0;
  for (std::size_t i = 0; i < w.sellers.size(); ++i) {
    counts[w.sellers.region[i]] += 1;
    rule_breakers += w.sellers.rule_breaker[i];
  }
  const double n = static_cast<double>(w.sellers.size());
  EXPECT_NEAR(counts[0] / n, 0.3, 0.01);
  EXPECT_NEAR(counts[1] / n, 0.1, 0.01);
  EXPECT_NEAR(counts[2] / n, 0.6, 0.01);
  EXPECT_NEAR(rule_breakers / n, 0.2, 0.01);
}

TEST(World, MedianAnnualSalesMatchesTheScenario) {
  Scenario s = testing::small_scenario(40001);
  const World w = make_world(s, 0);
  std::vector<Cents> weekly = w.sellers.expected_weekly_sales_cents;
  std::nth_element(weekly.begin(), weekly.begin() + 20000, weekly.end());
  const double median_annual_usd = static_cast<double>(weekly[20000]) * 52.0 / 100.0;
  EXPECT_NEAR(median_annual_usd / s.sellers.annual_sales_usd.median, 1.0, 0.05);
}

TEST(World, OpeningMoneySumsToZeroAcrossAllAccounts) {
  const World w = make_world(testing::small_scenario(), 0);
  EXPECT_EQ(w.total_money_cents(), 0);
  EXPECT_LT(w.ledger.outside_cents, 0);  // the owners paid in the opening cash
}

}  // namespace sellershock
