// Process 9, observe: the week's stocks by group and channel (flows are tallied by the processes that
// cause them). The stocks are running sums: the processes that change a seller's part of them (a
// suspension, a reinstatement, a hold's end, an exit, a channel added or dropped) take the seller's
// part out before the change and put it back after (count_stocks), the week's changes are added to the
// replication's stocks (carry_stocks), and only the sellers' money is summed over every seller here.
#include <algorithm>
#include <span>

#include "process/week.hpp"

namespace sellershock {

void count_all_stocks(const SellerTable& sellers, WeekTally& stocks) {
  for (std::size_t i = 0; i < sellers.size(); ++i) count_stocks(sellers, i, 1, stocks);
}

namespace {
// Every stock column of the tallies (the columns of measure stock in week.hpp's lists), as pairs of
// spans (one column of each).
template <typename Tally, typename Visit>
void for_each_stock_column(Tally& a, Tally& b, Visit visit) {
#define SELLERSHOCK_VISIT_STOCK(name, measure) \
  if constexpr (Measure::measure == Measure::stock) visit(std::span(a.name), std::span(b.name));
  SELLERSHOCK_GROUP_COLUMNS(SELLERSHOCK_VISIT_STOCK)
  SELLERSHOCK_CHANNEL_COLUMNS(SELLERSHOCK_VISIT_STOCK)
  SELLERSHOCK_LEVEL_COLUMNS(SELLERSHOCK_VISIT_STOCK)
#undef SELLERSHOCK_VISIT_STOCK
}
}  // namespace

void carry_stocks(WeekTally& stocks, WeekTally& tally) {
  for_each_stock_column(stocks, tally, [](auto stock, auto week) {
    for (std::size_t k = 0; k < stock.size(); ++k) {
      stock[k] += week[k];
      week[k] = stock[k];
    }
  });
}

bool same_stocks(const WeekTally& a, const WeekTally& b) {
  bool same = true;
  for_each_stock_column(a, b, [&](auto x, auto y) {
    same = same && std::equal(x.begin(), x.end(), y.begin(), y.end());
  });
  return same;
}

void observe(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally) {
  const SellerTable& sellers = context.world.sellers;
  // The sellers' part of the ledger (kSellerMoneyNames order); exited businesses' too.
  Cents money[kSellerMoneyCount] = {};
  for (std::size_t i = begin; i < end; ++i) money[0] += sellers.cash_cents[i];
  for (std::size_t i = begin; i < end; ++i) money[1] += sellers.held_cents[i];
  for (std::size_t i = begin; i < end; ++i) money[2] += sellers.alternative_held_cents[i];
  for (std::size_t i = begin; i < end; ++i) money[3] += sellers.frozen_cents[i];
  for (std::size_t k = 0; k < kSellerMoneyCount; ++k) tally.seller_money_cents[k] += money[k];
}

}  // namespace sellershock
