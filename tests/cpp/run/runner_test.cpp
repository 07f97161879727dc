#include "run/runner.hpp"

#include <gtest/gtest.h>

#include "scenario/error.hpp"
#include "support/test_scenario.hpp"

namespace sellershock {

namespace {

// Fails on the given replication, to check that a failed run abandons its writer.
class FailingWriter final : public ResultWriter {
 public:
  void begin(const Layout&, std::int64_t, const std::string&) override {}
  void add(const ReplicationResult& result) override {
    if (result.replication == 1) throw std::runtime_error("disk full");
  }
  void finish(const Provenance&) override { finished = true; }
  void abandon() noexcept override { abandoned = true; }
  bool finished = false, abandoned = false;
};

}  // namespace

TEST(RunScenario, SameResultsForAnyThreadCount) {
  const Scenario s = testing::small_scenario(3000, 20, 5);
  MemoryWriter one, two;
  RunOptions options;
  options.threads = 1;
  run_scenario(s, "yaml", one, {}, options);
  options.threads = 2;
  run_scenario(s, "yaml", two, {}, options);
  ASSERT_TRUE(one.finished() && two.finished());
  for (std::size_t r = 0; r < 5; ++r) {
    EXPECT_EQ(one.replications()[r].replication, static_cast<std::int64_t>(r));
    EXPECT_EQ(one.replications()[r].series, two.replications()[r].series);
    EXPECT_EQ(one.replications()[r].summary, two.replications()[r].summary);
  }
  EXPECT_EQ(two.provenance().threads, 2);
  EXPECT_EQ(two.resolved_scenario(), "yaml");
}

TEST(RunScenario, ReplicationMatchesItsStandaloneRun) {
  const Scenario s = testing::small_scenario(1000, 10, 3);
  MemoryWriter writer;
  run_scenario(s, "", writer, {});
  EXPECT_EQ(writer.replications()[2].series, simulate_replication(s, 2).series);
}

TEST(RunScenario, FailureAbandonsTheWriterAndPropagates) {
  const Scenario s = testing::small_scenario(200, 5, 3);
  FailingWriter writer;
  EXPECT_THROW(run_scenario(s, "", writer, {}), std::runtime_error);
  EXPECT_TRUE(writer.abandoned);
  EXPECT_FALSE(writer.finished);
}

TEST(CheckResources, AbsurdSellerCountIsRefusedWithAMemoryEstimate) {
  Scenario s = testing::small_scenario();
  s.sellers.count = 2'000'000'000;
  try {
    check_resources(s, "huge.yaml", 2);
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("huge.yaml"), std::string::npos) << message;
    EXPECT_NE(message.find("sellers.count"), std::string::npos) << message;
    EXPECT_NE(message.find("GiB"), std::string::npos) << message;
  }
}

TEST(CheckResources, ModestScenarioPasses) {
  EXPECT_NO_THROW(check_resources(testing::small_scenario(), "ok.yaml", 2));
}

TEST(CheckResources, EstimateGrowsWithSellersAndConcurrentReplications) {
  Scenario s = testing::small_scenario(1'000'000, 52, 8);
  const auto one_thread = estimated_peak_bytes(s, 1);
  EXPECT_GT(estimated_peak_bytes(s, 2), one_thread);
  s.sellers.count *= 2;
  EXPECT_GT(estimated_peak_bytes(s, 1), one_thread);
}

}  // namespace sellershock
