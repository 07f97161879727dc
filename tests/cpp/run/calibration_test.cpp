#include "run/calibration.hpp"

#include <gtest/gtest.h>

#include "run/catalogue.hpp"

#include <filesystem>
#include <fstream>
#include <set>

#include <unistd.h>

namespace sellershock {
namespace {

const std::string kShippedTargets = std::string(SELLERSHOCK_SOURCE_DIR) + "/data/calibration_targets.csv";
const std::string kHeader = "id,description,metric,low,high,unit,source,status\n";

// The scalar summary entries a run produces (per replication, scaled by sellers.scale): the catalogue's.
std::set<std::string> run_metrics() {
  std::set<std::string> names;
  for (const SummaryEntry& entry : kSummaries)
    if (entry.dims == SummaryDims::none) names.emplace(entry.name);
  return names;
}
const std::set<std::string> kRunMetrics = run_metrics();

// A metric is an entry or a ratio "a/b" of two.
bool is_run_metric(const std::string& metric) {
  const auto slash = metric.find('/');
  if (slash == std::string::npos) return kRunMetrics.count(metric) == 1;
  return kRunMetrics.count(metric.substr(0, slash)) == 1 && kRunMetrics.count(metric.substr(slash + 1)) == 1;
}

// A CSV file in a fresh temporary directory, removed with the fixture.
class CalibrationFile : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           (std::string("sellershock-calibration-") + info->name() + "-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& text) {
    const auto path = dir_ / "targets.csv";
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }
  // The InputError message of loading `text`, or "" when it loads.
  std::string load_error(const std::string& text) {
    const std::string path = write(text);
    try {
      load_calibration_targets(path);
    } catch (const InputError& e) {
      EXPECT_EQ(e.where().file, path);
      return e.what();
    }
    return "";
  }
  std::filesystem::path dir_;
};

CalibrationTarget make_target(std::string id, std::string metric, double low, double high) {
  CalibrationTarget t;
  t.id = std::move(id);
  t.metric = std::move(metric);
  t.low = low;
  t.high = high;
  t.unit = "accounts";
  t.status = "V";
  return t;
}

// A collector holding, for each replication r, the given values of each scalar entry.
SummaryCollector collect(const std::vector<std::pair<std::string, std::vector<std::int64_t>>>& entries) {
  SummaryCollector collected;
  Layout layout;
  for (const auto& [name, values] : entries)
    layout.summary.push_back({name, name.ends_with("_cents") ? "USD cents" : "count", name});
  const std::size_t replications = entries.empty() ? 0 : entries.front().second.size();
  collected.begin(layout, static_cast<std::int64_t>(replications), "");
  for (std::size_t r = 0; r < replications; ++r) {
    ReplicationResult result;
    result.replication = static_cast<std::int64_t>(r);
    for (const auto& entry : entries) result.summary.push_back({entry.second[r]});
    collected.add(result);
  }
  return collected;
}

// The table line of target `id`.
std::string line_of(const std::string& table, const std::string& id) {
  const std::size_t start = table.find(id + " ");
  if (start == std::string::npos) return "";
  return table.substr(start, table.find('\n', start) - start);
}

TEST(CalibrationTargets, ShippedFileLoadsAndEveryRowIsWellFormed) {
  const std::vector<CalibrationTarget> targets = load_calibration_targets(kShippedTargets);
  ASSERT_FALSE(targets.empty());
  std::set<std::string> ids;
  for (const CalibrationTarget& t : targets) {
    SCOPED_TRACE(t.id);
    EXPECT_TRUE(ids.insert(t.id).second) << "duplicate id";
    EXPECT_TRUE(t.status == "V" || t.status == "W" || t.status == "A");
    EXPECT_LE(t.low, t.high);
    EXPECT_TRUE(t.metric.empty() || is_run_metric(t.metric)) << "unknown metric " << t.metric;
    EXPECT_FALSE(t.description.empty());
    EXPECT_FALSE(t.source.empty());
    EXPECT_FALSE(t.unit.empty());
    for (char c : t.id) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') << "not kebab-case";
    if (t.metric.ends_with("_cents")) {
      EXPECT_EQ(t.unit, "USD");
    }
    // Never present an article-only claim as a target a scenario can be calibrated against.
    if (t.status == "A") {
      EXPECT_TRUE(t.metric.empty());
    }
  }
}

TEST(CalibrationTargets, ShippedFileHasTheCoreFiguresWithTheEvidenceNotTheArticle) {
  const std::vector<CalibrationTarget> targets = load_calibration_targets(kShippedTargets);
  auto find = [&](const std::string& id) {
    for (const CalibrationTarget& t : targets)
      if (t.id == id) return t;
    ADD_FAILURE() << "no target " << id;
    return CalibrationTarget{};
  };
  const CalibrationTarget accounts = find("china-2021-accounts-suspended");
  EXPECT_EQ(accounts.metric, "accounts_suspended_by_wave");
  EXPECT_GE(accounts.low, 50000);
  EXPECT_LE(accounts.low, 55000);
  EXPECT_GE(accounts.high, 55000);
  const CalibrationTarget loss = find("china-2021-total-loss");
  EXPECT_EQ(loss.metric, "loss_to_suspended_cents");  // the gross headline, not the net over all sellers
  EXPECT_LT(loss.high, 100e9);  // 100 billion yuan, not dollars
  EXPECT_NEAR(loss.low, 15.4e9, 0.2e9);
  const CalibrationTarget pakistan = find("pakistan-2022-accounts-banned");
  EXPECT_EQ(pakistan.metric, "accounts_suspended_by_wave");
  EXPECT_LE(pakistan.low, 13000);
  EXPECT_GE(pakistan.high, 13000);
  EXPECT_EQ(find("china-2021-businesses-affected").metric, "businesses_suspended_by_wave");  // distinct businesses
  const CalibrationTarget per_account = find("china-2021-frozen-per-account");
  EXPECT_EQ(per_account.metric, "frozen_per_account_by_wave_cents");
  EXPECT_NEAR(per_account.low, 59000, 1000);    // Youkeshu
  EXPECT_NEAR(per_account.high, 118000, 1000);  // Tomtop
  find("pakistan-2022-mass-arbitration-claimants");
  find("pakistan-2022-seized-per-claimant");
  // The platform's own count of permanent bans (Sep 2021): about 600 brands, about 3,000 accounts.
  const CalibrationTarget brands = find("amazon-2021-chinese-brands-banned");
  EXPECT_EQ(brands.metric, "businesses_banned_by_wave");
  EXPECT_LT(brands.low, 600);
  EXPECT_GT(brands.high, 600);
  const CalibrationTarget banned_accounts = find("amazon-2021-chinese-accounts-banned");
  EXPECT_EQ(banned_accounts.metric, "accounts_banned_by_wave");
  EXPECT_LT(banned_accounts.low, 3000);
  EXPECT_GT(banned_accounts.high, 3000);
}

TEST_F(CalibrationFile, ReadsQuotedFieldsAndIgnoresBlankLines) {
  const std::string path = write(kHeader +
                                 "a-b,\"one, \"\"two\"\"\",accounts_suspended,1,2.5,accounts,\"src, 2021\",W\r\n"
                                 "\n"
                                 "c-d,ref only,,0.1,0.1,share,src,A\n");
  const std::vector<CalibrationTarget> targets = load_calibration_targets(path);
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].id, "a-b");
  EXPECT_EQ(targets[0].description, "one, \"two\"");
  EXPECT_EQ(targets[0].metric, "accounts_suspended");
  EXPECT_DOUBLE_EQ(targets[0].low, 1.0);
  EXPECT_DOUBLE_EQ(targets[0].high, 2.5);
  EXPECT_EQ(targets[0].source, "src, 2021");
  EXPECT_EQ(targets[0].status, "W");
  EXPECT_EQ(targets[0].where.line, 2);
  EXPECT_EQ(targets[1].metric, "");
  EXPECT_EQ(targets[1].where.line, 4);
}

TEST_F(CalibrationFile, MissingFileIsAnInputErrorNamingIt) {
  const std::string path = (dir_ / "nope.csv").string();
  try {
    load_calibration_targets(path);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not found"), std::string::npos) << e.what();
  }
  EXPECT_THROW(load_calibration_targets(dir_.string()), InputError);  // a directory
}

TEST_F(CalibrationFile, BadContentsNameFileAndLine) {
  const std::string path = (dir_ / "targets.csv").string();
  struct Case {
    std::string text, expected_fragment;
  };
  const std::vector<Case> cases = {
      {"", ":1: expected the header"},
      {"id,description,metric,low,high,unit,source\n", ":1: expected the header"},
      {kHeader + "a,d,,1,2,u,s,V\nb,d,,1,2,u,s\n", ":3: expected 8 fields"},
      {kHeader + "a,d,,1,2,u,s,V,extra\n", ":2: expected 8 fields"},
      {kHeader + "a,\"unterminated,,1,2,u,s,V\n", ":2:3: unterminated quoted field"},
      {kHeader + "a,\"x\"y,,1,2,u,s,V\n", ":2:6: expected ','"},
      {kHeader + "a,d,,one,2,u,s,V\n", ":2: low: target 'a': expected a finite number, found 'one'"},
      {kHeader + "a,d,,1,2x,u,s,V\n", ":2: high: target 'a': expected a finite number"},
      {kHeader + "a,d,,1,nan,u,s,V\n", ":2: high:"},
      {kHeader + "a,d,,3,2,u,s,V\n", ":2: low: target 'a': low (3) is above high (2)"},
      {kHeader + "a,d,,1,2,u,s,X\n", ":2: status: target 'a': expected V, W or A"},
      {kHeader + ",d,,1,2,u,s,V\n", ":2: id: expected a target id"},
      {kHeader + "a,d,,1,2,u,s,V\n\na,d,,1,2,u,s,V\n", ":4: id: target id 'a' appears twice"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const std::string message = load_error(c.text);
    EXPECT_NE(message.find(path + c.expected_fragment), std::string::npos) << message;
  }
}

TEST(CalibrationSelect, ReturnsTargetsInTheOrderAsked) {
  const std::vector<CalibrationTarget> all = {make_target("alpha", "exits", 1, 2),
                                              make_target("beta", "accounts_suspended", 3, 4)};
  const auto chosen = select_calibration_targets(all, {"beta", "alpha"}, "s.yaml");
  ASSERT_EQ(chosen.size(), 2u);
  EXPECT_EQ(chosen[0].id, "beta");
  EXPECT_EQ(chosen[1].id, "alpha");
  EXPECT_TRUE(select_calibration_targets(all, {}, "s.yaml").empty());
}

TEST(CalibrationSelect, UnknownIdSuggestsTheNearest) {
  const std::vector<CalibrationTarget> all = load_calibration_targets(kShippedTargets);
  try {
    select_calibration_targets(all, {"china-2021-total-loss", "china-2021-acounts-suspended"}, "scen.yaml");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.where().file, "scen.yaml");
    EXPECT_EQ(e.key_path(), "calibration.targets[1]");
    EXPECT_EQ(message.rfind("scen.yaml: calibration.targets[1]: ", 0), 0u) << message;
    EXPECT_NE(message.find("did you mean 'china-2021-accounts-suspended'?"), std::string::npos) << message;
  }
  try {
    select_calibration_targets(all, {"zzz"}, "scen.yaml");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).find("did you mean"), std::string::npos) << e.what();
  }
}

TEST(CalibrationSelect, ReferenceOnlyTargetCannotBeSelected) {
  const std::vector<CalibrationTarget> all = {make_target("shares", "", 0.1, 0.1), make_target("a", "exits", 1, 2)};
  try {
    select_calibration_targets(all, {"a", "shares"}, "scen.yaml");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.key_path(), "calibration.targets[1]");
    EXPECT_NE(std::string(e.what()).find("reference only"), std::string::npos) << e.what();
  }
}

TEST(CalibrationTable, VerdictInsideBelowAbove) {
  // Means: exits 100, accounts_suspended 50, businesses_suspended 200.
  const SummaryCollector collected = collect({{"exits", {90, 100, 110}},
                                              {"accounts_suspended", {40, 50, 60}},
                                              {"businesses_suspended", {200, 200, 200}}});
  const std::vector<CalibrationTarget> targets = {make_target("t-inside", "exits", 90, 120),
                                                  make_target("t-below", "accounts_suspended", 100, 200),
                                                  make_target("t-above", "businesses_suspended", 50, 160)};
  const std::string table = format_calibration_table(targets, collected);
  EXPECT_NE(line_of(table, "t-inside").find("inside"), std::string::npos) << table;
  EXPECT_NE(line_of(table, "t-below").find("below by 50%"), std::string::npos) << table;  // (100 - 50) / 100
  EXPECT_NE(line_of(table, "t-above").find("above by 25%"), std::string::npos) << table;  // (200 - 160) / 160
  EXPECT_NE(line_of(table, "t-inside").find("90..120"), std::string::npos) << table;       // the target range
  EXPECT_NE(line_of(table, "t-inside").find("91..109"), std::string::npos) << table;       // 5%..95% quantiles
  EXPECT_NE(line_of(table, "t-inside").find(" V "), std::string::npos) << table;           // status shown
  EXPECT_NE(table.find("status: V"), std::string::npos) << table;                          // and explained
}

TEST(CalibrationTable, BoundsCountAsInsideAndSmallGapsKeepADecimal) {
  const SummaryCollector collected = collect({{"exits", {100, 100}}, {"accounts_suspended", {97, 97}}});
  const std::string table = format_calibration_table(
      {make_target("edge", "exits", 100, 100), make_target("near", "accounts_suspended", 100, 110)}, collected);
  EXPECT_NE(line_of(table, "edge").find("inside"), std::string::npos) << table;
  EXPECT_NE(line_of(table, "near").find("below by 3.0%"), std::string::npos) << table;
}

TEST(CalibrationTable, ARatioMetricIsFormedInEachReplication) {
  // Frozen funds per account closed: $1,000,000 / 10 and $3,000,000 / 20 accounts: $100,000 and $150,000.
  const SummaryCollector collected = collect({{"frozen_by_wave_cents", {100'000'000, 300'000'000}},
                                              {"accounts_suspended_by_wave", {10, 20}}});
  const CalibrationTarget per_account =
      make_target("per-account", "frozen_by_wave_cents/accounts_suspended_by_wave", 59'000, 118'000);
  const std::string line = line_of(format_calibration_table({per_account}, collected), "per-account");
  EXPECT_NE(line.find("125,000"), std::string::npos) << line;  // the mean of the two ratios, in dollars
  EXPECT_NE(line.find("above by 5.9%"), std::string::npos) << line;
  const CalibrationTarget missing = make_target("bad", "frozen_by_wave_cents/accounts", 1, 2);
  EXPECT_THROW(format_calibration_table({missing}, collected), InputError);
}

TEST(CalibrationTable, CentsAreShownInDollars) {
  // $1,000,000 .. $3,000,000 in cents: mean $2,000,000.
  const SummaryCollector collected =
      collect({{"attributable_loss_cents", {100'000'000, 200'000'000, 300'000'000}}});
  CalibrationTarget loss = make_target("loss", "attributable_loss_cents", 1'500'000, 2'500'000);
  loss.unit = "USD";
  const std::string table = format_calibration_table({loss}, collected);
  const std::string line = line_of(table, "loss");
  EXPECT_NE(line.find("inside"), std::string::npos) << table;
  EXPECT_NE(line.find("2,000,000"), std::string::npos) << table;
  EXPECT_NE(line.find("1,100,000..2,900,000"), std::string::npos) << table;
  EXPECT_EQ(line.find("200,000,000"), std::string::npos) << table;  // not cents

  loss.low = 2'500'000;
  loss.high = 4'000'000;
  EXPECT_NE(line_of(format_calibration_table({loss}, collected), "loss").find("below by 20%"), std::string::npos);
}

TEST(CalibrationTable, MetricTheRunDidNotProduceNamesTheTarget) {
  const SummaryCollector collected = collect({{"exits", {1, 2}}});
  CalibrationTarget missing = make_target("pakistan-x", "attributable_exits", 1, 2);
  missing.where = {"targets.csv", 7, 0};
  try {
    format_calibration_table({missing}, collected);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("targets.csv:7"), std::string::npos) << message;
    EXPECT_NE(message.find("'pakistan-x'"), std::string::npos) << message;
    EXPECT_NE(message.find("attributable_exits"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace sellershock
