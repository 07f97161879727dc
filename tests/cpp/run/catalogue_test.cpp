// The output catalogue: the layout and the recording agree, the ledger conserves money every week, money
// that would leave int64 is refused, and docs/FORMAT.md's output dictionary is the generated one.
#include "run/catalogue.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <numeric>
#include <sstream>

#include "run/money_range.hpp"
#include "run/replication.hpp"
#include "scenario/error.hpp"
#include "support/test_scenario.hpp"

namespace sellershock {
namespace {

TEST(Catalogue, EveryRecordedSeriesAndSummaryHasTheSizeItsLayoutDeclares) {
  const Scenario scenario = testing::small_scenario(800, 12, 1);
  for (const bool with_counterfactual : {true, false}) {
    const Layout layout = make_layout(scenario, with_counterfactual);
    const ReplicationResult result = simulate_replication(scenario, 0, nullptr, with_counterfactual);
    ASSERT_EQ(result.series.size(), layout.series.size());
    for (std::size_t s = 0; s < layout.series.size(); ++s) {
      const std::vector<std::string> dims(layout.series[s].dims.begin() + 1, layout.series[s].dims.end());
      EXPECT_EQ(result.series[s].size(), layout.element_count(dims)) << layout.series[s].name;
    }
    ASSERT_EQ(result.summary.size(), layout.summary.size());
    for (std::size_t k = 0; k < layout.summary.size(); ++k)
      EXPECT_EQ(result.summary[k].size(), layout.element_count(layout.summary[k].dims)) << layout.summary[k].name;
  }
}

TEST(Catalogue, EntriesThatNeedACounterfactualAreLeftOutWithoutOne) {
  const Scenario scenario = testing::small_scenario(100, 4, 1);
  const Layout with = make_layout(scenario, true);
  const Layout without = make_layout(scenario, false);
  std::size_t needing = 0;
  for (const SummaryEntry& entry : kSummaries) needing += entry.needs_counterfactual ? 1 : 0;
  EXPECT_GT(needing, 0u);
  EXPECT_EQ(with.summary.size(), kSummaryCount);
  EXPECT_EQ(without.summary.size(), kSummaryCount - needing);
}

TEST(Catalogue, TypedHandlesNameTheirEntry) {
  constexpr SummaryId loss = summary_id("attributable_loss_cents");
  static_assert(loss.entry().name == "attributable_loss_cents");
  EXPECT_EQ(kSummaries[loss.index].unit, "USD cents");
}

TEST(Catalogue, StocksAndFlowsAreLabelledInTheLayout) {
  const Layout layout = make_layout(testing::small_scenario(100, 4, 1));
  for (const SeriesSpec& s : layout.series) {
    EXPECT_TRUE(s.measure == "stock" || s.measure == "flow") << s.name;
    EXPECT_FALSE(s.long_name.empty()) << s.name;
  }
  for (const SummarySpec& s : layout.summary) EXPECT_TRUE(s.measure == "stock" || s.measure == "flow") << s.name;
}

// The ledger series: sellers' money and every other account, every week of both runs, sums to zero to
// the cent, and is not trivially zero.
TEST(Catalogue, LedgerBalancesSumToZeroEveryWeekOfBothRuns) {
  Scenario scenario = testing::small_scenario(1500, 30, 1);
  scenario.sellers.scale = 3;
  const Layout layout = make_layout(scenario, true);
  const ReplicationResult result = simulate_replication(scenario, 0, nullptr, true);
  std::size_t ledger = layout.series.size();
  for (std::size_t s = 0; s < layout.series.size(); ++s)
    if (layout.series[s].name == "ledger_balance_cents") ledger = s;
  ASSERT_LT(ledger, layout.series.size());
  const std::size_t accounts = layout.axis("ledger_account").size();
  ASSERT_EQ(accounts, kSellerMoneyCount + Ledger::kAccountCount);
  const std::vector<std::int64_t>& values = result.series[ledger];
  const std::size_t rows = values.size() / accounts;
  ASSERT_EQ(rows, 2u * static_cast<std::size_t>(scenario.weeks));
  for (std::size_t row = 0; row < rows; ++row) {
    std::int64_t sum = 0, magnitude = 0;
    for (std::size_t a = 0; a < accounts; ++a) {
      sum += values[row * accounts + a];
      magnitude += std::abs(values[row * accounts + a]);
    }
    EXPECT_EQ(sum, 0) << "run " << row / scenario.weeks << ", week " << row % scenario.weeks;
    EXPECT_GT(magnitude, 0);
  }
}

TEST(Catalogue, RunTotalsRefuseToWrap) {
  RunTotals totals(1);
  WeekTally week(1);
  week.profit_cents[0] = std::numeric_limits<std::int64_t>::max() - 10;
  totals.add_week(week);
  week.profit_cents[0] = 11;
  EXPECT_THROW(totals.add_week(week), MoneyOverflow);
}

TEST(Catalogue, RunTotalsAddFlowsAndKeepTheLastWeeksStocks) {
  RunTotals totals(1);
  WeekTally week(1);
  for (const std::int64_t level : {5, 7}) {
    week.new_exits[0] = 2;
    week.sales_cents[0] = 100;
    week.exits_by_level[1] = 3;
    week.exited_sellers[0] = level;
    week.sellers_present[0] = level;
    week.surviving_sellers[1] = level;
    totals.add_week(week);
  }
  // Flows over the run: both weeks added.
  EXPECT_EQ(totals.flows.new_exits[0], 4);
  EXPECT_EQ(totals.flows.sales_cents[0], 200);
  EXPECT_EQ(totals.flows.exits_by_level[1], 6);
  // Stocks: the last week's level; a sum of levels over weeks means nothing and is not kept.
  EXPECT_EQ(totals.last.exited_sellers[0], 7);
  EXPECT_EQ(totals.flows.exited_sellers[0], 0);
  EXPECT_EQ(totals.flows.sellers_present[0], 0);
  EXPECT_EQ(totals.flows.surviving_sellers[1], 0);
  // Measures of the three kinds of columns, from week.hpp's lists.
  EXPECT_EQ(measure_of(&WeekTally::exited_sellers), Measure::stock);
  EXPECT_EQ(measure_of(&WeekTally::new_exits), Measure::flow);
  EXPECT_EQ(measure_of(&WeekTally::sellers_present), Measure::stock);
  EXPECT_EQ(measure_of(&WeekTally::sales_cents), Measure::flow);
  EXPECT_EQ(measure_of(&WeekTally::surviving_sellers), Measure::stock);
  EXPECT_EQ(measure_of(&WeekTally::exits_by_level), Measure::flow);
}

TEST(MoneyRange, AHeavyTailThatWouldOverflowIsAnInputErrorNamingSigma) {
  Scenario scenario = testing::small_scenario(20000, 78, 1);
  scenario.sellers.annual_sales_usd = {60000, 7};
  try {
    check_money_range(scenario, "s.yaml");
    FAIL() << "sigma 7 accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.key_path(), "sellers.annual_sales_usd.sigma");
    EXPECT_NE(std::string(error.what()).find("s.yaml"), std::string::npos);
  }
}

TEST(MoneyRange, AHugeScaleAndLongRunIsAnInputErrorNamingTheScale) {
  Scenario scenario = testing::small_scenario(20000, 800, 1);
  scenario.sellers.scale = 1'000'000;
  try {
    check_money_range(scenario, "s.yaml");
    FAIL() << "scale 1e6 x 800 weeks accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.key_path(), "sellers.scale");
  }
}

TEST(MoneyRange, ShippedSizesPass) {
  Scenario scenario = testing::small_scenario(2'000'000, 156, 1);
  scenario.sellers.annual_sales_usd = {70125, 1.852};
  scenario.sellers.scale = 10;
  EXPECT_NO_THROW(check_money_range(scenario, "s.yaml"));
}

const std::string kBegin = "<!-- BEGIN GENERATED OUTPUTS -->\n";
const std::string kEnd = "<!-- END GENERATED OUTPUTS -->";

TEST(Catalogue, FormatDocsHoldTheGeneratedOutputDictionary) {
  const std::string path = std::string(SELLERSHOCK_SOURCE_DIR) + "/docs/FORMAT.md";
  std::ifstream file(path);
  ASSERT_TRUE(file) << path;
  std::stringstream text;
  text << file.rdbuf();
  const std::string docs = text.str();
  const std::size_t begin = docs.find(kBegin), end = docs.find(kEnd);
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(docs.substr(begin + kBegin.size(), end - begin - kBegin.size()), "\n" + output_reference_markdown() + "\n")
      << "docs/FORMAT.md is out of date: run tools/update-docs.sh build/dev/sellershock";
}

}  // namespace
}  // namespace sellershock
