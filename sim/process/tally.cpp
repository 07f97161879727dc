#include <algorithm>

#include "process/week.hpp"

namespace sellershock {

namespace {
// Every per-region column of a tally, so that clearing and adding cannot miss one.
constexpr std::vector<std::int64_t> WeekTally::*kRegionColumns[] = {
    &WeekTally::active_sellers,     &WeekTally::suspended_sellers,  &WeekTally::exited_sellers,
    &WeekTally::new_suspensions,    &WeekTally::new_exits,          &WeekTally::frozen_stock_cents,
    &WeekTally::newly_frozen_cents, &WeekTally::released_cents,     &WeekTally::reinstated_cents,
    &WeekTally::forfeited_cents,
};
}  // namespace

WeekTally::WeekTally(std::size_t regions) {
  for (auto column : kRegionColumns) (this->*column).assign(regions, 0);
}

void WeekTally::clear() {
  for (auto column : kRegionColumns) std::fill((this->*column).begin(), (this->*column).end(), 0);
  std::fill(std::begin(sales_cents), std::end(sales_cents), 0);
  std::fill(std::begin(fees_cents), std::end(fees_cents), 0);
  ledger_delta = Ledger{};
}

void WeekTally::add(const WeekTally& other) {
  for (auto column : kRegionColumns) {
    auto& mine = this->*column;
    const auto& theirs = other.*column;
    for (std::size_t r = 0; r < mine.size(); ++r) mine[r] += theirs[r];
  }
  for (std::size_t c = 0; c < kChannelCount; ++c) {
    sales_cents[c] += other.sales_cents[c];
    fees_cents[c] += other.fees_cents[c];
  }
  ledger_delta.outside_cents += other.ledger_delta.outside_cents;
  ledger_delta.platform_fees_cents += other.ledger_delta.platform_fees_cents;
  ledger_delta.platform_forfeited_cents += other.ledger_delta.platform_forfeited_cents;
  ledger_delta.payment_processor_fees_cents += other.ledger_delta.payment_processor_fees_cents;
}

}  // namespace sellershock
