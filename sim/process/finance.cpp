// Process 7, finance: fixed costs, cash and credit; a business whose cash stays below minus its credit
// line for more than insolvency_weeks weeks exits. Its remaining balance is paid out and its cash leaves
// the model (owners take what is left; lenders write off what is owed).
#include "process/week.hpp"

namespace sellershock {

namespace {
void sweep_cash_out(SellerTable& sellers, std::size_t i, Ledger& flows) {
  transfer(sellers.cash_cents[i], flows.outside_cents, sellers.cash_cents[i]);
}
}  // namespace

void settle_finances(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally) {
  const int insolvency_weeks = context.scenario.sellers.insolvency_weeks;
  SellerTable& sellers = context.world.sellers;
  Ledger& flows = tally.ledger_delta;
  for (std::size_t i = begin; i < end; ++i) {
    if (sellers.status[i] == SellerStatus::Exited) {
      // Funds released after exit go to the former owners.
      if (sellers.cash_cents[i] != 0) sweep_cash_out(sellers, i, flows);
      continue;
    }
    transfer(sellers.cash_cents[i], flows.outside_cents, sellers.weekly_fixed_cost_cents[i]);
    if (sellers.cash_cents[i] < -sellers.credit_line_cents[i]) {
      ++sellers.weeks_insolvent[i];
    } else {
      sellers.weeks_insolvent[i] = 0;
    }
    if (sellers.weeks_insolvent[i] > insolvency_weeks) {
      sellers.status[i] = SellerStatus::Exited;
      sellers.appeal_week[i] = kNoWeek;  // nobody is left to pursue the appeal; the hold still runs out
      transfer(sellers.held_cents[i], sellers.cash_cents[i], sellers.held_cents[i]);
      sweep_cash_out(sellers, i, flows);
      tally.new_exits[sellers.region[i]] += 1;
    }
  }
}

}  // namespace sellershock
