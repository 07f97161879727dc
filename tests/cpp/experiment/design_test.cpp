#include "experiment/design.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <stdexcept>

namespace sellershock {
namespace {

TEST(DesignTest, GridVisitsEveryCombinationWithTheLastFactorFastest) {
  const UnitDesign grid = grid_design({3, 2});
  ASSERT_EQ(grid.size(), 6u);
  EXPECT_DOUBLE_EQ(grid.at(0, 0), 0.0);
  EXPECT_DOUBLE_EQ(grid.at(0, 1), 0.0);
  EXPECT_DOUBLE_EQ(grid.at(1, 1), 1.0);
  EXPECT_DOUBLE_EQ(grid.at(2, 0), 0.5);
  EXPECT_DOUBLE_EQ(grid.at(5, 0), 1.0);
  EXPECT_THROW(grid_design({2, 0}), std::invalid_argument);
}

TEST(DesignTest, LatinHypercubeHitsEveryStratumOfEveryFactorExactlyOnce) {
  constexpr std::size_t kPoints = 97, kFactors = 4;
  const UnitDesign lhs = latin_hypercube(kPoints, kFactors, 12345);
  ASSERT_EQ(lhs.size(), kPoints);
  for (std::size_t j = 0; j < kFactors; ++j) {
    std::multiset<std::size_t> strata;
    for (std::size_t p = 0; p < kPoints; ++p) {
      const double u = lhs.at(p, j);
      ASSERT_GE(u, 0.0);
      ASSERT_LT(u, 1.0);
      strata.insert(static_cast<std::size_t>(u * kPoints));
    }
    for (std::size_t s = 0; s < kPoints; ++s) EXPECT_EQ(strata.count(s), 1u) << "factor " << j << " stratum " << s;
  }
}

TEST(DesignTest, LatinHypercubeIsAFunctionOfItsSeed) {
  EXPECT_EQ(latin_hypercube(20, 3, 7).coordinates, latin_hypercube(20, 3, 7).coordinates);
  EXPECT_NE(latin_hypercube(20, 3, 7).coordinates, latin_hypercube(20, 3, 8).coordinates);
}

TEST(DesignTest, SaltelliBlocksHoldAThenBThenAWithOneCoordinateOfB) {
  constexpr std::size_t kFactors = 3;
  const UnitDesign design = saltelli_design(8, kFactors);
  ASSERT_EQ(design.size(), 8 * (kFactors + 2));
  for (std::size_t s = 0; s < 8; ++s) {
    const std::size_t a = s * (kFactors + 2), b = a + 1;
    for (std::size_t i = 0; i < kFactors; ++i)
      for (std::size_t j = 0; j < kFactors; ++j)
        EXPECT_EQ(design.at(a + 2 + i, j), j == i ? design.at(b, j) : design.at(a, j));
  }
  // The zero point and the centre (1/2 in every dimension, where A and B coincide) are skipped: the
  // first block's A and B rows differ in every coordinate (later blocks' may share one: the unscrambled
  // sequence's dimensions coincide at some points, which makes two rows of a block equal, not all).
  for (std::size_t j = 0; j < kFactors; ++j) {
    EXPECT_NE(design.at(0, j), 0.5) << j;
    EXPECT_NE(design.at(0, j), design.at(1, j)) << j;
  }
}

TEST(DesignTest, MorrisTrajectoriesMoveOneFactorByDeltaPerStepOnTheGrid) {
  constexpr std::size_t kFactors = 5, kLevels = 4;
  const UnitDesign design = morris_design(10, kFactors, kLevels, 99);
  ASSERT_EQ(design.size(), 10 * (kFactors + 1));
  const double delta = 2.0 / 3.0;
  for (std::size_t t = 0; t < 10; ++t) {
    std::set<std::size_t> moved;
    for (std::size_t m = 0; m < kFactors; ++m) {
      const std::size_t before = t * (kFactors + 1) + m;
      std::size_t changes = 0;
      for (std::size_t j = 0; j < kFactors; ++j) {
        const double step = design.at(before + 1, j) - design.at(before, j);
        if (step != 0) {
          ++changes;
          moved.insert(j);
          EXPECT_NEAR(std::abs(step), delta, 1e-12);
        }
        const double level = design.at(before + 1, j) * (kLevels - 1);
        EXPECT_NEAR(level, std::round(level), 1e-9);
      }
      EXPECT_EQ(changes, 1u);
    }
    EXPECT_EQ(moved.size(), kFactors);
  }
  EXPECT_THROW(morris_design(2, 2, 3, 1), std::invalid_argument);
}

TEST(DesignTest, FactorsMapTheUnitIntervalLinearlyLogarithmicallyOrOntoTheirValues) {
  Factor linear{"enforcement.hold_days", 30, 180};
  linear.integer = true;
  EXPECT_EQ(linear.text_at(0.0), "30");
  EXPECT_EQ(linear.text_at(1.0), "180");
  EXPECT_EQ(linear.text_at(0.5), "105");
  Factor logarithmic{"sellers.count", 100, 10000, true};
  EXPECT_NEAR(logarithmic.value_at(0.5), 1000.0, 1e-9);
  Factor listed{"weeks"};
  listed.values = {10, 20, 40};
  EXPECT_EQ(listed.value_at(0.0), 10);
  EXPECT_EQ(listed.value_at(0.5), 20);
  EXPECT_EQ(listed.value_at(0.999), 40);
  EXPECT_EQ(listed.value_at(1.0), 40);
  EXPECT_EQ(Factor({"x", 0.1, 0.9}).text_at(0.5), "0.5");
}

}  // namespace
}  // namespace sellershock
