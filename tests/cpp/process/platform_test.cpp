// The platform's investments (process 1): fulfilment centres and stores as they come into use, and what
// they do to buyers' choices.
#include "process/platform.hpp"

#include <gtest/gtest.h>

#include "process/demand.hpp"
#include "run/replication.hpp"
#include "run/setup.hpp"
#include "support/test_scenario.hpp"

namespace sellershock {

namespace {

// Starts on the Monday of week 10 of small_scenario (start 2021-01-04).
PlatformEventSpec event(const char* kind, int count, int ramp_weeks, Date start = Date::from_ymd(2021, 3, 15)) {
  PlatformEventSpec e;
  e.name = std::string(kind) + "-event";
  e.kind = kind;
  e.start = start;
  e.count = count;
  e.ramp_weeks = ramp_weeks;
  return e;
}

// One channel's sales summed over weeks [from, weeks) of replication 0.
Cents sales_from_week(const Scenario& s, std::int32_t from, Channel channel) {
  Replication run(s, 0);
  Cents total = 0;
  while (run.weeks_done() < s.weeks) {
    run.step();
    if (run.weeks_done() > from) total += run.last_week().sales_cents[index(channel)];
  }
  return total;
}

}  // namespace

TEST(Platform, NoEventsMeanNoAdjustments) {
  const Scenario s = testing::small_scenario(500, 60, 1);
  ASSERT_TRUE(s.platform.events.empty());
  for (std::int32_t week = 0; week < s.weeks; ++week) {
    const PlatformAdjustments a = platform_adjustments(s, week);
    EXPECT_EQ(a.fulfilment_centres, 0.0);
    EXPECT_EQ(a.stores, 0.0);
    EXPECT_EQ(a.dominant_delivery_days_saved, 0.0);
    EXPECT_EQ(a.physical_store_preference_gain, 0.0);
  }
  for (std::size_t c = 0; c < kChannelCount; ++c) {
    const ChannelAppealSpec appeal{-0.5, 1.1, 3.0};
    EXPECT_EQ(adjusted_appeal(appeal, static_cast<Channel>(c), platform_adjustments(s, 0)), appeal);
  }
}

TEST(Platform, FulfilmentCentresCutDeliveryDaysLinearlyOverTheirRampThenStay) {
  Scenario s = testing::small_scenario(500, 60, 1);
  s.platform.delivery_days_saved_per_fulfilment_centre = 0.01;
  s.platform.events = {event(kFulfilmentCentres, 20, 4)};
  // Weeks 10..13 have 5, 10, 15, 20 centres in use; then all 20 for good.
  const double expected_saved[] = {0, 0, 0.05, 0.10, 0.15, 0.20, 0.20, 0.20};
  for (std::int32_t week = 8; week < 16; ++week) {
    const PlatformAdjustments a = platform_adjustments(s, week);
    EXPECT_NEAR(a.dominant_delivery_days_saved, expected_saved[week - 8], 1e-12) << "week " << week;
    EXPECT_EQ(a.stores, 0.0);
    EXPECT_EQ(a.physical_store_preference_gain, 0.0);
  }
  EXPECT_NEAR(platform_adjustments(s, 59).fulfilment_centres, 20.0, 1e-12);

  // What buyers see: the dominant marketplace's utility rises by the delivery coefficient times the days
  // saved; no other channel changes.
  const World world = make_world(s, 0);
  const ChannelOffer before = channel_offer(s, world, 9), after = channel_offer(s, world, 20);
  EXPECT_NEAR(after.base_utility[index(Channel::Dominant)] - before.base_utility[index(Channel::Dominant)],
              -s.buyers.delivery_coefficient_per_day * 0.20, 1e-12);
  for (Channel other : {Channel::Alternative, Channel::OwnStore, Channel::PhysicalStore})
    EXPECT_EQ(after.base_utility[index(other)], before.base_utility[index(other)]);
}

TEST(Platform, DeliveryDaysNeverFallBelowZero) {
  Scenario s = testing::small_scenario(500, 60, 1);
  s.platform.delivery_days_saved_per_fulfilment_centre = 0.5;
  s.platform.events = {event(kFulfilmentCentres, 100, 0)};
  const PlatformAdjustments a = platform_adjustments(s, 30);
  EXPECT_DOUBLE_EQ(a.dominant_delivery_days_saved, 50.0);
  EXPECT_EQ(adjusted_appeal(s.channels.dominant.appeal, Channel::Dominant, a).delivery_days, 0.0);

  Scenario instant = s;
  instant.platform.events.clear();
  instant.channels.dominant.appeal.delivery_days = 0;
  const World world = make_world(s, 0);
  EXPECT_EQ(channel_offer(s, world, 30).base_utility, channel_offer(instant, world, 30).base_utility);
}

TEST(Platform, AWeekCountsTheFacilitiesOpenByItsLastDay) {
  Scenario s = testing::small_scenario(500, 60, 1);
  // A ramp starting on a Thursday: week 10 (Monday 2021-03-15) holds 4 of its 14 days.
  PlatformEventSpec ramp = event(kStores, 14, 2, Date::from_ymd(2021, 3, 18));
  EXPECT_EQ(share_in_use(s, ramp, 9), 0.0);
  EXPECT_NEAR(share_in_use(s, ramp, 10), 4.0 / 14.0, 1e-12);
  EXPECT_NEAR(share_in_use(s, ramp, 11), 11.0 / 14.0, 1e-12);
  EXPECT_EQ(share_in_use(s, ramp, 12), 1.0);
  // No ramp: all of them from the week of the start day; an event before the run is in use from week 0.
  EXPECT_EQ(share_in_use(s, event(kStores, 3, 0, Date::from_ymd(2021, 3, 21)), 10), 1.0);  // a Sunday
  EXPECT_EQ(share_in_use(s, event(kStores, 3, 0, Date::from_ymd(2021, 3, 22)), 10), 0.0);
  EXPECT_EQ(share_in_use(s, event(kStores, 3, 8, Date::from_ymd(2019, 6, 1)), 0), 1.0);
}

TEST(Platform, StoresRaiseThePhysicalStoresPreferencePerStoreInUse) {
  Scenario s = testing::small_scenario(500, 60, 1);
  s.platform.store_preference_per_store = 0.002;
  s.platform.events = {event(kStores, 100, 0), event(kStores, 50, 0, Date::from_ymd(2021, 5, 3))};
  EXPECT_NEAR(platform_adjustments(s, 12).physical_store_preference_gain, 0.2, 1e-12);
  EXPECT_NEAR(platform_adjustments(s, 30).physical_store_preference_gain, 0.3, 1e-12);
  EXPECT_EQ(platform_adjustments(s, 30).dominant_delivery_days_saved, 0.0);
  const ChannelAppealSpec physical = adjusted_appeal(s.channels.physical_store.appeal, Channel::PhysicalStore,
                                                     platform_adjustments(s, 30));
  EXPECT_NEAR(physical.preference, s.channels.physical_store.appeal.preference + 0.3, 1e-12);
}

TEST(Platform, StoresEventRaisesThePhysicalStoresSalesAtTheMarketplacesExpense) {
  Scenario without = testing::without_enforcement(testing::small_scenario(2000, 30, 1));
  Scenario with = without;
  with.platform.store_preference_per_store = 0.002;
  with.platform.events = {event(kStores, 200, 4)};  // +0.4 in the logit from week 13
  EXPECT_GT(static_cast<double>(sales_from_week(with, 13, Channel::PhysicalStore)),
            1.2 * static_cast<double>(sales_from_week(without, 13, Channel::PhysicalStore)));
  EXPECT_LT(sales_from_week(with, 13, Channel::Dominant), sales_from_week(without, 13, Channel::Dominant));
  // Before the event the runs are the same.
  EXPECT_EQ(sales_from_week(with, 0, Channel::PhysicalStore) - sales_from_week(with, 10, Channel::PhysicalStore),
            sales_from_week(without, 0, Channel::PhysicalStore) - sales_from_week(without, 10, Channel::PhysicalStore));
}

TEST(Platform, FulfilmentCentresWinTheDominantMarketplaceSales) {
  Scenario without = testing::without_enforcement(testing::small_scenario(2000, 30, 1));
  Scenario with = without;
  with.platform.delivery_days_saved_per_fulfilment_centre = 0.02;
  with.platform.events = {event(kFulfilmentCentres, 100, 4)};  // 2 days faster from week 13: next-day delivery
  EXPECT_GT(sales_from_week(with, 13, Channel::Dominant), sales_from_week(without, 13, Channel::Dominant));
  EXPECT_LT(sales_from_week(with, 13, Channel::PhysicalStore), sales_from_week(without, 13, Channel::PhysicalStore));
}

TEST(Platform, AnEventThatOpensNothingChangesNothing) {
  const Scenario without = testing::small_scenario(1000, 20, 1);
  Scenario with = without;
  with.platform.events = {event(kFulfilmentCentres, 0, 0), event(kStores, 0, 3)};
  const ReplicationResult a = simulate_replication(without, 0, nullptr, true);
  const ReplicationResult b = simulate_replication(with, 0, nullptr, true);
  EXPECT_EQ(a.series, b.series);
  EXPECT_EQ(a.summary, b.summary);
}

}  // namespace sellershock
