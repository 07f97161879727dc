#include "run/runner.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

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

// Failure 5 of issue 8: the estimate ignored the results every replication holds until the file is
// written, so -r 1000000 passed the check and then died of bad_alloc or the OOM killer.
TEST(CheckResources, ManyReplicationsAreRefusedNamingReplications) {
  Scenario s = testing::small_scenario(200, 20, 1);
  s.replications = 1'000'000;
  const MemoryEstimate estimate = estimate_memory(s, 2);
  EXPECT_EQ(estimate.driving_key, "replications");
  EXPECT_GT(estimate.per_replication_bytes, 0u);
  try {
    check_resources(s, "many.yaml", 2, true, std::uint64_t{8} << 30);
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.key_path(), "replications");
    const std::string message = error.what();
    EXPECT_NE(message.find("many.yaml"), std::string::npos) << message;
    EXPECT_NE(message.find("1000000 replications"), std::string::npos) << message;
    EXPECT_NE(message.find("8.0 GiB"), std::string::npos) << message;
  }
}

// Failure 8 of issue 8: the refusal for too many buyers named sellers.count.
TEST(CheckResources, ManyBuyersAreRefusedNamingBuyersCount) {
  Scenario s = testing::small_scenario();
  s.buyers.count = 2'000'000'000;
  try {
    check_resources(s, "buyers.yaml", 2, true, std::uint64_t{64} << 30);
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.key_path(), "buyers.count");
    EXPECT_NE(std::string(error.what()).find("buyers"), std::string::npos) << error.what();
  }
}

TEST(CheckResources, TheLimitGivenDecides) {
  const Scenario s = testing::small_scenario(1'000'000, 52, 8);
  const std::uint64_t needed = estimated_peak_bytes(s, 2);
  EXPECT_NO_THROW(check_resources(s, "ok.yaml", 2, true, needed * 2));
  EXPECT_THROW(check_resources(s, "ok.yaml", 2, true, needed), InputError);
  EXPECT_LT(estimated_peak_bytes(s, 2, /*with_counterfactual=*/false), needed);
}

// A fake file-system root with the given files.
class FakeRoot {
 public:
  FakeRoot() {
    root_ = std::filesystem::temp_directory_path() /
            ("sellershock-memory-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
  }
  ~FakeRoot() { std::filesystem::remove_all(root_); }
  void write(const std::string& relative, const std::string& text) {
    std::filesystem::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative) << text;
  }
  std::string path() const { return root_.string(); }

 private:
  std::filesystem::path root_;
};

TEST(MemoryLimit, TheSmallestCgroupV2LimitOnThePathToItsGroup) {
  FakeRoot root;
  root.write("proc/self/cgroup", "0::/jobs/run7\n");
  root.write("sys/fs/cgroup/memory.max", "max\n");
  root.write("sys/fs/cgroup/jobs/memory.max", "2147483648\n");
  root.write("sys/fs/cgroup/jobs/run7/memory.max", "max\n");
  EXPECT_EQ(memory_limit_bytes(root.path()), std::uint64_t{2} << 30);
  root.write("sys/fs/cgroup/jobs/run7/memory.max", "536870912\n");
  EXPECT_EQ(memory_limit_bytes(root.path()), std::uint64_t{512} << 20);
}

TEST(MemoryLimit, CgroupV1LimitAndItsUnlimitedValue) {
  FakeRoot root;
  root.write("proc/self/cgroup", "9:cpu,cpuacct:/x\n4:memory:/docker/abc\n0::/\n");
  root.write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
  root.write("sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes", "9223372036854771712\n");
  EXPECT_EQ(memory_limit_bytes(root.path()), 0u);  // unlimited, and no physical memory under a fake root
  root.write("sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes", "268435456\n");
  EXPECT_EQ(memory_limit_bytes(root.path()), std::uint64_t{256} << 20);
}

TEST(MemoryLimit, TheRealMachineHasALimitNoLargerThanItsMemory) {
  const std::uint64_t limit = memory_limit_bytes();
  EXPECT_GT(limit, 0u);
  EXPECT_LE(limit, static_cast<std::uint64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<std::uint64_t>(sysconf(_SC_PAGE_SIZE)));
}

}  // namespace sellershock
