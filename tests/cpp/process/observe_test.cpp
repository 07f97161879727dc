// Process 9: the stocks are running sums kept by the processes that change them; these tests hold them
// to a count over every seller.
#include <gtest/gtest.h>

#include "process/week.hpp"
#include "run/replication.hpp"
#include "support/test_scenario.hpp"

namespace sellershock {
namespace {

std::size_t groups_of(const World& world) { return world.region_names.size() * kSizeClassCount; }

WeekTally recount(const World& world) {
  WeekTally counted(groups_of(world));
  count_all_stocks(world.sellers, counted);
  return counted;
}

std::int64_t sum(const std::vector<std::int64_t>& column) {
  std::int64_t total = 0;
  for (std::int64_t v : column) total += v;
  return total;
}

}  // namespace

TEST(Observe, TheRunningStocksEqualACountOverEverySellerEveryWeek) {
  // Every kind of change to a seller's part of the stocks, in both directions: suspensions by waves
  // and the background, reinstatements, holds released and forfeited, exits, channels added and dropped.
  Scenario s = testing::eventful_scenario(4000, 60);
  s.diversification.review_weeks = 4;
  Replication run(s, 0);
  EXPECT_TRUE(same_stocks(run.stocks(), recount(run.world())));
  std::int64_t suspensions = 0, reinstated = 0, released = 0, forfeited = 0, exits = 0, added = 0, dropped = 0;
  while (run.weeks_done() < s.weeks) {
    run.step();
    const WeekTally counted = recount(run.world());
    ASSERT_TRUE(same_stocks(run.stocks(), counted)) << "after week " << run.weeks_done() - 1;
    ASSERT_TRUE(same_stocks(run.last_week(), counted)) << "after week " << run.weeks_done() - 1;
    const WeekTally& week = run.last_week();
    suspensions += sum(week.new_suspensions);
    reinstated += sum(week.reinstated_cents);
    released += sum(week.released_cents);
    forfeited += sum(week.forfeited_cents);
    exits += sum(week.new_exits);
    added += sum(week.channels_added);
    dropped += sum(week.channels_dropped);
  }
  // The test means something only if every kind of change happened.
  EXPECT_GT(suspensions, 0);
  EXPECT_GT(reinstated, 0);
  EXPECT_GT(released, 0);
  EXPECT_GT(forfeited, 0);
  EXPECT_GT(exits, 0);
  EXPECT_GT(added, 0);
  EXPECT_GT(dropped, 0);
  // And the stocks are not all zero: businesses of every status and diversified ones are counted.
  const WeekTally& last = run.last_week();
  EXPECT_GT(sum(last.active_sellers), 0);
  EXPECT_GT(sum(last.suspended_sellers), 0);
  EXPECT_GT(sum(last.exited_sellers), 0);
  EXPECT_GT(sum(last.diversified_sellers), 0);
  EXPECT_GT(sum(last.frozen_stock_cents), 0);
}

TEST(Observe, ASellersPartTakenOutAfterItWasAddedLeavesNothing) {
  Scenario s = testing::small_scenario(500, 4, 1);
  s.sellers.alternative_share = 0.5;
  s.sellers.own_store_share = 0.5;
  Replication run(s, 0);
  const World& world = run.world();
  WeekTally tally(groups_of(world));
  for (std::size_t i = 0; i < world.sellers.size(); ++i) count_stocks(world.sellers, i, 1, tally);
  EXPECT_TRUE(same_stocks(tally, run.stocks()));
  EXPECT_EQ(sum(tally.active_sellers), static_cast<std::int64_t>(world.sellers.size()));
  for (std::size_t i = 0; i < world.sellers.size(); ++i) count_stocks(world.sellers, i, -1, tally);
  EXPECT_TRUE(same_stocks(tally, WeekTally(groups_of(world))));
}

}  // namespace sellershock
