#include "output/results.hpp"

#include <algorithm>
#include <cmath>
#include <chrono>
#include <ctime>
#include <stdexcept>

namespace sellershock {

const Axis& Layout::axis(const std::string& name) const {
  for (const Axis& a : axes)
    if (a.name == name) return a;
  throw std::logic_error("no output axis named '" + name + "'");
}

std::size_t Layout::element_count(const std::vector<std::string>& dims_after_replication) const {
  std::size_t count = 1;
  for (const std::string& dim : dims_after_replication) count *= axis(dim).size();
  return count;
}

std::string utc_now_iso() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

namespace {
double quantile_sorted(const std::vector<std::int64_t>& sorted, double q) {
  if (sorted.empty()) return std::nan("");
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(position));
  const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(lower);
  return static_cast<double>(sorted[lower]) +
         fraction * (static_cast<double>(sorted[upper]) - static_cast<double>(sorted[lower]));
}
}  // namespace

SummaryStatistics summarize(std::vector<std::int64_t> values) {
  SummaryStatistics s;
  if (values.empty()) {
    s.mean = s.q05 = s.q50 = s.q95 = s.standard_error = std::nan("");
    return s;
  }
  std::sort(values.begin(), values.end());
  long double total = 0;
  for (std::int64_t v : values) total += static_cast<long double>(v);
  s.mean = static_cast<double>(total / static_cast<long double>(values.size()));
  long double squares = 0;
  for (std::int64_t v : values) {
    const long double d = static_cast<long double>(v) - total / static_cast<long double>(values.size());
    squares += d * d;
  }
  s.standard_error = values.size() < 2 ? std::nan("")
                                       : static_cast<double>(std::sqrt(squares / static_cast<long double>(values.size() - 1)) /
                                                             std::sqrt(static_cast<long double>(values.size())));
  s.q05 = quantile_sorted(values, 0.05);
  s.q50 = quantile_sorted(values, 0.50);
  s.q95 = quantile_sorted(values, 0.95);
  return s;
}

}  // namespace sellershock
