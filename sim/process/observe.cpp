// Process 9, observe: the week's stocks by region (flows are tallied by the processes that cause them).
#include "process/week.hpp"

namespace sellershock {

void observe(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally) {
  const SellerTable& sellers = context.world.sellers;
  for (std::size_t i = begin; i < end; ++i) {
    const std::uint8_t region = sellers.region[i];
    switch (sellers.status[i]) {
      case SellerStatus::Active: ++tally.active_sellers[region]; break;
      case SellerStatus::Suspended: ++tally.suspended_sellers[region]; break;
      case SellerStatus::Exited: ++tally.exited_sellers[region]; break;
    }
    tally.frozen_stock_cents[region] += sellers.frozen_cents[i];
  }
}

}  // namespace sellershock
