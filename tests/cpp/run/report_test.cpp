#include "run/report.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace sellershock {

namespace {
// The whitespace-separated words of the table's row that starts with `label`.
std::vector<std::string> row_of(const std::string& table, const std::string& label) {
  std::istringstream lines(table);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::vector<std::string> row;
    for (std::string word; words >> word;) row.push_back(word);
    if (!row.empty() && row[0] == label) return row;
  }
  ADD_FAILURE() << "no row " << label << " in\n" << table;
  return {};
}
}  // namespace

TEST(Report, ThousandsSeparators) {
  EXPECT_EQ(with_thousands_separators(0), "0");
  EXPECT_EQ(with_thousands_separators(999), "999");
  EXPECT_EQ(with_thousands_separators(1000), "1,000");
  EXPECT_EQ(with_thousands_separators(-1234567), "-1,234,567");
}

TEST(Report, SummaryTableShowsDollarsAndQuantiles) {
  SummaryCollector collected;
  Layout layout;
  layout.summary = {{"frozen_cents", "USD cents", "Frozen"}, {"exits", "businesses", "Exits"}};
  collected.begin(layout, 5, "");
  for (std::int64_t r = 0; r < 5; ++r) collected.add({r, {}, {{r * 100000}, {r * 10}}});  // $0..$4,000; 0..40
  const std::string table = format_summary_table(collected);
  EXPECT_NE(table.find("frozen (USD)"), std::string::npos) << table;
  EXPECT_NE(table.find("2,000"), std::string::npos) << table;  // mean and median dollars
  EXPECT_NE(table.find("200"), std::string::npos) << table;    // 5% quantile: $200
  EXPECT_NE(table.find("exits"), std::string::npos) << table;
  EXPECT_NE(table.find("38"), std::string::npos) << table;     // 95% quantile of exits
}

TEST(Report, SurvivalTableDividesSurvivorsByBusinessesAtTheStart) {
  SummaryCollector collected;
  Layout layout;
  layout.axes = {{"diversification", "", {"dominant_only", "own_store"}, {}}};
  layout.summary = {{"surviving_sellers_by_diversification", "businesses", "", {"diversification"}},
                    {"exits_by_diversification", "businesses", "", {"diversification"}}};
  collected.begin(layout, 2, "");
  collected.add({0, {}, {{90, 50}, {10, 0}}});  // 90% and 100% survived
  collected.add({1, {}, {{80, 45}, {20, 5}}});  // 80% and 90%
  const std::string table = format_survival_table(collected);
  EXPECT_EQ(row_of(table, "dominant_only"), (std::vector<std::string>{"dominant_only", "100", "85.0%", "[80.5%", "..", "89.5%]"}));
  EXPECT_EQ(row_of(table, "own_store"), (std::vector<std::string>{"own_store", "50", "95.0%", "[90.5%", "..", "99.5%]"}));
}

TEST(Report, SurvivalTableShowsEachLevelWithoutTheWaveAndItsCaveat) {
  SummaryCollector collected;
  Layout layout;
  layout.axes = {{"diversification", "", {"dominant_only", "own_store"}, {}}};
  layout.summary = {{"surviving_sellers_by_diversification", "businesses", "", {"diversification"}},
                    {"exits_by_diversification", "businesses", "", {"diversification"}},
                    {"attributable_exits_by_diversification", "businesses", "", {"diversification"}}};
  collected.begin(layout, 1, "");
  collected.add({0, {}, {{80, 45}, {20, 5}, {10, 5}}});  // without the wave: 90 of 100 and 50 of 50 survive
  const std::string table = format_survival_table(collected);
  EXPECT_EQ(row_of(table, "dominant_only").back(), "90.0%") << table;
  EXPECT_EQ(row_of(table, "own_store").back(), "100.0%") << table;
  EXPECT_NE(table.find("confounded by size"), std::string::npos);
}

TEST(Report, MarketSharesOfTheCounterfactualAreTheScenarioLessTheDifference) {
  SummaryCollector collected;
  Layout layout;
  layout.axes = {{"channel", "", {"dominant", "physical_store"}, {}}};
  layout.summary = {{"sales_by_channel_cents", "USD cents", "", {"channel"}},
                    {"attributable_sales_by_channel_cents", "USD cents", "", {"channel"}}};
  collected.begin(layout, 1, "");
  collected.add({0, {}, {{600, 400}, {-200, 200}}});  // scenario 60/40; counterfactual 800/200: 80/20
  const std::string table = format_market_share_table(collected);
  EXPECT_EQ(row_of(table, "dominant"),
            (std::vector<std::string>{"dominant", "60.0%", "[60.0%", "..", "60.0%]", "80.0%", "[80.0%", "..", "80.0%]"}));
  EXPECT_EQ(row_of(table, "physical_store"),
            (std::vector<std::string>{"physical_store", "40.0%", "[40.0%", "..", "40.0%]", "20.0%", "[20.0%", "..", "20.0%]"}));
}

}  // namespace sellershock
