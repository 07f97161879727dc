// Process 3, sales, fees and payouts: the week's revenue from the demand process, by channel, and
// sellers' direct sales in their own web stores become balances held by the marketplaces (minus their
// fees) or cash (own web store, minus payment processing and paid customer acquisition); goods sold are
// restocked at cost; balances are paid out per cycle.
#include <algorithm>

#include "process/week.hpp"

namespace sellershock {

void sell(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally) {
  const Scenario& scenario = context.scenario;
  const double dominant_fee = scenario.channels.dominant.referral_fee;
  const double alternative_fee = scenario.channels.alternative.referral_fee;
  const double payment_fee = scenario.channels.own_store.payment_fee;
  const double acquisition = scenario.channels.own_store.acquisition_cost_share;
  SellerTable& sellers = context.world.sellers;
  Ledger& flows = tally.ledger_delta;
  auto& dominant_revenue = sellers.revenue_cents[index(Channel::Dominant)];
  auto& alternative_revenue = sellers.revenue_cents[index(Channel::Alternative)];
  auto& own_store_revenue = sellers.revenue_cents[index(Channel::OwnStore)];

  const std::int32_t week = context.policy.week;
  const int ramp_weeks = scenario.diversification.ramp_weeks;

  for (std::size_t i = begin; i < end; ++i) {
    // Direct sales to the seller's own customers in its web store (process 8): a fixed share of its
    // expected sales once the store has ramped up, whatever happens to its marketplace accounts.
    Cents direct = 0;
    if (sellers.on_own_store[i] && sellers.off_platform_share[i] > 0.0f && sellers.status[i] != SellerStatus::Exited)
      direct = round_cents(static_cast<double>(sellers.expected_weekly_sales_cents[i]) * sellers.off_platform_share[i] *
                           ramp_fraction(sellers.own_store_since_week[i], week, ramp_weeks));
    tally.direct_sales_cents += direct;
    const Cents dominant = dominant_revenue[i], alternative = alternative_revenue[i], own = own_store_revenue[i] + direct;
    dominant_revenue[i] = alternative_revenue[i] = own_store_revenue[i] = 0;
    sellers.last_week_sales_cents[0][i] = dominant;
    sellers.last_week_sales_cents[1][i] = alternative;
    if (dominant == 0 && alternative == 0 && own == 0) continue;

    transfer(flows.outside_cents, sellers.held_cents[i], dominant);
    const Cents dominant_fees = round_cents(static_cast<double>(dominant) * dominant_fee);
    transfer(sellers.held_cents[i], flows.platform_fees_cents, dominant_fees);

    transfer(flows.outside_cents, sellers.alternative_held_cents[i], alternative);
    const Cents alternative_fees = round_cents(static_cast<double>(alternative) * alternative_fee);
    transfer(sellers.alternative_held_cents[i], flows.alternative_fees_cents, alternative_fees);

    transfer(flows.outside_cents, sellers.cash_cents[i], own);
    const Cents processing = round_cents(static_cast<double>(own) * payment_fee);
    transfer(sellers.cash_cents[i], flows.payment_processor_fees_cents, processing);
    const Cents advertising = round_cents(static_cast<double>(own) * acquisition);
    transfer(sellers.cash_cents[i], flows.outside_cents, advertising);

    // Goods sold are restocked at cost, so the stock in the warehouses stays at its level.
    const Cents goods = round_cents(static_cast<double>(dominant + alternative + own) * (1.0 - sellers.gross_margin[i]));
    transfer(sellers.cash_cents[i], flows.outside_cents, goods);

    tally.sales_cents[index(Channel::Dominant)] += dominant;
    tally.sales_cents[index(Channel::Alternative)] += alternative;
    tally.sales_cents[index(Channel::OwnStore)] += own;
    tally.fees_cents[index(Channel::Dominant)] += dominant_fees;
    tally.fees_cents[index(Channel::Alternative)] += alternative_fees;
    tally.fees_cents[index(Channel::OwnStore)] += processing;
    const Cents profit = dominant + alternative + own - dominant_fees - alternative_fees - processing - advertising - goods;
    tally.profit_cents[group_of(sellers, i)] += profit;
    sellers.profit_to_date_cents[i] += profit;
    sellers.sales_to_date_cents[i] += dominant + alternative + own;
  }
}

namespace {
// The reserve holds back the sales of the last reserve_days (DD+7 in FACTS.md); with weekly steps it is
// approximated by last week's sales scaled to reserve_days / 7.
void pay_out_balance(Cents& held, Cents& cash, Cents last_week_sales, double reserve_weeks) {
  const Cents reserve = std::min(held, round_cents(static_cast<double>(last_week_sales) * reserve_weeks));
  const Cents payout = held - reserve;
  if (payout > 0) transfer(held, cash, payout);
}
}  // namespace

void pay_out(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally&) {
  const WeekPolicy& policy = context.policy;
  if (!policy.payout_due[0] && !policy.payout_due[1]) return;
  const double dominant_reserve_weeks =
      (context.scenario.channels.dominant.reserve_days + context.scenario.channels.dominant_seller_delivery_days) / 7.0;
  const double alternative_reserve_weeks = context.scenario.channels.alternative.reserve_days / 7.0;
  SellerTable& sellers = context.world.sellers;
  for (std::size_t i = begin; i < end; ++i) {
    if (policy.payout_due[0] && sellers.status[i] == SellerStatus::Active)
      pay_out_balance(sellers.held_cents[i], sellers.cash_cents[i], sellers.last_week_sales_cents[0][i],
                      dominant_reserve_weeks);
    if (policy.payout_due[1] && sellers.on_alternative[i] && sellers.status[i] != SellerStatus::Exited)
      pay_out_balance(sellers.alternative_held_cents[i], sellers.cash_cents[i], sellers.last_week_sales_cents[1][i],
                      alternative_reserve_weeks);
  }
}

}  // namespace sellershock
