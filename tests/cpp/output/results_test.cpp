#include "output/results.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace sellershock {

TEST(Summarize, QuantilesInterpolateBetweenOrderStatisticsLikeNumpy) {
  // numpy.quantile([0, 10, 20, 30, 40], [0.05, 0.5, 0.95]) == [2, 20, 38]
  const SummaryStatistics s = summarize({40, 0, 30, 10, 20});
  EXPECT_DOUBLE_EQ(s.mean, 20.0);
  EXPECT_DOUBLE_EQ(s.q05, 2.0);
  EXPECT_DOUBLE_EQ(s.q50, 20.0);
  EXPECT_DOUBLE_EQ(s.q95, 38.0);
}

TEST(Summarize, SingleValueIsEveryQuantile) {
  const SummaryStatistics s = summarize({7});
  EXPECT_DOUBLE_EQ(s.q05, 7.0);
  EXPECT_DOUBLE_EQ(s.q95, 7.0);
}

TEST(Summarize, StandardErrorIsTheSampleStandardDeviationOverRootN) {
  const SummaryStatistics s = summarize({1, 2, 3, 4});
  // The sample standard deviation of 1..4 is sqrt(5/3); over sqrt(4) replications.
  EXPECT_NEAR(s.standard_error, std::sqrt(5.0 / 3.0) / 2.0, 1e-12);
  EXPECT_TRUE(std::isnan(summarize({7}).standard_error));
}

}  // namespace sellershock
