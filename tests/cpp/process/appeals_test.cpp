// Process 5 from the step function's list of due sellers and from a scan of every seller: the same week.
// (Its behaviour, appeals and holds through whole replications, is tested in enforcement_test.cpp.)
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "process/week.hpp"
#include "run/replication.hpp"
#include "support/test_scenario.hpp"

namespace sellershock {
namespace {

// Runs process 5 over every block of `world`, with the given due list (null: the scan).
WeekTally resolve_week(const Scenario& s, World& world, const WeekPolicy& policy,
                       const std::vector<std::uint32_t>* due) {
  WeekTally tally(world.region_names.size() * kSizeClassCount);
  const WeekContext context{s, world, policy, due};
  constexpr std::size_t kBlock = 700;  // blocks that split the list between them
  for (std::size_t begin = 0; begin < world.sellers.size(); begin += kBlock)
    resolve_appeals_and_holds(context, begin, std::min(world.sellers.size(), begin + kBlock), tally);
  return tally;
}

TEST(Appeals, TheDueListAndTheScanGiveTheSameWeek) {
  const Scenario s = testing::eventful_scenario(3000, 40);
  ASSERT_FALSE(due_in_suspension_week(s.enforcement));  // else a replication gives process 5 no list
  Replication run(s, 0);
  int weeks_with_decisions = 0;
  while (run.weeks_done() < s.weeks) {
    const std::int32_t week = run.weeks_done();
    World scanned = run.world(), listed = run.world();
    WeekPolicy policy;
    policy.week = week;
    // The list holds every seller with an appeal or a hold pending, due this week or later: the
    // later ones are stale entries, which process 5 must pass over as the scan does.
    std::vector<std::uint32_t> due;
    std::size_t due_now = 0;
    for (std::size_t i = 0; i < listed.sellers.size(); ++i) {
      const std::int32_t appeal = listed.sellers.appeal_week[i], hold = listed.sellers.hold_end_week[i];
      if (appeal != kNoWeek || hold != kNoWeek) due.push_back(static_cast<std::uint32_t>(i));
      if (appeal == week || hold == week) ++due_now;
    }
    const WeekTally by_scan = resolve_week(s, scanned, policy, nullptr);
    const WeekTally by_list = resolve_week(s, listed, policy, &due);
    if (due_now > 0 && due.size() > due_now) ++weeks_with_decisions;

    EXPECT_EQ(by_scan.reinstated_cents, by_list.reinstated_cents) << "week " << week;
    EXPECT_EQ(by_scan.released_cents, by_list.released_cents) << "week " << week;
    EXPECT_EQ(by_scan.forfeited_cents, by_list.forfeited_cents) << "week " << week;
    EXPECT_EQ(by_scan.inventory_written_off_cents, by_list.inventory_written_off_cents) << "week " << week;
    EXPECT_TRUE(same_stocks(by_scan, by_list)) << "week " << week;
    EXPECT_EQ(by_scan.ledger_delta.balances(), by_list.ledger_delta.balances()) << "week " << week;
    EXPECT_EQ(scanned.sellers.status, listed.sellers.status) << "week " << week;
    EXPECT_EQ(scanned.sellers.cash_cents, listed.sellers.cash_cents) << "week " << week;
    EXPECT_EQ(scanned.sellers.frozen_cents, listed.sellers.frozen_cents) << "week " << week;
    EXPECT_EQ(scanned.sellers.appeal_week, listed.sellers.appeal_week) << "week " << week;
    EXPECT_EQ(scanned.sellers.hold_end_week, listed.sellers.hold_end_week) << "week " << week;
    EXPECT_EQ(scanned.sellers.legal_state, listed.sellers.legal_state) << "week " << week;
    EXPECT_EQ(scanned.sellers.suspension_level, listed.sellers.suspension_level) << "week " << week;
    run.step();
  }
  // The comparison meant something: weeks with decisions due and stale entries beside them.
  EXPECT_GE(weeks_with_decisions, 10);
}

// With appeal_weeks 0 an appeal is decided in the week of the suspension, after it in the same pass:
// the due lists, filed after the week, cannot hold it, so a replication must scan then.
TEST(Appeals, AnAppealDueInTheSuspensionsOwnWeekIsDecidedThatWeek) {
  Scenario s = testing::eventful_scenario(3000, 20);
  s.enforcement.appeal_weeks = 0;
  s.enforcement.appeal_success_probability_honest = 1;
  s.enforcement.appeal_success_probability_rule_breaker = 1;
  ASSERT_TRUE(due_in_suspension_week(s.enforcement));
  Replication run(s, 0);
  std::int64_t suspensions = 0;
  while (run.weeks_done() < s.weeks) {
    run.step();
    const WeekTally& week = run.last_week();
    // Every suspension of the week is reinstated in it, with all its frozen funds.
    EXPECT_EQ(week.reinstated_cents, week.newly_frozen_cents) << "week " << run.weeks_done() - 1;
    EXPECT_EQ(std::count(run.world().sellers.status.begin(), run.world().sellers.status.end(),
                         SellerStatus::Suspended),
              0)
        << "week " << run.weeks_done() - 1;
    for (const std::int64_t n : week.new_suspensions) suspensions += n;
  }
  EXPECT_GT(suspensions, 100);
}

}  // namespace
}  // namespace sellershock
