#include "experiment/sensitivity.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "state/random.hpp"

namespace sellershock {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Stream of the bootstrap resamples: (seed, replication 0, entity 0, this week, ExperimentDesign).
constexpr std::int32_t kBootstrapWeek = -103;

// The outputs of Saltelli's scheme as f(A), f(B) (N) and f(AB^i) (N x k).
struct SaltelliOutputs {
  Eigen::VectorXd a, b;
  Eigen::MatrixXd ab;
};

// Indices from the rows `rows` of the outputs (a bootstrap resample, or every row).
void estimate(const SaltelliOutputs& f, const std::vector<Eigen::Index>& rows, Eigen::VectorXd& first,
              Eigen::VectorXd& total) {
  const Eigen::Index n = static_cast<Eigen::Index>(rows.size());
  const Eigen::Index k = f.ab.cols();
  Eigen::VectorXd a(n), b(n);
  Eigen::MatrixXd ab(n, k);
  for (Eigen::Index r = 0; r < n; ++r) {
    a(r) = f.a(rows[r]);
    b(r) = f.b(rows[r]);
    ab.row(r) = f.ab.row(rows[r]);
  }
  const double mean = (a.sum() + b.sum()) / static_cast<double>(2 * n);
  const double variance =
      ((a.array() - mean).square().sum() + (b.array() - mean).square().sum()) / static_cast<double>(2 * n - 1);
  first.resize(k);
  total.resize(k);
  if (!(variance > 0)) {
    first.setConstant(kNaN);
    total.setConstant(kNaN);
    return;
  }
  // f(B) centred: the same expectation (f(AB^i) - f(A) has mean 0), far less variance when the outputs'
  // mean is large against their spread, as a simulator's money totals are.
  const Eigen::ArrayXd b_centred = b.array() - mean;
  for (Eigen::Index i = 0; i < k; ++i) {
    const Eigen::ArrayXd change = ab.col(i).array() - a.array();
    first(i) = (b_centred * change).mean() / variance;
    total(i) = 0.5 * change.square().mean() / variance;
  }
}

double percentile(std::vector<double> values, double p) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
  if (values.empty()) return kNaN;
  std::sort(values.begin(), values.end());
  const double position = p * static_cast<double>(values.size() - 1);
  const std::size_t below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(values.size() - 1, below + 1);
  return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

}  // namespace

SobolIndices sobol_indices(std::span<const double> outputs, std::size_t factors, const SobolOptions& options) {
  const std::size_t block = saltelli_block_size(factors);
  if (factors == 0 || outputs.empty() || outputs.size() % block != 0)
    throw std::invalid_argument("sobol_indices: " + std::to_string(outputs.size()) +
                                " outputs do not make whole Saltelli blocks of " + std::to_string(block));
  const Eigen::Index n = static_cast<Eigen::Index>(outputs.size() / block);
  const Eigen::Index k = static_cast<Eigen::Index>(factors);
  SaltelliOutputs f{Eigen::VectorXd(n), Eigen::VectorXd(n), Eigen::MatrixXd(n, k)};
  for (Eigen::Index s = 0; s < n; ++s) {
    const double* row = &outputs[static_cast<std::size_t>(s) * block];
    f.a(s) = row[0];
    f.b(s) = row[1];
    for (Eigen::Index i = 0; i < k; ++i) f.ab(s, i) = row[2 + i];
  }

  std::vector<Eigen::Index> rows(static_cast<std::size_t>(n));
  for (Eigen::Index s = 0; s < n; ++s) rows[static_cast<std::size_t>(s)] = s;
  Eigen::VectorXd first, total;
  estimate(f, rows, first, total);

  const std::size_t resamples = options.bootstrap_samples;
  std::vector<std::vector<double>> first_draws(factors), total_draws(factors);
  RandomStream stream(options.seed, 0, 0, kBootstrapWeek, Purpose::ExperimentDesign);
  Eigen::VectorXd first_b, total_b;
  for (std::size_t r = 0; r < resamples; ++r) {
    for (Eigen::Index& row : rows) row = static_cast<Eigen::Index>(stream() % static_cast<std::uint64_t>(n));
    estimate(f, rows, first_b, total_b);
    for (std::size_t i = 0; i < factors; ++i) {
      first_draws[i].push_back(first_b(static_cast<Eigen::Index>(i)));
      total_draws[i].push_back(total_b(static_cast<Eigen::Index>(i)));
    }
  }
  const double tail = (1.0 - options.confidence) / 2.0;
  SobolIndices indices;
  for (std::size_t i = 0; i < factors; ++i) {
    const Eigen::Index e = static_cast<Eigen::Index>(i);
    const bool defined = !std::isnan(first(e));
    const bool bootstrapped = defined && resamples > 0;
    indices.first_order.push_back({first(e), bootstrapped ? percentile(first_draws[i], tail) : first(e),
                                   bootstrapped ? percentile(first_draws[i], 1.0 - tail) : first(e)});
    indices.total.push_back({total(e), bootstrapped ? percentile(total_draws[i], tail) : total(e),
                             bootstrapped ? percentile(total_draws[i], 1.0 - tail) : total(e)});
  }
  return indices;
}

MorrisIndices morris_indices(const UnitDesign& design, std::span<const double> outputs) {
  const std::size_t k = design.factors;
  if (k == 0 || design.size() != outputs.size() || design.size() % (k + 1) != 0)
    throw std::invalid_argument("morris_indices: the outputs do not match whole trajectories of the design");
  const std::size_t trajectories = design.size() / (k + 1);
  std::vector<std::vector<double>> effects(k);
  for (std::size_t t = 0; t < trajectories; ++t) {
    for (std::size_t m = 0; m < k; ++m) {
      const std::size_t before = t * (k + 1) + m;
      const std::size_t after = before + 1;
      std::size_t changed = k;
      for (std::size_t j = 0; j < k; ++j)
        if (design.at(after, j) != design.at(before, j)) {
          if (changed != k) throw std::invalid_argument("morris_indices: a step changes more than one factor");
          changed = j;
        }
      if (changed == k) throw std::invalid_argument("morris_indices: a step changes no factor");
      const double delta = design.at(after, changed) - design.at(before, changed);
      effects[changed].push_back((outputs[after] - outputs[before]) / delta);
    }
  }
  MorrisIndices indices;
  for (std::size_t j = 0; j < k; ++j) {
    const Eigen::Map<const Eigen::ArrayXd> ee(effects[j].data(), static_cast<Eigen::Index>(effects[j].size()));
    const double mu = ee.size() ? ee.mean() : kNaN;
    indices.mu.push_back(mu);
    indices.mu_star.push_back(ee.size() ? ee.abs().mean() : kNaN);
    indices.sigma.push_back(ee.size() > 1 ? std::sqrt((ee - mu).square().sum() / static_cast<double>(ee.size() - 1))
                                          : 0.0);
  }
  return indices;
}

}  // namespace sellershock
