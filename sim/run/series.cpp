// What a replication records, defined once: the output layout and the recording both come from these
// tables, so a series cannot be written under one name and described under another.
#include <stdexcept>
#include <variant>

#include "run/replication.hpp"

namespace sellershock {

namespace {

using RegionColumn = std::vector<std::int64_t> WeekTally::*;
using ChannelColumn = Cents (WeekTally::*)[kChannelCount];

struct SeriesDefinition {
  const char* name;
  const char* unit;
  const char* description;
  std::variant<RegionColumn, ChannelColumn> column;
};

const SeriesDefinition kSeries[] = {
    {"sales_cents", "USD cents", "Seller revenue in the week, by channel", &WeekTally::sales_cents},
    {"fees_cents", "USD cents", "Referral fees (dominant marketplace) and payment processing fees (own web stores)",
     &WeekTally::fees_cents},
    {"active_sellers", "businesses", "Businesses active on the dominant marketplace at the end of the week",
     &WeekTally::active_sellers},
    {"suspended_sellers", "businesses", "Businesses whose dominant-marketplace account is suspended at the end of the week",
     &WeekTally::suspended_sellers},
    {"exited_sellers", "businesses", "Businesses that have exited by the end of the week", &WeekTally::exited_sellers},
    {"new_suspensions", "businesses", "Businesses suspended in the week (background and waves)", &WeekTally::new_suspensions},
    {"new_exits", "businesses", "Businesses that exited in the week", &WeekTally::new_exits},
    {"frozen_cents", "USD cents", "Seller funds frozen at the end of the week", &WeekTally::frozen_stock_cents},
    {"newly_frozen_cents", "USD cents", "Seller funds frozen in the week", &WeekTally::newly_frozen_cents},
    {"reinstated_cents", "USD cents", "Frozen funds released in the week by a successful appeal", &WeekTally::reinstated_cents},
    {"released_cents", "USD cents", "Frozen funds released in the week at the end of the hold", &WeekTally::released_cents},
    {"forfeited_cents", "USD cents", "Frozen funds kept by the platform in the week at the end of the hold",
     &WeekTally::forfeited_cents},
};

enum class Aggregate { SumOverWeeks, LastWeek };

struct SummaryDefinition {
  const char* name;
  const char* unit;
  const char* description;
  const char* series;  // summed over every dimension but replication (and week, per aggregate)
  Aggregate aggregate;
};

const SummaryDefinition kSummary[] = {
    {"sales_cents", "USD cents", "Seller revenue over the run, all channels", "sales_cents", Aggregate::SumOverWeeks},
    {"fees_cents", "USD cents", "Fees paid over the run, all channels", "fees_cents", Aggregate::SumOverWeeks},
    {"suspensions", "businesses", "Suspensions over the run", "new_suspensions", Aggregate::SumOverWeeks},
    {"frozen_cents", "USD cents", "Seller funds frozen over the run", "newly_frozen_cents", Aggregate::SumOverWeeks},
    {"reinstated_cents", "USD cents", "Frozen funds released by successful appeals", "reinstated_cents",
     Aggregate::SumOverWeeks},
    {"released_cents", "USD cents", "Frozen funds released at the end of the hold", "released_cents",
     Aggregate::SumOverWeeks},
    {"forfeited_cents", "USD cents", "Frozen funds kept by the platform", "forfeited_cents", Aggregate::SumOverWeeks},
    {"still_frozen_cents", "USD cents", "Funds still frozen at the end of the run", "frozen_cents", Aggregate::LastWeek},
    {"exits", "businesses", "Businesses that exited over the run", "new_exits", Aggregate::SumOverWeeks},
};

constexpr std::size_t kSeriesCount = std::size(kSeries);

std::size_t series_index(const char* name) {
  for (std::size_t s = 0; s < kSeriesCount; ++s)
    if (std::string_view(kSeries[s].name) == name) return s;
  throw std::logic_error(std::string("summary refers to unknown series ") + name);
}

}  // namespace

Layout make_layout(const Scenario& scenario) {
  Layout layout;
  layout.start_date = scenario.start_date.iso();
  Axis replication{"replication", "Replication number (seeds the random streams with the scenario seed)", {}, {}};
  for (std::int64_t r = 0; r < scenario.replications; ++r) replication.values.push_back(r);
  Axis week{"week", "Weeks since start_date", {}, {}};
  for (std::int64_t w = 0; w < scenario.weeks; ++w) week.values.push_back(w);
  Axis region{"region", "Home region of the seller business", {}, {}};
  for (const RegionShare& r : scenario.sellers.region_shares) region.labels.push_back(r.region);
  Axis channel{"channel", "Sales channel", {}, {}};
  for (const char* name : kChannelNames) channel.labels.emplace_back(name);
  layout.axes = {replication, week, region, channel};

  for (const SeriesDefinition& s : kSeries) {
    const char* category = std::holds_alternative<RegionColumn>(s.column) ? "region" : "channel";
    layout.series.push_back({s.name, s.unit, s.description, {"replication", "week", category}});
  }
  for (const SummaryDefinition& s : kSummary) layout.summary.push_back({s.name, s.unit, s.description, {}});
  return layout;
}

ReplicationResult simulate_replication(const Scenario& scenario, std::int64_t replication,
                                       RunProgress* progress) {
  Replication run(scenario, replication);
  const std::size_t weeks = static_cast<std::size_t>(scenario.weeks);
  const std::size_t regions = run.world().region_names.size();

  ReplicationResult result;
  result.replication = replication;
  result.series.resize(kSeriesCount);
  for (std::size_t s = 0; s < kSeriesCount; ++s)
    result.series[s].resize(weeks * (std::holds_alternative<RegionColumn>(kSeries[s].column) ? regions : kChannelCount));

  for (std::size_t w = 0; w < weeks; ++w) {
    if (progress && progress->cancel_requested.load(std::memory_order_relaxed)) throw RunCancelled();
    run.step();
    const WeekTally& tally = run.last_week();
    for (std::size_t s = 0; s < kSeriesCount; ++s) {
      std::vector<std::int64_t>& out = result.series[s];
      if (const auto* region_column = std::get_if<RegionColumn>(&kSeries[s].column)) {
        const std::vector<std::int64_t>& values = tally.*(*region_column);
        std::copy(values.begin(), values.end(), out.begin() + static_cast<std::ptrdiff_t>(w * regions));
      } else {
        const Cents(&values)[kChannelCount] = tally.*std::get<ChannelColumn>(kSeries[s].column);
        std::copy(std::begin(values), std::end(values), out.begin() + static_cast<std::ptrdiff_t>(w * kChannelCount));
      }
    }
    if (progress) progress->weeks_done.fetch_add(1, std::memory_order_relaxed);
  }

  for (const SummaryDefinition& s : kSummary) {
    const std::vector<std::int64_t>& values = result.series[series_index(s.series)];
    const std::size_t per_week = values.size() / weeks;
    const std::size_t first = s.aggregate == Aggregate::LastWeek ? (weeks - 1) * per_week : 0;
    std::int64_t total = 0;
    for (std::size_t k = first; k < values.size(); ++k) total += values[k];
    result.summary.push_back({total});
  }
  return result;
}

}  // namespace sellershock
