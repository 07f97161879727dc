#include "experiment/calibrate.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace sellershock {
namespace {

namespace fs = std::filesystem;
const std::string kTiny = std::string(SELLERSHOCK_SOURCE_DIR) + "/tests/fixtures/scenarios/tiny.yaml";

std::string write_sweep(const std::string& name, const std::string& text) {
  const fs::path path = fs::temp_directory_path() / ("sellershock-calibrate-" + std::to_string(::getpid()) + name);
  std::ofstream(path) << text;
  return path.string();
}

const std::string kFixed = "scenario: " + kTiny + R"(
fixed: {sellers.count: 2000, weeks: 16}
replications: 4
seed: 99
)";

// Targets made from the model's own outputs at recall 0.3: calibration must find recall again.
TEST(SweepCalibration, RecoversTheRecallAScenarioWasGeneratedWith) {
  const std::string truth_path = write_sweep("-truth.yaml", kFixed + R"(factors:
  - key: enforcement.waves[0].recall
    values: [0.3]
design: grid
)");
  SweepOptions options;
  options.quiet = true;
  const SweepResults truth = run_sweep(load_sweep_file(truth_path), options);
  std::vector<CalibrationTarget> targets;
  for (const char* metric : {"attributable_accounts_suspended", "attributable_businesses_suspended",
                             "attributable_frozen_cents"}) {
    for (const SweepOutput& output : truth.outputs)
      if (output.spec.name == metric) {
        const double mean = output.statistics[0] / (output.spec.unit == "USD cents" ? 100.0 : 1.0);
        CalibrationTarget target;
        target.id = metric;
        target.metric = metric;
        target.low = target.high = mean;
        targets.push_back(target);
      }
  }
  ASSERT_EQ(targets.size(), 3u);

  const std::string search_path = write_sweep("-search.yaml", kFixed + R"(factors:
  - key: enforcement.waves[0].recall
    low: 0.05
    high: 0.95
design: lhs
samples: 8
)");
  const CalibrationResult result = calibrate(load_sweep_file(search_path), targets, options);
  std::printf("%s", format_calibration(result).c_str());
  EXPECT_NEAR(result.best_values[0], 0.3, 0.05);
  EXPECT_LE(result.best_distance, result.coarse_scores.distance[result.coarse_scores.best]);
  // The refined stage is narrower: a quarter of the range around the first stage's best point.
  EXPECT_NEAR(result.refined.spec.factors[0].high - result.refined.spec.factors[0].low, 0.225, 1e-9);
  fs::remove(truth_path);
  fs::remove(search_path);
}

TEST(SweepCalibration, NarrowingStaysInsideTheOriginalRange) {
  SweepSpec spec;
  spec.design = DesignKind::grid;
  Factor linear{"a", 0, 100};
  Factor logarithmic{"b", 1, 10000, true};
  spec.factors = {linear, logarithmic};
  const SweepSpec narrow = narrowed_around(spec, {5, 100}, 0.25);
  EXPECT_DOUBLE_EQ(narrow.factors[0].low, 0);
  EXPECT_DOUBLE_EQ(narrow.factors[0].high, 17.5);
  EXPECT_NEAR(narrow.factors[1].low, 100 / std::pow(10.0, 0.5), 1e-9);
  EXPECT_NEAR(narrow.factors[1].high, 100 * std::pow(10.0, 0.5), 1e-9);
  EXPECT_EQ(narrow.design, DesignKind::lhs);
}

}  // namespace
}  // namespace sellershock
