// Behavioural tests of sellers' decisions (process 8): perceived risk, adding and dropping channels,
// ramp-up, followers, and the direct sales of own web stores.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "process/week.hpp"
#include "run/replication.hpp"
#include "support/test_scenario.hpp"

namespace sellershock {

namespace {

std::int64_t sum(const std::vector<std::int64_t>& values) {
  return std::accumulate(values.begin(), values.end(), std::int64_t{0});
}

// Mean perceived risk of the businesses of one home region.
double mean_risk(const World& world, std::uint8_t region) {
  double total = 0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < world.sellers.size(); ++i)
    if (world.sellers.region[i] == region) {
      total += world.sellers.perceived_risk[i];
      ++count;
    }
  return total / static_cast<double>(count);
}

// Steps the run to the scenario's end; the channels added over those weeks.
std::int64_t channels_added_to_the_end(Replication& run, const Scenario& s) {
  std::int64_t added = 0;
  while (run.weeks_done() < s.weeks) {
    run.step();
    added += sum(run.last_week().channels_added);
  }
  return added;
}

}  // namespace

TEST(Decisions, RampFractionIsLinearAndFullForChannelsHeldFromTheStart) {
  EXPECT_DOUBLE_EQ(ramp_fraction(kNoWeek, 3, 26), 1.0);
  EXPECT_DOUBLE_EQ(ramp_fraction(10, 10, 4), 0.25);
  EXPECT_DOUBLE_EQ(ramp_fraction(10, 12, 4), 0.75);
  EXPECT_DOUBLE_EQ(ramp_fraction(10, 13, 4), 1.0);
  EXPECT_DOUBLE_EQ(ramp_fraction(10, 40, 4), 1.0);
}

TEST(Decisions, AWaveRaisesThePerceivedRiskOfTheTargetedRegionOnly) {
  // small_scenario's wave targets CN-Shenzhen (region 0) from week 8 to week 16.
  const Scenario s = testing::small_scenario(3000, 17, 1);
  Replication run(s, 0);
  while (run.weeks_done() < 8) run.step();
  const double shenzhen_before = mean_risk(run.world(), 0), us_before = mean_risk(run.world(), 2);
  while (run.weeks_done() < s.weeks) run.step();
  const double shenzhen_after = mean_risk(run.world(), 0), us_after = mean_risk(run.world(), 2);
  // US businesses only see background suspensions, a few a week, so their estimate merely wanders.
  EXPECT_GT(shenzhen_after, 3 * shenzhen_before);
  EXPECT_GT(shenzhen_after, 3 * us_after);
  EXPECT_GT(shenzhen_after - shenzhen_before, 5 * std::abs(us_after - us_before));
}

TEST(Decisions, TrustErodedByAWaveLeadsMoreSellersToDiversify) {
  Scenario s = testing::small_scenario(3000, 40, 1);
  s.sellers.own_store_share = 0;
  s.sellers.alternative_share = 0.05;
  s.diversification.review_weeks = 4;
  const ReplicationResult result = simulate_replication(s, 0, nullptr, true);
  const Layout layout = make_layout(s, true);
  std::size_t series = 0;
  while (layout.series[series].name != "diversified_sellers") ++series;
  const std::size_t regions = s.sellers.region_shares.size(), weeks = static_cast<std::size_t>(s.weeks);
  // Diversified businesses of CN-Shenzhen (region 0) in the last week, scenario (run 0) and counterfactual (run 1).
  const auto last_week = [&](std::size_t run) { return result.series[series][(run * weeks + weeks - 1) * regions + 0]; };
  EXPECT_GT(last_week(0), last_week(1) + 20);
}

TEST(Decisions, WithoutReviewsNobodyChangesChannelsOrPaysASetUpCost) {
  Scenario s = testing::small_scenario(2000, 30, 1);
  s.diversification.review_weeks = 0;
  s.diversification.own_store_running_cost_usd_per_week = 0;
  s.diversification.alternative_running_cost_usd_per_week = 0;
  Replication run(s, 0);
  const Column<std::uint8_t> alternative = run.world().sellers.on_alternative;
  const Column<std::uint8_t> own_store = run.world().sellers.on_own_store;
  while (run.weeks_done() < s.weeks) {
    run.step();
    EXPECT_EQ(sum(run.last_week().channels_added) + sum(run.last_week().channels_dropped), 0);
    EXPECT_EQ(sum(run.last_week().diversification_costs_cents), 0);
  }
  EXPECT_EQ(run.world().sellers.on_alternative, alternative);
  EXPECT_EQ(run.world().sellers.on_own_store, own_store);
}

TEST(Decisions, CheapChannelsAreAddedAndSetUpCostsPaid) {
  Scenario s = testing::without_enforcement(testing::small_scenario(2000, 30, 1));
  s.sellers.own_store_share = 0;
  s.sellers.alternative_share = 0.1;
  s.diversification.own_store_setup_cost_usd = 0;
  s.diversification.own_store_running_cost_usd_per_week = 0;
  Replication run(s, 0);
  const std::int64_t added = channels_added_to_the_end(run, s);
  std::int64_t stores = 0;
  for (std::uint8_t on : run.world().sellers.on_own_store) stores += on;
  EXPECT_GT(stores, 500);  // a free store that saves fees pays for most businesses
  EXPECT_GE(added, stores);
}

TEST(Decisions, ProhibitiveCostsMeanNoChannelIsAddedAndLossMakingOnesAreDropped) {
  Scenario s = testing::without_enforcement(testing::small_scenario(2000, 30, 1));
  s.diversification.own_store_setup_cost_usd = 1e8;
  s.diversification.alternative_setup_cost_usd = 1e8;
  s.diversification.own_store_running_cost_usd_per_week = 1e6;
  s.diversification.alternative_running_cost_usd_per_week = 1e6;
  s.sellers.insolvency_weeks = 1000;
  Replication run(s, 0);
  const std::int64_t added = channels_added_to_the_end(run, s);
  EXPECT_EQ(added, 0);
  // Every business has reviewed by now (every review_weeks = 13 weeks), and dropped what costs $1M a week.
  for (std::size_t i = 0; i < run.world().sellers.size(); ++i) {
    EXPECT_EQ(run.world().sellers.on_own_store[i], 0) << "seller " << i;
    EXPECT_EQ(run.world().sellers.on_alternative[i], 0) << "seller " << i;
  }
}

TEST(Decisions, ANewStoresDirectSalesRampUp) {
  Scenario s = testing::without_enforcement(testing::small_scenario(500, 12, 1));
  s.sellers.own_store_share = 0;
  s.sellers.alternative_share = 0;
  s.sellers.off_platform_sales_share = 0.4;
  s.diversification.ramp_weeks = 8;
  s.diversification.own_store_setup_cost_usd = 0;
  s.diversification.own_store_running_cost_usd_per_week = 0;
  s.diversification.review_weeks = 1;  // everyone reviews in week 1
  // Every business opens with the same 8 weeks of costs in cash, so that none is short of cash in week 1
  // (drawing on credit, it could not pay even a zero set-up cost) and opens its store weeks later, adding
  // a ramp of its own to the total (17 of 500 did, with the lognormal buffer and some demand draws).
  s.sellers.cash_buffer_sigma = 0;
  Replication run(s, 0);
  run.step();
  run.step();  // week 1: stores open
  std::vector<Cents> direct;
  while (run.weeks_done() < s.weeks) {
    run.step();
    direct.push_back(run.last_week().direct_sales_cents);
  }
  // Weeks 2..11 of stores opened in week 1, ramping over 8 weeks: 2/8, 3/8, ..., 8/8, then flat.
  ASSERT_GT(direct[0], 0);
  for (std::size_t k = 0; k + 1 < 7; ++k)
    EXPECT_NEAR(static_cast<double>(direct[k + 1]) / static_cast<double>(direct[0]), static_cast<double>(k + 3) / 2.0, 0.02) << k;
  EXPECT_NEAR(static_cast<double>(direct[8]) / static_cast<double>(direct[7]), 1.0, 0.01);
}

TEST(Decisions, FollowersBuyFromASuspendedSellersOwnStore) {
  // Every CN-Shenzhen business (30%) is suspended in week 0 and stays suspended; the dominant marketplace
  // stays open, and followers of a suspended seller with a store who follow across channels buy there.
  Scenario s = testing::without_enforcement(testing::small_scenario(2000, 6, 1));
  WaveSpec wave;
  wave.name = "all-of-shenzhen";
  wave.start = wave.end = s.start_date;
  wave.target_regions = {"CN-Shenzhen"};
  wave.recall = wave.false_positive_rate = 1;
  s.enforcement.waves = {wave};
  s.enforcement.appeal_success_probability_honest = s.enforcement.appeal_success_probability_rule_breaker = 0;
  s.sellers.own_store_share = 0.5;
  s.sellers.insolvency_weeks = 1000;
  s.diversification.review_weeks = 0;
  s.buyers.follow_probability = 0.5;
  const auto own_store_sales = [](Scenario scenario) {
    Replication run(scenario, 0);
    Cents total = 0;
    while (run.weeks_done() < scenario.weeks) {
      run.step();
      if (run.weeks_done() > 1)
        total += run.last_week().sales_cents[index(Channel::OwnStore)] - run.last_week().direct_sales_cents;
    }
    return total;
  };
  Scenario stay = s;
  stay.buyers.follow_across_channels_probability = 0;
  Scenario follow = s;
  follow.buyers.follow_across_channels_probability = 1;
  EXPECT_GT(static_cast<double>(own_store_sales(follow)), 1.3 * static_cast<double>(own_store_sales(stay)));
}

TEST(Decisions, DirectSalesOfStoreOwnersGoOnWhileTheyAreSuspended) {
  Scenario s = testing::everyone_suspended_in_week_zero(testing::small_scenario(1000, 5, 1));
  s.sellers.own_store_share = 1;
  s.sellers.off_platform_sales_share = 0.3;
  s.sellers.insolvency_weeks = 1000;
  s.diversification.review_weeks = 0;
  Replication run(s, 0);
  Cents expected = 0;
  for (std::size_t i = 0; i < run.world().sellers.size(); ++i)
    expected += round_cents(static_cast<double>(run.world().sellers.expected_weekly_sales_cents[i]) * 0.3f);
  while (run.weeks_done() < s.weeks) {
    run.step();
    EXPECT_EQ(run.last_week().direct_sales_cents, expected);
    if (run.weeks_done() > 1) {
      EXPECT_EQ(run.last_week().sales_cents[index(Channel::Dominant)], 0);
    }
  }
}

}  // namespace sellershock
