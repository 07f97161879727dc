#include <algorithm>

#include "process/week.hpp"

namespace sellershock {

namespace {
// Every per-group column of a tally, so that clearing and adding cannot miss one.
constexpr std::vector<std::int64_t> WeekTally::*kGroupColumns[] = {
    &WeekTally::active_sellers,     &WeekTally::suspended_sellers,      &WeekTally::exited_sellers,
    &WeekTally::active_accounts,    &WeekTally::suspended_accounts,
    &WeekTally::new_suspensions,    &WeekTally::new_accounts_suspended, &WeekTally::new_exits,
    &WeekTally::frozen_stock_cents, &WeekTally::newly_frozen_cents,     &WeekTally::reinstated_cents,
    &WeekTally::released_cents,     &WeekTally::forfeited_cents,        &WeekTally::inventory_written_off_cents,
    &WeekTally::profit_cents,       &WeekTally::arbitration_filings,    &WeekTally::collective_signups,
    &WeekTally::arbitration_wins,   &WeekTally::legal_costs_cents,      &WeekTally::arbitration_awards_cents,
    &WeekTally::collective_awards_cents, &WeekTally::new_suspensions_honest, &WeekTally::diversified_sellers,
    &WeekTally::channels_added,          &WeekTally::channels_dropped,       &WeekTally::diversification_costs_cents,
};
constexpr std::int64_t (WeekTally::*kChannelColumns[])[kChannelCount] = {
    &WeekTally::sales_cents,     &WeekTally::fees_cents,           &WeekTally::buyers,
    &WeekTally::sellers_present, &WeekTally::present_weight_cents, &WeekTally::bad_purchases};
constexpr std::int64_t (WeekTally::*kLevelColumns[])[kDiversificationLevelCount] = {&WeekTally::surviving_sellers,
                                                                                  &WeekTally::exits_by_level};
}  // namespace

WeekTally::WeekTally(std::size_t groups) {
  for (auto column : kGroupColumns) (this->*column).assign(groups, 0);
}

void WeekTally::clear() {
  for (auto column : kGroupColumns) std::fill((this->*column).begin(), (this->*column).end(), 0);
  for (auto column : kChannelColumns) std::fill(std::begin(this->*column), std::end(this->*column), 0);
  for (auto column : kLevelColumns) std::fill(std::begin(this->*column), std::end(this->*column), 0);
  unmet_demand_cents = 0;
  direct_sales_cents = 0;
  ledger_delta = Ledger{};
}

void WeekTally::add(const WeekTally& other) {
  for (auto column : kGroupColumns) {
    auto& mine = this->*column;
    const auto& theirs = other.*column;
    for (std::size_t g = 0; g < mine.size(); ++g) mine[g] += theirs[g];
  }
  for (auto column : kChannelColumns)
    for (std::size_t c = 0; c < kChannelCount; ++c) (this->*column)[c] += (other.*column)[c];
  for (auto column : kLevelColumns)
    for (std::size_t l = 0; l < kDiversificationLevelCount; ++l) (this->*column)[l] += (other.*column)[l];
  unmet_demand_cents += other.unmet_demand_cents;
  direct_sales_cents += other.direct_sales_cents;
  ledger_delta.add(other.ledger_delta);
}

}  // namespace sellershock
