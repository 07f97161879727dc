#include "run/replication.hpp"

#include <gtest/gtest.h>

#include <tbb/task_arena.h>

#include "support/test_scenario.hpp"

namespace sellershock {

TEST(Replication, MoneyIsConservedToTheCentEveryWeek) {
  Scenario s = testing::small_scenario(5000, 60, 1);
  s.enforcement.background_hazard_rule_breaker_per_week = 0.01;  // plenty of suspensions, holds and exits
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
}

TEST(Replication, ResultsAreIdenticalOnOneAndTwoThreads) {
  const Scenario s = testing::small_scenario(30000, 30, 1);  // several blocks of sellers per week
  ReplicationResult one, two;
  tbb::task_arena(1).execute([&] { one = simulate_replication(s, 0); });
  tbb::task_arena(2).execute([&] { two = simulate_replication(s, 0); });
  EXPECT_EQ(one.series, two.series);
  EXPECT_EQ(one.summary, two.summary);
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

}  // namespace sellershock
