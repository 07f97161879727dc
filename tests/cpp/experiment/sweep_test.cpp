#include "experiment/sweep.hpp"

#include <gtest/gtest.h>

#include <hdf5.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "experiment/sweep_file.hpp"
#include "scenario/error.hpp"
#include "scenario/loader.hpp"

namespace sellershock {
namespace {

namespace fs = std::filesystem;
const std::string kTiny = std::string(SELLERSHOCK_SOURCE_DIR) + "/tests/fixtures/scenarios/tiny.yaml";

class SweepFile : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() / ("sellershock-sweep-test-" + std::to_string(::getpid()) + "-" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }
  // The sweep on every core, without progress lines.
  static SweepResults run_quietly(const SweepSpec& spec) {
    SweepOptions options;
    options.quiet = true;
    return run_sweep(spec, options);
  }
  std::string write(const std::string& text, const std::string& name = "sweep.yaml") {
    const fs::path path = directory_ / name;
    std::ofstream(path) << text;
    return path.string();
  }
  std::string error_of(const std::string& text) {
    try {
      load_sweep_file(write(text));
    } catch (const InputError& error) {
      return error.what();
    }
    return "";
  }
  fs::path directory_;
};


// Every dataset of an HDF5 file by path: its shape, and its values as bytes (numbers, in their native
// type) or as text (strings, one per element, joined with NUL).
struct StoredDataset {
  std::vector<hsize_t> dims;
  std::string bytes;
};
std::map<std::string, StoredDataset> datasets_of(const std::string& path) {
  std::map<std::string, StoredDataset> out;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(file, 0) << path;
  if (file < 0) return out;
  H5Ovisit(
      file, H5_INDEX_NAME, H5_ITER_NATIVE,
      [](hid_t root, const char* name, const H5O_info_t* info, void* data) -> herr_t {
        if (info->type != H5O_TYPE_DATASET) return 0;
        const hid_t d = H5Dopen2(root, name, H5P_DEFAULT);
        const hid_t space = H5Dget_space(d), type = H5Dget_type(d);
        StoredDataset stored;
        stored.dims.resize(static_cast<std::size_t>(std::max(0, H5Sget_simple_extent_ndims(space))));
        H5Sget_simple_extent_dims(space, stored.dims.data(), nullptr);
        const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
        if (H5Tis_variable_str(type) > 0) {
          std::vector<char*> texts(n, nullptr);
          H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data());
          for (char* t : texts) stored.bytes.append(t ? t : "").push_back('\0');
          H5Dvlen_reclaim(type, space, H5P_DEFAULT, texts.data());
        } else {
          const hid_t native = H5Tget_native_type(type, H5T_DIR_ASCEND);
          stored.bytes.resize(n * H5Tget_size(native));
          if (n > 0) H5Dread(d, native, H5S_ALL, H5S_ALL, H5P_DEFAULT, stored.bytes.data());
          H5Tclose(native);
        }
        H5Tclose(type);
        H5Sclose(space);
        H5Dclose(d);
        (*static_cast<std::map<std::string, StoredDataset>*>(data))[name] = std::move(stored);
        return 0;
      },
      &out);
  H5Fclose(file);
  return out;
}

void expect_same_datasets(const std::string& a, const std::string& b) {
  const auto left = datasets_of(a), right = datasets_of(b);
  ASSERT_FALSE(left.empty());
  std::vector<std::string> left_names, right_names;
  for (const auto& [name, stored] : left) left_names.push_back(name);
  for (const auto& [name, stored] : right) right_names.push_back(name);
  ASSERT_EQ(left_names, right_names);
  for (const auto& [name, stored] : left) {
    EXPECT_EQ(stored.dims, right.at(name).dims) << name;
    EXPECT_TRUE(stored.bytes == right.at(name).bytes) << name;
  }
}

const std::string kHeader = "scenario: " + kTiny + "\nfixed: {sellers.count: 300, weeks: 12}\n";

TEST_F(SweepFile, ReadsFactorsDesignAndOverrides) {
  const SweepSpec spec = load_sweep_file(write(kHeader + R"(factors:
  - {key: enforcement.hold_days, low: 30, high: 180}
  - key: enforcement.waves[0].recall
    values: [0.2, 0.5]
  - {key: sellers.count, low: 100, high: 1000, log: true}
design: lhs
samples: 5
replications: 2
seed: 7
outputs: [exits]
)"));
  ASSERT_EQ(spec.factors.size(), 3u);
  EXPECT_TRUE(spec.factors[0].integer);
  EXPECT_FALSE(spec.factors[1].integer);
  EXPECT_TRUE(spec.factors[2].log);
  EXPECT_EQ(spec.design, DesignKind::lhs);
  EXPECT_EQ(spec.replications, 2);
  EXPECT_EQ(spec.outputs, std::vector<std::string>{"exits"});
  const UnitDesign design = make_design(spec);
  ASSERT_EQ(design.size(), 5u);
  const std::vector<std::string> overrides = point_overrides(spec, design, 0);
  EXPECT_EQ(overrides.front(), "sellers.count=300");
  EXPECT_EQ(overrides[4].rfind("sellers.count=", 0), 0u);  // factors come after the fixed overrides
  EXPECT_EQ(overrides[overrides.size() - 2], "seed=7");
}

TEST_F(SweepFile, UnknownKeysAreReportedWithTheirPositionAndTheNearestKnownKey) {
  const std::string message = error_of(kHeader + "factors: [{key: weeks, low: 10, high: 20}]\ndesign: lhs\nsampels: 4\n");
  EXPECT_NE(message.find("sweep.yaml:5:1"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean 'samples'"), std::string::npos) << message;
  const std::string design = error_of(kHeader + "factors: [{key: weeks, low: 10, high: 20}]\ndesign: sobel\nsamples: 4\n");
  EXPECT_NE(design.find("did you mean 'sobol'"), std::string::npos) << design;
  const std::string factor = error_of(kHeader + "factors: [{key: weeks, lo: 10, high: 20}]\ndesign: lhs\nsamples: 4\n");
  EXPECT_NE(factor.find("did you mean 'low'"), std::string::npos) << factor;
  const std::string output = error_of(kHeader + "factors: [{key: weeks, low: 10, high: 20}]\ndesign: lhs\nsamples: 4\n"
                                                "outputs: [attributable_los_cents]\n");
  EXPECT_NE(output.find("did you mean 'attributable_loss_cents'"), std::string::npos) << output;
}

TEST_F(SweepFile, FactorKeysAndBoundsAreValidatedByTheScenarioLoaderAtTheFactorsLine) {
  const std::string unknown =
      error_of(kHeader + "factors:\n  - {key: enforcement.hold_dayz, low: 30, high: 90}\ndesign: lhs\nsamples: 4\n");
  EXPECT_NE(unknown.find("sweep.yaml:4:"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("hold_days"), std::string::npos) << unknown;  // the loader's did-you-mean
  const std::string range =
      error_of(kHeader + "factors:\n  - key: enforcement.waves[0].recall\n    low: 0.5\n    high: 1.5\ndesign: lhs\nsamples: 4\n");
  EXPECT_NE(range.find("sweep.yaml:4:"), std::string::npos) << range;
  EXPECT_NE(range.find("1.5"), std::string::npos) << range;
}

TEST_F(SweepFile, ReportsEveryProblemOfTheFileAtOnce) {
  const std::string message = error_of("scenario: " + kTiny + "\nfactors: []\ndesign: lhs\nsamples: -1\nreplications: x\n");
  EXPECT_NE(message.find("factors"), std::string::npos) << message;
  EXPECT_NE(message.find("samples"), std::string::npos) << message;
  EXPECT_NE(message.find("replications"), std::string::npos) << message;
}

TEST_F(SweepFile, EveryRunEqualsTheSameReplicationRunAlone) {
  const SweepSpec spec = load_sweep_file(write(kHeader + R"(factors:
  - key: enforcement.waves[0].recall
    values: [0.3, 0.9]
design: grid
replications: 2
seed: 11
)"));
  const SweepResults results = run_quietly(spec);
  ASSERT_EQ(results.points, 2u);
  EXPECT_EQ(results.factor_values, (std::vector<double>{0.3, 0.9}));
  const Scenario alone = load_scenario(kTiny, {"sellers.count=300", "weeks=12", "enforcement.waves[0].recall=0.9", "seed=11"});
  const ReplicationResult direct = simulate_replication(alone, 1);
  const Layout layout = make_layout(alone, true);
  std::size_t scalar = 0;
  for (std::size_t e = 0; e < layout.summary.size(); ++e) {
    if (!layout.summary[e].dims.empty()) continue;
    const SweepOutput& output = results.outputs[scalar++];
    EXPECT_EQ(output.spec.name, layout.summary[e].name);
    EXPECT_EQ(output.values[1 * 2 + 1], direct.summary[e][0]) << output.spec.name;
  }
  EXPECT_EQ(scalar, results.outputs.size());

  const std::string out = (directory_ / "out" / "sweep.h5").string();
  // A stop requested while the file was written (the check before the rename throws): no file, and no
  // temporary file left beside it.
  struct Stop {};
  EXPECT_THROW(write_sweep_file(out, results, "test", false, [] { throw Stop{}; }), Stop);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(fs::is_empty(directory_ / "out"));
  write_sweep_file(out, results, "test", false);
  EXPECT_TRUE(fs::is_regular_file(out));
  EXPECT_THROW(write_sweep_file(out, results, "test", false), InputError);
}

TEST_F(SweepFile, KeptSeriesAreTheRunsOwnSeriesWithPointInFront) {
  const SweepSpec spec = load_sweep_file(write(kHeader + R"(factors:
  - {key: enforcement.hold_days, values: [30, 120]}
design: grid
replications: 2
seed: 11
series: [frozen_balance_cents]
)"));
  const SweepResults results = run_quietly(spec);
  ASSERT_EQ(results.series.size(), 1u);
  const SweepSeries& kept = results.series[0];
  EXPECT_EQ(kept.spec.name, "frozen_balance_cents");
  const Scenario alone = load_scenario(kTiny, {"sellers.count=300", "weeks=12", "enforcement.hold_days=120", "seed=11"});
  const ReplicationResult direct = simulate_replication(alone, 1);
  const Layout layout = make_layout(alone, true);
  std::size_t index = 0;
  while (layout.series[index].name != "frozen_balance_cents") ++index;
  ASSERT_EQ(kept.elements, direct.series[index].size());
  const std::size_t run = 1 * 2 + 1;
  EXPECT_TRUE(std::equal(direct.series[index].begin(), direct.series[index].end(),
                         kept.values.begin() + static_cast<std::ptrdiff_t>(run * kept.elements)));
  write_sweep_file((directory_ / "series.h5").string(), results, "test", false);
}

TEST_F(SweepFile, ResultsDoNotDependOnTheThreadCount) {
  const SweepSpec spec = load_sweep_file(write(kHeader + R"(factors:
  - {key: enforcement.hold_days, low: 30, high: 90}
design: lhs
samples: 3
replications: 2
)"));
  SweepOptions one;
  one.quiet = true;
  one.threads = 1;
  SweepOptions two = one;
  two.threads = 2;
  const SweepResults a = run_sweep(spec, one), b = run_sweep(spec, two);
  for (std::size_t o = 0; o < a.outputs.size(); ++o) EXPECT_EQ(a.outputs[o].values, b.outputs[o].values);
}

TEST_F(SweepFile, ResumingFromATornJournalGivesTheSameResultsAsAnUninterruptedSweep) {
  const SweepSpec spec = load_sweep_file(write(kHeader + R"(factors:
  - {key: enforcement.hold_days, low: 30, high: 90}
design: lhs
samples: 3
replications: 2
)"));
  const std::string journal = (directory_ / "out.h5.journal").string();
  SweepOptions options;
  options.quiet = true;
  options.journal_path = journal;
  const SweepResults whole = run_sweep(spec, options);
  std::ifstream in(journal);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 1u + 6u);  // the header, then one line per run
  {
    // As a kill -9 leaves it: two whole runs and half of a third.
    std::ofstream out(journal, std::ios::trunc);
    out << lines[0] << "\n" << lines[3] << "\n" << lines[5] << "\n" << lines[1].substr(0, lines[1].size() / 2);
  }
  options.resume = true;
  const SweepResults resumed = run_sweep(spec, options);
  for (std::size_t o = 0; o < whole.outputs.size(); ++o) {
    EXPECT_EQ(resumed.outputs[o].values, whole.outputs[o].values) << whole.outputs[o].spec.name;
    EXPECT_EQ(resumed.outputs[o].statistics, whole.outputs[o].statistics) << whole.outputs[o].spec.name;
  }
  std::ifstream again(journal);
  std::size_t count = 0;
  for (std::string line; std::getline(again, line);) ++count;
  EXPECT_EQ(count, 1u + 6u);  // the torn line was cut, the four missing runs appended

  SweepSpec other = spec;
  other.text += "\n# edited";
  EXPECT_THROW(run_sweep(other, options), InputError);  // a journal of another sweep is refused
}

// The command writes each point into the file as soon as its replications are in; the finished file is
// the one write_sweep_file makes from results held in memory, dataset for dataset (on two threads, where
// points finish out of order, with a kept series and sensitivity indices).
TEST_F(SweepFile, TheFileWrittenAsPointsFinishEqualsTheFileWrittenAtTheEnd) {
  const std::string path = write(kHeader + R"(factors:
  - key: enforcement.waves[0].recall
    low: 0.2
    high: 0.9
  - {key: enforcement.hold_days, low: 30, high: 120}
design: sobol
samples: 2
replications: 3
seed: 7
series: [frozen_balance_cents]
bootstrap_samples: 20
)");
  const SweepResults results = run_quietly(load_sweep_file(path));
  const std::string at_end = (directory_ / "at-end.h5").string();
  write_sweep_file(at_end, results, "test", false);

  SweepCommand command;
  command.sweep_path = path;
  command.output_path = (directory_ / "incremental.h5").string();
  command.threads = 2;
  command.quiet = true;
  command.command_line = "test";
  run_sweep_command(command);
  expect_same_datasets(at_end, command.output_path);
  EXPECT_FALSE(fs::exists(command.output_path + ".journal"));
}

// While the sweep runs, a point's rows are in the (flushed) temporary file as soon as its last
// replication is in: a copy of the file taken then is a readable HDF5 file holding them.
TEST_F(SweepFile, EachPointIsInTheTemporaryFileAsSoonAsItsReplicationsAreIn) {
  const std::string path = write(kHeader + R"(factors:
  - key: enforcement.waves[0].recall
    values: [0.3, 0.6, 0.9]
design: grid
replications: 2
seed: 11
)");
  const SweepSpec spec = load_sweep_file(path);
  const std::string out = (directory_ / "sweep.h5").string();
  std::unique_ptr<SweepFileWriter> writer;
  std::vector<std::vector<std::int64_t>> copies;  // the first output's column of point 0, as each copy holds it
  SweepOptions options;
  options.quiet = true;
  options.threads = 1;
  options.keep_values = false;
  options.on_start = [&](const SweepResults& header) { writer = std::make_unique<SweepFileWriter>(out, header, false, 0.0); };
  std::string first_output;
  options.on_point = [&](const SweepPointRows& rows) {
    writer->write_point(rows);
    const std::string copy = (directory_ / ("copy-" + std::to_string(rows.point) + ".h5")).string();
    fs::copy_file(writer->temporary_path(), copy);
    EXPECT_FALSE(fs::exists(out));  // not renamed before it is complete
    const auto stored = datasets_of(copy);
    const auto found = std::find_if(stored.begin(), stored.end(), [](const auto& entry) {
      return entry.first.rfind("summary/", 0) == 0 && entry.first.find("_statistics") == std::string::npos &&
             entry.second.dims.size() == 2;
    });
    ASSERT_NE(found, stored.end());
    std::vector<std::int64_t> values(found->second.bytes.size() / sizeof(std::int64_t));
    std::memcpy(values.data(), found->second.bytes.data(), found->second.bytes.size());
    ASSERT_EQ(values.size(), 3u * 2u);
    first_output = found->first.substr(8);
    copies.push_back({values[rows.point * 2], values[rows.point * 2 + 1]});
  };
  const SweepResults results = run_sweep(spec, options);
  writer->finish(results, "test");
  ASSERT_EQ(copies.size(), 3u);
  EXPECT_TRUE(results.outputs.front().values.empty());  // nothing per run is held in memory
  SweepOptions kept;
  kept.quiet = true;
  const SweepResults whole = run_sweep(spec, kept);
  const auto output = std::find_if(whole.outputs.begin(), whole.outputs.end(),
                                   [&](const SweepOutput& o) { return o.spec.name == first_output; });
  ASSERT_NE(output, whole.outputs.end());
  for (std::size_t p = 0; p < 3; ++p) {
    EXPECT_EQ(copies[p][0], output->values[p * 2]) << p;
    EXPECT_EQ(copies[p][1], output->values[p * 2 + 1]) << p;
  }
}

// A sweep that cannot fit in memory is refused before anything is written, naming the sweep file, its
// points, replications and kept series, and the estimate against the memory available.
TEST_F(SweepFile, ASweepThatCannotFitInMemoryIsRefusedBeforeItStarts) {
  const std::string path = write(kHeader + R"(factors:
  - key: enforcement.waves[0].recall
    values: [0.3, 0.9]
design: grid
replications: 10
seed: 11
series: [frozen_balance_cents]
)");
  const SweepSpec spec = load_sweep_file(path);
  SweepOptions options;
  options.quiet = true;
  options.journal_path = (directory_ / "out.h5.journal").string();
  const SweepPoints points(spec);
  const SweepMemoryEstimate estimate = estimate_sweep_memory(spec, points, 1, false);
  EXPECT_GT(estimate.values_bytes, 10u * 2 * 12 * sizeof(std::int64_t));  // at least one point's kept series
  options.threads = 1;
  options.keep_values = false;
  options.memory_limit_bytes = estimate.total_bytes;  // the sweep may use 80% of it: refused
  try {
    run_sweep(spec, options);
    ADD_FAILURE() << "not refused";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("2 points x 10 replications"), std::string::npos) << message;
    EXPECT_NE(message.find("frozen_balance_cents"), std::string::npos) << message;
    EXPECT_NE(message.find(std::to_string(estimate.total_bytes) + " bytes"), std::string::npos) << message;
  }
  EXPECT_FALSE(fs::exists(options.journal_path));
  options.memory_limit_bytes = 2 * estimate.total_bytes;  // within 80%: runs
  EXPECT_NO_THROW(run_sweep(spec, options));
  // Held values grow with the points only when every value is kept.
  EXPECT_GT(estimate_sweep_memory(spec, points, 1, true).values_bytes, estimate.values_bytes);
}

// The mean over points of the replication standard deviation of an output (the level), and of the
// difference between neighbouring points: under common random numbers the second is far smaller.
std::pair<double, double> level_and_neighbour_sd(const SweepResults& results, const std::string& name) {
  const auto found = std::find_if(results.outputs.begin(), results.outputs.end(),
                                  [&](const SweepOutput& o) { return o.spec.name == name; });
  EXPECT_NE(found, results.outputs.end()) << name;
  if (found == results.outputs.end()) return {0, 0};
  const std::size_t points = results.points, r = static_cast<std::size_t>(results.spec.replications);
  auto sd = [](const std::vector<double>& x) {
    double mean = 0, squares = 0;
    for (double v : x) mean += v / static_cast<double>(x.size());
    for (double v : x) squares += (v - mean) * (v - mean);
    return std::sqrt(squares / static_cast<double>(x.size() - 1));
  };
  double level_sd = 0, difference_sd = 0;
  for (std::size_t p = 0; p < points; ++p) {
    std::vector<double> level(r), difference(r);
    for (std::size_t k = 0; k < r; ++k) {
      level[k] = static_cast<double>(found->values[p * r + k]);
      if (p > 0) difference[k] = level[k] - static_cast<double>(found->values[(p - 1) * r + k]);
    }
    level_sd += sd(level) / static_cast<double>(points);
    if (p > 0) difference_sd += sd(difference) / static_cast<double>(points - 1);
  }
  std::printf("%s: mean replication sd of the level %.4g, of neighbour differences %.4g (ratio %.3f)\n",
              name.c_str(), level_sd, difference_sd, difference_sd / level_sd);
  return {level_sd, difference_sd};
}

// Common random numbers across points (docs/SWEEPS.md): changing enforcement.hold_days moves the end of
// each hold but not the release-or-forfeit draw, nor the draw of whether a claimant joins a collective
// action, so neighbouring points differ far less between themselves than the level varies over
// replications.
TEST_F(SweepFile, HoldDaysSweepHasCommonRandomNumbersAcrossPoints) {
  const SweepSpec spec = load_sweep_file(write("scenario: " + kTiny + R"(
fixed: {sellers.count: 300, weeks: 52}
factors:
  - {key: enforcement.hold_days, low: 30, high: 180}
design: grid
samples: 7
replications: 12
seed: 5
)"));
  const SweepResults results = run_quietly(spec);
  ASSERT_EQ(results.points, 7u);
  for (const char* name : {"forfeited_cents", "attributable_loss_cents"}) {
    const auto [level_sd, difference_sd] = level_and_neighbour_sd(results, name);
    EXPECT_LT(difference_sd, 0.25 * level_sd) << name;  // keyed by the week the hold ended: 0.88, 0.41
  }
  // Sign-ups are small counts that also respond, as they should, to the precedent of earlier wins.
  const auto [level_sd, difference_sd] = level_and_neighbour_sd(results, "collective_signups");
  EXPECT_LT(difference_sd, 0.35 * level_sd);  // keyed by the week the claim was decided: 1.24; by the claim: 0.19
}

// The same for the legal durations (MODEL.md §9): a longer legal.arbitration_duration_weeks moves each
// ruling later (and its award's interest up) but keeps the draw that decides it, keyed by the claim.
// Arbitration is made cheap so that claimants take it.
TEST_F(SweepFile, ArbitrationDurationSweepHasCommonRandomNumbersAcrossPoints) {
  const SweepSpec spec = load_sweep_file(write("scenario: " + kTiny + R"(
fixed: {sellers.count: 300, weeks: 104, legal.arbitration_filing_fee_usd: 0, legal.arbitration_counsel_cost_usd: 50}
factors:
  - {key: legal.arbitration_duration_weeks, low: 26, high: 65}
design: grid
samples: 4
replications: 10
seed: 5
)"));
  const SweepResults results = run_quietly(spec);
  ASSERT_EQ(results.points, 4u);
  const auto [level_sd, difference_sd] = level_and_neighbour_sd(results, "arbitration_awards_cents");
  EXPECT_GT(level_sd, 0.0);  // there are arbitrations to decide
  EXPECT_LT(difference_sd, 0.25 * level_sd);  // keyed by the week the case ended: 1.24; by the claim: 0.11
}

}  // namespace
}  // namespace sellershock
