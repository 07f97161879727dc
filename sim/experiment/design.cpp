#include "experiment/design.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <boost/random/sobol.hpp>

#include "scenario/parameters.hpp"
#include "state/random.hpp"

namespace sellershock {

namespace {

// Streams of the design draws: (seed, replication 0, entity, week, ExperimentDesign). The week value
// separates the draws of the different designs so that one never reuses another's numbers.
constexpr std::int32_t kLatinHypercubeWeek = -101;
constexpr std::int32_t kMorrisWeek = -102;

// An index uniform in [0, n) (n small: the modulo bias of 64-bit draws is negligible and, more to
// the point, fixed: the designs are part of the reproducibility contract).
std::size_t uniform_index(RandomStream& stream, std::size_t n) {
  return static_cast<std::size_t>(stream() % static_cast<std::uint64_t>(n));
}

}  // namespace

double Factor::value_at(double u) const {
  u = std::clamp(u, 0.0, 1.0);
  double value = 0.0;
  if (!values.empty()) {
    const std::size_t n = values.size();
    value = values[std::min(n - 1, static_cast<std::size_t>(u * static_cast<double>(n)))];
  } else if (log) {
    value = std::exp(std::log(low) + u * (std::log(high) - std::log(low)));
  } else {
    value = low + u * (high - low);
  }
  return integer ? std::round(value) : value;
}

std::string Factor::text_at(double u) const {
  const double value = value_at(u);
  if (integer) return std::to_string(static_cast<long long>(value));
  return exact_number_text(value);
}

UnitDesign grid_design(const std::vector<std::size_t>& levels_per_factor) {
  UnitDesign design;
  design.factors = levels_per_factor.size();
  if (design.factors == 0) return design;
  std::size_t points = 1;
  for (std::size_t n : levels_per_factor) {
    if (n == 0) throw std::invalid_argument("grid_design: a factor has no levels");
    points *= n;
  }
  design.coordinates.resize(points * design.factors);
  for (std::size_t p = 0; p < points; ++p) {
    std::size_t rest = p;
    for (std::size_t j = design.factors; j-- > 0;) {
      const std::size_t n = levels_per_factor[j];
      const std::size_t level = rest % n;
      rest /= n;
      design.coordinates[p * design.factors + j] =
          n == 1 ? 0.5 : static_cast<double>(level) / static_cast<double>(n - 1);
    }
  }
  return design;
}

UnitDesign latin_hypercube(std::size_t points, std::size_t factors, std::uint64_t seed) {
  UnitDesign design;
  design.factors = factors;
  design.coordinates.resize(points * factors);
  std::vector<std::size_t> strata(points);
  for (std::size_t j = 0; j < factors; ++j) {
    RandomStream stream(seed, 0, j, kLatinHypercubeWeek, Purpose::ExperimentDesign);
    std::iota(strata.begin(), strata.end(), std::size_t{0});
    for (std::size_t i = points; i > 1; --i) std::swap(strata[i - 1], strata[uniform_index(stream, i)]);
    for (std::size_t p = 0; p < points; ++p)
      design.coordinates[p * factors + j] =
          (static_cast<double>(strata[p]) + stream.uniform()) / static_cast<double>(points);
  }
  return design;
}

UnitDesign saltelli_design(std::size_t base_samples, std::size_t factors) {
  UnitDesign design;
  design.factors = factors;
  if (factors == 0) return design;
  const std::size_t block = saltelli_block_size(factors);
  design.coordinates.resize(base_samples * block * factors);
  boost::random::sobol sequence(2 * factors);
  std::vector<double> point(2 * factors);
  auto next_point = [&] {
    for (double& x : point) x = static_cast<double>(sequence()) * 0x1.0p-64;
  };
  next_point();
  const bool starts_at_zero = std::all_of(point.begin(), point.end(), [](double x) { return x == 0.0; });
  if (!starts_at_zero) sequence.seed();  // this Boost starts past the zero point: start again
  // The next point is the centre in every dimension, so its A and B rows coincide and its whole block is
  // one point run 2 + factors times, adding nothing to the indices: skip it too.
  next_point();
  for (std::size_t s = 0; s < base_samples; ++s) {
    next_point();
    double* rows = &design.coordinates[s * block * factors];
    for (std::size_t j = 0; j < factors; ++j) {
      rows[0 * factors + j] = point[j];            // A
      rows[1 * factors + j] = point[factors + j];  // B
      for (std::size_t i = 0; i < factors; ++i) rows[(2 + i) * factors + j] = j == i ? point[factors + j] : point[j];
    }
  }
  return design;
}

UnitDesign morris_design(std::size_t trajectories, std::size_t factors, std::size_t levels, std::uint64_t seed) {
  if (levels < 2 || levels % 2 != 0)
    throw std::invalid_argument("morris_design: the number of levels must be even and at least 2");
  UnitDesign design;
  design.factors = factors;
  design.coordinates.resize(trajectories * (factors + 1) * factors);
  const double step = 1.0 / static_cast<double>(levels - 1);
  const double delta = static_cast<double>(levels) / (2.0 * static_cast<double>(levels - 1));
  std::vector<std::size_t> order(factors);
  std::vector<double> x(factors);
  for (std::size_t t = 0; t < trajectories; ++t) {
    RandomStream stream(seed, 0, t, kMorrisWeek, Purpose::ExperimentDesign);
    for (double& xj : x) xj = static_cast<double>(uniform_index(stream, levels)) * step;
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t i = factors; i > 1; --i) std::swap(order[i - 1], order[uniform_index(stream, i)]);
    double* rows = &design.coordinates[t * (factors + 1) * factors];
    std::copy(x.begin(), x.end(), rows);
    for (std::size_t m = 0; m < factors; ++m) {
      const std::size_t j = order[m];
      x[j] = x[j] + delta <= 1.0 + 1e-12 ? x[j] + delta : x[j] - delta;
      std::copy(x.begin(), x.end(), rows + (m + 1) * factors);
    }
  }
  return design;
}

}  // namespace sellershock
