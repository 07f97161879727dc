#include <gtest/gtest.h>

#include "run/replication.hpp"
#include "support/test_scenario.hpp"

namespace sellershock {

namespace {

// The week in which seller `seller` exits, or -1 if it survives the run.
int exit_week(const Scenario& s, std::size_t seller) {
  Replication run(s, 0);
  while (run.weeks_done() < s.weeks) {
    run.step();
    if (run.world().sellers.status[seller] == SellerStatus::Exited) return run.weeks_done() - 1;
  }
  return -1;
}

// A scenario in which every seller is suspended in week 0 with its balance frozen for the whole run,
// and has no other channel to sell on.
Scenario everyone_suspended_at_once() {
  Scenario s = testing::everyone_suspended_in_week_zero(testing::small_scenario(50, 60, 1));
  s.enforcement.hold_days = 7 * 200;
  s.sellers.alternative_share = 0;
  s.sellers.own_store_share = 0;
  return s;
}

}  // namespace

TEST(Finance, SellerWithoutCashBufferExitsSoonerThanOneWithALargeBuffer) {
  Scenario thin = everyone_suspended_at_once();
  thin.sellers.cash_buffer_weeks = 0;
  Scenario thick = thin;
  thick.sellers.cash_buffer_weeks = 30;
  for (std::size_t seller : {0u, 7u, 21u}) {
    const int thin_exit = exit_week(thin, seller);
    const int thick_exit = exit_week(thick, seller);
    ASSERT_GE(thin_exit, 0) << "seller " << seller;
    EXPECT_TRUE(thick_exit < 0 || thick_exit > thin_exit) << "seller " << seller;
  }
}

TEST(Finance, ExitsAreRareWhenNothingGoesWrongAndMarginsArePositive) {
  // Demand is lumpy (whole purchases), so a very small seller can go weeks without a sale; with default
  // margins and buffers that should sink hardly anyone in a year.
  Scenario s = testing::without_enforcement(testing::small_scenario(2000, 52, 1));
  Replication run(s, 0);
  std::int64_t exits = 0;
  while (run.weeks_done() < s.weeks) {
    run.step();
    for (std::int64_t e : run.last_week().new_exits) exits += e;
  }
  EXPECT_LT(exits, 20);  // under 1% of 2,000
}
}  // namespace sellershock
