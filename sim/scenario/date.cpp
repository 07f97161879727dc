#include "scenario/date.hpp"

#include <chrono>
#include <cstdio>

namespace sellershock {

Date Date::from_ymd(int year, int month, int day) {
  using namespace std::chrono;
  const sys_days days{std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} /
                      std::chrono::day{static_cast<unsigned>(day)}};
  return Date{static_cast<std::int32_t>(days.time_since_epoch().count())};
}

std::optional<Date> Date::parse_iso(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8};
  const int lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (int k = 0; k < lengths[p]; ++k) {
      const char c = text[starts[p] + k];
      if (c < '0' || c > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year{parts[0]}, std::chrono::month{static_cast<unsigned>(parts[1])},
                           std::chrono::day{static_cast<unsigned>(parts[2])}};
  if (!ymd.ok()) return std::nullopt;
  return Date{static_cast<std::int32_t>(sys_days{ymd}.time_since_epoch().count())};
}

std::string Date::iso() const {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{days{days_since_epoch}}};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}

}  // namespace sellershock
