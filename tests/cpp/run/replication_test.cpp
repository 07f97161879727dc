#include "run/replication.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include "process/week.hpp"
#include "support/summary.hpp"
#include "support/test_scenario.hpp"

namespace sellershock {

TEST(Replication, MoneyIsConservedToTheCentEveryWeek) {
  const Scenario s = testing::eventful_scenario(5000, 60);
  Replication run(s, 0);
  ASSERT_EQ(run.world().total_money_cents(), 0);
  std::int64_t exits = 0, forfeited = 0;
  while (run.weeks_done() < s.weeks) {
    run.step();
    ASSERT_EQ(run.world().total_money_cents(), 0) << "after week " << run.weeks_done() - 1;
    for (std::int64_t e : run.last_week().new_exits) exits += e;
    for (Cents f : run.last_week().forfeited_cents) forfeited += f;
  }
  // The test means something only if money moved through every kind of account.
  EXPECT_GT(exits, 0);
  EXPECT_GT(forfeited, 0);
  EXPECT_GT(run.world().ledger.platform_fees_cents, 0);
  EXPECT_GT(run.world().ledger.alternative_fees_cents, 0);
  EXPECT_GT(run.world().ledger.payment_processor_fees_cents, 0);
  EXPECT_GT(run.world().ledger.platform_first_party_sales_cents, 0);
}

TEST(Replication, TwoReplicationsSteppedInTurnMayShareTheirPurchaseBuckets) {
  // A counterfactual writes its purchases into its scenario's buckets (Demand): stepped in turn with the
  // scenario, every week it must end where a copy with buckets of its own ends, and the scenario too.
  const Scenario s = testing::small_scenario(20000, 12, 1);  // several blocks of buyers on two threads
  Replication scenario_run(s, 0), alone_scenario(s, 0);
  for (int w = 0; w < 4; ++w) {
    scenario_run.step();
    alone_scenario.step();
  }
  Replication sharing(s, scenario_run.world(), 4, scenario_run);
  Replication alone(s, scenario_run.world(), 4);
  while (sharing.weeks_done() < s.weeks) {
    scenario_run.step();
    sharing.step();
    alone_scenario.step();
    alone.step();
    ASSERT_EQ(sharing.world().sellers.cash_cents, alone.world().sellers.cash_cents) << "week " << alone.weeks_done();
    ASSERT_EQ(scenario_run.world().sellers.cash_cents, alone_scenario.world().sellers.cash_cents);
    ASSERT_EQ(sharing.world().buyers.last_channel, alone.world().buyers.last_channel);
  }
  // Sales went through the shared buckets (else the comparison would mean nothing).
  EXPECT_GT(sharing.last_week().sales_cents[index(Channel::Dominant)], 0);
}

TEST(Replication, BusinessesProfitToDateSumsToTheWeeklyGroupProfitsEveryWeek) {
  // Two ways of charging fixed costs must agree: the group profit takes a running sum of the fixed
  // costs of businesses not exited; a business's profit to date takes its own fixed cost for each week
  // to its exit (profit_to_date in week.hpp).
  const Scenario s = testing::eventful_scenario(5000, 60);
  Replication run(s, 0);
  Cents weekly_sum = 0;
  std::int64_t exits = 0;
  while (run.weeks_done() < s.weeks) {
    run.step();
    for (Cents p : run.last_week().profit_cents) weekly_sum += p;
    for (std::int64_t e : run.last_week().new_exits) exits += e;
    const SellerTable& sellers = run.world().sellers;
    Cents business_sum = 0;
    for (std::size_t i = 0; i < sellers.size(); ++i) business_sum += profit_to_date(sellers, i, run.weeks_done());
    ASSERT_EQ(business_sum, weekly_sum) << "after week " << run.weeks_done() - 1;
  }
  EXPECT_GT(exits, 0);  // the exits' weeks are where the two could part
}

TEST(Replication, ResultsAreIdenticalOnOneAndTwoThreads) {
  const Scenario s = testing::small_scenario(30000, 30, 1);  // several blocks of sellers per week
  ReplicationResult one, two;
  tbb::task_arena(1).execute([&] { one = simulate_replication(s, 0); });
  tbb::task_arena(2).execute([&] { two = simulate_replication(s, 0); });
  EXPECT_EQ(one.series, two.series);
  EXPECT_EQ(one.summary, two.summary);
}

TEST(Replication, TimesItsPhasesWithoutChangingItsResults) {
  const Scenario s = testing::small_scenario(30000, 30, 1);
  const ReplicationResult untimed = simulate_replication(s, 0, nullptr, true);
  PhaseSeconds phases;
  const auto started = std::chrono::steady_clock::now();
  const ReplicationResult timed = simulate_replication(s, 0, nullptr, true, &phases);
  const double wall = seconds_since(started);
  EXPECT_EQ(timed.series, untimed.series);
  EXPECT_EQ(timed.summary, untimed.summary);
  // Every phase took some time (this scenario forks: its counterfactual removes a wave), and together
  // they are the replication's time, no more.
  for (const auto& [name, phase] : kPhases) EXPECT_GT(phases.*phase, 0.0) << name;
  EXPECT_LE(phases.total(), wall);
  EXPECT_GT(phases.total(), 0.5 * wall);
  // Added, not overwritten: a second replication adds to them.
  const PhaseSeconds first = phases;
  simulate_replication(s, 0, nullptr, true, &phases);
  EXPECT_GT(phases.choice, first.choice);
  EXPECT_GT(phases.seller_pass, first.seller_pass);
}

TEST(Replication, ReplicationsDiffer) {
  const Scenario s = testing::small_scenario(2000, 20, 2);
  EXPECT_NE(simulate_replication(s, 0).series, simulate_replication(s, 1).series);
}

TEST(Replication, RecordsOneValuePerWeekAndCategoryForEverySeries) {
  const Scenario s = testing::small_scenario(500, 12, 1);
  const Layout layout = make_layout(s);
  const ReplicationResult r = simulate_replication(s, 0);
  ASSERT_EQ(r.series.size(), layout.series.size());
  ASSERT_EQ(r.summary.size(), layout.summary.size());
  for (std::size_t k = 0; k < layout.series.size(); ++k) {
    std::size_t expected = 1;
    for (std::size_t d = 1; d < layout.series[k].dims.size(); ++d) expected *= layout.axis(layout.series[k].dims[d]).size();
    EXPECT_EQ(r.series[k].size(), expected) << layout.series[k].name;
  }
}

TEST(Replication, CancellationStopsTheRun) {
  const Scenario s = testing::small_scenario(500, 12, 1);
  RunProgress progress;
  progress.cancel_requested = true;
  EXPECT_THROW(simulate_replication(s, 0, &progress), RunCancelled);
}

TEST(Replication, AReplicationInsideACancelledLoopStillRunsEveryWeekWhole) {
  // When a run is stopped, one replication throws RunCancelled and oneTBB cancels the loop over
  // replications. Another replication still in flight must not have its set-up, its weeks or its fork's
  // copy cut short by that (WholeLoop): it runs on to its next check of the stop, whole. Here the
  // enclosing loop is cancelled before the replication starts, and the replication (which has no
  // progress to check) must give exactly what it gives outside any loop.
  const Scenario s = testing::small_scenario(20000, 16, 1);  // several blocks of sellers and of buyers
  ReplicationResult alone, cut;
  tbb::task_arena arena(2);
  arena.execute([&] {
    alone = simulate_replication(s, 0, nullptr, true);
    tbb::task_group_context enclosing;
    tbb::parallel_for(0, 1, [&](int) {
      enclosing.cancel_group_execution();
      cut = simulate_replication(s, 0, nullptr, true);
    }, enclosing);
  });
  ASSERT_FALSE(alone.series.empty());
  EXPECT_EQ(alone.series, cut.series);
  EXPECT_EQ(alone.summary, cut.summary);
}

}  // namespace sellershock

namespace sellershock {

namespace {
std::int64_t summary_of(const Scenario& s, const ReplicationResult& r, const std::string& name) {
  return testing::summary_value(s, r, name, true);
}
}  // namespace

TEST(Counterfactual, WithoutAWaveTheScenarioEqualsItsCounterfactualToTheCent) {
  Scenario s = testing::small_scenario(3000, 30, 1);
  s.enforcement.waves.clear();
  s.counterfactual.remove.clear();
  s.enforcement.background_hazard_rule_breaker_per_week = 0.01;  // background suspensions still happen
  const ReplicationResult r = simulate_replication(s, 0, nullptr, true);
  const std::size_t weeks = 30;
  for (const auto& series : r.series) {
    const std::size_t half = series.size() / 2;
    ASSERT_EQ(half * 2, series.size());
    EXPECT_TRUE(std::equal(series.begin(), series.begin() + static_cast<std::ptrdiff_t>(half),
                           series.begin() + static_cast<std::ptrdiff_t>(half)));
    EXPECT_EQ(half % weeks, 0u);
  }
  EXPECT_GT(summary_of(s, r, "businesses_suspended"), 0);
  EXPECT_EQ(summary_of(s, r, "attributable_loss_cents"), 0);
  EXPECT_EQ(summary_of(s, r, "attributable_exits"), 0);
  EXPECT_EQ(summary_of(s, r, "attributable_accounts_suspended"), 0);
}

TEST(Counterfactual, RemovesOnlyTheNamedWaveAndForksWhenItStarts) {
  Scenario s = testing::small_scenario(3000, 30, 1);
  const Scenario cf = counterfactual_of(s);
  EXPECT_TRUE(cf.enforcement.waves.empty());
  EXPECT_EQ(first_divergent_week(s), 8);  // the wave starts on 2021-03-01, week 8 of a run from 2021-01-04
  s.counterfactual.remove.clear();
  EXPECT_EQ(counterfactual_of(s).enforcement.waves.size(), 1u);
  EXPECT_EQ(first_divergent_week(s), 30);
}

TEST(Counterfactual, ForkedCounterfactualEqualsARunOfTheCounterfactualScenarioFromTheStart) {
  // Common random numbers: copying the scenario's world at the fork must give exactly what running the
  // counterfactual scenario from week 0 gives.
  const Scenario s = testing::small_scenario(3000, 24, 1);
  const ReplicationResult paired = simulate_replication(s, 0, nullptr, true);
  const ReplicationResult alone = simulate_replication(counterfactual_of(s), 0, nullptr, false);
  for (std::size_t k = 0; k < paired.series.size(); ++k) {
    const std::size_t half = paired.series[k].size() / 2;
    ASSERT_EQ(alone.series[k].size(), half);
    EXPECT_TRUE(std::equal(alone.series[k].begin(), alone.series[k].end(),
                           paired.series[k].begin() + static_cast<std::ptrdiff_t>(half)))
        << "series " << k;
  }
}

TEST(Counterfactual, WaveCausesPositiveAttributableSuspensionsFrozenFundsAndLossForTargetedSellers) {
  const Scenario s = testing::small_scenario(5000, 40, 1);
  const ReplicationResult r = simulate_replication(s, 0, nullptr, true);
  EXPECT_GT(summary_of(s, r, "attributable_businesses_suspended"), 0);
  EXPECT_GT(summary_of(s, r, "attributable_frozen_cents"), 0);
  EXPECT_GT(summary_of(s, r, "attributable_frozen_not_recovered_cents"), 0);
  // The targeted region (CN-Shenzhen, index 0) loses money: sum its loss over components and sizes.
  const Layout layout = make_layout(s, true);
  std::size_t k = 0;
  while (layout.summary[k].name != "attributable_loss_by_group_cents") ++k;
  const std::size_t groups = 3 * kSizeClassCount;
  std::int64_t shenzhen = 0;
  for (std::size_t c = 0; c < 3; ++c)
    for (std::size_t size = 0; size < kSizeClassCount; ++size) shenzhen += r.summary[k][c * groups + size];
  EXPECT_GT(shenzhen, 0);
}

TEST(Counterfactual, ScaleMultipliesCountsAndMoney) {
  Scenario one = testing::small_scenario(1000, 12, 1);
  Scenario ten = one;
  ten.sellers.scale = 10;
  const ReplicationResult a = simulate_replication(one, 0, nullptr, true);
  const ReplicationResult b = simulate_replication(ten, 0, nullptr, true);
  for (std::size_t k = 0; k < a.series.size(); ++k)
    for (std::size_t e = 0; e < a.series[k].size(); ++e) ASSERT_EQ(b.series[k][e], 10 * a.series[k][e]);
  const Layout layout = make_layout(one, true);
  for (std::size_t k = 0; k < a.summary.size(); ++k) {
    const bool ratio = layout.summary[k].name.starts_with("frozen_per_");  // per account or business: not scaled
    for (std::size_t e = 0; e < a.summary[k].size(); ++e)
      ASSERT_EQ(b.summary[k][e], (ratio ? 1 : 10) * a.summary[k][e]) << layout.summary[k].name;
  }
}

}  // namespace sellershock
