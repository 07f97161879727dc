// Behavioural tests of enforcement, appeals and holds, run through whole replications.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "process/week.hpp"
#include "run/replication.hpp"
#include "support/summary.hpp"
#include "support/test_scenario.hpp"

namespace sellershock {

namespace {

// Sum of one summary entry over replications 0..n-1 (run without the counterfactual).
std::int64_t summed(const Scenario& s, const std::string& entry) {
  std::int64_t total = 0;
  for (int r = 0; r < s.replications; ++r)
    total += testing::summary_value(s, simulate_replication(s, r, nullptr, false), entry, false);
  return total;
}

// One week's figure (read from the tally) summed over weeks [from, weeks) of replication 0.
template <typename Read>
std::int64_t summed_weeks(const Scenario& s, std::int32_t from, Read read) {
  Replication run(s, 0);
  std::int64_t total = 0;
  while (run.weeks_done() < s.weeks) {
    run.step();
    if (run.weeks_done() > from) total += read(run.last_week());
  }
  return total;
}

std::int64_t honest_suspensions(const WeekTally& t) {
  std::int64_t total = 0;
  for (std::int64_t n : t.new_suspensions_honest) total += n;
  return total;
}

std::int64_t all_suspensions(const WeekTally& t) {
  std::int64_t total = 0;
  for (std::int64_t n : t.new_suspensions) total += n;
  return total;
}

}  // namespace

TEST(Enforcement, NoWaveAndNoBackgroundHazardMeansNoSuspensionsAndNoFrozenFunds) {
  const Scenario s = testing::without_enforcement(testing::small_scenario());
  EXPECT_EQ(summed(s, "businesses_suspended"), 0);
  EXPECT_EQ(summed(s, "newly_frozen_cents"), 0);
  EXPECT_EQ(summed(s, "forfeited_cents"), 0);
}

TEST(Enforcement, WaveFreezesFunds) {
  const Scenario s = testing::small_scenario();
  EXPECT_GT(summed(s, "newly_frozen_cents"), summed(testing::without_enforcement(s), "newly_frozen_cents"));
}

TEST(Enforcement, HigherRecallFreezesMoreFunds) {
  Scenario low = testing::small_scenario();
  Scenario high = low;
  high.enforcement.waves[0].recall = 0.95;
  low.enforcement.waves[0].recall = 0.3;
  EXPECT_GT(summed(high, "newly_frozen_cents"), summed(low, "newly_frozen_cents"));
  EXPECT_GT(summed(high, "businesses_suspended"), summed(low, "businesses_suspended"));
}

TEST(Enforcement, TargetingMoreRegionsFreezesMoreFunds) {
  Scenario narrow = testing::small_scenario();
  Scenario wide = narrow;
  wide.enforcement.waves[0].target_regions = {"CN-Shenzhen", "PK-Punjab", "US"};
  EXPECT_GT(summed(wide, "newly_frozen_cents"), summed(narrow, "newly_frozen_cents"));
}

TEST(Enforcement, LinkedAccountsFallTogetherAndMoreAccountsMeanMoreExposure) {
  Scenario few = testing::small_scenario();
  few.sellers.accounts_per_million_usd = 0;
  Scenario many = few;
  many.sellers.accounts_per_million_usd = 20;
  EXPECT_GT(summed(many, "businesses_suspended"), summed(few, "businesses_suspended"));
  EXPECT_EQ(summed(few, "accounts_suspended"), summed(few, "businesses_suspended"));
  EXPECT_GT(summed(many, "accounts_suspended"), summed(many, "businesses_suspended"));
}

TEST(Enforcement, WaveCatchesAboutRecallShareOfTargetedRuleBreakers) {
  Scenario s = testing::without_enforcement(testing::small_scenario(20000, 30, 1));
  s.enforcement.waves = testing::small_scenario().enforcement.waves;
  s.enforcement.waves[0].recall = 0.6;
  s.enforcement.waves[0].false_positive_rate = 0.0;
  s.sellers.insolvency_weeks = 1000;  // keep everyone in business so only enforcement changes status
  s.sellers.accounts_per_million_usd = 0;  // one account each: the recall applies to businesses
  Replication run(s, 0);
  while (run.weeks_done() < s.weeks) run.step();
  const SellerTable& sellers = run.world().sellers;
  double targeted = 0, caught = 0, caught_other = 0;
  for (std::size_t i = 0; i < sellers.size(); ++i) {
    const bool suspended_once = sellers.status[i] != SellerStatus::Active || sellers.hold_end_week[i] != kNoWeek ||
                                sellers.frozen_cents[i] != 0;
    if (sellers.region[i] == 0 && sellers.rule_breaker[i]) {
      targeted += 1;
      caught += sellers.status[i] == SellerStatus::Suspended ? 1 : 0;
    } else if (suspended_once) {
      caught_other += 1;
    }
  }
  // Appeals reinstate 5% of rule-breakers, so the suspended share is about 0.6 * 0.95 = 0.57.
  EXPECT_NEAR(caught / targeted, 0.57, 0.04);
  EXPECT_EQ(caught_other, 0);
}

TEST(Holds, ForfeitProbabilityZeroMeansNothingIsForfeited) {
  Scenario s = testing::small_scenario();
  s.enforcement.forfeit_probability_honest = 0;
  s.enforcement.forfeit_probability_rule_breaker = 0;
  EXPECT_EQ(summed(s, "forfeited_cents"), 0);
  EXPECT_GT(summed(s, "released_cents"), 0);
}

TEST(Holds, ForfeitProbabilityOneForfeitsEveryFailedAppealsFunds) {
  Scenario s = testing::small_scenario();
  s.enforcement.forfeit_probability_honest = 1;
  s.enforcement.forfeit_probability_rule_breaker = 1;
  EXPECT_EQ(summed(s, "released_cents"), 0);
  EXPECT_GT(summed(s, "forfeited_cents"), 0);
}

TEST(Appeals, CertainAppealsReleaseEverythingBeforeTheHoldEnds) {
  Scenario s = testing::small_scenario();
  s.enforcement.appeal_success_probability_honest = 1;
  s.enforcement.appeal_success_probability_rule_breaker = 1;
  s.sellers.insolvency_weeks = 1000;  // no exits, so no appeal is abandoned
  EXPECT_EQ(summed(s, "forfeited_cents") + summed(s, "released_cents"), 0);
  // Appeals lodged in the last appeal_weeks of the run are still pending at its end.
  EXPECT_EQ(summed(s, "reinstated_cents") + summed(s, "still_frozen_cents"), summed(s, "newly_frozen_cents"));
  EXPECT_GT(summed(s, "reinstated_cents"), 0);
}

// The trade-off of enforcement precision: buyer protection against honest businesses suspended.

TEST(Enforcement, HigherRecallMeansFewerBadPurchasesOnTheDominantMarketplaceAfterTheWave) {
  Scenario low = testing::small_scenario(3000, 40, 1);  // the wave: weeks 8..15
  low.enforcement.waves[0].target_regions.clear();       // every region
  low.enforcement.waves[0].recall = 0.2;
  Scenario high = low;
  high.enforcement.waves[0].recall = 0.9;
  const auto dominant_bad = [](const WeekTally& t) { return t.bad_purchases[index(Channel::Dominant)]; };
  EXPECT_EQ(summed_weeks(high, 0, dominant_bad) - summed_weeks(high, 8, dominant_bad),
            summed_weeks(low, 0, dominant_bad) - summed_weeks(low, 8, dominant_bad));  // the same seed
  EXPECT_LT(summed_weeks(high, 16, dominant_bad), summed_weeks(low, 16, dominant_bad));
}

TEST(Enforcement, HigherFalsePositiveRateSuspendsMoreHonestBusinesses) {
  Scenario low = testing::small_scenario(3000, 30, 1);
  low.enforcement.waves[0].false_positive_rate = 0.01;
  Scenario high = low;
  high.enforcement.waves[0].false_positive_rate = 0.2;
  EXPECT_GT(summed_weeks(high, 0, honest_suspensions), summed_weeks(low, 0, honest_suspensions));
  EXPECT_LT(summed_weeks(high, 0, honest_suspensions), summed_weeks(high, 0, all_suspensions));
  Scenario everyone_honest = high;
  everyone_honest.sellers.rule_breaker_share = 0;
  EXPECT_GT(summed_weeks(everyone_honest, 0, honest_suspensions), 0);
  EXPECT_EQ(summed_weeks(everyone_honest, 0, honest_suspensions), summed_weeks(everyone_honest, 0, all_suspensions));
}


namespace {
// A long wave on every business, appeals decided after one week and all successful for the honest.
Scenario long_wave_with_quick_appeals(double reinstated_exposure) {
  Scenario s = testing::without_enforcement(testing::small_scenario(2000, 30, 1));
  WaveSpec wave;
  wave.name = "long";
  wave.start = Date::from_ymd(2021, 1, 4);
  wave.end = Date::from_ymd(2021, 7, 31);
  wave.recall = 0.9;
  wave.false_positive_rate = 0.9;
  s.enforcement.waves = {wave};
  s.counterfactual.remove = {"enforcement.waves.long"};
  s.enforcement.appeal_weeks = 1;
  s.enforcement.appeal_success_probability_honest = 1;
  s.enforcement.reinstated_wave_exposure = reinstated_exposure;
  return s;
}
}  // namespace

TEST(Enforcement, ReSuspensionOfAReinstatedBusinessByAWaveIsAnExplicitRule) {
  const Scenario spared = long_wave_with_quick_appeals(0), exposed = long_wave_with_quick_appeals(1);
  const auto events_and_distinct = [](const Scenario& s) {
    Replication run(s, 0);
    while (run.weeks_done() < s.weeks) run.step();
    std::int64_t events = 0, distinct = 0;
    for (std::uint16_t n : run.world().sellers.suspensions) {
      events += n;
      distinct += n > 0 ? 1 : 0;
    }
    return std::pair{events, distinct};
  };
  const auto [spared_events, spared_distinct] = events_and_distinct(spared);
  const auto [exposed_events, exposed_distinct] = events_and_distinct(exposed);
  ASSERT_GT(spared_distinct, 1000);
  EXPECT_EQ(spared_events, spared_distinct);  // nobody reinstated falls to the wave again
  EXPECT_GT(exposed_events, exposed_distinct + 500);
}

// The step function takes each week's suspensions from its queue (SuspensionQueue), filed at the start
// and after each reinstatement; process 4 without the list compares every active business's level with
// its class's cumulative hazard. Both must suspend the same businesses every week, through exits (stale
// entries in the queue) and reinstatements at a reduced exposure (a class of their own).
TEST(Enforcement, TheQueueSuspendsTheBusinessesAScanOfEveryLevelWould) {
  Scenario s = long_wave_with_quick_appeals(0.5);
  s.enforcement.background_hazard_honest_per_week = 0.002;
  s.enforcement.background_hazard_rule_breaker_per_week = 0.01;
  s.enforcement.appeal_success_probability_rule_breaker = 0.5;
  s.sellers.cash_buffer_weeks = 0.3;
  s.sellers.fixed_cost_share = 0.4;  // businesses that exit while active, their entries left in the queue
  Replication run(s, 0);
  std::int64_t suspended = 0, suspended_again = 0;
  while (run.weeks_done() < s.weeks) {
    const std::int32_t week = run.weeks_done();
    World scanned = run.world();
    const WeekPolicy policy = apply_events(s, scanned, week);
    accumulate_hazards(scanned, policy);
    WeekTally by_scan(scanned.region_names.size() * kSizeClassCount);
    const WeekContext context{s, scanned, policy};
    constexpr std::size_t kBlock = 700;
    for (std::size_t begin = 0; begin < scanned.sellers.size(); begin += kBlock)
      enforce(context, begin, std::min(scanned.sellers.size(), begin + kBlock), by_scan);
    std::sort(by_scan.suspended.begin(), by_scan.suspended.end());

    run.step();
    EXPECT_EQ(by_scan.suspended, run.last_week().suspended) << "week " << week;
    suspended += static_cast<std::int64_t>(run.last_week().suspended.size());
    for (const std::uint32_t i : run.last_week().suspended) suspended_again += run.world().sellers.suspensions[i] > 1 ? 1 : 0;
  }
  // The comparison meant something: suspensions, some of reinstated businesses, and businesses that
  // exited while active (whose entries the queue had to drop).
  std::int64_t exited_active = 0;
  for (std::size_t i = 0; i < run.world().sellers.size(); ++i)
    exited_active += run.world().sellers.status[i] == SellerStatus::Exited && run.world().sellers.suspensions[i] == 0;
  EXPECT_GT(suspended, 1000);
  EXPECT_GT(suspended_again, 200);
  EXPECT_GT(exited_active, 20);
}

namespace {
// Every business suspended by a wave that catches everyone in the weeks it covers (an infinite hazard),
// all appeals won a week later, and no background hazard.
Scenario wave_that_catches_everyone(const Date& end, double reinstated_exposure) {
  Scenario s = long_wave_with_quick_appeals(reinstated_exposure);
  s.enforcement.waves[0].start = Date::from_ymd(2021, 1, 11);
  s.enforcement.waves[0].end = end;
  s.enforcement.waves[0].recall = 1;
  s.enforcement.waves[0].false_positive_rate = 1;
  s.enforcement.appeal_success_probability_rule_breaker = 1;
  return s;
}
}  // namespace

// The queue sums weekly hazards; an infinite one (recall 1) suspends everyone exposed that week, and must
// not stay in the sums: businesses reinstated after it face only what comes after.
TEST(Enforcement, AWaveThatCatchesEveryoneLeavesNoHazardBehindIt) {
  const Scenario s = wave_that_catches_everyone(Date::from_ymd(2021, 1, 17), 1);  // week 1 only
  Replication run(s, 0);
  std::int64_t in_the_wave = 0, after = 0;
  while (run.weeks_done() < s.weeks) {
    run.step();
    (run.weeks_done() == 2 ? in_the_wave : after) += all_suspensions(run.last_week());
  }
  const auto sellers = static_cast<std::int64_t>(run.world().sellers.size());
  EXPECT_GT(in_the_wave, sellers * 9 / 10);  // all but those that exited in week 0
  EXPECT_EQ(after, 0);
}

// With enforcement.reinstated_wave_exposure 0 a reinstated business is out of the waves' reach, even of
// a wave that catches everyone else (0 times an infinite hazard is no hazard, not a suspension).
TEST(Enforcement, AReinstatedBusinessWithNoExposureIsNotCaughtByAWaveThatCatchesEveryone) {
  const Scenario s = wave_that_catches_everyone(Date::from_ymd(2021, 3, 28), 0);  // weeks 1-11
  Replication run(s, 0);
  while (run.weeks_done() < s.weeks) run.step();
  std::int64_t reinstated = 0;
  for (std::size_t i = 0; i < run.world().sellers.size(); ++i) {
    EXPECT_LE(run.world().sellers.suspensions[i], 1) << "seller " << i;
    reinstated += run.world().sellers.reinstatements[i];
  }
  EXPECT_GT(reinstated, 1000);
}

TEST(Enforcement, TheHoldIsDatedAndShortensFromTheGivenDate) {
  Scenario s = testing::everyone_suspended_in_week_zero(testing::small_scenario(200, 3, 1));
  s.enforcement.hold_days = 90;
  s.enforcement.later_hold_days = 60;
  s.enforcement.later_hold_from = Date::from_ymd(2024, 10, 1);
  const auto hold_end = [](const Scenario& scenario) {
    Replication run(scenario, 0);
    run.step();
    return run.world().sellers.hold_end_week[0];
  };
  EXPECT_EQ(hold_end(s), 13);  // suspended in week 0 of 2021: 90 days
  s.start_date = Date::from_ymd(2024, 10, 7);
  EXPECT_EQ(hold_end(s), 9);   // suspended after 2024-10-01: 60 days
}

}  // namespace sellershock
