// The loss decomposition (sim/run/loss.cpp): its arithmetic on hand-made worlds, and its properties on
// real runs of a china-2021-like world kept small enough for the test suite.
#include "run/loss.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <optional>

#include "run/replication.hpp"
#include "support/summary.hpp"
#include "support/test_scenario.hpp"

namespace sellershock {

namespace {

World two_business_world() {
  World w;
  w.region_names = {"CN-Shenzhen", "US"};
  w.sellers.resize(2);
  w.sellers.region = {0, 1};
  w.sellers.size_class = {3, 0};
  w.sellers.accounts = {40, 1};
  return w;
}

// A scenario and its counterfactual stepped to the end, forked as simulate_replication forks them.
struct Pair {
  World scenario, counterfactual;
};
Pair run_pair(const Scenario& s, std::int64_t replication) {
  const Scenario cf = counterfactual_of(s);
  const std::int32_t fork = first_divergent_week(s);
  Replication main(s, replication);
  std::optional<Replication> other;
  for (std::int32_t w = 0; w < s.weeks; ++w) {
    if (w == fork) other.emplace(cf, main.world(), fork);
    main.step();
    if (other) other->step();
  }
  return {main.world(), other ? other->world() : main.world()};
}

// A world shaped like china-2021 at a test's size: a quarter of businesses Chinese, heavy-tailed sizes,
// linked accounts by size, a wave on the Chinese over-$1M businesses.
Scenario china_like(int weeks = 60, double dose = 1.0) {
  Scenario s = testing::small_scenario(4000, weeks, 1);
  s.sellers.region_shares = {{"CN-Shenzhen", 0.25}, {"US", 0.55}, {"other", 0.20}};
  s.sellers.annual_sales_usd = {70125, 1.852};
  s.sellers.accounts_per_million_usd = 0.5;
  s.sellers.rule_breaker_share = 0.2;
  s.buyers.count = 4000;
  WaveSpec& wave = s.enforcement.waves[0];
  wave.target_regions = {"CN-Shenzhen"};
  wave.target_size_classes = {"100k-1M", "1M-10M", "over-10M"};
  wave.recall = 1.0 - std::pow(1.0 - 0.1, dose);  // the wave's hazard times dose
  wave.false_positive_rate = 1.0 - std::pow(1.0 - 0.02, dose);
  return s;
}

}  // namespace

TEST(Loss, ComparesEachTreatedBusinessWithItselfAndKeepsTheRestApart) {
  World s = two_business_world(), cf = two_business_world();
  s.sellers.treated = {1, 0};
  // Business 0 (treated): 500 forfeited, 100 still frozen; profit 1,000 against 4,000; stock 300 written
  // off; legal costs 200, award 50; diversification 70 against 20; exited, not in the counterfactual.
  s.sellers.forfeited_to_date_cents = {500, 0};
  s.sellers.frozen_cents = {100, 0};
  s.sellers.profit_to_date_cents = {1000, 9000};
  cf.sellers.profit_to_date_cents = {4000, 8000};
  s.sellers.written_off_to_date_cents = {300, 0};
  s.sellers.legal_costs_to_date_cents = {200, 0};
  s.sellers.awards_to_date_cents = {50, 0};
  s.sellers.diversification_spent_cents = {70, 0};
  cf.sellers.diversification_spent_cents = {20, 0};
  s.sellers.exit_week = {30, kNoWeek};
  s.sellers.suspensions = {2, 0};
  s.sellers.treated_frozen_cents = {600, 0};
  s.sellers.sales_to_date_cents = {10000, 50000};
  cf.sellers.sales_to_date_cents = {30000, 45000};
  s.ledger.platform_forfeited_cents = 450;

  const LossBreakdown l = measure_loss(s, cf);
  EXPECT_EQ(l.to_suspended_by_component[0], 600);
  EXPECT_EQ(l.to_suspended_by_component[1], 3000);
  EXPECT_EQ(l.to_suspended_by_component[2], 300);
  EXPECT_EQ(l.to_suspended_by_component[3], 150);
  EXPECT_EQ(l.to_suspended_by_component[4], 50);
  EXPECT_EQ(l.to_suspended_cents, 4100);
  EXPECT_EQ(l.to_suspended_by_group[1 * l.groups + 3], 3000);  // profit, CN-Shenzhen over-10M
  EXPECT_EQ(l.exits_caused, 1);
  EXPECT_EQ(l.treated_businesses, 1);
  EXPECT_EQ(l.treated_accounts, 40);
  EXPECT_EQ(l.treated_frozen_cents, 600);
  EXPECT_EQ(l.treated_sales_lost_cents, 20000);
  EXPECT_EQ(l.spillover_gain_cents, 1000);  // the US business made 1,000 more profit
  EXPECT_EQ(l.net_loss_all_sellers_cents, 3100);
  EXPECT_EQ(l.platform_retained_cents, 450);
  EXPECT_EQ(l.businesses_suspended_distinct, 1);
  EXPECT_EQ(l.suspension_events, 2);
}

TEST(Loss, RefusesWorldsWithDifferentBusinesses) {
  World s = two_business_world(), cf = two_business_world();
  cf.sellers.resize(3);
  EXPECT_THROW(measure_loss(s, cf), std::invalid_argument);
}

TEST(LossOnRuns, ComponentsAndGroupsAddUpToTheHeadlineToTheCent) {
  const Pair p = run_pair(china_like(), 0);
  const LossBreakdown l = measure_loss(p.scenario, p.counterfactual);
  ASSERT_GT(l.treated_businesses, 0);
  EXPECT_GT(l.to_suspended_cents, 0);
  const Cents by_component = std::accumulate(l.to_suspended_by_component.begin(), l.to_suspended_by_component.end(), Cents{0});
  const Cents by_group = std::accumulate(l.to_suspended_by_group.begin(), l.to_suspended_by_group.end(), Cents{0});
  EXPECT_EQ(by_component, l.to_suspended_cents);
  EXPECT_EQ(by_group, l.to_suspended_cents);
  EXPECT_EQ(std::accumulate(l.treated_by_group.begin(), l.treated_by_group.end(), std::int64_t{0}), l.treated_businesses);
  EXPECT_EQ(l.net_loss_all_sellers_cents, l.to_suspended_cents - l.spillover_gain_cents);
  EXPECT_GE(l.suspension_events, l.businesses_suspended_distinct);
  EXPECT_LE(l.treated_banned_rule_breakers + l.treated_honest, l.treated_businesses);
  // Only the targeted region is treated: the wave targets CN-Shenzhen (region 0).
  for (std::size_t g = kSizeClassCount; g < l.groups; ++g) EXPECT_EQ(l.treated_by_group[g], 0) << g;
}

TEST(LossOnRuns, TheNetTotalIsTheOldAttributableLossAndTheOutputsAddUp) {
  const Scenario s = china_like(40);
  const ReplicationResult r = simulate_replication(s, 0, nullptr, true);
  const auto value = [&](const char* name) { return testing::summary_value(s, r, name, true); };
  EXPECT_EQ(value("net_loss_all_sellers_cents"), value("attributable_loss_cents"));
  EXPECT_EQ(value("loss_to_suspended_cents"),
            value("loss_to_suspended_frozen_not_recovered_cents") + value("loss_to_suspended_profit_lost_cents") +
                value("loss_to_suspended_inventory_written_off_cents") +
                value("loss_to_suspended_legal_costs_net_cents") +
                value("loss_to_suspended_diversification_spend_cents"));
  const Layout layout = make_layout(s, true);
  for (std::size_t k = 0; k < layout.summary.size(); ++k) {
    if (layout.summary[k].name == "loss_to_suspended_by_group_cents") {
      EXPECT_EQ(std::accumulate(r.summary[k].begin(), r.summary[k].end(), std::int64_t{0}),
                value("loss_to_suspended_cents"));
    }
  }
}

TEST(LossOnRuns, ZeroWithoutAWave) {
  Scenario s = china_like(40);
  s.enforcement.waves[0].recall = 0;
  s.enforcement.waves[0].false_positive_rate = 0;
  s.enforcement.background_hazard_rule_breaker_per_week = 0.01;  // background suspensions go on
  const Pair p = run_pair(s, 0);
  const LossBreakdown l = measure_loss(p.scenario, p.counterfactual);
  EXPECT_GT(l.businesses_suspended_distinct, 0);
  EXPECT_EQ(l.treated_businesses, 0);
  EXPECT_EQ(l.to_suspended_cents, 0);
  EXPECT_EQ(l.spillover_gain_cents, 0);
  EXPECT_EQ(l.net_loss_all_sellers_cents, 0);
  EXPECT_EQ(l.platform_retained_cents, 0);
}

TEST(LossOnRuns, RisesWithTheWaveInExpectationAndInMostReplications) {
  const double doses[] = {0.5, 1, 2, 4};
  constexpr int kReplications = 4;
  double mean[4] = {};
  int rising = 0;
  for (int r = 0; r < kReplications; ++r) {
    Cents previous = -1;
    bool all_rise = true;
    for (int d = 0; d < 4; ++d) {
      const Pair p = run_pair(china_like(52, doses[d]), r);
      const LossBreakdown l = measure_loss(p.scenario, p.counterfactual);
      mean[d] += static_cast<double>(l.to_suspended_cents) / kReplications;
      all_rise = all_rise && l.to_suspended_cents > previous;
      previous = l.to_suspended_cents;
    }
    rising += all_rise ? 1 : 0;
  }
  for (int d = 1; d < 4; ++d) EXPECT_GT(mean[d], mean[d - 1]) << "dose " << doses[d];
  EXPECT_GE(rising, kReplications - 1);
}

TEST(LossOnRuns, DoesNotFallWhenTheHorizonExtendsPastEveryHold) {
  // The wave ends in week 15; holds end 13 weeks after the last suspension. Compare 52 and 78 weeks.
  int not_falling = 0;
  double mean_short = 0, mean_long = 0;
  for (int r = 0; r < 3; ++r) {
    const Pair short_run = run_pair(china_like(52), r), long_run = run_pair(china_like(78), r);
    const Cents short_loss = measure_loss(short_run.scenario, short_run.counterfactual).to_suspended_cents;
    const Cents long_loss = measure_loss(long_run.scenario, long_run.counterfactual).to_suspended_cents;
    mean_short += static_cast<double>(short_loss);
    mean_long += static_cast<double>(long_loss);
    not_falling += long_loss >= short_loss ? 1 : 0;
  }
  EXPECT_GE(mean_long, mean_short);
  EXPECT_GE(not_falling, 2);
}

}  // namespace sellershock
