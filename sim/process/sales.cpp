// Process 3, sales, fees and payouts. Until the demand process of the marketplace model lands, a
// seller's weekly revenue is its expected sales times a mean-one lognormal shock.
#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <cmath>

#include "process/week.hpp"
#include "state/random.hpp"

namespace sellershock {

void sell(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally) {
  const SellerSpec& spec = context.scenario.sellers;
  const double referral_fee = context.scenario.channels.dominant.referral_fee;
  const double payment_fee = context.scenario.channels.own_store.payment_fee;
  const double sigma = 0.3;  // stop-gap until the demand process replaces this function
  const double log_mean_correction = -0.5 * sigma * sigma;  // makes the shock's mean exactly 1
  SellerTable& sellers = context.world.sellers;
  Ledger& flows = tally.ledger_delta;

  for (std::size_t i = begin; i < end; ++i) {
    const SellerStatus status = sellers.status[i];
    if (status == SellerStatus::Exited) continue;
    RandomStream stream(context.world.seed, static_cast<std::uint64_t>(context.world.replication), i,
                        context.policy.week, Purpose::WeeklySales);
    boost::random::normal_distribution<double> standard_normal;
    const double shock = std::exp(sigma * standard_normal(stream) + log_mean_correction);
    const double revenue = static_cast<double>(sellers.expected_weekly_sales_cents[i]) * shock;

    // A suspended seller keeps only its own web store's sales.
    const Cents marketplace_sales =
        status == SellerStatus::Active ? round_cents(revenue * (1.0 - 0.1)) : 0;
    const Cents own_store_sales = round_cents(revenue * 0.1);

    transfer(flows.outside_cents, sellers.held_cents[i], marketplace_sales);
    const Cents referral = round_cents(static_cast<double>(marketplace_sales) * referral_fee);
    transfer(sellers.held_cents[i], flows.platform_fees_cents, referral);

    transfer(flows.outside_cents, sellers.cash_cents[i], own_store_sales);
    const Cents processing = round_cents(static_cast<double>(own_store_sales) * payment_fee);
    transfer(sellers.cash_cents[i], flows.payment_processor_fees_cents, processing);

    const Cents cost_of_goods =
        round_cents(static_cast<double>(marketplace_sales + own_store_sales) * (1.0 - spec.gross_margin));
    transfer(sellers.cash_cents[i], flows.outside_cents, cost_of_goods);

    sellers.last_week_marketplace_sales_cents[i] = marketplace_sales;
    tally.sales_cents[static_cast<std::size_t>(Channel::Dominant)] += marketplace_sales;
    tally.sales_cents[static_cast<std::size_t>(Channel::OwnStore)] += own_store_sales;
    tally.fees_cents[static_cast<std::size_t>(Channel::Dominant)] += referral;
    tally.fees_cents[static_cast<std::size_t>(Channel::OwnStore)] += processing;
  }
}

void pay_out(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally&) {
  if (!context.policy.payout_due) return;
  // The reserve holds back the sales of the last reserve_days (DD+7 in FACTS.md); with weekly steps it
  // is approximated by last week's marketplace sales scaled to reserve_days / 7.
  const double reserve_weeks = context.scenario.channels.dominant.reserve_days / 7.0;
  SellerTable& sellers = context.world.sellers;
  for (std::size_t i = begin; i < end; ++i) {
    if (sellers.status[i] != SellerStatus::Active) continue;
    const Cents reserve = std::min(
        sellers.held_cents[i],
        round_cents(static_cast<double>(sellers.last_week_marketplace_sales_cents[i]) * reserve_weeks));
    const Cents payout = sellers.held_cents[i] - reserve;
    if (payout > 0) transfer(sellers.held_cents[i], sellers.cash_cents[i], payout);
  }
}

}  // namespace sellershock
