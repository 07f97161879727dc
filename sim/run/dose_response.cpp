#include "run/dose_response.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "output/summary_collector.hpp"
#include "run/catalogue.hpp"
#include "run/report.hpp"
#include "scenario/parameters.hpp"
#include "scenario/loader.hpp"

namespace sellershock {

namespace {

// What the study records at each level, from the summary entries of that level's run.
struct DoseEntry {
  std::string_view name;
  std::string_view unit;
  std::string_view description;
  SummaryId source;  // summary entry of the level's run
  bool per_seller;   // divided by the number of real businesses (sellers.count x sellers.scale)
  bool per_suspended = false;  // divided by the businesses the wave suspended in that replication
};
constexpr DoseEntry kDoseEntries[] = {
    {"loss_per_suspended_business_cents", kCents,
     "Loss to the suspended businesses per business the wave suspended (the headline per treated business)",
     summary_id("loss_to_suspended_cents"), false, true},
    {"loss_per_seller_cents", kCents, "Net loss per business (all businesses, not only those hit)",
     summary_id("attributable_loss_cents"), true},
    {"frozen_not_recovered_per_seller_cents", kCents, "Frozen funds not recovered, per business",
     summary_id("attributable_frozen_not_recovered_cents"), true},
    {"profit_lost_per_seller_cents", kCents, "Operating profit lost, per business",
     summary_id("attributable_profit_lost_cents"), true},
    {"inventory_written_off_per_seller_cents", kCents, "Stock written off, per business",
     summary_id("attributable_inventory_written_off_cents"), true},
    {"attributable_loss_cents", kCents, "Net loss of all businesses", summary_id("attributable_loss_cents"), false},
    {"attributable_exits", kBusinesses, "Exits caused by the shock", summary_id("attributable_exits"), false},
    {"attributable_frozen_cents", kCents, "Funds frozen, scenario minus counterfactual",
     summary_id("attributable_frozen_cents"), false},
};
// The position of a dose entry, checked at compile time like summary_id().
consteval std::size_t dose_entry(std::string_view name) {
  for (std::size_t k = 0; k < std::size(kDoseEntries); ++k)
    if (kDoseEntries[k].name == name) return k;
  throw "no dose-response entry of that name";
}

std::string level_label(double level) { return exact_number_text(level); }

}  // namespace

void check_dose_levels(const std::vector<double>& levels) {
  for (std::size_t k = 0; k < levels.size(); ++k) {
    if (!(levels[k] >= 0.0 && levels[k] < 1.0))
      throw std::invalid_argument(level_label(levels[k]) + " is not a share in [0, 1)");
    for (std::size_t j = 0; j < k; ++j)
      if (levels[j] == levels[k]) throw std::invalid_argument(level_label(levels[k]) + " is given twice");
  }
  if (levels.size() < 2)
    throw std::invalid_argument("expected at least 2 distinct shares, e.g. 0,0.1,0.2,0.3,0.4");
}

std::vector<double> default_dose_levels() { return {0.0, 0.1, 0.2, 0.3, 0.4, 0.5}; }

Scenario at_dose_level(const Scenario& scenario, double off_platform_share) {
  Scenario s = scenario;
  s.sellers.own_store_share = 1.0;
  s.sellers.off_platform_sales_share = off_platform_share;
  s.diversification.review_weeks = 0;
  return s;
}

Layout dose_response_layout(const Scenario& scenario, const std::vector<double>& levels) {
  Layout layout;
  layout.start_date = scenario.start_date.iso();
  Axis replication{"replication", "Replication number (seeds the random streams with the scenario seed)", {}, {}};
  for (std::int64_t r = 0; r < scenario.replications; ++r) replication.values.push_back(r);
  Axis level{"off_platform_share", "Share of every business's expected sales made directly in its own web store", {}, {}};
  for (double l : levels) level.labels.push_back(level_label(l));
  layout.axes = {replication, level};
  for (const DoseEntry& e : kDoseEntries)
    layout.summary.push_back({std::string(e.name), std::string(e.unit), std::string(e.description),
                              {"off_platform_share"}, "", measure_name(e.source.entry().measure)});
  return layout;
}

void run_dose_response(const Scenario& scenario, const std::vector<double>& levels, ResultWriter& writer,
                       Provenance provenance, const RunOptions& options) {
  check_dose_levels(levels);
  const std::size_t replications = static_cast<std::size_t>(scenario.replications);
  const double businesses = static_cast<double>(scenario.sellers.count) * static_cast<double>(scenario.sellers.scale);
  std::vector<ReplicationResult> results(replications);
  for (std::size_t r = 0; r < replications; ++r) {
    results[r].replication = static_cast<std::int64_t>(r);
    results[r].summary.assign(std::size(kDoseEntries), std::vector<std::int64_t>(levels.size()));
  }
  RunOptions level_options = options;
  level_options.with_counterfactual = true;
  for (std::size_t k = 0; k < levels.size(); ++k) {
    const Scenario level_scenario = at_dose_level(scenario, levels[k]);
    SummaryCollector collected;
    run_scenario(level_scenario, to_yaml(level_scenario), collected, provenance, level_options);
    const std::vector<std::int64_t>& suspended =
        collected.values(index_of(collected, summary_id("businesses_suspended_by_wave")));
    for (std::size_t e = 0; e < std::size(kDoseEntries); ++e) {
      const std::vector<std::int64_t>& values = collected.values(index_of(collected, kDoseEntries[e].source));
      for (std::size_t r = 0; r < replications; ++r) {
        const double value = static_cast<double>(values[r]);
        if (kDoseEntries[e].per_seller)
          results[r].summary[e][k] = static_cast<std::int64_t>(std::llround(value / businesses));
        else if (kDoseEntries[e].per_suspended)
          results[r].summary[e][k] =
              suspended[r] > 0 ? static_cast<std::int64_t>(std::llround(value / static_cast<double>(suspended[r]))) : 0;
        else
          results[r].summary[e][k] = values[r];
      }
    }
  }
  writer.begin(dose_response_layout(scenario, levels), scenario.replications, to_yaml(scenario));
  try {
    for (const ReplicationResult& result : results) writer.add(result);
    writer.finish(provenance);
  } catch (...) {
    writer.abandon();
    throw;
  }
}

std::string format_dose_response_table(const SummaryCollector& collected, const std::vector<double>& levels) {
  const auto usd = [](double cents) { return with_thousands_separators(std::llround(cents / 100.0)); };
  // The dose-response file's own entries are in kDoseEntries order.
  const std::size_t suspended = dose_entry("loss_per_suspended_business_cents");
  const std::size_t loss = dose_entry("loss_per_seller_cents");
  const std::size_t exits = dose_entry("attributable_exits");
  std::string out =
      "Loss by off-platform share of every business's sales, USD: mean [90% interval]; exits caused\n";
  char line[256];
  std::snprintf(line, sizeof line, "  %-20s %22s   %-28s %16s %10s\n", "off_platform_share", "loss/suspended business",
                "[5% .. 95%]", "net loss/business", "exits");
  out += line;
  for (std::size_t k = 0; k < levels.size(); ++k) {
    const SummaryStatistics h = summarize(collected.values(suspended, k));
    const SummaryStatistics s = summarize(collected.values(loss, k));
    const SummaryStatistics x = summarize(collected.values(exits, k));
    const std::string interval = "[" + usd(h.q05) + " .. " + usd(h.q95) + "]";
    std::snprintf(line, sizeof line, "  %-20s %22s   %-28s %16s %10s\n", level_label(levels[k]).c_str(),
                  usd(h.mean).c_str(), interval.c_str(), usd(s.mean).c_str(),
                  with_thousands_separators(std::llround(x.mean)).c_str());
    out += line;
  }
  out += "  Caveats: every business is given a web store making the level's share of its sales, and nobody changes\n"
         "  channels, so the level is the dose; loss/suspended business is the headline per business the wave\n"
         "  suspended; net loss/business is over all businesses, competitors' gains netted in.\n";
  return out;
}

}  // namespace sellershock
