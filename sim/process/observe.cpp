// Process 9, observe: the week's stocks by group and channel (flows are tallied by the processes that
// cause them).
#include "process/week.hpp"

namespace sellershock {

void observe(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally) {
  const SellerTable& sellers = context.world.sellers;
  for (std::size_t i = begin; i < end; ++i) {
    const std::size_t group = group_of(sellers, i);
    tally.frozen_stock_cents[group] += sellers.frozen_cents[i];  // exited businesses' funds stay frozen too
    // The sellers' part of the ledger (kSellerMoneyNames order); exited businesses' too.
    tally.seller_money_cents[0] += sellers.cash_cents[i];
    tally.seller_money_cents[1] += sellers.held_cents[i];
    tally.seller_money_cents[2] += sellers.alternative_held_cents[i];
    tally.seller_money_cents[3] += sellers.frozen_cents[i];
    switch (sellers.status[i]) {
      case SellerStatus::Active:
        ++tally.active_sellers[group];
        tally.active_accounts[group] += sellers.accounts[i];
        ++tally.sellers_present[index(Channel::Dominant)];
        break;
      case SellerStatus::Suspended:
        ++tally.suspended_sellers[group];
        tally.suspended_accounts[group] += sellers.accounts[i];
        break;
      case SellerStatus::Exited: ++tally.exited_sellers[group]; continue;
    }
    tally.sellers_present[index(Channel::Alternative)] += sellers.on_alternative[i];
    tally.sellers_present[index(Channel::OwnStore)] += sellers.on_own_store[i];
    if (sellers.on_alternative[i] | sellers.on_own_store[i]) {
      // Marketplace weight present in the channels process 8 weighs (not the dominant one).
      const Cents weight = round_cents(sellers.marketplace_weight(i));
      if (sellers.on_alternative[i]) tally.present_weight_cents[index(Channel::Alternative)] += weight;
      if (sellers.on_own_store[i]) tally.present_weight_cents[index(Channel::OwnStore)] += weight;
      ++tally.diversified_sellers[group];
    }
    ++tally.surviving_sellers[sellers.diversification_level[i]];
  }
}

}  // namespace sellershock
