#include <gtest/gtest.h>

#include <cmath>

#include "process/week.hpp"
#include "support/test_scenario.hpp"

namespace sellershock {

namespace {
constexpr std::uint8_t kShenzhen = 0, kUs = 2, kHonest = 0, kRuleBreaker = 1;
}

TEST(ApplyEvents, WaveHazardCompoundsToTheRecallOverTheWave) {
  Scenario s = testing::without_enforcement(testing::small_scenario());
  WaveSpec wave;
  wave.name = "w";
  wave.start = Date::from_ymd(2021, 3, 1);  // a Monday: weeks 8..15 (8 weeks)
  wave.end = Date::from_ymd(2021, 4, 25);
  wave.target_regions = {"CN-Shenzhen"};
  wave.recall = 0.6;
  wave.false_positive_rate = 0.05;
  s.enforcement.waves = {wave};
  const World world = make_world(s, 0);

  double caught_rule_breaker = 1.0, caught_honest = 1.0;
  int wave_weeks = 0;
  for (int week = 0; week < s.weeks; ++week) {
    const WeekPolicy p = apply_events(s, world, week);
    EXPECT_EQ(p.suspension_probability_for(kUs, kRuleBreaker), 0.0) << "untargeted region, week " << week;
    const double q = p.suspension_probability_for(kShenzhen, kRuleBreaker);
    if (q > 0) ++wave_weeks;
    caught_rule_breaker *= 1.0 - q;
    caught_honest *= 1.0 - p.suspension_probability_for(kShenzhen, kHonest);
  }
  EXPECT_EQ(wave_weeks, 8);
  EXPECT_NEAR(1.0 - caught_rule_breaker, 0.6, 1e-12);
  EXPECT_NEAR(1.0 - caught_honest, 0.05, 1e-12);
}

TEST(ApplyEvents, BackgroundHazardAppliesEverywhereAndCombinesWithWaves) {
  Scenario s = testing::small_scenario();
  s.enforcement.background_hazard_rule_breaker_per_week = 0.01;
  const World world = make_world(s, 0);
  const WeekPolicy before = apply_events(s, world, 0);
  EXPECT_NEAR(before.suspension_probability_for(kUs, kRuleBreaker), 0.01, 1e-15);
  EXPECT_NEAR(before.suspension_probability_for(kShenzhen, kRuleBreaker), 0.01, 1e-15);
  const WeekPolicy during = apply_events(s, world, 9);
  EXPECT_NEAR(during.suspension_probability_for(kUs, kRuleBreaker), 0.01, 1e-15);
  EXPECT_GT(during.suspension_probability_for(kShenzhen, kRuleBreaker), 0.02);
}

TEST(ApplyEvents, PayoutIsDueEveryPayoutCycle) {
  Scenario s = testing::small_scenario();
  s.channels.dominant.payout_cycle_days = 14;
  const World world = make_world(s, 0);
  std::vector<bool> due;
  for (int week = 0; week < 6; ++week) due.push_back(apply_events(s, world, week).payout_due);
  EXPECT_EQ(due, (std::vector<bool>{false, true, false, true, false, true}));
}

}  // namespace sellershock
