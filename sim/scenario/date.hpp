// Calendar dates as days since 1970-01-01 (proleptic Gregorian), parsed from ISO 8601 (YYYY-MM-DD).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sellershock {

struct Date {
  std::int32_t days_since_epoch = 0;

  static Date from_ymd(int year, int month, int day);
  // Returns nullopt unless text is a valid YYYY-MM-DD date.
  static std::optional<Date> parse_iso(std::string_view text);
  std::string iso() const;
  Date plus_days(int days) const { return Date{days_since_epoch + days}; }
  friend auto operator<=>(const Date&, const Date&) = default;
};

// The dates a scenario may use, its last simulated week included: the Python side reads dates as
// numpy's datetime64[ns], which covers only 1677-09-21 .. 2262-04-11.
inline const Date kEarliestScenarioDate = Date::from_ymd(1900, 1, 1);
inline const Date kLatestScenarioDate = Date::from_ymd(2200, 12, 31);

}  // namespace sellershock
