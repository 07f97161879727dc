// Process 7, finance: fixed costs, cash and credit; a business whose cash stays below minus its credit
// line for more than insolvency_weeks weeks exits. Its balances are paid out, stock not held by the
// platform is sold off at cost, and its cash leaves the model (owners take what is left; lenders write
// off what is owed). Funds frozen at exit stay frozen until the hold ends.
#include "process/week.hpp"

namespace sellershock {

namespace {
void sweep_cash_out(SellerTable& sellers, std::size_t i, Ledger& flows) {
  transfer(sellers.cash_cents[i], flows.outside_cents, sellers.cash_cents[i]);
}
}  // namespace

void settle_finances(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally) {
  const int insolvency_weeks = context.scenario.sellers.insolvency_weeks;
  const double credit_kept_while_frozen = context.scenario.sellers.credit_kept_while_frozen;
  World& world = context.world;
  SellerTable& sellers = world.sellers;
  Ledger& flows = tally.ledger_delta;
  // The columns every seller's week reads and writes, through local pointers: an exit stores to byte
  // columns (status), which may alias anything, so the compiler would otherwise reload every column's
  // address from the table in every iteration.
  const SellerStatus* const status = sellers.status.data();
  Cents* const cash = sellers.cash_cents.data();
  const Cents* const fixed_cost = sellers.weekly_fixed_cost_cents.data();
  const Cents* const frozen = sellers.frozen_cents.data();
  const Cents* const credit_line = sellers.credit_line_cents.data();
  std::int32_t* const weeks_insolvent = sellers.weeks_insolvent.data();
  const std::uint8_t* const region = sellers.region.data();
  const std::uint8_t* const size_class = sellers.size_class.data();
  const WeeklyUpkeep upkeep(context, tally);
  for (std::size_t i = begin; i < end; ++i) {
    if (status[i] == SellerStatus::Exited) {
      if (cash[i] != 0) sweep_cash_out(sellers, i, flows);  // funds released after exit
      continue;
    }
    // The fixed cost leaves the business's cash every week. Its profit is charged in sums instead: the
    // group's profit by the replication's running sum of fixed costs, the business's own profit to
    // date when it is read (profit_to_date in week.hpp), both exact in integers.
    transfer(cash[i], flows.outside_cents, fixed_cost[i]);
    // Lenders withdraw credit secured on receivables the platform has frozen (all but the share kept).
    const Cents credit =
        frozen[i] > 0 ? round_cents(static_cast<double>(credit_line[i]) * credit_kept_while_frozen) : credit_line[i];
    weeks_insolvent[i] = cash[i] < -credit ? weeks_insolvent[i] + 1 : 0;
    if (weeks_insolvent[i] <= insolvency_weeks) {
      upkeep(i);  // process 8's weekly part, for a business still in business
      continue;
    }

    const bool suspended = sellers.status[i] == SellerStatus::Suspended;
    count_stocks(sellers, i, -1, tally);
    sellers.status[i] = SellerStatus::Exited;
    sellers.exit_week[i] = context.policy.week;
    world.mark_left_market(i);
    sellers.appeal_week[i] = kNoWeek;  // nobody is left to pursue the appeal; the hold still runs out
    transfer(sellers.held_cents[i], sellers.cash_cents[i], sellers.held_cents[i]);
    transfer(sellers.alternative_held_cents[i], sellers.cash_cents[i], sellers.alternative_held_cents[i]);
    if (!suspended) {
      transfer(flows.outside_cents, sellers.cash_cents[i], sellers.inventory_cents[i]);
      sellers.inventory_cents[i] = 0;
    }
    sweep_cash_out(sellers, i, flows);
    count_stocks(sellers, i, 1, tally);  // its part of the stocks as an exited business (its frozen funds)
    const std::size_t group = group_index(region[i], size_class[i]);
    tally.exited_fixed_costs_cents[group] += fixed_cost[i];  // charged this week, not from the next
    tally.new_exits[group] += 1;
    tally.exits_by_level[sellers.diversification_level[i]] += 1;
  }
}

}  // namespace sellershock
