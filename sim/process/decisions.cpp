// Process 8, decisions: each business updates its perceived suspension risk from its own and its home
// region's suspensions and pays the running costs of its channels (WeeklyUpkeep in week.hpp, run in
// process 7's pass over the sellers), and every review_weeks weeks decides
// whether to add or drop the alternative marketplace and its own web store. It adds a channel when the
// channel's expected weekly gain plus the suspension risk it removes beats its running cost plus its
// set-up cost spread over the horizon (and it has the cash for the set-up); it drops one when the gain
// plus the risk removed no longer covers the running cost. Nobody leaves the dominant marketplace.
#include <algorithm>

#include "process/week.hpp"

namespace sellershock {

namespace {

// Expected weekly revenue of a business with this marketplace weight in a channel, from last week's
// sales there among the businesses present (its own weight included once).
double expected_channel_revenue(double channel_sales, double present_weight, double weight, bool present) {
  const double pool = present_weight + (present ? 0.0 : weight);
  return pool > 0.0 ? channel_sales * weight / pool : 0.0;
}

}  // namespace

double marketplace_spend_factor(const World& world, Cents direct_sales) {
  if (world.market.buyers_spend_cents <= 0) return 1.0;
  const double factor = 1.0 - static_cast<double>(direct_sales) / static_cast<double>(world.market.buyers_spend_cents);
  return std::clamp(factor, 0.0, 1.0);
}

void decide(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally) {
  const Scenario& scenario = context.scenario;
  const DiversificationSpec& spec = scenario.diversification;
  const std::int32_t week = context.policy.week;
  World& world = context.world;
  SellerTable& sellers = world.sellers;
  const Market& market = world.market;
  const double dominant_fee = scenario.channels.dominant.referral_fee;
  const double alternative_fee = scenario.channels.alternative.referral_fee;
  const double store_fee = scenario.channels.own_store.payment_fee + scenario.channels.own_store.acquisition_cost_share;
  const double hold_weeks = scenario.enforcement.hold_days / 7.0;
  const double horizon = spec.horizon_weeks;
  // Costs in cents: the running costs as paid, the set-up costs as weighed and paid.
  const Cents own_store_running = usd_to_cents(spec.own_store_running_cost_usd_per_week);
  const Cents alternative_running = usd_to_cents(spec.alternative_running_cost_usd_per_week);
  // (The weekly upkeep, perceived risk and running costs, ran in process 7's pass: WeeklyUpkeep.)
  const Cents own_store_setup = usd_to_cents(spec.own_store_setup_cost_usd);
  const Cents alternative_setup = usd_to_cents(spec.alternative_setup_cost_usd);
  const double alternative_sales = static_cast<double>(market.sales_cents[index(Channel::Alternative)]);
  // Web-store shoppers' purchases, without the sellers' direct sales to their own customers.
  const double store_shopper_sales =
      static_cast<double>(market.sales_cents[index(Channel::OwnStore)] - market.direct_sales_cents);
  const auto present_weight = [&](Channel c) { return static_cast<double>(market.present_weight_cents[index(c)]); };

  // Reviews are staggered over businesses: business i reviews in the weeks w with (w + i) divisible by
  // review_weeks, so that they do not all act on the same week's market (which overshoots); none in
  // week 0, before anything of the market was observed. Only the reviewers are visited.
  if (spec.review_weeks == 0 || week == 0) return;
  const auto period = static_cast<std::size_t>(spec.review_weeks);
  const std::size_t first = begin + (period - (static_cast<std::size_t>(week) + begin) % period) % period;
  for (std::size_t i = first; i < end; i += period) {
    if (sellers.status[i] == SellerStatus::Exited) continue;
    const float risk = sellers.perceived_risk[i];
    const double margin = sellers.gross_margin[i];

    const double size = static_cast<double>(sellers.expected_weekly_sales_cents[i]);
    const double weight = sellers.marketplace_weight(i);
    // What a suspension would cost it: the marketplace profit lost over the hold, the balance frozen
    // and the stock held in the platform's warehouses.
    const double exposure = weight * hold_weeks * (margin - dominant_fee) +
                            static_cast<double>(sellers.held_cents[i] + sellers.inventory_cents[i]);
    const double cash = static_cast<double>(sellers.cash_cents[i]);
    const std::size_t group = group_of(sellers, i);

    // Own web store: its direct sales save the marketplace fee and take their share out of the
    // exposure; its listing also draws web-store shoppers.
    {
      const bool present = sellers.on_own_store[i] != 0;
      const double share =
          present ? static_cast<double>(sellers.off_platform_share[i]) : scenario.sellers.off_platform_sales_share;
      const double shoppers = expected_channel_revenue(store_shopper_sales, present_weight(Channel::OwnStore),
                                                       present ? weight : size * (1.0 - share), present);
      const double value =
          size * share * (dominant_fee - store_fee) + shoppers * (margin - store_fee) + risk * exposure * share;
      if (!present && value > static_cast<double>(own_store_running) + static_cast<double>(own_store_setup) / horizon &&
          cash >= static_cast<double>(own_store_setup)) {
        pay_channel_cost(sellers, i, group, own_store_setup, tally);
        count_stocks(sellers, i, -1, tally);  // its channels change: its part of the stocks with them
        sellers.on_own_store[i] = 1;
        sellers.off_platform_share[i] = static_cast<float>(share);
        sellers.own_store_since_week[i] = week;
        world.mark_joined_market(i, Channel::OwnStore);
        world.mark_weight_changed(i);
        count_stocks(sellers, i, 1, tally);
        tally.channels_added[group] += 1;
      } else if (present && value < static_cast<double>(own_store_running)) {
        count_stocks(sellers, i, -1, tally);  // its channels change: its part of the stocks with them
        sellers.on_own_store[i] = 0;
        sellers.off_platform_share[i] = 0.0f;
        sellers.own_store_since_week[i] = kNoWeek;
        world.mark_left_market(i);
        world.mark_weight_changed(i);
        count_stocks(sellers, i, 1, tally);
        tally.channels_dropped[group] += 1;
      }
    }
    // Alternative marketplace: its expected sales there, and the share of marketplace sales (and so of
    // the exposure) it would carry.
    {
      const bool present = sellers.on_alternative[i] != 0;
      // Its weight after the store decision above (opening or closing a store changes it).
      const double weight_now = sellers.marketplace_weight(i);
      const double revenue =
          expected_channel_revenue(alternative_sales, present_weight(Channel::Alternative), weight_now, present);
      const double carried = revenue / (weight_now + revenue);
      const double value = revenue * (margin - alternative_fee) + risk * exposure * carried;
      if (!present && value > static_cast<double>(alternative_running) + static_cast<double>(alternative_setup) / horizon &&
          cash >= static_cast<double>(alternative_setup)) {
        pay_channel_cost(sellers, i, group, alternative_setup, tally);
        count_stocks(sellers, i, -1, tally);  // its channels change: its part of the stocks with them
        sellers.on_alternative[i] = 1;
        sellers.alternative_since_week[i] = week;
        world.mark_joined_market(i, Channel::Alternative);
        count_stocks(sellers, i, 1, tally);
        tally.channels_added[group] += 1;
      } else if (present && value < static_cast<double>(alternative_running)) {
        // Leaving, it is paid what the alternative holds for it.
        count_stocks(sellers, i, -1, tally);  // its channels change: its part of the stocks with them
        sellers.on_alternative[i] = 0;
        sellers.alternative_since_week[i] = kNoWeek;
        transfer(sellers.alternative_held_cents[i], sellers.cash_cents[i], sellers.alternative_held_cents[i]);
        world.mark_left_market(i);
        count_stocks(sellers, i, 1, tally);
        tally.channels_dropped[group] += 1;
      }
    }
  }
}

void record_market_week(World& world, const WeekTally& tally) {
  Market& market = world.market;
  for (std::size_t c = 0; c < kChannelCount; ++c) market.sales_cents[c] = tally.sales_cents[c];
  for (std::size_t c = 0; c < kSellerChannelCount; ++c) {
    market.present[c] = tally.sellers_present[c];
    market.present_weight_cents[c] = tally.present_weight_cents[c];
  }
  market.direct_sales_cents = tally.direct_sales_cents;
  market.marketplace_spend_factor = marketplace_spend_factor(world, tally.direct_sales_cents);
  market.businesses = 0;
  for (std::size_t r = 0; r < world.region_names.size(); ++r) {
    std::int64_t businesses = 0, suspensions = 0;
    for (std::size_t size = 0; size < kSizeClassCount; ++size) {
      const std::size_t g = r * kSizeClassCount + size;
      businesses += tally.active_sellers[g] + tally.suspended_sellers[g];
      suspensions += tally.new_suspensions[g];
    }
    market.businesses += businesses;
    market.region_suspension_rate[r] = businesses > 0 ? static_cast<double>(suspensions) / static_cast<double>(businesses) : 0.0;
  }
}

}  // namespace sellershock
