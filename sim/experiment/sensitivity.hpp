// Sensitivity indices from the outputs of a design: Sobol first-order and total indices on Saltelli's
// scheme, with bootstrap intervals, and Morris's elementary-effect statistics. Documented for users in
// docs/SWEEPS.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "experiment/design.hpp"

namespace sellershock {

// An estimate with a bootstrap percentile interval.
struct IndexEstimate {
  double value = 0.0;
  double low = 0.0;
  double high = 0.0;
};

// Per factor, in factor order. NaN when the output does not vary over the design (no variance to share).
struct SobolIndices {
  std::vector<IndexEstimate> first_order;
  std::vector<IndexEstimate> total;
};

struct SobolOptions {
  std::size_t bootstrap_samples = 1000;
  double confidence = 0.95;
  std::uint64_t seed = 1;  // of the bootstrap resampling (Philox streams)
};

// outputs: one value per point of saltelli_design(N, factors), in its order (N blocks of factors + 2).
// First-order indices by Saltelli et al. (2010, table 2 (b)): S_i = mean(f(B) (f(AB^i) - f(A))) / V, with
// f(B) centred on the mean of f over A and B (same expectation, less variance);
// total indices by Jansen (1999): ST_i = mean((f(A) - f(AB^i))^2) / (2 V); V the variance of f over
// A and B together. Intervals: percentiles of the estimates over bootstrap resamples of the N blocks.
// Throws std::invalid_argument if outputs.size() is not a multiple of factors + 2 or is 0.
SobolIndices sobol_indices(std::span<const double> outputs, std::size_t factors, const SobolOptions& options = {});

// Per factor: the mean of the elementary effects (mu), of their absolute values (mu*), and their
// standard deviation (sigma, n - 1 denominator; 0 with one trajectory). Effects are per unit of the
// unit-cube coordinate (so comparable across factors of different ranges).
struct MorrisIndices {
  std::vector<double> mu;
  std::vector<double> mu_star;
  std::vector<double> sigma;
};

// design: from morris_design (trajectories of factors + 1 points, one factor changing per step);
// outputs: one value per point. Throws std::invalid_argument if the sizes do not match or a step
// changes other than exactly one factor.
MorrisIndices morris_indices(const UnitDesign& design, std::span<const double> outputs);

}  // namespace sellershock
