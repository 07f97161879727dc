#include <gtest/gtest.h>

#include <cmath>

#include "process/week.hpp"
#include "run/setup.hpp"
#include "support/test_scenario.hpp"

namespace sellershock {

namespace {
constexpr std::uint8_t kShenzhen = 0, kUs = 2, kHonest = 0, kRuleBreaker = 1, kSmall = 0, kLarge = 3;
}

TEST(ApplyEvents, WaveHazardPerAccountCompoundsToTheRecallOverTheWave) {
  Scenario s = testing::without_enforcement(testing::small_scenario(500));
  WaveSpec wave;
  wave.name = "w";
  wave.start = Date::from_ymd(2021, 3, 1);  // a Monday: weeks 8..15 (8 weeks)
  wave.end = Date::from_ymd(2021, 4, 25);
  wave.target_regions = {"CN-Shenzhen"};
  wave.recall = 0.6;
  wave.false_positive_rate = 0.05;
  s.enforcement.waves = {wave};
  const World world = make_world(s, 0);

  double rule_breaker_hazard = 0, honest_hazard = 0;
  int wave_weeks = 0;
  for (int week = 0; week < s.weeks; ++week) {
    const WeekPolicy p = apply_events(s, world, week);
    EXPECT_EQ(p.hazard_for(kUs, kSmall, kRuleBreaker, 1), 0.0) << "untargeted region, week " << week;
    const double h = p.hazard_for(kShenzhen, kSmall, kRuleBreaker, 1);
    wave_weeks += h > 0 ? 1 : 0;
    rule_breaker_hazard += h;
    honest_hazard += p.hazard_for(kShenzhen, kSmall, kHonest, 1);
    // A business with k linked accounts is k times as exposed.
    EXPECT_NEAR(p.hazard_for(kShenzhen, kLarge, kRuleBreaker, 7), 7 * h, 1e-15);
  }
  EXPECT_EQ(wave_weeks, 8);
  EXPECT_NEAR(1.0 - std::exp(-rule_breaker_hazard), 0.6, 1e-12);
  EXPECT_NEAR(1.0 - std::exp(-honest_hazard), 0.05, 1e-12);
}

TEST(ApplyEvents, WaveRunningPastTheEndOfTheRunAppliesOnlyItsSimulatedShare) {
  Scenario s = testing::without_enforcement(testing::small_scenario(500, 10, 1));  // weeks 0..9
  s.enforcement.waves = testing::small_scenario().enforcement.waves;               // weeks 8..15
  const World world = make_world(s, 0);
  double total = 0;
  for (int week = 0; week < s.weeks; ++week) total += apply_events(s, world, week).hazard_for(kShenzhen, kSmall, kRuleBreaker, 1);
  EXPECT_NEAR(total, -std::log(1 - 0.6) * 2.0 / 8.0, 1e-12);
}

TEST(ApplyEvents, WeekCoveredInPartGetsItsShareOfTheWave) {
  Scenario s = testing::without_enforcement(testing::small_scenario(500, 10, 1));
  WaveSpec wave = testing::small_scenario().enforcement.waves[0];
  wave.start = Date::from_ymd(2021, 1, 8);  // Friday of week 0 ...
  wave.end = Date::from_ymd(2021, 1, 14);   // ... to Thursday of week 1: 3 days + 4 days
  s.enforcement.waves = {wave};
  const World world = make_world(s, 0);
  const double total = -std::log(1 - wave.recall);
  EXPECT_NEAR(apply_events(s, world, 0).hazard_for(kShenzhen, kSmall, kRuleBreaker, 1), total * 3 / 7, 1e-12);
  EXPECT_NEAR(apply_events(s, world, 1).hazard_for(kShenzhen, kSmall, kRuleBreaker, 1), total * 4 / 7, 1e-12);
  EXPECT_EQ(apply_events(s, world, 2).hazard_for(kShenzhen, kSmall, kRuleBreaker, 1), 0.0);
}

TEST(ApplyEvents, WaveCanTargetSizeClasses) {
  Scenario s = testing::without_enforcement(testing::small_scenario(500));
  s.enforcement.waves = testing::small_scenario().enforcement.waves;
  s.enforcement.waves[0].target_size_classes = {"over-10M"};
  const World world = make_world(s, 0);
  const WeekPolicy p = apply_events(s, world, 9);
  EXPECT_EQ(p.hazard_for(kShenzhen, kSmall, kRuleBreaker, 1), 0.0);
  EXPECT_GT(p.hazard_for(kShenzhen, kLarge, kRuleBreaker, 1), 0.0);
}

TEST(ApplyEvents, BackgroundHazardAppliesToEveryBusinessOnceWhateverItsAccounts) {
  Scenario s = testing::small_scenario(500);
  s.enforcement.background_hazard_rule_breaker_per_week = 0.01;
  const World world = make_world(s, 0);
  const WeekPolicy before = apply_events(s, world, 0);
  EXPECT_NEAR(before.hazard_for(kUs, kSmall, kRuleBreaker, 1), -std::log(0.99), 1e-15);
  EXPECT_NEAR(before.hazard_for(kUs, kSmall, kRuleBreaker, 40), -std::log(0.99), 1e-15);
  const WeekPolicy during = apply_events(s, world, 9);
  EXPECT_NEAR(during.hazard_for(kUs, kSmall, kRuleBreaker, 1), -std::log(0.99), 1e-15);
  EXPECT_GT(during.hazard_for(kShenzhen, kSmall, kRuleBreaker, 1), -std::log(0.99) + 0.01);
}

TEST(ApplyEvents, PayoutIsDueEveryPayoutCycle) {
  Scenario s = testing::small_scenario(500);
  s.channels.dominant.payout_cycle_days = 14;
  s.channels.alternative.payout_cycle_days = 7;
  const World world = make_world(s, 0);
  std::vector<bool> dominant, alternative;
  for (int week = 0; week < 6; ++week) {
    const WeekPolicy p = apply_events(s, world, week);
    dominant.push_back(p.payout_due[0]);
    alternative.push_back(p.payout_due[1]);
  }
  EXPECT_EQ(dominant, (std::vector<bool>{false, true, false, true, false, true}));
  EXPECT_EQ(alternative, (std::vector<bool>(6, true)));
}

}  // namespace sellershock
