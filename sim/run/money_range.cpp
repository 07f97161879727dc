#include "run/money_range.hpp"

#include <cmath>
#include <cstdio>

#include "scenario/error.hpp"

namespace sellershock {

namespace {
// int64 holds 9.2e18 cents; every run total (sales, fees, profit, the ledger's balances) is at most a
// small multiple of all sales over the run, so keep the bounds below 2^60 (a margin of 8).
constexpr double kLimitCents = 1152921504606846976.0;  // 2^60
}  // namespace

MoneyBounds money_bounds(const Scenario& scenario) {
  const SellerSpec& s = scenario.sellers;
  const double sigma = s.annual_sales_usd.sigma;
  const double years = static_cast<double>(scenario.weeks) / 52.0;
  const double count = static_cast<double>(s.count);
  MoneyBounds bounds;
  // The mean of a lognormal is median * exp(sigma^2 / 2).
  bounds.total_sales_cents =
      count * static_cast<double>(s.scale) * s.annual_sales_usd.median * std::exp(0.5 * sigma * sigma) * years * 100.0;
  // The largest of `count` draws rarely exceeds the normal quantile at 1 - 1/(1000 count).
  const double z = std::sqrt(2.0 * std::log(1000.0 * std::max(1.0, count)));
  bounds.largest_business_cents = s.annual_sales_usd.median * std::exp(sigma * z) * years * 100.0;
  return bounds;
}

void check_money_range(const Scenario& scenario, const std::string& scenario_file) {
  const MoneyBounds bounds = money_bounds(scenario);
  const SellerSpec& s = scenario.sellers;
  std::string key;
  std::string why;
  char figure[64];
  if (!(bounds.largest_business_cents < kLimitCents)) {
    std::snprintf(figure, sizeof figure, "%.3g", bounds.largest_business_cents / 100.0);
    key = s.annual_sales_usd.sigma > 3.5 ? "sellers.annual_sales_usd.sigma" : "sellers.annual_sales_usd.median";
    why = "the largest business would sell about $" + std::string(figure) + " over the run";
  } else if (!(bounds.total_sales_cents < kLimitCents)) {
    std::snprintf(figure, sizeof figure, "%.3g", bounds.total_sales_cents / 100.0);
    // Name the factor furthest from a plausible value: a heavy tail, a large scale, many sellers, or a
    // long run.
    const double sigma_factor = std::exp(0.5 * s.annual_sales_usd.sigma * s.annual_sales_usd.sigma);
    if (sigma_factor > 1000.0) key = "sellers.annual_sales_usd.sigma";
    else if (static_cast<double>(s.scale) > 1000.0) key = "sellers.scale";
    else if (s.annual_sales_usd.median > 1e9) key = "sellers.annual_sales_usd.median";
    else if (s.count > 10'000'000) key = "sellers.count";
    else key = "weeks";
    why = "all businesses would sell about $" + std::string(figure) + " over the run";
  } else {
    return;
  }
  const std::string what = why + ", more than the model's integer cents can sum safely (about $11.5 quadrillion, "
                                 "2^60 cents); lower " + key;
  throw InputError({scenario_file, 0, 0}, key, format_input_error({scenario_file, 0, 0}, key, what));
}

}  // namespace sellershock
