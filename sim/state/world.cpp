#include "state/world.hpp"

#include <boost/random/lognormal_distribution.hpp>
#include <cmath>

#include "state/random.hpp"

namespace sellershock {

void SellerTable::resize(std::size_t count) {
  region.resize(count);
  rule_breaker.resize(count);
  expected_weekly_sales_cents.resize(count);
  weekly_fixed_cost_cents.resize(count);
  credit_line_cents.resize(count);
  status.resize(count, SellerStatus::Active);
  cash_cents.resize(count);
  held_cents.resize(count);
  last_week_marketplace_sales_cents.resize(count);
  frozen_cents.resize(count);
  appeal_week.resize(count, kNoWeek);
  hold_end_week.resize(count, kNoWeek);
  weeks_insolvent.resize(count);
  suspension_threshold.resize(count);
}

double draw_suspension_threshold(std::uint64_t seed, std::int64_t replication, std::size_t seller, std::int32_t week) {
  RandomStream stream(seed, static_cast<std::uint64_t>(replication), seller, week, Purpose::Suspension);
  return -std::log1p(-stream.uniform());  // Exp(1) by inversion
}

std::size_t SellerTable::bytes_per_seller() noexcept {
  return 2 * sizeof(std::uint8_t) + sizeof(SellerStatus) + 8 * sizeof(Cents) + 3 * sizeof(std::int32_t) +
         sizeof(double);
}

Cents World::total_money_cents() const {
  Cents total = ledger.outside_cents + ledger.platform_fees_cents + ledger.platform_forfeited_cents +
                ledger.payment_processor_fees_cents;
  for (std::size_t i = 0; i < sellers.size(); ++i)
    total += sellers.cash_cents[i] + sellers.held_cents[i] + sellers.frozen_cents[i];
  return total;
}

World make_world(const Scenario& scenario, std::int64_t replication) {
  World world;
  world.seed = scenario.seed;
  world.replication = replication;
  for (const RegionShare& r : scenario.sellers.region_shares) world.region_names.push_back(r.region);

  const SellerSpec& spec = scenario.sellers;
  SellerTable& sellers = world.sellers;
  sellers.resize(static_cast<std::size_t>(spec.count));

  // Cumulative region shares; the last bound is forced to 1 so rounding cannot leave a gap.
  std::vector<double> region_upper;
  double cumulative = 0;
  for (const RegionShare& r : spec.region_shares) region_upper.push_back(cumulative += r.share);
  if (!region_upper.empty()) region_upper.back() = 1.0;

  const double weekly_cost_share = (1.0 - spec.gross_margin) + spec.fixed_cost_share;
  boost::random::lognormal_distribution<double> annual_sales(std::log(spec.annual_sales_usd.median),
                                                             spec.annual_sales_usd.sigma);
  for (std::size_t i = 0; i < sellers.size(); ++i) {
    RandomStream stream(world.seed, static_cast<std::uint64_t>(replication), i, kSetupWeek,
                        Purpose::SellerSetup);
    const double region_draw = stream.uniform();
    std::uint8_t region = 0;
    while (region + 1u < region_upper.size() && region_draw >= region_upper[region]) ++region;
    sellers.region[i] = region;
    sellers.rule_breaker[i] = stream.uniform() < spec.rule_breaker_share ? 1 : 0;
    sellers.suspension_threshold[i] = draw_suspension_threshold(world.seed, replication, i, kSetupWeek);

    const double weekly_sales_usd = annual_sales(stream) / 52.0;
    const Cents weekly_sales = usd_to_cents(weekly_sales_usd);
    sellers.expected_weekly_sales_cents[i] = weekly_sales;
    sellers.weekly_fixed_cost_cents[i] = round_cents(static_cast<double>(weekly_sales) * spec.fixed_cost_share);
    const double weekly_costs = static_cast<double>(weekly_sales) * weekly_cost_share;
    sellers.credit_line_cents[i] = round_cents(weekly_costs * spec.credit_line_weeks);
    // Opening cash comes from the owners, i.e. from outside the model's sellers.
    transfer(world.ledger.outside_cents, sellers.cash_cents[i], round_cents(weekly_costs * spec.cash_buffer_weeks));
  }
  return world;
}

}  // namespace sellershock
