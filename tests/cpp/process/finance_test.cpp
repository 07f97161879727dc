#include <gtest/gtest.h>

#include <algorithm>
#include <utility>

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
  // Without heterogeneity: with it, businesses drawn with a margin below fees plus fixed costs exit
  // (structural churn, not the lumpiness this test is about).
  Scenario s = testing::without_enforcement(testing::small_scenario(2000, 52, 1));
  s.sellers.gross_margin_sd = 0;
  s.sellers.fixed_cost_sigma = 0;
  s.sellers.cash_buffer_sigma = 0;
  Replication run(s, 0);
  std::int64_t exits = 0;
  while (run.weeks_done() < s.weeks) {
    run.step();
    for (std::int64_t e : run.last_week().new_exits) exits += e;
  }
  EXPECT_LT(exits, 20);  // under 1% of 2,000
}

namespace {
// The most exits in any one week, and how many exited in all.
std::pair<int, int> exit_peak(const Scenario& s) {
  Replication run(s, 0);
  int peak = 0, exits = 0;
  while (run.weeks_done() < s.weeks) {
    run.step();
    std::int64_t week_exits = 0;
    for (std::int64_t e : run.last_week().new_exits) week_exits += e;
    peak = std::max(peak, static_cast<int>(week_exits));
    exits += static_cast<int>(week_exits);
  }
  return {peak, exits};
}
}  // namespace

TEST(Finance, HeterogeneousBuffersSpreadExitsInsteadOfSynchronisingThem) {
  // Suspended for good with nothing else to sell on: every business burns its fixed costs. With equal
  // buffers, margins and cost shares most run out in the same few weeks (what sold in week 0 and
  // whether credit was withdrawn is all that tells them apart); with the draws, over many weeks.
  Scenario same = everyone_suspended_at_once();
  same.sellers.count = 300;
  same.weeks = 150;
  same.sellers.gross_margin_sd = 0;
  same.sellers.fixed_cost_sigma = 0;
  same.sellers.cash_buffer_sigma = 0;
  same.diversification.review_weeks = 0;  // nobody opens another channel
  Scenario drawn = same;
  drawn.sellers.gross_margin_sd = 0.08;
  drawn.sellers.fixed_cost_sigma = 0.5;
  drawn.sellers.cash_buffer_sigma = 0.8;
  const auto [same_peak, same_exits] = exit_peak(same);
  const auto [drawn_peak, drawn_exits] = exit_peak(drawn);
  ASSERT_GT(same_exits, 250);
  EXPECT_GT(same_peak, same_exits / 5) << same_exits;
  EXPECT_GT(drawn_exits, 150);
  EXPECT_LT(drawn_peak, drawn_exits / 15) << drawn_exits;
}

TEST(Finance, LendersWithdrawCreditFromABusinessWhoseFundsAreFrozen) {
  Scenario kept = everyone_suspended_at_once();
  kept.sellers.cash_buffer_weeks = 0;
  kept.sellers.credit_line_weeks = 20;
  kept.sellers.credit_kept_while_frozen = 1;
  Scenario withdrawn = kept;
  withdrawn.sellers.credit_kept_while_frozen = 0;
  Replication probe(kept, 0);
  probe.step();
  int compared = 0;
  for (std::size_t i = 0; i < probe.world().sellers.size() && compared < 3; ++i) {
    if (probe.world().sellers.frozen_cents[i] <= 0) continue;  // frozen funds only if it sold in week 0
    const int kept_exit = exit_week(kept, i), withdrawn_exit = exit_week(withdrawn, i);
    ASSERT_GE(withdrawn_exit, 0) << i;
    EXPECT_TRUE(kept_exit < 0 || kept_exit > withdrawn_exit) << i;
    ++compared;
  }
  EXPECT_GT(compared, 0);
}

}  // namespace sellershock
