#include "run/report.hpp"

#include "run/catalogue.hpp"

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

// Monte Carlo standard error of the mean over replications (sample standard deviation / sqrt(n)).
double standard_error(const std::vector<std::int64_t>& values) {
  const std::size_t n = values.size();
  if (n < 2) return std::nan("");
  double mean = 0;
  for (std::int64_t v : values) mean += static_cast<double>(v) / static_cast<double>(n);
  double squares = 0;
  for (std::int64_t v : values) squares += (static_cast<double>(v) - mean) * (static_cast<double>(v) - mean);
  return std::sqrt(squares / static_cast<double>(n - 1) / static_cast<double>(n));
}

std::string loss_row(const std::string& label, const std::vector<std::int64_t>& per_replication, bool cents) {
  const SummaryStatistics s = summarize(per_replication);
  const auto shown = [&](double v) { return format_value(v, cents); };
  std::string row = pad_right("  " + label, 34) + pad_left(shown(s.mean), 16) + "   [" + shown(s.q05) + " .. " +
                    shown(s.q95) + "]  s.e. " + shown(standard_error(per_replication)) + "\n";
  return row;
}

// The loss to the businesses the removed wave suspended: the headline, printed before anything else.
std::string format_headline(const SummaryCollector& collected) {
  const std::optional<std::size_t> headline = find(collected, summary_id("loss_to_suspended_cents"));
  if (!headline) return "";
  std::string out =
      "Loss to the businesses the shock suspended, each against itself without the shock (gross), USD: "
      "mean [90% interval over replications]  Monte Carlo s.e.\n";
  out += loss_row("loss to suspended businesses", collected.values(*headline), true);
  out += loss_row("businesses suspended by the wave", collected.values(index_of(collected, summary_id("businesses_suspended_by_wave"))),
                  false);
  out += loss_row("exits caused among them", collected.values(index_of(collected, summary_id("loss_to_suspended_exits"))), false);
  out += "Beside it, never netted into it:\n";
  out += loss_row("competitors' gain (spillover)", collected.values(index_of(collected, summary_id("spillover_gain_cents"))), true);
  out += loss_row("platform's retained funds", collected.values(index_of(collected, summary_id("platform_retained_cents"))), true);
  out += loss_row("net loss over all sellers", collected.values(index_of(collected, summary_id("net_loss_all_sellers_cents"))), true);
  return out + "\n";
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
  std::string out = format_headline(collected) + pad_right("", name_width) + pad_left("mean", column) + pad_left("5%", column) +
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

namespace sellershock {

namespace {

// Per replication, the sum of the selected elements of a dimensioned summary entry.
std::vector<std::int64_t> summed_elements(const SummaryCollector& collected, std::size_t entry,
                                          const std::vector<std::size_t>& elements) {
  std::vector<std::int64_t> totals(collected.values(entry, 0).size(), 0);
  for (std::size_t e : elements) {
    const std::vector<std::int64_t>& values = collected.values(entry, e);
    for (std::size_t r = 0; r < totals.size(); ++r) totals[r] += values[r];
  }
  return totals;
}


}  // namespace

std::string format_loss_table(const SummaryCollector& collected) {
  const Layout& layout = collected.layout();
  const std::optional<std::size_t> by_group = find(collected, summary_id("attributable_loss_by_group_cents"));
  if (!by_group) return "";
  const std::size_t loss = *by_group;
  const std::size_t exits = index_of(collected, summary_id("attributable_exits_by_group"));
  const Axis& components = layout.axis("component");
  const Axis& regions = layout.axis("region");
  const Axis& sizes = layout.axis("size_class");
  const std::size_t groups = regions.size() * sizes.size();

  std::string out;
  if (const std::optional<std::size_t> gross = find(collected, summary_id("loss_to_suspended_by_group_cents"))) {
    const Axis& parts = layout.axis("loss_component");
    const std::size_t n_sizes = layout.axis("size_class").size(), n_groups = layout.axis("region").size() * n_sizes;
    const auto gross_where = [&](auto keep) {
      std::vector<std::size_t> elements;
      for (std::size_t c = 0; c < parts.size(); ++c)
        for (std::size_t g = 0; g < n_groups; ++g)
          if (keep(c, g / n_sizes, g % n_sizes)) elements.push_back(c * n_groups + g);
      return elements;
    };
    out += "Loss to the businesses the shock suspended (gross, each against itself), USD: mean [90% interval]  s.e.\n";
    out += loss_row("total", collected.values(index_of(collected, summary_id("loss_to_suspended_cents"))), true);
    for (std::size_t k = 0; k < parts.size(); ++k)
      out += loss_row(parts.labels[k], summed_elements(collected, *gross, gross_where([&](auto c, auto, auto) {
                        return c == k;
                      })), true);
    out += "by home region:\n";
    for (std::size_t k = 0; k < layout.axis("region").size(); ++k)
      out += loss_row(layout.axis("region").labels[k], summed_elements(collected, *gross, gross_where([&](auto, auto r, auto) {
                        return r == k;
                      })), true);
    out += "by size class (annual sales, USD):\n";
    for (std::size_t k = 0; k < n_sizes; ++k)
      out += loss_row(layout.axis("size_class").labels[k], summed_elements(collected, *gross, gross_where([&](auto, auto, auto sz) {
                        return sz == k;
                      })), true);
    out += loss_row("sales they lost", collected.values(index_of(collected, summary_id("sales_lost_by_suspended_cents"))), true);
    out += loss_row("exits caused among them", collected.values(index_of(collected, summary_id("loss_to_suspended_exits"))), false);
    out += "\n";
  }
  // Net over all sellers: what suspended sellers lose, their competitors partly win back.
  out += "Attributable loss to sellers, net of competitors' gains (scenario minus counterfactual), USD: "
                    "mean [90% interval]\n";
  out += loss_row("total", collected.values(index_of(collected, summary_id("attributable_loss_cents"))), true);
  // Elements (component, region, size class) of the loss table for which keep(c, r, s) holds.
  const auto elements_where = [&](auto keep) {
    std::vector<std::size_t> elements;
    for (std::size_t c = 0; c < components.size(); ++c)
      for (std::size_t r = 0; r < regions.size(); ++r)
        for (std::size_t s = 0; s < sizes.size(); ++s)
          if (keep(c, r, s)) elements.push_back(c * groups + r * sizes.size() + s);
    return elements;
  };
  for (std::size_t k = 0; k < components.size(); ++k)
    out += loss_row(components.labels[k], summed_elements(collected, loss, elements_where([&](auto c, auto, auto) {
                      return c == k;
                    })), true);
  out += "by home region:\n";
  for (std::size_t k = 0; k < regions.size(); ++k)
    out += loss_row(regions.labels[k], summed_elements(collected, loss, elements_where([&](auto, auto r, auto) {
                      return r == k;
                    })), true);
  out += "by size class (annual sales, USD):\n";
  for (std::size_t k = 0; k < sizes.size(); ++k)
    out += loss_row(sizes.labels[k], summed_elements(collected, loss, elements_where([&](auto, auto, auto s) {
                      return s == k;
                    })), true);
  std::vector<std::size_t> all_groups(groups);
  for (std::size_t g = 0; g < groups; ++g) all_groups[g] = g;
  out += "Businesses exited because of the shock:\n";
  out += loss_row("exits", summed_elements(collected, exits, all_groups), false);
  return out;
}

std::string format_recovery_table(const SummaryCollector& collected) {
  struct Row {
    const char* label;
    SummaryId entry;
  };
  static constexpr Row rows[] = {
      {"frozen", summary_id("newly_frozen_cents")},
      {"recovered by appeal", summary_id("reinstated_cents")},
      {"released after the hold", summary_id("released_cents")},
      {"won in individual arbitration", summary_id("arbitration_awards_cents")},
      {"won in collective action", summary_id("collective_awards_cents")},
      {"forfeited to the platform", summary_id("forfeited_cents")},
      {"still frozen at the end", summary_id("still_frozen_cents")},
      {"legal costs paid", summary_id("legal_costs_cents")},
  };
  std::string out = "Frozen funds by route of recovery (awards include interest), USD: mean [90% interval]\n";
  for (const Row& row : rows) out += loss_row(row.label, collected.values(index_of(collected, row.entry)), true);
  return out;
}

}  // namespace sellershock

namespace sellershock {

std::string format_survival_table(const SummaryCollector& collected) {
  const std::size_t surviving = index_of(collected, summary_id("surviving_sellers_by_diversification"));
  const std::size_t exits = index_of(collected, summary_id("exits_by_diversification"));
  const std::optional<std::size_t> caused = find(collected, summary_id("attributable_exits_by_diversification"));
  const Axis& levels = collected.layout().axis("diversification");
  std::string out = "Survival by diversification at the start (channels besides the dominant marketplace):\n";
  char line[200];
  std::snprintf(line, sizeof line, "  %-28s %12s %10s %22s%s\n", "started on", "businesses", "survived", "[5% .. 95%]",
                caused ? "   without the wave" : "");
  out += line;
  // Survival share per replication, in basis points so that the quantiles come from summarize(); without
  // the wave, the same businesses less the exits the shock caused.
  const auto share_of = [](std::int64_t alive, std::int64_t start) -> std::int64_t {
    return start > 0 ? static_cast<std::int64_t>(std::llround(10000.0 * static_cast<double>(alive) /
                                                               static_cast<double>(start)))
                     : 10000;
  };
  for (std::size_t k = 0; k < levels.size(); ++k) {
    const std::vector<std::int64_t>& alive = collected.values(surviving, k);
    const std::vector<std::int64_t>& gone = collected.values(exits, k);
    std::vector<std::int64_t> share(alive.size()), share_without(alive.size());
    double businesses = 0;
    for (std::size_t r = 0; r < alive.size(); ++r) {
      const std::int64_t start = alive[r] + gone[r];
      share[r] = share_of(alive[r], start);
      if (caused) share_without[r] = share_of(alive[r] + collected.values(*caused, k)[r], start);
      businesses += static_cast<double>(start) / static_cast<double>(alive.size());
    }
    const SummaryStatistics s = summarize(share);
    char interval[48], without[48] = "";
    std::snprintf(interval, sizeof interval, "[%.1f%% .. %.1f%%]", s.q05 / 100, s.q95 / 100);
    if (caused) std::snprintf(without, sizeof without, "   %9.1f%%", summarize(share_without).mean / 100);
    std::snprintf(line, sizeof line, "  %-28s %12s %9.1f%% %22s%s\n", levels.labels[k].c_str(),
                  with_thousands_separators(std::llround(businesses)).c_str(), s.mean / 100, interval, without);
    out += line;
  }
  out += "  Caveat: survival by diversification is confounded by size (larger businesses are likelier to sell on other\n"
         "  channels and likelier to survive); compare each level with itself without the wave, not the levels with\n"
         "  each other. The dose-response command measures the effect of diversification itself.\n";
  return out;
}

std::string format_market_share_table(const SummaryCollector& collected) {
  const std::size_t sales = index_of(collected, summary_id("sales_by_channel_cents"));
  const Axis& channels = collected.layout().axis("channel");
  const std::optional<std::size_t> difference = find(collected, summary_id("attributable_sales_by_channel_cents"));
  const bool with_counterfactual = difference.has_value();
  // Shares of the run's total sales, per replication (basis points), then their mean and interval.
  const std::size_t replications = collected.values(sales, 0).size();
  const auto shares = [&](bool counterfactual) {
    std::vector<std::vector<std::int64_t>> out(channels.size(), std::vector<std::int64_t>(replications));
    for (std::size_t r = 0; r < replications; ++r) {
      double total = 0;
      std::vector<double> value(channels.size());
      for (std::size_t c = 0; c < channels.size(); ++c) {
        value[c] = static_cast<double>(collected.values(sales, c)[r]);
        if (counterfactual) value[c] -= static_cast<double>(collected.values(*difference, c)[r]);
        total += value[c];
      }
      for (std::size_t c = 0; c < channels.size(); ++c)
        out[c][r] = total > 0 ? static_cast<std::int64_t>(std::llround(10000.0 * value[c] / total)) : 0;
    }
    return out;
  };
  const auto scenario = shares(false);
  const auto counterfactual = with_counterfactual ? shares(true) : scenario;
  std::string out = "Market shares by channel, sales over the run: mean [90% interval]\n";
  char line[200];
  std::snprintf(line, sizeof line, "  %-16s %26s %s\n", "channel", "scenario",
                with_counterfactual ? "             counterfactual" : "");
  out += line;
  for (std::size_t c = 0; c < channels.size(); ++c) {
    const SummaryStatistics s = summarize(scenario[c]);
    char cell[2][64];
    std::snprintf(cell[0], sizeof cell[0], "%5.1f%% [%.1f%% .. %.1f%%]", s.mean / 100, s.q05 / 100, s.q95 / 100);
    const SummaryStatistics f = summarize(counterfactual[c]);
    std::snprintf(cell[1], sizeof cell[1], "%5.1f%% [%.1f%% .. %.1f%%]", f.mean / 100, f.q05 / 100, f.q95 / 100);
    std::snprintf(line, sizeof line, "  %-16s %26s %26s\n", channels.labels[c].c_str(), cell[0],
                  with_counterfactual ? cell[1] : "");
    out += line;
  }
  return out;
}

}  // namespace sellershock
