#include "scenario/date.hpp"

#include <gtest/gtest.h>

namespace sellershock {
namespace {

TEST(ScenarioDate, ParsesIsoDates) {
  EXPECT_EQ(Date::parse_iso("1970-01-01")->days_since_epoch, 0);
  EXPECT_EQ(Date::parse_iso("2021-05-03"), Date::from_ymd(2021, 5, 3));
  EXPECT_EQ(Date::parse_iso("2024-02-29"), Date::from_ymd(2024, 2, 29));
  EXPECT_EQ(Date::parse_iso("1969-12-31")->days_since_epoch, -1);
}

TEST(ScenarioDate, RejectsInvalidDates) {
  for (const char* text : {"2021-02-29", "2021-13-01", "2021-00-10", "2021-04-31", "2021-5-3", "2021/05/03",
                           "20210503", "", "2021-05-03 ", " 2021-05-03", "2021-05-0x", "abcd-ef-gh"})
    EXPECT_FALSE(Date::parse_iso(text).has_value()) << text;
}

TEST(ScenarioDate, IsoRoundTrips) {
  for (const char* text : {"2021-01-04", "2000-02-29", "1999-12-31", "2100-03-01"})
    EXPECT_EQ(Date::parse_iso(text)->iso(), text);
}

TEST(ScenarioDate, ArithmeticAndOrder) {
  const Date start = Date::from_ymd(2021, 12, 27);
  EXPECT_EQ(start.plus_days(7), Date::from_ymd(2022, 1, 3));
  EXPECT_LT(start, start.plus_days(1));
  EXPECT_EQ(Date::from_ymd(2021, 5, 3).days_since_epoch - Date::from_ymd(2021, 1, 4).days_since_epoch, 17 * 7);
}

}  // namespace
}  // namespace sellershock
