#include "run/report.hpp"

#include <gtest/gtest.h>

namespace sellershock {

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

}  // namespace sellershock
