#include "output/hdf5_writer.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scenario/error.hpp"

namespace sellershock {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kReplications = 5;
constexpr std::int64_t kWeeks = 10;
constexpr std::int64_t kGroups = 2 * 3;  // component x region of loss_by_group_cents

Layout sample_layout() {
  Layout layout;
  layout.start_date = "2021-01-04";
  Axis week{"week", "week since the start date", {}, {}};
  for (std::int64_t w = 0; w < kWeeks; ++w) week.values.push_back(w);
  layout.axes = {
      week,
      Axis{"region", "home region of the seller business", {"CN-Shenzhen", "PK-Punjab", "US"}, {}},
      Axis{"channel", "sales channel", {"dominant", "alternative", "own-store"}, {}},
      Axis{"run", "which world the values come from", {"scenario", "counterfactual"}, {}},
      Axis{"component", "component of the attributable loss", {"frozen_funds", "lost_sales"}, {}},
  };
  layout.series = {
      SeriesSpec{"sales_cents", "USD cents", "gross merchandise sales", {"replication", "week", "channel"}},
      SeriesSpec{"suspended_accounts", "accounts", "accounts suspended at the end of the week",
                 {"replication", "week", "region", "channel"}},
      // Week is not the second dimension: the writer may assume only that replication is the first.
      SeriesSpec{"loss_cents", "USD cents", "seller losses", {"replication", "run", "week", "region"}},
  };
  layout.summary = {
      SummarySpec{"frozen_cents", "USD cents", "funds frozen and never recovered"},
      SummarySpec{"exited_businesses", "businesses", "seller businesses that exited"},
      SummarySpec{"loss_by_group_cents", "USD cents", "attributable loss by component and region",
                  {"component", "region"}},
  };
  return layout;
}

// Values that say where they belong, so a value written to the wrong place shows.
ReplicationResult sample_result(std::int64_t replication) {
  ReplicationResult result;
  result.replication = replication;
  std::vector<std::int64_t> sales, suspended, loss, loss_by_group;
  for (std::int64_t i = 0; i < kWeeks * 3; ++i) sales.push_back(1'000'000'000'000 * replication + i);
  for (std::int64_t i = 0; i < kWeeks * 3 * 3; ++i) suspended.push_back(-(1000 * replication + i));
  for (std::int64_t i = 0; i < 2 * kWeeks * 3; ++i) loss.push_back(10'000 * replication + i);
  // Element e = 3 * component + region holds 100 * (e + 1) * (replication + 1).
  for (std::int64_t e = 0; e < kGroups; ++e) loss_by_group.push_back(100 * (e + 1) * (replication + 1));
  result.series = {sales, suspended, loss};
  result.summary = {{100 * (replication + 1)}, {7 - replication}, loss_by_group};
  return result;
}

Provenance sample_provenance() {
  Provenance p;
  p.program_version = "0.1.0";
  p.git_revision = "abc123";
  p.command_line = "sellershock run tiny.yaml -o out.h5";
  p.seed = 18'446'744'073'709'551'615ULL;  // the largest seed must survive
  p.threads = 2;
  p.ranks = 1;
  p.start_time = "2024-01-01T00:00:00Z";
  p.end_time = "2024-01-01T00:00:05Z";
  p.scenario_name = "tiny — Zürich";  // non-ASCII: strings are UTF-8
  p.scenario_file = "tests/fixtures/scenarios/tiny.yaml";
  return p;
}

const std::string kScenarioYaml = "name: tiny\nweeks: 10\nreplications: 5\nseed: 1\n";

void write_sample(const std::string& path, const std::vector<std::int64_t>& order, bool overwrite = false) {
  Hdf5Writer writer(path, overwrite);
  writer.begin(sample_layout(), kReplications, kScenarioYaml);
  for (std::int64_t r : order) writer.add(sample_result(r));
  writer.finish(sample_provenance());
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Reading back with the plain C API, independent of the writer's helpers.
struct Id {
  hid_t id;
  herr_t (*close)(hid_t);
  ~Id() {
    if (id >= 0) close(id);
  }
  operator hid_t() const { return id; }
};

std::vector<std::int64_t> read_int64(hid_t file, const std::string& name) {
  const Id dataset{H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose};
  EXPECT_GE(dataset.id, 0) << name;
  const Id space{H5Dget_space(dataset), H5Sclose};
  std::vector<std::int64_t> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  EXPECT_GE(H5Dread(dataset, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0) << name;
  return values;
}

std::vector<double> read_double(hid_t file, const std::string& name) {
  const Id dataset{H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose};
  const Id space{H5Dget_space(dataset), H5Sclose};
  std::vector<double> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  EXPECT_GE(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0) << name;
  return values;
}

hid_t vlen_string_type() {
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  return type;
}

std::vector<std::string> read_strings(hid_t file, const std::string& name) {
  const Id dataset{H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose};
  const Id space{H5Dget_space(dataset), H5Sclose};
  const Id type{vlen_string_type(), H5Tclose};
  std::vector<char*> buffer(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  EXPECT_GE(H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), 0) << name;
  std::vector<std::string> values(buffer.begin(), buffer.end());
  H5Dvlen_reclaim(type, space, H5P_DEFAULT, buffer.data());
  return values;
}

std::string read_string_attribute(hid_t object, const std::string& name) {
  const Id attribute{H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose};
  EXPECT_GE(attribute.id, 0) << name;
  const Id type{vlen_string_type(), H5Tclose};
  char* text = nullptr;
  EXPECT_GE(H5Aread(attribute, type, &text), 0) << name;
  std::string value = text == nullptr ? "" : text;
  H5free_memory(text);
  return value;
}

template <typename Value>
Value read_number_attribute(hid_t object, const std::string& name, hid_t memory_type) {
  const Id attribute{H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose};
  Value value{};
  EXPECT_GE(H5Aread(attribute, memory_type, &value), 0) << name;
  return value;
}

std::vector<hsize_t> shape(hid_t file, const std::string& name) {
  const Id dataset{H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose};
  const Id space{H5Dget_space(dataset), H5Sclose};
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(H5Sget_simple_extent_ndims(space), 0)));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return dims;
}

bool attached(hid_t file, const std::string& dataset_name, const std::string& scale_name, unsigned dimension) {
  const Id dataset{H5Dopen2(file, dataset_name.c_str(), H5P_DEFAULT), H5Dclose};
  const Id scale{H5Dopen2(file, scale_name.c_str(), H5P_DEFAULT), H5Dclose};
  return H5DSis_attached(dataset, scale, dimension) > 0;
}

class Hdf5WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    directory_ = fs::temp_directory_path() /
                 ("sellershock-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }
  fs::path directory_;
};

TEST_F(Hdf5WriterTest, WritesValuesAxesSummariesAndProvenanceThatReadBackWithTheCApi) {
  const std::string path = (directory_ / "out.h5").string();
  write_sample(path, {0, 1, 2, 3, 4});
  if (const char* keep = std::getenv("SELLERSHOCK_KEEP_SAMPLE"); keep != nullptr && *keep != '\0')
    fs::copy_file(path, keep, fs::copy_options::overwrite_existing);

  const Id file{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  ASSERT_GE(file.id, 0);

  EXPECT_EQ(read_strings(file, "scenario"), std::vector<std::string>{kScenarioYaml});

  EXPECT_EQ(read_int64(file, "timeseries/replication"), (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(read_int64(file, "timeseries/week").size(), static_cast<std::size_t>(kWeeks));
  EXPECT_EQ(read_strings(file, "timeseries/channel"),
            (std::vector<std::string>{"dominant", "alternative", "own-store"}));
  const std::vector<std::string> dates = read_strings(file, "timeseries/date");
  ASSERT_EQ(dates.size(), static_cast<std::size_t>(kWeeks));
  EXPECT_EQ(dates[0], "2021-01-04");
  EXPECT_EQ(dates[1], "2021-01-11");
  EXPECT_EQ(dates[9], "2021-03-08");

  std::vector<std::int64_t> expected_sales, expected_suspended, expected_loss;
  for (std::int64_t r = 0; r < kReplications; ++r) {
    const ReplicationResult result = sample_result(r);
    expected_sales.insert(expected_sales.end(), result.series[0].begin(), result.series[0].end());
    expected_suspended.insert(expected_suspended.end(), result.series[1].begin(), result.series[1].end());
    expected_loss.insert(expected_loss.end(), result.series[2].begin(), result.series[2].end());
  }
  EXPECT_EQ(read_int64(file, "timeseries/sales_cents"), expected_sales);
  EXPECT_EQ(read_int64(file, "timeseries/suspended_accounts"), expected_suspended);
  EXPECT_EQ(read_int64(file, "timeseries/loss_cents"), expected_loss);
  EXPECT_EQ(shape(file, "timeseries/loss_cents"),
            (std::vector<hsize_t>{kReplications, 2, static_cast<hsize_t>(kWeeks), 3}));
  EXPECT_EQ(read_strings(file, "timeseries/run"), (std::vector<std::string>{"scenario", "counterfactual"}));

  for (const auto& [dataset, scales] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"timeseries/sales_cents", {"replication", "week", "channel"}},
           {"timeseries/suspended_accounts", {"replication", "week", "region", "channel"}},
           {"timeseries/loss_cents", {"replication", "run", "week", "region"}},
           {"timeseries/date", {"week"}}})
    for (unsigned d = 0; d < scales.size(); ++d)
      EXPECT_TRUE(attached(file, dataset, "timeseries/" + scales[d], d)) << dataset << " dim " << d;
  EXPECT_TRUE(attached(file, "summary/frozen_cents", "summary/replication", 0));
  EXPECT_TRUE(attached(file, "summary/frozen_cents_statistics", "summary/statistic", 0));

  {
    const Id dataset{H5Dopen2(file, "timeseries/sales_cents", H5P_DEFAULT), H5Dclose};
    EXPECT_EQ(read_string_attribute(dataset, "units"), "USD cents");
    EXPECT_EQ(read_string_attribute(dataset, "long_name"), "gross merchandise sales");
    EXPECT_EQ(read_string_attribute(dataset, "description"), "gross merchandise sales");
    EXPECT_EQ(read_string_attribute(dataset, "coordinates"), "date");
    const Id properties{H5Dget_create_plist(dataset), H5Pclose};
    ASSERT_EQ(H5Pget_layout(properties), H5D_CHUNKED);
    hsize_t chunk[3] = {0, 0, 0};
    ASSERT_EQ(H5Pget_chunk(properties, 3, chunk), 3);
    EXPECT_EQ(chunk[0], 1u);  // one replication per chunk
    EXPECT_EQ(chunk[1], static_cast<hsize_t>(kWeeks));
    EXPECT_EQ(chunk[2], 3u);
    unsigned flags = 0;
    EXPECT_GE(H5Pget_filter_by_id2(properties, H5Z_FILTER_SHUFFLE, &flags, nullptr, nullptr, 0, nullptr, nullptr), 0);
    EXPECT_GE(H5Pget_filter_by_id2(properties, H5Z_FILTER_DEFLATE, &flags, nullptr, nullptr, 0, nullptr, nullptr), 0);
  }
  {
    const Id dataset{H5Dopen2(file, "timeseries/loss_cents", H5P_DEFAULT), H5Dclose};
    EXPECT_EQ(read_string_attribute(dataset, "coordinates"), "date");  // week is the third dimension here
    const Id properties{H5Dget_create_plist(dataset), H5Pclose};
    ASSERT_EQ(H5Pget_layout(properties), H5D_CHUNKED);
    hsize_t chunk[4] = {0, 0, 0, 0};
    ASSERT_EQ(H5Pget_chunk(properties, 4, chunk), 4);
    EXPECT_EQ(chunk[0], 1u);  // one replication per chunk, the whole of the other dimensions
    EXPECT_EQ(chunk[1], 2u);
    EXPECT_EQ(chunk[2], static_cast<hsize_t>(kWeeks));
    EXPECT_EQ(chunk[3], 3u);
  }

  EXPECT_EQ(read_int64(file, "summary/frozen_cents"), (std::vector<std::int64_t>{100, 200, 300, 400, 500}));
  EXPECT_EQ(read_int64(file, "summary/exited_businesses"), (std::vector<std::int64_t>{7, 6, 5, 4, 3}));
  EXPECT_EQ(read_strings(file, "summary/statistic"),
            (std::vector<std::string>{"mean", "q05", "q50", "q95", "standard_error"}));
  // numpy.quantile([100, 200, 300, 400, 500], [0.05, 0.5, 0.95]) == [120, 300, 480]
  const std::vector<double> statistics = read_double(file, "summary/frozen_cents_statistics");
  ASSERT_EQ(statistics.size(), 5u);
  EXPECT_DOUBLE_EQ(statistics[0], 300.0);
  EXPECT_DOUBLE_EQ(statistics[1], 120.0);
  EXPECT_DOUBLE_EQ(statistics[2], 300.0);
  EXPECT_DOUBLE_EQ(statistics[3], 480.0);
  // numpy.std([100, 200, 300, 400, 500], ddof=1) / sqrt(5) == sqrt(25000) / sqrt(5) == 70.71...
  EXPECT_NEAR(statistics[4], std::sqrt(25000.0 / 5.0), 1e-9);

  // A summary entry with dimensions: (replication, component, region) and (statistic, component, region).
  EXPECT_EQ(shape(file, "summary/loss_by_group_cents"), (std::vector<hsize_t>{kReplications, 2, 3}));
  EXPECT_EQ(shape(file, "summary/loss_by_group_cents_statistics"), (std::vector<hsize_t>{5, 2, 3}));
  std::vector<std::int64_t> expected_table;
  for (std::int64_t r = 0; r < kReplications; ++r)
    for (std::int64_t e = 0; e < kGroups; ++e) expected_table.push_back(100 * (e + 1) * (r + 1));
  EXPECT_EQ(read_int64(file, "summary/loss_by_group_cents"), expected_table);
  // Element e over replications is (e + 1) * {100, ..., 500}: the statistics above times (e + 1).
  const std::vector<double> table_statistics = read_double(file, "summary/loss_by_group_cents_statistics");
  ASSERT_EQ(table_statistics.size(), static_cast<std::size_t>(5 * kGroups));
  for (std::int64_t e = 0; e < kGroups; ++e) {
    const auto at = [&](std::int64_t statistic) {
      return table_statistics[static_cast<std::size_t>(statistic * kGroups + e)];
    };
    const auto factor = static_cast<double>(e + 1);
    EXPECT_DOUBLE_EQ(at(0), 300.0 * factor) << "mean of element " << e;
    EXPECT_DOUBLE_EQ(at(1), 120.0 * factor) << "q05 of element " << e;
    EXPECT_DOUBLE_EQ(at(2), 300.0 * factor) << "q50 of element " << e;
    EXPECT_DOUBLE_EQ(at(3), 480.0 * factor) << "q95 of element " << e;
    EXPECT_NEAR(at(4), std::sqrt(25000.0 / 5.0) * factor, 1e-9) << "standard error of element " << e;
  }
  // The axes summary entries use are dimension scales of /summary too, each written once; others are not.
  EXPECT_EQ(read_strings(file, "summary/component"), (std::vector<std::string>{"frozen_funds", "lost_sales"}));
  EXPECT_EQ(read_strings(file, "summary/region"), (std::vector<std::string>{"CN-Shenzhen", "PK-Punjab", "US"}));
  EXPECT_EQ(H5Lexists(file, "summary/channel", H5P_DEFAULT), 0);
  EXPECT_EQ(H5Lexists(file, "summary/week", H5P_DEFAULT), 0);
  for (const auto& [dataset, scales] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"summary/loss_by_group_cents", {"replication", "component", "region"}},
           {"summary/loss_by_group_cents_statistics", {"statistic", "component", "region"}}})
    for (unsigned d = 0; d < scales.size(); ++d)
      EXPECT_TRUE(attached(file, dataset, "summary/" + scales[d], d)) << dataset << " dim " << d;
  {
    const Id dataset{H5Dopen2(file, "summary/loss_by_group_cents", H5P_DEFAULT), H5Dclose};
    EXPECT_EQ(read_string_attribute(dataset, "units"), "USD cents");
    EXPECT_EQ(read_string_attribute(dataset, "description"), "attributable loss by component and region");
  }

  const Provenance expected = sample_provenance();
  EXPECT_EQ(read_number_attribute<int>(file, "format_version", H5T_NATIVE_INT), expected.format_version);
  EXPECT_EQ(read_string_attribute(file, "program_version"), expected.program_version);
  EXPECT_EQ(read_string_attribute(file, "git_revision"), expected.git_revision);
  EXPECT_EQ(read_string_attribute(file, "command_line"), expected.command_line);
  EXPECT_EQ(read_number_attribute<std::uint64_t>(file, "seed", H5T_NATIVE_UINT64), expected.seed);
  EXPECT_EQ(read_number_attribute<int>(file, "threads", H5T_NATIVE_INT), 2);
  EXPECT_EQ(read_number_attribute<int>(file, "ranks", H5T_NATIVE_INT), 1);
  EXPECT_EQ(read_string_attribute(file, "start_time"), expected.start_time);
  EXPECT_EQ(read_string_attribute(file, "end_time"), expected.end_time);
  EXPECT_EQ(read_string_attribute(file, "scenario_name"), expected.scenario_name);
  EXPECT_EQ(read_string_attribute(file, "scenario_file"), expected.scenario_file);
}

TEST_F(Hdf5WriterTest, ReplicationsArrivingOutOfOrderLandAtTheirIndex) {
  const std::string in_order = (directory_ / "in-order.h5").string();
  const std::string shuffled = (directory_ / "shuffled.h5").string();
  write_sample(in_order, {0, 1, 2, 3, 4});
  write_sample(shuffled, {3, 0, 4, 2, 1});
  const Id a{H5Fopen(in_order.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  const Id b{H5Fopen(shuffled.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  for (const char* name : {"timeseries/sales_cents", "timeseries/suspended_accounts", "timeseries/loss_cents",
                           "summary/frozen_cents", "summary/exited_businesses", "summary/loss_by_group_cents"})
    EXPECT_EQ(read_int64(a, name), read_int64(b, name)) << name;
  for (const char* name : {"summary/exited_businesses_statistics", "summary/loss_by_group_cents_statistics"})
    EXPECT_EQ(read_double(a, name), read_double(b, name)) << name;
}

TEST_F(Hdf5WriterTest, RefusesToOverwriteAnExistingFileWithoutOverwrite) {
  const fs::path path = directory_ / "out.h5";
  std::ofstream(path, std::ios::binary) << "precious results";
  EXPECT_THROW(check_output_path(path.string(), false), InputError);
  try {
    Hdf5Writer writer(path.string(), false);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("exists; pass --force to overwrite"), std::string::npos) << e.what();
  }
  EXPECT_EQ(read_bytes(path), "precious results");
}

TEST_F(Hdf5WriterTest, OverwriteReplacesAnExistingFile) {
  const fs::path path = directory_ / "out.h5";
  std::ofstream(path, std::ios::binary) << "old results";
  EXPECT_NO_THROW(check_output_path(path.string(), true));
  write_sample(path.string(), {0, 1, 2, 3, 4}, /*overwrite=*/true);
  EXPECT_GT(H5Fis_hdf5(path.c_str()), 0);
  EXPECT_EQ(std::distance(fs::directory_iterator(directory_), fs::directory_iterator()), 1);
}

TEST_F(Hdf5WriterTest, TheFinalNameAppearsOnlyWhenFinished) {
  const fs::path path = directory_ / "out.h5";
  Hdf5Writer writer(path.string(), false);
  writer.begin(sample_layout(), kReplications, kScenarioYaml);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(fs::exists(writer.temporary_path()));
  EXPECT_EQ(fs::path(writer.temporary_path()).parent_path(), directory_);
  EXPECT_EQ(fs::path(writer.temporary_path()).filename().string().rfind(".out.h5.tmp-", 0), 0u);
  for (std::int64_t r = 0; r < kReplications; ++r) writer.add(sample_result(r));
  EXPECT_FALSE(fs::exists(path));
  writer.finish(sample_provenance());
  EXPECT_TRUE(fs::exists(path));
  EXPECT_FALSE(fs::exists(writer.temporary_path()));
}

TEST_F(Hdf5WriterTest, AbandonLeavesNeitherTheFileNorATemporaryFile) {
  const fs::path path = directory_ / "out.h5";
  {
    Hdf5Writer writer(path.string(), false);
    writer.begin(sample_layout(), kReplications, kScenarioYaml);
    writer.add(sample_result(1));
    writer.abandon();
    EXPECT_FALSE(fs::exists(writer.temporary_path()));
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(fs::is_empty(directory_));
}

TEST_F(Hdf5WriterTest, DestroyingAnUnfinishedWriterDeletesTheTemporaryFile) {
  const fs::path path = directory_ / "out.h5";
  std::ofstream(path, std::ios::binary) << "old results";
  {
    Hdf5Writer writer(path.string(), true);
    writer.begin(sample_layout(), kReplications, kScenarioYaml);
    writer.add(sample_result(0));
  }
  EXPECT_EQ(read_bytes(path), "old results");  // overwrite happens only on success
  EXPECT_EQ(std::distance(fs::directory_iterator(directory_), fs::directory_iterator()), 1);
}

TEST_F(Hdf5WriterTest, ACommitCheckThatThrowsLeavesTheOldFileAndNoTemporaryFile) {
  // A run interrupted while its file was written: the check before the rename throws.
  const fs::path path = directory_ / "out.h5";
  std::ofstream(path, std::ios::binary) << "old results";
  struct Stop {};
  bool checked = false;
  {
    Hdf5Writer writer(path.string(), true);
    writer.set_commit_check([&] {
      checked = true;
      EXPECT_TRUE(fs::exists(writer.temporary_path()));  // the complete file, not yet under its name
      throw Stop{};
    });
    writer.begin(sample_layout(), kReplications, kScenarioYaml);
    for (std::int64_t r = 0; r < kReplications; ++r) writer.add(sample_result(r));
    EXPECT_THROW(writer.finish(sample_provenance()), Stop);
  }
  EXPECT_TRUE(checked);
  EXPECT_EQ(read_bytes(path), "old results");
  EXPECT_EQ(std::distance(fs::directory_iterator(directory_), fs::directory_iterator()), 1);
}

TEST_F(Hdf5WriterTest, ACommitCheckThatReturnsLetsTheFileTakeItsName) {
  const fs::path path = directory_ / "out.h5";
  int checks = 0;
  Hdf5Writer writer(path.string(), false);
  writer.set_commit_check([&] { ++checks; });
  writer.begin(sample_layout(), kReplications, kScenarioYaml);
  for (std::int64_t r = 0; r < kReplications; ++r) writer.add(sample_result(r));
  writer.finish(sample_provenance());
  EXPECT_EQ(checks, 1);
  EXPECT_TRUE(fs::exists(path));
}

TEST_F(Hdf5WriterTest, CreatesMissingParentDirectories) {
  const fs::path path = directory_ / "a" / "b" / "out.h5";
  check_output_path(path.string(), false);
  EXPECT_FALSE(fs::exists(directory_ / "a"));  // the check creates nothing
  write_sample(path.string(), {0, 1, 2, 3, 4});
  EXPECT_GT(H5Fis_hdf5(path.c_str()), 0);
}

TEST_F(Hdf5WriterTest, RefusesADirectoryAsPath) {
  EXPECT_THROW(check_output_path(directory_.string(), true), InputError);
  EXPECT_THROW(Hdf5Writer(directory_.string(), true), InputError);
  EXPECT_THROW(check_output_path(directory_.string() + "/", false), InputError);
  EXPECT_TRUE(fs::is_directory(directory_));
}

TEST_F(Hdf5WriterTest, RefusesAPathBelowAFile) {
  const fs::path blocker = directory_ / "not-a-directory";
  std::ofstream(blocker) << "x";
  EXPECT_THROW(check_output_path((blocker / "out.h5").string(), false), InputError);
}

TEST_F(Hdf5WriterTest, KeepsResultsAsideIfTheTargetAppearedDuringTheRun) {
  const fs::path path = directory_ / "out.h5";
  Hdf5Writer writer(path.string(), false);
  writer.begin(sample_layout(), 1, kScenarioYaml);
  writer.add(sample_result(0));
  std::ofstream(path, std::ios::binary) << "someone else's";
  EXPECT_THROW(writer.finish(sample_provenance()), InputError);
  EXPECT_EQ(read_bytes(path), "someone else's");
  EXPECT_GT(H5Fis_hdf5(writer.temporary_path().c_str()), 0);
  fs::remove(writer.temporary_path());
}

// Failure 3 of issue 8: the temporary name was ".NAME.tmp-PID", so a symbolic link planted there
// made the writer overwrite the link's target and the output became a link to it.
TEST_F(Hdf5WriterTest, ASymlinkPlantedAtTheOldTemporaryNameIsNeitherFollowedNorReplaced) {
  const fs::path path = directory_ / "out.h5";
  const fs::path victim = directory_ / "victim.txt";
  std::ofstream(victim, std::ios::binary) << "not yours";
  const fs::path planted = directory_ / (".out.h5.tmp-" + std::to_string(::getpid()));
  fs::create_symlink(victim, planted);
  write_sample(path.string(), {0, 1, 2, 3, 4});
  EXPECT_EQ(read_bytes(victim), "not yours");
  EXPECT_TRUE(fs::is_symlink(planted));
  EXPECT_FALSE(fs::is_symlink(path));
  EXPECT_GT(H5Fis_hdf5(path.c_str()), 0);
}

TEST_F(Hdf5WriterTest, TheTemporaryNameIsUnpredictableAndFreshForEachWriter) {
  Hdf5Writer first((directory_ / "out.h5").string(), false), second((directory_ / "out.h5").string(), false);
  EXPECT_EQ(first.temporary_path(), "");  // nothing exists before begin()
  first.begin(sample_layout(), kReplications, kScenarioYaml);
  second.begin(sample_layout(), kReplications, kScenarioYaml);
  EXPECT_NE(first.temporary_path(), second.temporary_path());
  EXPECT_EQ(fs::path(first.temporary_path()).filename().string().size(), std::string(".out.h5.tmp-").size() + 10);
  EXPECT_NE(fs::path(first.temporary_path()).filename().string(), ".out.h5.tmp-" + std::to_string(::getpid()));
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(first.temporary_path())));
}

// Sets the file-size limit (as a full disk would stop writes) for the life of the object, with SIGXFSZ
// ignored so that the write fails with EFBIG instead of killing the process.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    previous_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_handler_);
  }

 private:
  rlimit saved_{};
  void (*previous_handler_)(int) = nullptr;
};

// Failure 2 of issue 8: on a full disk HDF5's close failed ("internal error"), and the process then
// crashed at exit in H5F__close_cb. Now it is an input error naming the path, and nothing is left.
TEST_F(Hdf5WriterTest, AFullDiskIsAnInputErrorNamingThePathAndLeavesNothing) {
  const fs::path path = directory_ / "full.h5";
  Layout layout = sample_layout();
  Axis seller{"seller", "seller index", {}, {}};
  for (std::int64_t s = 0; s < 4000; ++s) seller.values.push_back(s);
  layout.axes.push_back(seller);
  layout.series.push_back(SeriesSpec{"noise", "USD cents", "incompressible values", {"replication", "seller"}});
  std::uint64_t state = 88172645463325252ULL;  // xorshift: values deflate cannot shrink much
  {
    const FileSizeLimit limit(16 * 1024);
    Hdf5Writer writer(path.string(), false);
    try {
      writer.begin(layout, kReplications, kScenarioYaml);
      for (std::int64_t r = 0; r < kReplications; ++r) {
        ReplicationResult result = sample_result(r);
        std::vector<std::int64_t> noise;
        for (int s = 0; s < 4000; ++s) {
          state ^= state << 13, state ^= state >> 7, state ^= state << 17;
          noise.push_back(static_cast<std::int64_t>(state >> 1));
        }
        result.series.push_back(noise);
        writer.add(result);
      }
      writer.finish(sample_provenance());
      FAIL() << "expected InputError";
    } catch (const InputError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(directory_.string()), std::string::npos) << message;
      EXPECT_NE(message.find("File too large"), std::string::npos) << message;
    }
  }
  EXPECT_TRUE(fs::is_empty(directory_));
}

TEST_F(Hdf5WriterTest, AnOutputWhereNoFileCanBeCreatedIsAnInputError) {
  // /proc refuses new files even to root, who passes the writability check.
  EXPECT_THROW(
      {
        Hdf5Writer writer("/proc/sellershock-test.h5", false);
        writer.begin(sample_layout(), kReplications, kScenarioYaml);
      },
      InputError);
}

TEST_F(Hdf5WriterTest, ADanglingSymlinkIsAnExistingOutput) {
  const fs::path path = directory_ / "link.h5";
  fs::create_symlink(directory_ / "missing" / "target.h5", path);
  try {
    check_output_path(path.string(), false);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos) << e.what();
  }
  // With overwrite the link itself is replaced by the file; nothing is written through it.
  write_sample(path.string(), {0, 1, 2, 3, 4}, /*overwrite=*/true);
  EXPECT_FALSE(fs::is_symlink(path));
  EXPECT_GT(H5Fis_hdf5(path.c_str()), 0);
  EXPECT_FALSE(fs::exists(directory_ / "missing"));
}

TEST_F(Hdf5WriterTest, ALongFileNameThatFitsTheFileSystemWorks) {
  const fs::path path = directory_ / (std::string(247, 'a') + ".h5");  // 250 bytes
  write_sample(path.string(), {0, 1, 2, 3, 4});
  EXPECT_GT(H5Fis_hdf5(path.c_str()), 0);
  EXPECT_EQ(std::distance(fs::directory_iterator(directory_), fs::directory_iterator()), 1);
}

TEST_F(Hdf5WriterTest, ANameTooLongForTheFileSystemIsRefusedBeforeTheRun) {
  const fs::path path = directory_ / (std::string(300, 'a') + ".h5");
  try {
    check_output_path(path.string(), false);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bytes long"), std::string::npos) << e.what();
  }
  EXPECT_THROW(check_output_path("", false), InputError);
}

TEST_F(Hdf5WriterTest, ContractViolationsAreLogicErrors) {
  Hdf5Writer writer((directory_ / "out.h5").string(), false);
  writer.begin(sample_layout(), kReplications, kScenarioYaml);
  writer.add(sample_result(0));
  EXPECT_THROW(writer.add(sample_result(0)), std::logic_error);
  EXPECT_THROW(writer.add(sample_result(kReplications)), std::logic_error);
  ReplicationResult short_series = sample_result(1);
  short_series.series[1].pop_back();
  EXPECT_THROW(writer.add(short_series), std::logic_error);
  ReplicationResult short_table = sample_result(1);
  short_table.summary[2].pop_back();
  EXPECT_THROW(writer.add(short_table), std::logic_error);
  ReplicationResult table_as_scalar = sample_result(1);
  table_as_scalar.summary[0].push_back(1);
  EXPECT_THROW(writer.add(table_as_scalar), std::logic_error);
  EXPECT_THROW(writer.finish(sample_provenance()), std::logic_error);  // replications 1..4 missing
  writer.abandon();
  EXPECT_FALSE(fs::exists(directory_ / "out.h5"));
}

TEST_F(Hdf5WriterTest, ZeroReplicationsStillMakeAValidFile) {
  const std::string path = (directory_ / "empty.h5").string();
  Hdf5Writer writer(path, false);
  writer.begin(sample_layout(), 0, kScenarioYaml);
  writer.finish(sample_provenance());
  const Id file{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  ASSERT_GE(file.id, 0);
  EXPECT_TRUE(read_int64(file, "timeseries/sales_cents").empty());
  EXPECT_TRUE(read_int64(file, "summary/frozen_cents").empty());
  EXPECT_TRUE(std::isnan(read_double(file, "summary/frozen_cents_statistics")[0]));
  EXPECT_EQ(shape(file, "summary/loss_by_group_cents"), (std::vector<hsize_t>{0, 2, 3}));
  const std::vector<double> table_statistics = read_double(file, "summary/loss_by_group_cents_statistics");
  ASSERT_EQ(table_statistics.size(), static_cast<std::size_t>(5 * kGroups));
  EXPECT_TRUE(std::all_of(table_statistics.begin(), table_statistics.end(), [](double v) { return std::isnan(v); }));
}

TEST_F(Hdf5WriterTest, RefusesLayoutsItCannotWrite) {
  const auto refuses = [&](const Layout& layout) {
    Hdf5Writer writer((directory_ / "out.h5").string(), false);
    EXPECT_THROW(writer.begin(layout, 1, ""), std::logic_error);
  };
  Layout layout = sample_layout();
  layout.summary[2].dims = {"component", "nowhere"};
  refuses(layout);
  layout.summary[2].dims = {"region", "region"};
  refuses(layout);
  layout.summary[2].dims = {"replication"};
  refuses(layout);
  layout = sample_layout();
  layout.summary[0].name = "region";  // an axis of /summary
  refuses(layout);
  layout = sample_layout();
  layout.summary[0].name = "loss_by_group_cents";
  refuses(layout);
  layout = sample_layout();
  layout.series[2].dims = {"run", "replication", "week", "region"};  // replication must come first
  refuses(layout);
  layout.series[2].dims = {"replication", "run", "week", "nowhere"};
  refuses(layout);
  EXPECT_TRUE(fs::is_empty(directory_));
}

TEST_F(Hdf5WriterTest, SeriesNeedNoWeekDimension) {
  Layout layout = sample_layout();
  layout.series = {SeriesSpec{"loss_by_run_cents", "USD cents", "loss by run", {"replication", "run"}}};
  layout.summary = {};
  const std::string path = (directory_ / "out.h5").string();
  Hdf5Writer writer(path, false);
  writer.begin(layout, 2, "");
  writer.add(ReplicationResult{1, {{3, 4}}, {}});
  writer.add(ReplicationResult{0, {{1, 2}}, {}});
  writer.finish(sample_provenance());
  const Id file{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  EXPECT_EQ(read_int64(file, "timeseries/loss_by_run_cents"), (std::vector<std::int64_t>{1, 2, 3, 4}));
  EXPECT_TRUE(attached(file, "timeseries/loss_by_run_cents", "timeseries/run", 1));
  const Id dataset{H5Dopen2(file, "timeseries/loss_by_run_cents", H5P_DEFAULT), H5Dclose};
  EXPECT_EQ(H5Aexists(dataset, "coordinates"), 0);  // date runs along week, which this series lacks
}

TEST_F(Hdf5WriterTest, LargeSeriesAreSplitIntoChunksOfAtMostOneMebibyte) {
  Layout layout;
  layout.start_date = "2021-01-04";
  Axis week{"week", "week", {}, {}}, seller{"seller", "seller index", {}, {}};
  for (std::int64_t w = 0; w < 156; ++w) week.values.push_back(w);
  for (std::int64_t s = 0; s < 2000; ++s) seller.values.push_back(s);
  layout.axes = {week, seller};
  layout.series = {SeriesSpec{"balance_cents", "USD cents", "balance", {"replication", "week", "seller"}}};
  const std::string path = (directory_ / "big.h5").string();
  Hdf5Writer writer(path, false);
  writer.begin(layout, 1, "");
  writer.add(ReplicationResult{0, {std::vector<std::int64_t>(156 * 2000, 42)}, {}});
  writer.finish(sample_provenance());
  const Id file{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  const Id dataset{H5Dopen2(file, "timeseries/balance_cents", H5P_DEFAULT), H5Dclose};
  const Id properties{H5Dget_create_plist(dataset), H5Pclose};
  hsize_t chunk[3] = {0, 0, 0};
  ASSERT_EQ(H5Pget_chunk(properties, 3, chunk), 3);
  EXPECT_EQ(chunk[0], 1u);
  EXPECT_LE(chunk[0] * chunk[1] * chunk[2] * sizeof(std::int64_t), std::size_t{1} << 20);
  EXPECT_EQ(chunk[2], 2000u);  // whole rows: the inner dimension is split last
  const std::vector<std::int64_t> values = read_int64(file, "timeseries/balance_cents");
  EXPECT_EQ(values, std::vector<std::int64_t>(156 * 2000, 42));
}

}  // namespace
}  // namespace sellershock
