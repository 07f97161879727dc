#include "experiment/sweep_read.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "experiment/sweep_file.hpp"
#include "run/plan.hpp"
#include "run/runner.hpp"
#include "scenario/error.hpp"
#include "scenario/parameters.hpp"

namespace sellershock {
namespace {

namespace fs = std::filesystem;
const std::string kTiny = std::string(SELLERSHOCK_SOURCE_DIR) + "/tests/fixtures/scenarios/tiny.yaml";
const std::string kHeader = "scenario: " + kTiny + "\nfixed: {sellers.count: 200, weeks: 10}\n";
const std::string kFactors = R"(factors:
  - {key: enforcement.hold_days, values: [30, 90]}
  - key: enforcement.waves[0].false_positive_rate
    low: 0.01
    high: 0.1
    log: true
)";

class SweepRead : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() / ("sellershock-sweep-read-test-" + std::to_string(::getpid()) + "-" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }
  // Runs the sweep file `text` on one thread and writes its file; returns what was run.
  SweepResults run_into_file(const std::string& text, const std::string& h5) {
    const fs::path sweep = directory_ / "sweep.yaml";
    std::ofstream(sweep) << text;
    SweepOptions options;
    options.threads = 1;
    options.quiet = true;
    SweepResults results = run_sweep(load_sweep_file(sweep.string()), options);
    write_sweep_file(path(h5), results, "sellershock sweep sweep.yaml", false);
    return results;
  }
  std::string path(const std::string& name) const { return (directory_ / name).string(); }
  fs::path directory_;
};

void expect_same_table_and_values(const SweepResults& ran, const SweepResults& read) {
  EXPECT_EQ(format_sweep_table(read), format_sweep_table(ran));
  EXPECT_EQ(read.points, ran.points);
  EXPECT_EQ(read.factor_values, ran.factor_values);
  EXPECT_EQ(read.unit_design.coordinates, ran.unit_design.coordinates);
  ASSERT_EQ(read.outputs.size(), ran.outputs.size());
  for (std::size_t o = 0; o < ran.outputs.size(); ++o) {
    EXPECT_EQ(read.outputs[o].spec.name, ran.outputs[o].spec.name);
    EXPECT_EQ(read.outputs[o].spec.unit, ran.outputs[o].spec.unit);
    EXPECT_EQ(read.outputs[o].analysed, ran.outputs[o].analysed) << ran.outputs[o].spec.name;
    EXPECT_EQ(read.outputs[o].values, ran.outputs[o].values) << ran.outputs[o].spec.name;
    EXPECT_EQ(read.outputs[o].statistics.size(), ran.outputs[o].statistics.size());
    for (std::size_t s = 0; s < ran.outputs[o].statistics.size(); ++s) {  // NaN where the run had NaN
      const double expected = ran.outputs[o].statistics[s], got = read.outputs[o].statistics[s];
      if (std::isnan(expected)) {
        EXPECT_TRUE(std::isnan(got));
      } else {
        EXPECT_EQ(got, expected);
      }
    }
  }
  EXPECT_EQ(read.spec.seed, ran.spec.seed);
  EXPECT_EQ(read.spec.replications, ran.spec.replications);
  EXPECT_EQ(read.spec.text, ran.spec.text);
  EXPECT_EQ(read.wall_seconds, ran.wall_seconds);
}

TEST_F(SweepRead, AGridSweepsFileGivesBackTheTableTheSweepPrinted) {
  const SweepResults ran = run_into_file(
      kHeader + kFactors + "design: grid\nsamples: 2\nreplications: 2\nseed: 5\noutputs: [exits, loss_to_suspended_cents]\n",
      "grid.h5");
  ASSERT_TRUE(is_sweep_file(path("grid.h5")));
  std::string note;
  const SweepResults read = read_sweep_file(path("grid.h5"), &note);
  EXPECT_EQ(note, "");
  expect_same_table_and_values(ran, read);
  // The analysed outputs of a grid are recorded only in the sweep file's text: both are found.
  const std::string table = format_sweep_table(read);
  EXPECT_NE(table.find("\nexits (businesses)\n"), std::string::npos) << table;
  EXPECT_NE(table.find("\nloss_to_suspended_cents (USD cents)\n"), std::string::npos) << table;
  EXPECT_EQ(read.spec.factors[0].key, "enforcement.hold_days");
  EXPECT_EQ(read.spec.factors[0].low, 30);
  EXPECT_EQ(read.spec.factors[0].high, 90);
  EXPECT_TRUE(read.spec.factors[1].log);
}

TEST_F(SweepRead, AnLhsSweepWithoutOutputsAnalysesTheDefaultOutput) {
  const SweepResults ran = run_into_file(kHeader + kFactors + "design: lhs\nsamples: 3\nreplications: 1\n", "lhs.h5");
  const SweepResults read = read_sweep_file(path("lhs.h5"));
  expect_same_table_and_values(ran, read);
  EXPECT_NE(format_sweep_table(read).find(std::string("\n") + kDefaultSweepOutput + " ("), std::string::npos);
}

TEST_F(SweepRead, SobolAndMorrisIndicesAreReadBack) {
  const SweepResults sobol = run_into_file(
      kHeader + kFactors + "design: sobol\nsamples: 2\nreplications: 1\nbootstrap_samples: 20\noutputs: [exits]\n",
      "sobol.h5");
  const SweepResults sobol_read = read_sweep_file(path("sobol.h5"));
  expect_same_table_and_values(sobol, sobol_read);
  EXPECT_EQ(sobol_read.spec.bootstrap_samples, 20u);
  EXPECT_NE(format_sweep_table(sobol_read).find("first-order S1"), std::string::npos);

  const SweepResults morris =
      run_into_file(kHeader + kFactors + "design: morris\nsamples: 2\nreplications: 1\noutputs: [exits]\n", "morris.h5");
  const SweepResults morris_read = read_sweep_file(path("morris.h5"));
  expect_same_table_and_values(morris, morris_read);
  EXPECT_NE(format_sweep_table(morris_read).find("mu*"), std::string::npos);
}

TEST_F(SweepRead, JsonAndCsvHoldEveryValueUnformatted) {
  const SweepResults ran = run_into_file(
      kHeader + kFactors + "design: grid\nsamples: 2\nreplications: 2\nseed: 5\noutputs: [exits]\n", "grid.h5");
  const SweepResults read = read_sweep_file(path("grid.h5"));
  const std::string csv = format_sweep_csv(read);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "entry,unit,point,enforcement.hold_days,enforcement.waves[0].false_positive_rate,replication,value");
  // One row per (entry, point, replication) value, plus the header.
  const auto rows = static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n'));
  EXPECT_EQ(rows, 1 + ran.outputs.size() * ran.points * 2);
  const SweepOutput& sales = *std::find_if(ran.outputs.begin(), ran.outputs.end(),
                                           [](const SweepOutput& o) { return o.spec.name == "sales_cents"; });
  // Point 3 is (90, 0.1): the rate as the design computed it, every digit (exp and log leave 0.1 inexact).
  ASSERT_EQ(ran.factor_values[6], 90.0);
  ASSERT_NEAR(ran.factor_values[7], 0.1, 1e-15);
  const std::string row = "\nsales_cents,USD cents,3,90," + exact_number_text(ran.factor_values[7]) + ",1," +
                          std::to_string(sales.values[3 * 2 + 1]) + "\n";
  EXPECT_NE(csv.find(row), std::string::npos) << row << csv.substr(0, 2000);
  const std::string json = format_sweep_json(read, "grid.h5");
  EXPECT_NE(json.find("\"design\": \"grid\""), std::string::npos);
  EXPECT_NE(json.find("\"seed\": 5"), std::string::npos);
  EXPECT_NE(json.find("{\"values\": [" + std::to_string(sales.values[6]) + ", " + std::to_string(sales.values[7]) + "]"),
            std::string::npos);
}

TEST_F(SweepRead, AFileWithoutWallSecondsTakesItsTimesAndSaysSo) {
  run_into_file(kHeader + kFactors + "design: grid\nsamples: 2\nreplications: 1\n", "old.h5");
  const hid_t file = H5Fopen(path("old.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  ASSERT_GE(H5Adelete(file, "wall_seconds"), 0);
  H5Fclose(file);
  std::string note;
  const SweepResults read = read_sweep_file(path("old.h5"), &note);
  EXPECT_NE(note.find("no @wall_seconds"), std::string::npos) << note;
  EXPECT_GE(read.wall_seconds, 0.0);
  EXPECT_EQ(read.wall_seconds, std::round(read.wall_seconds));  // whole seconds from the ISO times
}

TEST_F(SweepRead, ARunsFileIsNoSweepFileAndIsRefusedNamingTheFile) {
  RunPlan plan;
  plan.scenario_path = kTiny;
  plan.overrides = {"sellers.count=100", "weeks=6"};
  plan.replications = "1";
  plan.threads = 1;
  const PreparedRun run = prepare_run(plan);
  run_to_file(run, path("run.h5"), false, provenance_of(run, "test"), nullptr);
  EXPECT_FALSE(is_sweep_file(path("run.h5")));
  try {
    read_sweep_file(path("run.h5"));
    FAIL() << "a run's file was read as a sweep";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find(path("run.h5")), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("not a sweep file"), std::string::npos) << error.what();
  }
  std::ofstream(path("text.h5")) << "not hdf5";
  EXPECT_THROW(is_sweep_file(path("text.h5")), InputError);
  EXPECT_THROW(read_sweep_file(path("missing.h5")), InputError);
}

}  // namespace
}  // namespace sellershock
