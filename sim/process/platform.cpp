// Process 1, the platform's investments (platform.hpp). Centres and stores are counted as they come
// into use, fractionally during a ramp, so that an investment path moves buyers' choices smoothly
// rather than in one jump at a date.
#include "process/platform.hpp"

#include <algorithm>

namespace sellershock {

namespace {
constexpr int kDaysPerWeek = 7;
}  // namespace

double share_in_use(const Scenario& scenario, const PlatformEventSpec& event, std::int32_t week) {
  const Date last_day = scenario.start_date.plus_days(week * kDaysPerWeek + kDaysPerWeek - 1);
  const int days_open = last_day.days_since_epoch - event.start.days_since_epoch + 1;  // the start day counts
  if (days_open <= 0) return 0.0;
  if (event.ramp_weeks == 0) return 1.0;
  return std::min(1.0, days_open / static_cast<double>(kDaysPerWeek * event.ramp_weeks));
}

PlatformAdjustments platform_adjustments(const Scenario& scenario, std::int32_t week) {
  PlatformAdjustments adjustments;
  for (const PlatformEventSpec& event : scenario.platform.events) {
    const double in_use = event.count * share_in_use(scenario, event, week);
    (event.kind == kStores ? adjustments.stores : adjustments.fulfilment_centres) += in_use;
  }
  adjustments.dominant_delivery_days_saved =
      adjustments.fulfilment_centres * scenario.platform.delivery_days_saved_per_fulfilment_centre;
  adjustments.physical_store_preference_gain = adjustments.stores * scenario.platform.store_preference_per_store;
  return adjustments;
}

ChannelAppealSpec adjusted_appeal(const ChannelAppealSpec& appeal, Channel channel,
                                  const PlatformAdjustments& adjustments) {
  ChannelAppealSpec adjusted = appeal;
  // With no events both adjustments are zero and the values are the scenario's to the bit.
  if (channel == Channel::Dominant)
    adjusted.delivery_days = std::max(0.0, appeal.delivery_days - adjustments.dominant_delivery_days_saved);
  if (channel == Channel::PhysicalStore) adjusted.preference += adjustments.physical_store_preference_gain;
  return adjusted;
}

}  // namespace sellershock
