#include "run/replication.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace sellershock {

namespace {
// Sellers per block: large enough to amortise scheduling, small enough that one block's columns stay
// in the L2 cache while every process runs over it.
constexpr std::size_t kSellersPerBlock = 8192;
}  // namespace

Replication::Replication(const Scenario& scenario, std::int64_t replication)
    : scenario_(scenario),
      world_(make_world(scenario, replication)),
      tally_(world_.region_names.size()),
      block_tallies_(WeekTally(world_.region_names.size())) {}

void Replication::step() {
  const WeekPolicy policy = apply_events(scenario_, world_, week_);  // 1. events
  const WeekContext context{scenario_, world_, policy};

  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, world_.sellers.size(), kSellersPerBlock),
                    [&](const tbb::blocked_range<std::size_t>& block) {
                      WeekTally& tally = block_tallies_.local();
                      const std::size_t begin = block.begin(), end = block.end();
                      sell(context, begin, end, tally);                       // 2-3. demand and sales
                      pay_out(context, begin, end, tally);                    // 3. payouts
                      enforce(context, begin, end, tally);                    // 4. enforcement
                      resolve_appeals_and_holds(context, begin, end, tally);  // 5. appeals and holds
                      settle_finances(context, begin, end, tally);            // 7. finance and exit
                      observe(context, begin, end, tally);                    // 9. observe
                    });

  // Integer sums: the reduction gives the same result in any order.
  tally_.clear();
  for (WeekTally& block_tally : block_tallies_) {
    tally_.add(block_tally);
    block_tally.clear();
  }
  Ledger& ledger = world_.ledger;
  ledger.outside_cents += tally_.ledger_delta.outside_cents;
  ledger.platform_fees_cents += tally_.ledger_delta.platform_fees_cents;
  ledger.platform_forfeited_cents += tally_.ledger_delta.platform_forfeited_cents;
  ledger.payment_processor_fees_cents += tally_.ledger_delta.payment_processor_fees_cents;
  ++week_;
}

}  // namespace sellershock
