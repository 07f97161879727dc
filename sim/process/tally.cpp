#include <algorithm>

#include "process/week.hpp"

namespace sellershock {

WeekTally::WeekTally(std::size_t groups) {
#define SELLERSHOCK_SIZE_GROUP(name, ...) name.assign(groups, 0);
  SELLERSHOCK_GROUP_COLUMNS(SELLERSHOCK_SIZE_GROUP)
#undef SELLERSHOCK_SIZE_GROUP
  exited_fixed_costs_cents.assign(groups, 0);
}

void WeekTally::clear() {
#define SELLERSHOCK_CLEAR_COLUMN(name, ...) std::fill(std::begin(name), std::end(name), 0);
  SELLERSHOCK_GROUP_COLUMNS(SELLERSHOCK_CLEAR_COLUMN)
  SELLERSHOCK_CHANNEL_COLUMNS(SELLERSHOCK_CLEAR_COLUMN)
  SELLERSHOCK_LEVEL_COLUMNS(SELLERSHOCK_CLEAR_COLUMN)
  SELLERSHOCK_CLEAR_COLUMN(seller_money_cents)
#undef SELLERSHOCK_CLEAR_COLUMN
  std::fill(exited_fixed_costs_cents.begin(), exited_fixed_costs_cents.end(), 0);
  unmet_demand_cents = 0;
  direct_sales_cents = 0;
  ledger_delta = Ledger{};
  ledger_balance = Ledger{};
  suspended.clear();
  reinstated.clear();
}

void WeekTally::add(const WeekTally& other) {
#define SELLERSHOCK_ADD_COLUMN(name, ...) \
  for (std::size_t k = 0; k < std::size(name); ++k) name[k] += other.name[k];
  SELLERSHOCK_GROUP_COLUMNS(SELLERSHOCK_ADD_COLUMN)
  SELLERSHOCK_CHANNEL_COLUMNS(SELLERSHOCK_ADD_COLUMN)
  SELLERSHOCK_LEVEL_COLUMNS(SELLERSHOCK_ADD_COLUMN)
  SELLERSHOCK_ADD_COLUMN(seller_money_cents)
#undef SELLERSHOCK_ADD_COLUMN
  for (std::size_t k = 0; k < exited_fixed_costs_cents.size(); ++k)
    exited_fixed_costs_cents[k] += other.exited_fixed_costs_cents[k];
  unmet_demand_cents += other.unmet_demand_cents;
  direct_sales_cents += other.direct_sales_cents;
  ledger_delta.add(other.ledger_delta);
  suspended.insert(suspended.end(), other.suspended.begin(), other.suspended.end());
  reinstated.insert(reinstated.end(), other.reinstated.begin(), other.reinstated.end());
}

}  // namespace sellershock
