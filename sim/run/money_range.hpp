// Whether a scenario's money fits in int64 cents (about 92 quadrillion dollars), checked before a run so
// that a sum that would wrap is an input error naming the parameter behind it, not a wrong number.
#pragma once

#include <string>

#include "scenario/scenario.hpp"

namespace sellershock {

// The largest amount of money, in cents, that the run may need to hold in one int64: the sales of all
// businesses over the run (in expectation, times a margin) and the sales of the largest business.
struct MoneyBounds {
  double total_sales_cents = 0;     // expected sales of all real businesses over the run
  double largest_business_cents = 0;  // a high quantile of one business's sales over the run
};
MoneyBounds money_bounds(const Scenario& scenario);

// Throws InputError naming scenario_file and the parameter that drives the excess
// (sellers.annual_sales_usd.sigma or .median, sellers.scale, sellers.count or weeks) when a bound exceeds
// what int64 cents hold with a margin of 8 for sums over the run.
void check_money_range(const Scenario& scenario, const std::string& scenario_file);

}  // namespace sellershock
