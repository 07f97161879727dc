// Process 3, sales, fees and payouts: the week's revenue from the demand process, by channel, and
// sellers' direct sales in their own web stores become balances held by the marketplaces (minus their
// fees) or cash (own web store, minus payment processing and paid customer acquisition); goods sold are
// restocked at cost; balances are paid out per cycle. One pass over the sellers does all of it.
#include <algorithm>

#include "process/week.hpp"

namespace sellershock {

namespace {
// The reserve holds back the sales of the last reserve_days (DD+7 in FACTS.md); with weekly steps it is
// approximated by the latest week's sales (those just booked) scaled to reserve_days / 7.
void pay_out_balance(Cents& held, Cents& cash, Cents latest_week_sales, double reserve_weeks) {
  const Cents reserve = std::min(held, round_cents(static_cast<double>(latest_week_sales) * reserve_weeks));
  const Cents payout = held - reserve;
  if (payout > 0) transfer(held, cash, payout);
}
}  // namespace

void sell(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally) {
  const Scenario& scenario = context.scenario;
  const double dominant_fee = scenario.channels.dominant.referral_fee;
  const double alternative_fee = scenario.channels.alternative.referral_fee;
  const double payment_fee = scenario.channels.own_store.payment_fee;
  const double acquisition = scenario.channels.own_store.acquisition_cost_share;
  SellerTable& sellers = context.world.sellers;
  Ledger& flows = tally.ledger_delta;
  // The columns through local pointers: the compiler reloaded their addresses from the table in every
  // iteration otherwise (seen in cachegrind's count of vector::operator[]).
  Cents* const dominant_revenue = sellers.revenue_cents[index(Channel::Dominant)].data();
  Cents* const alternative_revenue = sellers.revenue_cents[index(Channel::Alternative)].data();
  Cents* const own_store_revenue = sellers.revenue_cents[index(Channel::OwnStore)].data();
  const std::uint8_t* const on_own_store = sellers.on_own_store.data();
  const std::uint8_t* const on_alternative = sellers.on_alternative.data();
  const float* const off_platform_share = sellers.off_platform_share.data();
  const SellerStatus* const status = sellers.status.data();
  const Cents* const expected_weekly_sales = sellers.expected_weekly_sales_cents.data();
  const std::int32_t* const own_store_since_week = sellers.own_store_since_week.data();
  Cents* const cash_of = sellers.cash_cents.data();
  Cents* const held = sellers.held_cents.data();
  Cents* const alternative_held = sellers.alternative_held_cents.data();
  const float* const gross_margin = sellers.gross_margin.data();
  const std::uint8_t* const region = sellers.region.data();
  const std::uint8_t* const size_class = sellers.size_class.data();
  Cents* const profit_to_date = sellers.profit_to_date_cents.data();
  Cents* const sales_to_date = sellers.sales_to_date_cents.data();
  std::int64_t* const group_profit = tally.profit_cents.data();

  const std::int32_t week = context.policy.week;
  const int ramp_weeks = scenario.diversification.ramp_weeks;
  // Payouts, in the same pass: a seller's payout depends only on its own balances and this week's sales.
  const bool dominant_payout = context.policy.payout_due[0], alternative_payout = context.policy.payout_due[1];
  const double dominant_reserve_weeks =
      (scenario.channels.dominant.reserve_days + scenario.channels.dominant_seller_delivery_days) / 7.0;
  const double alternative_reserve_weeks = scenario.channels.alternative.reserve_days / 7.0;

  // The block's sums are kept in locals and added to the tally once: the tally's fields are int64 like
  // the seller columns, so the compiler could not keep them in registers across the columns' stores.
  Cents direct_sales = 0, outside = 0, platform_fees = 0, alternative_fees_sum = 0, processor_fees = 0;
  Cents sales[kSellerChannelCount] = {}, fees[kSellerChannelCount] = {};
  for (std::size_t i = begin; i < end; ++i) {
    // Direct sales to the seller's own customers in its web store (process 8): a fixed share of its
    // expected sales once the store has ramped up, whatever happens to its marketplace accounts.
    Cents direct = 0;
    if (on_own_store[i] && off_platform_share[i] > 0.0f && status[i] != SellerStatus::Exited)
      direct = round_cents(static_cast<double>(expected_weekly_sales[i]) * off_platform_share[i] *
                           ramp_fraction(own_store_since_week[i], week, ramp_weeks));
    direct_sales += direct;
    const Cents dominant = dominant_revenue[i], alternative = alternative_revenue[i], own = own_store_revenue[i] + direct;
    dominant_revenue[i] = alternative_revenue[i] = own_store_revenue[i] = 0;
    if (dominant != 0 || alternative != 0 || own != 0) {
      // Each channel's money moves only when it sold: most sellers sell in one channel in a week.
      Cents cash = cash_of[i];
      Cents dominant_fees = 0, alternative_fees = 0, processing = 0, advertising = 0;
      if (dominant != 0) {
        transfer(outside, held[i], dominant);
        dominant_fees = round_cents(static_cast<double>(dominant) * dominant_fee);
        transfer(held[i], platform_fees, dominant_fees);
      }
      if (alternative != 0) {
        transfer(outside, alternative_held[i], alternative);
        alternative_fees = round_cents(static_cast<double>(alternative) * alternative_fee);
        transfer(alternative_held[i], alternative_fees_sum, alternative_fees);
      }
      if (own != 0) {
        transfer(outside, cash, own);
        processing = round_cents(static_cast<double>(own) * payment_fee);
        transfer(cash, processor_fees, processing);
        advertising = round_cents(static_cast<double>(own) * acquisition);
        transfer(cash, outside, advertising);
      }

      // Goods sold are restocked at cost, so the stock in the warehouses stays at its level.
      const Cents goods = round_cents(static_cast<double>(dominant + alternative + own) * (1.0 - gross_margin[i]));
      transfer(cash, outside, goods);
      cash_of[i] = cash;

      sales[index(Channel::Dominant)] += dominant;
      sales[index(Channel::Alternative)] += alternative;
      sales[index(Channel::OwnStore)] += own;
      fees[index(Channel::Dominant)] += dominant_fees;
      fees[index(Channel::Alternative)] += alternative_fees;
      fees[index(Channel::OwnStore)] += processing;
      const Cents profit =
          dominant + alternative + own - dominant_fees - alternative_fees - processing - advertising - goods;
      group_profit[group_index(region[i], size_class[i])] += profit;
      profit_to_date[i] += profit;
      sales_to_date[i] += dominant + alternative + own;
    }

    // Payouts per cycle, of what the marketplaces hold beyond the reserve on this week's sales (nothing
    // is held by a marketplace that holds nothing: no arithmetic then). The suspended are not paid by
    // the dominant marketplace; the exited were paid everything at their exit.
    if (dominant_payout && held[i] > 0 && status[i] == SellerStatus::Active)
      pay_out_balance(held[i], cash_of[i], dominant, dominant_reserve_weeks);
    if (alternative_payout && alternative_held[i] > 0 && on_alternative[i] && status[i] != SellerStatus::Exited)
      pay_out_balance(alternative_held[i], cash_of[i], alternative, alternative_reserve_weeks);
  }
  tally.direct_sales_cents += direct_sales;
  flows.outside_cents += outside;
  flows.platform_fees_cents += platform_fees;
  flows.alternative_fees_cents += alternative_fees_sum;
  flows.payment_processor_fees_cents += processor_fees;
  for (std::size_t c = 0; c < kSellerChannelCount; ++c) {
    tally.sales_cents[c] += sales[c];
    tally.fees_cents[c] += fees[c];
  }
}

}  // namespace sellershock
