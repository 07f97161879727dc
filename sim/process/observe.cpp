// Process 9, observe: the week's stocks by group and channel (flows are tallied by the processes that
// cause them).
#include "process/week.hpp"

namespace sellershock {

void observe(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally) {
  const SellerTable& sellers = context.world.sellers;
  // The block's sums over all its sellers are kept in locals and added to the tally once (the compiler
  // cannot keep the tally's int64 fields in registers otherwise); the sums by group stay in the tally.
  Cents money[kSellerMoneyCount] = {};
  std::int64_t present[kSellerChannelCount] = {};
  Cents present_weight[kSellerChannelCount] = {};
  std::int64_t surviving[kDiversificationLevelCount] = {};
  for (std::size_t i = begin; i < end; ++i) {
    // The sellers' part of the ledger (kSellerMoneyNames order); exited businesses' too.
    money[0] += sellers.cash_cents[i];
    money[1] += sellers.held_cents[i];
    money[2] += sellers.alternative_held_cents[i];
    money[3] += sellers.frozen_cents[i];
    const std::size_t group = group_of(sellers, i);
    if (sellers.frozen_cents[i] != 0) tally.frozen_stock_cents[group] += sellers.frozen_cents[i];  // exited businesses' funds stay frozen too
    switch (sellers.status[i]) {
      case SellerStatus::Active:
        ++tally.active_sellers[group];
        tally.active_accounts[group] += sellers.accounts[i];
        ++present[index(Channel::Dominant)];
        break;
      case SellerStatus::Suspended:
        ++tally.suspended_sellers[group];
        tally.suspended_accounts[group] += sellers.accounts[i];
        break;
      case SellerStatus::Exited: ++tally.exited_sellers[group]; continue;
    }
    const std::uint8_t on_alternative = sellers.on_alternative[i], on_own_store = sellers.on_own_store[i];
    if (on_alternative | on_own_store) {
      present[index(Channel::Alternative)] += on_alternative;
      present[index(Channel::OwnStore)] += on_own_store;
      // Marketplace weight present in the channels process 8 weighs (not the dominant one).
      const Cents weight = round_cents(sellers.marketplace_weight(i));
      if (on_alternative) present_weight[index(Channel::Alternative)] += weight;
      if (on_own_store) present_weight[index(Channel::OwnStore)] += weight;
      ++tally.diversified_sellers[group];
    }
    ++surviving[sellers.diversification_level[i]];
  }
  for (std::size_t k = 0; k < kSellerMoneyCount; ++k) tally.seller_money_cents[k] += money[k];
  for (std::size_t c = 0; c < kSellerChannelCount; ++c) {
    tally.sellers_present[c] += present[c];
    tally.present_weight_cents[c] += present_weight[c];
  }
  for (std::size_t level = 0; level < kDiversificationLevelCount; ++level) tally.surviving_sellers[level] += surviving[level];
}

}  // namespace sellershock
