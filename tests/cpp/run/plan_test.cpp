#include "run/plan.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "output/summary_collector.hpp"
#include "run/run_report.hpp"
#include "scenario/error.hpp"

namespace sellershock {
namespace {

const std::string kTiny = std::string(SELLERSHOCK_SOURCE_DIR) + "/tests/fixtures/scenarios/tiny.yaml";

// tiny.yaml cut to a quick run.
RunPlan small_plan() {
  RunPlan plan;
  plan.scenario_path = kTiny;
  plan.overrides = {"weeks=8", "sellers.count=100"};
  plan.replications = "2";
  plan.threads = 1;
  return plan;
}

std::string input_error_key(const RunPlan& plan) {
  try {
    prepare_run(plan);
  } catch (const InputError& error) {
    return error.key_path();
  }
  return "(no error)";
}

TEST(RunPlan, ReplicationsAndSeedAreOverridesAppliedLast) {
  RunPlan plan = small_plan();
  plan.seed = "99";
  EXPECT_EQ(all_overrides(plan), (std::vector<std::string>{"weeks=8", "sellers.count=100", "replications=2", "seed=99"}));
  const PreparedRun run = prepare_run(plan);
  EXPECT_EQ(run.scenario.replications, 2);
  EXPECT_EQ(run.scenario.seed, 99u);
  EXPECT_EQ(run.scenario.weeks, 8);
}

// Failure 8 of issue 8: --seed -1 and --seed 2^64 became 2^64-1, while the file's seed: -1 was refused.
TEST(RunPlan, SeedAndReplicationsAreValidatedLikeTheFile) {
  for (const char* seed : {"-1", "18446744073709551616", "1.5", "abc", ""}) {
    RunPlan plan = small_plan();
    plan.seed = seed;
    EXPECT_EQ(input_error_key(plan), "seed") << seed;
  }
  for (const char* replications : {"0", "-3", "1000001", "2.5"}) {
    RunPlan plan = small_plan();
    plan.replications = replications;
    EXPECT_EQ(input_error_key(plan), "replications") << replications;
  }
  RunPlan plan = small_plan();
  plan.seed = "18446744073709551615";
  EXPECT_EQ(prepare_run(plan).scenario.seed, 18446744073709551615ULL);
}

TEST(RunPlan, ThreadCountsOutsideTheRangeAreRefused) {
  for (const int threads : {-1, kMaxThreads + 1}) {
    RunPlan plan = small_plan();
    plan.threads = threads;
    EXPECT_THROW(prepare_run(plan), InputError) << threads;
  }
}

TEST(RunPlan, TooManyReplicationsAreRefusedBeforeAnythingRuns) {
  RunPlan plan = small_plan();
  plan.replications = "1000000";
  plan.overrides = {};
  EXPECT_EQ(input_error_key(plan), "replications");
}

TEST(RunPlan, ExecuteWritesTheRunAndTheReportHasItsTablesInOrder) {
  const PreparedRun run = prepare_run(small_plan());
  SummaryCollector collected;
  execute(run, collected, provenance_of(run, "sellershock run tiny.yaml"));
  const std::string report = run_report(run, collected);
  EXPECT_EQ(report.rfind("scenario tiny: 2 replications x 8 weeks, 100 sellers, seed 20210503\n", 0), 0u) << report;
  const std::size_t loss = report.find("Attributable loss");
  ASSERT_NE(loss, std::string::npos) << report;
  EXPECT_LT(report.find("frozen (USD)"), loss);
  EXPECT_EQ(default_output_path(run), "results/tiny.h5");
}

TEST(RunPlan, ACancelledRunCreatesNoFile) {
  const PreparedRun run = prepare_run(small_plan());
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("sellershock-plan-" + std::to_string(::getpid()) + ".h5");
  RunProgress progress;
  progress.cancel_requested = true;
  EXPECT_THROW(run_to_file(run, path.string(), false, provenance_of(run, ""), &progress), RunCancelled);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(DoseResponsePlan, LevelsAndCounterfactualAreChecked) {
  EXPECT_THROW(prepare_dose_response(small_plan(), {0.2}), InputError);
  EXPECT_THROW(prepare_dose_response(small_plan(), {0.1, 1.5}), InputError);
  RunPlan no_counterfactual = small_plan();
  no_counterfactual.overrides.push_back("counterfactual.remove=[]");
  EXPECT_THROW(prepare_dose_response(no_counterfactual, {0, 0.2}), InputError);
  RunPlan plan = small_plan();
  plan.with_counterfactual = false;  // the study always runs it
  const PreparedDoseResponse study = prepare_dose_response(plan, {0.3, 0.1});
  EXPECT_EQ(study.levels, (std::vector<double>{0.1, 0.3}));
  EXPECT_TRUE(study.run.plan.with_counterfactual);
  EXPECT_EQ(default_output_path(study), "results/tiny-dose-response.h5");
}

// A run measured against its counterfactual refuses one that could only measure zeros (issue 9).
TEST(RunPlan, ACounterfactualThatRemovesNothingOrAWaveOutsideTheRunIsRefused) {
  const std::string tiny = std::string(SELLERSHOCK_SOURCE_DIR) + "/tests/fixtures/scenarios/tiny.yaml";
  const auto message_of = [&](std::vector<std::string> overrides, bool with_counterfactual) -> std::string {
    RunPlan plan;
    plan.scenario_path = tiny;
    plan.overrides = std::move(overrides);
    plan.with_counterfactual = with_counterfactual;
    try {
      prepare_run(plan);
    } catch (const InputError& error) {
      return error.key_path() + ": " + error.what();
    }
    return "";
  };
  EXPECT_NE(message_of({"counterfactual.remove=[]"}, true).find("counterfactual.remove: "), std::string::npos);
  EXPECT_NE(message_of({"counterfactual.remove=[]"}, true).find("removes nothing"), std::string::npos);
  EXPECT_NE(message_of({"weeks=3"}, true).find("counterfactual.remove[0]: "), std::string::npos);
  EXPECT_NE(message_of({"weeks=3"}, true).find("in force on no day of the run"), std::string::npos);
  // Without a counterfactual there is nothing to measure against: both are plain runs.
  EXPECT_EQ(message_of({"counterfactual.remove=[]"}, false), "");
  EXPECT_EQ(message_of({"weeks=3"}, false), "");
  EXPECT_EQ(message_of({}, true), "");
}

}  // namespace
}  // namespace sellershock
