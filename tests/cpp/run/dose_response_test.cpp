// The diversification dose-response study (sim/run/dose_response.cpp).
#include "run/dose_response.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "output/writer.hpp"
#include "support/test_scenario.hpp"

namespace sellershock {

namespace {

struct MeanAndError {
  double mean = 0, standard_error = 0;
};

MeanAndError over_replications(const MemoryWriter& writer, std::size_t entry, std::size_t level) {
  const auto& results = writer.replications();
  const auto n = static_cast<double>(results.size());
  MeanAndError out;
  for (const ReplicationResult& r : results) out.mean += static_cast<double>(r.summary[entry][level]) / n;
  double squares = 0;
  for (const ReplicationResult& r : results) squares += std::pow(static_cast<double>(r.summary[entry][level]) - out.mean, 2);
  out.standard_error = std::sqrt(squares / (n - 1) / n);
  return out;
}

}  // namespace

TEST(DoseResponse, EachLevelDiversifiesEveryBusinessAndFreezesChannels) {
  const Scenario s = at_dose_level(testing::small_scenario(), 0.3);
  EXPECT_EQ(s.sellers.own_store_share, 1.0);
  EXPECT_EQ(s.sellers.off_platform_sales_share, 0.3);
  EXPECT_EQ(s.diversification.review_weeks, 0);
}

TEST(DoseResponse, LossPerSellerFallsAsTheOffPlatformShareRises) {
  Scenario s = testing::small_scenario(2000, 30, 8);
  const std::vector<double> levels = {0.0, 0.1, 0.2, 0.35, 0.5};
  MemoryWriter writer;
  run_dose_response(s, levels, writer, Provenance{});
  ASSERT_TRUE(writer.finished());
  ASSERT_EQ(writer.replications().size(), 8u);
  ASSERT_EQ(writer.layout().axis("off_platform_share").labels,
            (std::vector<std::string>{"0", "0.1", "0.2", "0.35", "0.5"}));
  std::size_t loss = 0;
  while (writer.layout().summary[loss].name != "loss_per_seller_cents") ++loss;
  std::vector<MeanAndError> at(levels.size());
  for (std::size_t k = 0; k < levels.size(); ++k) at[k] = over_replications(writer, loss, k);
  ASSERT_GT(at[0].mean, 0.0);
  for (std::size_t k = 0; k + 1 < levels.size(); ++k) {
    // Monotone within Monte Carlo error: each step down is not contradicted by two standard errors.
    const double error = 2 * std::hypot(at[k].standard_error, at[k + 1].standard_error);
    EXPECT_LT(at[k + 1].mean, at[k].mean + error) << "levels " << levels[k] << " -> " << levels[k + 1];
  }
  // And the whole range makes a clear difference.
  EXPECT_LT(at.back().mean, 0.8 * at.front().mean);
}

TEST(DoseResponse, RejectsTooFewOrOutOfRangeLevels) {
  const Scenario s = testing::small_scenario(200, 4, 1);
  MemoryWriter writer;
  EXPECT_THROW(run_dose_response(s, {0.2}, writer, Provenance{}), std::invalid_argument);
  EXPECT_THROW(run_dose_response(s, {0.2, 1.0}, writer, Provenance{}), std::invalid_argument);
  EXPECT_THROW(run_dose_response(s, {0.2, 0.2}, writer, Provenance{}), std::invalid_argument);
}

}  // namespace sellershock
