// Behavioural tests of demand: buyers' channel choice, purchases, trust.
#include "process/demand.hpp"

#include <gtest/gtest.h>

#include "run/replication.hpp"
#include "support/test_scenario.hpp"

namespace sellershock {

namespace {

// Buyers per channel summed over the run.
std::array<double, kChannelCount> buyer_shares(const Scenario& s) {
  Replication run(s, 0);
  std::array<double, kChannelCount> totals{};
  double all = 0;
  while (run.weeks_done() < s.weeks) {
    run.step();
    for (std::size_t c = 0; c < kChannelCount; ++c) {
      totals[c] += static_cast<double>(run.last_week().buyers[c]);
      all += static_cast<double>(run.last_week().buyers[c]);
    }
  }
  for (double& t : totals) t /= all;
  return totals;
}

}  // namespace

TEST(Demand, SlowerDeliveryLosesBuyers) {
  Scenario fast = testing::without_enforcement(testing::small_scenario(2000, 10, 1));
  Scenario slow = fast;
  slow.channels.dominant.appeal.delivery_days = 10;
  EXPECT_LT(buyer_shares(slow)[index(Channel::Dominant)], buyer_shares(fast)[index(Channel::Dominant)] - 0.05);
}

TEST(Demand, NoSellersOnTheAlternativeMeansNoBuyersThere) {
  Scenario s = testing::without_enforcement(testing::small_scenario(2000, 6, 1));
  s.sellers.alternative_share = 0;
  EXPECT_EQ(buyer_shares(s)[index(Channel::Alternative)], 0.0);
}

TEST(Demand, MoreSellersOnTheAlternativeAttractMoreBuyers) {
  Scenario few = testing::without_enforcement(testing::small_scenario(2000, 6, 1));
  few.sellers.alternative_share = 0.05;
  Scenario many = few;
  many.sellers.alternative_share = 0.5;
  EXPECT_GT(buyer_shares(many)[index(Channel::Alternative)], buyer_shares(few)[index(Channel::Alternative)]);
}

TEST(Demand, SpendReachesSellersAndThePlatformsStoresAndNothingElse) {
  Scenario s = testing::without_enforcement(testing::small_scenario(2000, 4, 1));
  Replication run(s, 0);
  // Buyers' marketplace spend is their spend less what sellers sell directly to their own customers.
  const double factor = run.world().market.marketplace_spend_factor;
  ASSERT_LT(factor, 1.0);
  run.step();
  const WeekTally& t = run.last_week();
  Cents spend = 0, marketplace_spend = 0;
  for (Cents c : run.world().buyers.weekly_spend_cents) {
    spend += c;
    marketplace_spend += round_cents(static_cast<double>(c) * factor);
  }
  Cents received = t.unmet_demand_cents;
  for (Cents c : t.sales_cents) received += c;
  ASSERT_GT(t.direct_sales_cents, 0);
  EXPECT_EQ(received, marketplace_spend + t.direct_sales_cents);
  // The direct sales are what was carved out of the buyers' spend, to rounding.
  EXPECT_NEAR(static_cast<double>(received), static_cast<double>(spend), 1e-6 * static_cast<double>(spend));
}

TEST(Demand, BadPurchasesFromRuleBreakersErodeTrustInThatMarketplace) {
  Scenario honest = testing::without_enforcement(testing::small_scenario(2000, 20, 1));
  honest.sellers.rule_breaker_share = 0;
  Scenario crooked = honest;
  crooked.sellers.rule_breaker_share = 0.8;
  crooked.buyers.bad_purchase_probability = 0.5;
  const auto mean_trust = [](const Scenario& s) {
    Replication run(s, 0);
    while (run.weeks_done() < s.weeks) run.step();
    double total = 0;
    for (float t : run.world().buyers.trust_dominant) total += t;
    return total / static_cast<double>(run.world().buyers.size());
  };
  EXPECT_DOUBLE_EQ(mean_trust(honest), 1.0);
  EXPECT_LT(mean_trust(crooked), 0.95);
  EXPECT_LT(buyer_shares(crooked)[index(Channel::Dominant)], buyer_shares(honest)[index(Channel::Dominant)]);
}

TEST(Demand, SuspendedSellersSellNothingOnTheDominantMarketplace) {
  Scenario s = testing::everyone_suspended_in_week_zero(testing::small_scenario(1000, 3, 1));
  Replication run(s, 0);
  run.step();  // everyone is suspended at the end of week 0
  run.step();
  EXPECT_EQ(run.last_week().sales_cents[index(Channel::Dominant)], 0);
  EXPECT_GT(run.last_week().sales_cents[index(Channel::OwnStore)], 0);
}

TEST(Demand, BadPurchasesAreCountedByMarketplace) {
  Scenario s = testing::without_enforcement(testing::small_scenario(2000, 1, 1));
  s.sellers.rule_breaker_share = 0.5;
  s.sellers.alternative_share = 0.5;
  s.buyers.bad_purchase_probability = 0.3;
  Replication run(s, 0);
  run.step();
  const WeekTally& t = run.last_week();
  EXPECT_GT(t.bad_purchases[index(Channel::Dominant)], 0);
  EXPECT_GT(t.bad_purchases[index(Channel::Alternative)], 0);
  EXPECT_EQ(t.bad_purchases[index(Channel::OwnStore)], 0);  // own-store purchases never go wrong
  EXPECT_EQ(t.bad_purchases[index(Channel::PhysicalStore)], 0);
  // Every flagged buyer had at least one bad purchase in that marketplace this week.
  std::int64_t flagged[2] = {0, 0};
  for (std::uint8_t flags : run.world().buyers.bad_purchase_flags)
    for (int m = 0; m < 2; ++m) flagged[m] += (flags >> m) & 1;
  EXPECT_GT(flagged[0], 0);
  EXPECT_LE(flagged[0], t.bad_purchases[index(Channel::Dominant)]);
  EXPECT_LE(flagged[1], t.bad_purchases[index(Channel::Alternative)]);

  s.sellers.rule_breaker_share = 0;
  Replication honest(s, 0);
  honest.step();
  for (std::int64_t bad : honest.last_week().bad_purchases) EXPECT_EQ(bad, 0);
}

}  // namespace sellershock
