#include "run/report.hpp"

#include <cmath>
#include <cstdio>

namespace sellershock {

std::string with_thousands_separators(long long value) {
  const bool negative = value < 0;
  std::string digits = std::to_string(negative ? -(value + 1) + 1ULL : static_cast<unsigned long long>(value));
  std::string out;
  for (std::size_t k = 0; k < digits.size(); ++k) {
    if (k > 0 && (digits.size() - k) % 3 == 0) out += ',';
    out += digits[k];
  }
  return negative ? "-" + out : out;
}

namespace {

bool is_cents(const SummarySpec& spec) { return spec.unit == "USD cents"; }

std::string format_value(double value, bool cents) {
  if (std::isnan(value)) return "n/a";
  const double shown = cents ? value / 100.0 : value;  // money in whole dollars
  return with_thousands_separators(std::llround(shown));
}

std::string pad_left(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}
std::string pad_right(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

}  // namespace

std::string format_summary_table(const SummaryCollector& collected) {
  const auto& specs = collected.summary();
  std::size_t name_width = 8;
  std::vector<std::string> names;
  for (const SummarySpec& spec : specs) {
    if (!spec.dims.empty()) continue;  // tables by region and size are printed elsewhere
    std::string name = spec.name;
    if (is_cents(spec) && name.size() > 6 && name.compare(name.size() - 6, 6, "_cents") == 0)
      name = name.substr(0, name.size() - 6) + " (USD)";
    names.push_back(name);
    name_width = std::max(name_width, name.size());
  }
  const std::size_t column = 16;
  std::string out = pad_right("", name_width) + pad_left("mean", column) + pad_left("5%", column) +
                    pad_left("50%", column) + pad_left("95%", column) + "\n";
  for (std::size_t k = 0, row = 0; k < specs.size(); ++k) {
    if (!specs[k].dims.empty()) continue;
    const SummaryStatistics stats = summarize(collected.values(k));
    const bool cents = is_cents(specs[k]);
    out += pad_right(names[row++], name_width) + pad_left(format_value(stats.mean, cents), column) +
           pad_left(format_value(stats.q05, cents), column) + pad_left(format_value(stats.q50, cents), column) +
           pad_left(format_value(stats.q95, cents), column) + "\n";
  }
  return out;
}

}  // namespace sellershock
