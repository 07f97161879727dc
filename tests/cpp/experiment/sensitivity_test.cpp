#include "experiment/sensitivity.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace sellershock {
namespace {

// Ishigami & Homma (1990) with a = 7, b = 0.1 on [-pi, pi]^3; a fourth factor it ignores.
double ishigami(const UnitDesign& design, std::size_t p) {
  const double pi = std::numbers::pi;
  const double x1 = -pi + 2 * pi * design.at(p, 0), x2 = -pi + 2 * pi * design.at(p, 1),
               x3 = -pi + 2 * pi * design.at(p, 2);
  return std::sin(x1) + 7.0 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
}

std::vector<double> outputs_of(const UnitDesign& design) {
  std::vector<double> y(design.size());
  for (std::size_t p = 0; p < design.size(); ++p) y[p] = ishigami(design, p);
  return y;
}

// Analytic indices (Saltelli et al. 2010; ../shared/FACTS.md).
constexpr double kFirst[] = {0.3139, 0.4424, 0.0};
constexpr double kTotal[] = {0.5576, 0.4424, 0.2437};

TEST(IshigamiTest, SobolIndicesAtTwoToTheTwelveAreWithinTwoHundredthsOfTheAnalyticValues) {
  const UnitDesign design = saltelli_design(4096, 3);
  const SobolIndices indices = sobol_indices(outputs_of(design), 3);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(indices.first_order[i].value, kFirst[i], 0.02) << "S" << i + 1;
    EXPECT_NEAR(indices.total[i].value, kTotal[i], 0.02) << "ST" << i + 1;
    EXPECT_LE(indices.first_order[i].low, indices.first_order[i].value);
    EXPECT_GE(indices.first_order[i].high, indices.first_order[i].value);
    EXPECT_LE(indices.total[i].low, indices.total[i].value);
    EXPECT_GE(indices.total[i].high, indices.total[i].value);
    std::printf("Ishigami N=4096: S%zu = %.4f [%.4f, %.4f] (analytic %.4f), ST%zu = %.4f [%.4f, %.4f] (analytic %.4f)\n",
                i + 1, indices.first_order[i].value, indices.first_order[i].low, indices.first_order[i].high,
                kFirst[i], i + 1, indices.total[i].value, indices.total[i].low, indices.total[i].high, kTotal[i]);
  }
}

TEST(IshigamiTest, AFactorTheFunctionIgnoresHasATotalIndexIntervalContainingZero) {
  const UnitDesign design = saltelli_design(1024, 4);  // factor 4 is ignored by ishigami()
  const SobolIndices indices = sobol_indices(outputs_of(design), 4);
  EXPECT_LE(indices.total[3].low, 0.0);
  EXPECT_GE(indices.total[3].high, 0.0);
  EXPECT_NEAR(indices.total[3].value, 0.0, 1e-12);
  EXPECT_GT(indices.total[0].low, 0.3);  // while the others are clearly not zero
}

TEST(SensitivityTest, NoiseInAnIgnoredFactorStillGivesAnIntervalContainingZeroForIt) {
  // A noisy model (as a simulator's replication mean is): f = x1 + small noise per point.
  const UnitDesign design = saltelli_design(512, 2);
  std::vector<double> y(design.size());
  for (std::size_t p = 0; p < design.size(); ++p) y[p] = design.at(p, 0) + 0.01 * std::sin(1e3 * double(p));
  const SobolIndices indices = sobol_indices(y, 2);
  EXPECT_LE(indices.total[1].low, 0.01);
  EXPECT_NEAR(indices.total[0].value, 1.0, 0.05);
}

TEST(SensitivityTest, ConstantOutputsGiveUndefinedIndices) {
  const UnitDesign design = saltelli_design(16, 2);
  const SobolIndices indices = sobol_indices(std::vector<double>(design.size(), 3.0), 2);
  EXPECT_TRUE(std::isnan(indices.first_order[0].value));
  EXPECT_THROW(sobol_indices(std::vector<double>(5, 1.0), 2), std::invalid_argument);
}

TEST(SensitivityTest, MorrisEffectsOfALinearFunctionAreItsCoefficients) {
  const UnitDesign design = morris_design(20, 3, 4, 5);
  std::vector<double> y(design.size());
  for (std::size_t p = 0; p < design.size(); ++p) y[p] = 2.0 * design.at(p, 0) - 3.0 * design.at(p, 1);
  const MorrisIndices indices = morris_indices(design, y);
  EXPECT_NEAR(indices.mu[0], 2.0, 1e-9);
  EXPECT_NEAR(indices.mu_star[1], 3.0, 1e-9);
  EXPECT_NEAR(indices.mu[1], -3.0, 1e-9);
  EXPECT_NEAR(indices.sigma[0], 0.0, 1e-9);
  EXPECT_NEAR(indices.mu_star[2], 0.0, 1e-12);
}

TEST(SensitivityTest, MorrisSigmaShowsInteractions) {
  const UnitDesign design = morris_design(40, 2, 4, 6);
  std::vector<double> y(design.size());
  for (std::size_t p = 0; p < design.size(); ++p) y[p] = design.at(p, 0) * design.at(p, 1);
  const MorrisIndices indices = morris_indices(design, y);
  EXPECT_GT(indices.sigma[0], 0.1);
  EXPECT_GT(indices.mu_star[0], 0.1);
}

}  // namespace
}  // namespace sellershock
