// Process 1, the platform's investments: the dominant platform's dated openings of fulfilment centres and
// physical stores (scenario: platform.events) as this week's changes to what buyers see of its channels.
// A pure function of the scenario and the week; demand applies it in channel_offer() (demand.cpp).
#pragma once

#include <cstdint>

#include "scenario/scenario.hpp"
#include "state/world.hpp"

namespace sellershock {

struct PlatformAdjustments {
  double fulfilment_centres = 0.0;  // in use this week (fractional while they ramp up)
  double stores = 0.0;
  double dominant_delivery_days_saved = 0.0;    // off channels.dominant.delivery_days
  double physical_store_preference_gain = 0.0;  // onto channels.physical_store.preference
};

// The share of an event's centres or stores in use in week `week`: those open by the week's last day,
// opening at an even pace over the ramp_weeks weeks from its start. An event starting on the first day
// of a week has k / ramp_weeks of them in use in the k-th week from then (k = 1, 2, ...), then all.
double share_in_use(const Scenario& scenario, const PlatformEventSpec& event, std::int32_t week);

// The week's adjustments from every event so far; all zero when the scenario has no platform events.
PlatformAdjustments platform_adjustments(const Scenario& scenario, std::int32_t week);

// A channel's appeal to buyers with the week's adjustments applied: the dominant marketplace's delivery
// time cut by the centres in use (never below 0 days), the physical stores' logit constant raised by the
// stores in use. Other channels are returned unchanged.
ChannelAppealSpec adjusted_appeal(const ChannelAppealSpec& appeal, Channel channel,
                                  const PlatformAdjustments& adjustments);

}  // namespace sellershock
