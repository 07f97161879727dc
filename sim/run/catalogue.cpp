// The output catalogue's reporters, the layout and the recording derived from it (catalogue.hpp).
#include "run/catalogue.hpp"

#include <algorithm>

namespace sellershock {

std::int64_t total(const std::vector<std::int64_t>& column) {
  std::int64_t sum = 0;
  for (std::int64_t v : column) sum = checked_add(sum, v, "an output total");
  return sum;
}

void RunTotals::add_week(const WeekTally& week) {
  // The reduction of one replication's weeks, checked: a wrapped total would be a wrong answer, not an
  // error (issue 8, failure 1). Per-week tallies are far from the limit when these are not.
  // Flows only: the stocks at the end are the last week's.
#define SELLERSHOCK_CHECKED_ADD(name, measure)                   \
  if constexpr (Measure::measure == Measure::flow)               \
    for (std::size_t k = 0; k < std::size(flows.name); ++k)      \
      flows.name[k] = checked_add(flows.name[k], week.name[k], "run total of " #name);
  SELLERSHOCK_GROUP_COLUMNS(SELLERSHOCK_CHECKED_ADD)
  SELLERSHOCK_CHANNEL_COLUMNS(SELLERSHOCK_CHECKED_ADD)
  SELLERSHOCK_LEVEL_COLUMNS(SELLERSHOCK_CHECKED_ADD)
#undef SELLERSHOCK_CHECKED_ADD
  last = week;
}

namespace {

// Funds forfeited or still frozen at the end, less what awards gave back (their interest included).
std::int64_t not_recovered(const RunTotals& t, std::size_t g) {
  const WeekTally& f = t.flows;
  return f.forfeited_cents[g] + t.last.frozen_stock_cents[g] - f.arbitration_awards_cents[g] -
         f.collective_awards_cents[g];
}

}  // namespace

std::int64_t loss_component(std::size_t component, const RunTotals& scenario, const RunTotals& counterfactual,
                            std::size_t g) {
  switch (component) {
    case 0: return not_recovered(scenario, g) - not_recovered(counterfactual, g);
    case 1: return counterfactual.flows.profit_cents[g] - scenario.flows.profit_cents[g];
    case 2: return scenario.flows.inventory_written_off_cents[g] - counterfactual.flows.inventory_written_off_cents[g];
    case 3: return scenario.flows.legal_costs_cents[g] - counterfactual.flows.legal_costs_cents[g];
    default:
      return scenario.flows.diversification_costs_cents[g] - counterfactual.flows.diversification_costs_cents[g];
  }
}

namespace reporters {

void net_loss(const RunPair& t, std::span<std::int64_t> out) {
  out[0] = 0;
  for (std::size_t c = 0; c < kNetLossComponentCount; ++c)
    for (std::size_t g = 0; g < t.scenario.flows.profit_cents.size(); ++g)
      out[0] += loss_component(c, t.scenario, *t.counterfactual, g);
}

void net_loss_by_group(const RunPair& t, std::span<std::int64_t> out) {
  const std::size_t groups = t.scenario.flows.profit_cents.size();
  for (std::size_t c = 0; c < kNetLossComponentCount; ++c)
    for (std::size_t g = 0; g < groups; ++g) out[c * groups + g] = loss_component(c, t.scenario, *t.counterfactual, g);
}

namespace {
std::int64_t per_unit(Cents total, std::int64_t units) { return units > 0 ? total / units : 0; }
}  // namespace

void frozen_per_account_by_wave(const RunPair& t, std::span<std::int64_t> out) {
  out[0] = per_unit(t.loss.treated_frozen_cents, t.loss.treated_accounts);
}

void frozen_per_business_by_wave(const RunPair& t, std::span<std::int64_t> out) {
  out[0] = per_unit(t.loss.treated_frozen_cents, t.loss.treated_businesses);
}

void loss_to_suspended_by_group(const RunPair& t, std::span<std::int64_t> out) {
  std::copy(t.loss.to_suspended_by_group.begin(), t.loss.to_suspended_by_group.end(), out.begin());
}

void loss_to_suspended_exits_by_group(const RunPair& t, std::span<std::int64_t> out) {
  std::copy(t.loss.exits_caused_by_group.begin(), t.loss.exits_caused_by_group.end(), out.begin());
}

void attributable_exits_by_group(const RunPair& t, std::span<std::int64_t> out) {
  for (std::size_t g = 0; g < out.size(); ++g)
    out[g] = t.scenario.flows.new_exits[g] - t.counterfactual->flows.new_exits[g];
}

void surviving_by_diversification(const RunPair& t, std::span<std::int64_t> out) {
  std::copy(std::begin(t.scenario.last.surviving_sellers), std::end(t.scenario.last.surviving_sellers), out.begin());
}

void exits_by_diversification(const RunPair& t, std::span<std::int64_t> out) {
  std::copy(std::begin(t.scenario.flows.exits_by_level), std::end(t.scenario.flows.exits_by_level), out.begin());
}

void attributable_exits_by_diversification(const RunPair& t, std::span<std::int64_t> out) {
  for (std::size_t l = 0; l < kDiversificationLevelCount; ++l)
    out[l] = t.scenario.flows.exits_by_level[l] - t.counterfactual->flows.exits_by_level[l];
}

void sales_by_channel(const RunPair& t, std::span<std::int64_t> out) {
  std::copy(std::begin(t.scenario.flows.sales_cents), std::end(t.scenario.flows.sales_cents), out.begin());
}

void attributable_sales_by_channel(const RunPair& t, std::span<std::int64_t> out) {
  for (std::size_t c = 0; c < kChannelCount; ++c)
    out[c] = t.scenario.flows.sales_cents[c] - t.counterfactual->flows.sales_cents[c];
}

}  // namespace reporters

std::vector<std::string> dims_of(SummaryDims dims) {
  switch (dims) {
    case SummaryDims::none: return {};
    case SummaryDims::channel: return {"channel"};
    case SummaryDims::diversification: return {"diversification"};
    case SummaryDims::region_size_class: return {"region", "size_class"};
    case SummaryDims::component_region_size_class: return {"component", "region", "size_class"};
    case SummaryDims::loss_component_region_size_class: return {"loss_component", "region", "size_class"};
  }
  return {};
}

namespace {

const char* category_of(SeriesSource source) {
  switch (source) {
    case SeriesSource::region: return "region";
    case SeriesSource::channel: return "channel";
    case SeriesSource::diversification: return "diversification";
    case SeriesSource::ledger: return "ledger_account";
  }
  return "";
}

std::size_t category_size(SeriesSource source, std::size_t regions) {
  switch (source) {
    case SeriesSource::region: return regions;
    case SeriesSource::channel: return kChannelCount;
    case SeriesSource::diversification: return kDiversificationLevelCount;
    case SeriesSource::ledger: return kSellerMoneyCount + Ledger::kAccountCount;
  }
  return 0;
}

std::size_t element_count(SummaryDims dims, std::size_t regions) {
  switch (dims) {
    case SummaryDims::none: return 1;
    case SummaryDims::channel: return kChannelCount;
    case SummaryDims::diversification: return kDiversificationLevelCount;
    case SummaryDims::region_size_class: return regions * kSizeClassCount;
    case SummaryDims::component_region_size_class: return kNetLossComponentCount * regions * kSizeClassCount;
    case SummaryDims::loss_component_region_size_class: return kLossComponentCount * regions * kSizeClassCount;
  }
  return 0;
}

std::string text(std::string_view view) { return std::string(view); }

}  // namespace

Layout make_layout(const Scenario& scenario, bool with_counterfactual) {
  Layout layout;
  layout.start_date = scenario.start_date.iso();
  Axis replication{"replication", "Replication number (seeds the random streams with the scenario seed)", {}, {}};
  for (std::int64_t r = 0; r < scenario.replications; ++r) replication.values.push_back(r);
  Axis run{"run", "The scenario, or its counterfactual without the shock (same random numbers)", {"scenario"}, {}};
  if (with_counterfactual) run.labels.emplace_back("counterfactual");
  Axis week{"week", "Weeks since start_date", {}, {}};
  for (std::int64_t w = 0; w < scenario.weeks; ++w) week.values.push_back(w);
  Axis region{"region", "Home region of the seller business", {}, {}};
  for (const RegionShare& r : scenario.sellers.region_shares) region.labels.push_back(r.region);
  Axis size_class{"size_class", "Annual sales of the seller business, USD", {}, {}};
  for (const char* name : kSizeClassNames) size_class.labels.emplace_back(name);
  Axis channel{"channel", "Sales channel", {}, {}};
  for (const char* name : kChannelNames) channel.labels.emplace_back(name);
  Axis component{"component", "Part of the net loss over all sellers", {}, {}};
  for (const char* name : kNetLossComponents) component.labels.emplace_back(name);
  Axis diversification{"diversification", "Channels a business sold on at the start besides the dominant marketplace",
                       {}, {}};
  for (const char* name : kDiversificationLevelNames) diversification.labels.emplace_back(name);
  Axis ledger{"ledger_account", "Account of the money ledger: sellers' money by kind, then the other accounts", {}, {}};
  for (const char* name : kSellerMoneyNames) ledger.labels.emplace_back(name);
  for (const char* name : Ledger::kAccountNames) ledger.labels.emplace_back(name);
  Axis loss_component{"loss_component", "Part of the loss to the suspended businesses", {}, {}};
  for (const char* name : kLossComponentNames) loss_component.labels.emplace_back(name);
  layout.axes = {replication, run,       week,           region, size_class, channel, component,
                 diversification, ledger, loss_component};

  for (const SeriesEntry& s : kSeries)
    layout.series.push_back({text(s.name), text(s.unit), text(s.description),
                             {"replication", "run", "week", category_of(s.source)}, text(s.long_name),
                             measure_name(s.measure)});
  for (const SummaryEntry& s : kSummaries)
    if (with_counterfactual || !s.needs_counterfactual)
      layout.summary.push_back({text(s.name), text(s.unit), text(s.description), dims_of(s.dims), text(s.long_name),
                                measure_name(s.measure)});
  return layout;
}

void record_week(std::vector<std::vector<std::int64_t>>& series, std::size_t run, std::size_t w, std::size_t weeks,
                 std::size_t regions, std::int64_t scale, const WeekTally& tally) {
  for (std::size_t s = 0; s < kSeriesCount; ++s) {
    const SeriesEntry& entry = kSeries[s];
    const std::size_t width = category_size(entry.source, regions);
    std::int64_t* out = series[s].data() + (run * weeks + w) * width;
    const auto put = [&](std::size_t k, std::int64_t value) { out[k] = checked_multiply(value, scale, "a weekly series"); };
    switch (entry.source) {
      case SeriesSource::region: {
        const std::vector<std::int64_t>& values = tally.*entry.group_column;
        for (std::size_t r = 0; r < regions; ++r) {
          std::int64_t sum = 0;
          for (std::size_t size = 0; size < kSizeClassCount; ++size)
            sum = checked_add(sum, values[r * kSizeClassCount + size], "a weekly series");
          put(r, sum);
        }
        break;
      }
      case SeriesSource::channel:
        for (std::size_t c = 0; c < kChannelCount; ++c) put(c, (tally.*entry.channel_column)[c]);
        break;
      case SeriesSource::diversification:
        for (std::size_t l = 0; l < kDiversificationLevelCount; ++l) put(l, (tally.*entry.level_column)[l]);
        break;
      case SeriesSource::ledger: {
        for (std::size_t k = 0; k < kSellerMoneyCount; ++k) put(k, tally.seller_money_cents[k]);
        const auto balances = tally.ledger_balance.balances();
        for (std::size_t k = 0; k < balances.size(); ++k) put(kSellerMoneyCount + k, balances[k]);
        break;
      }
    }
  }
}

std::vector<std::vector<std::int64_t>> report_summaries(const RunPair& totals, std::int64_t scale) {
  std::vector<std::vector<std::int64_t>> out;
  for (const SummaryEntry& s : kSummaries) {
    if (s.needs_counterfactual && !totals.counterfactual) continue;
    std::vector<std::int64_t> values(element_count(s.dims, totals.regions));
    s.reporter(totals, values);
    if (s.scaled)
      for (std::int64_t& v : values) v = checked_multiply(v, scale, "a summary entry");
    out.push_back(std::move(values));
  }
  return out;
}

std::size_t series_width(SeriesSource source, std::size_t regions) { return category_size(source, regions); }

namespace {
std::string escape_cell(std::string_view cell) {
  std::string out;
  for (char c : cell) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}
std::string dims_text(const std::vector<std::string>& dims) {
  std::string out;
  for (const std::string& d : dims) out += (out.empty() ? "" : ", ") + d;
  return out;
}
}  // namespace

std::string output_reference_markdown() {
  std::string out =
      "### Weekly series (`/timeseries`), dims (replication, run, week, CATEGORY)\n\n"
      "| name | category | measure | unit | label | description |\n|---|---|---|---|---|---|\n";
  for (const SeriesEntry& s : kSeries)
    out += "| `" + text(s.name) + "` | " + category_of(s.source) + " | " + measure_name(s.measure) + " | " +
           text(s.unit) + " | " + escape_cell(s.long_name) + " | " + escape_cell(s.description) + " |\n";
  out +=
      "\n### Summary entries (`/summary`), dims (replication, ...)\n\n"
      "A stock is the level at the end of the run, a flow the amount over the run. Entries marked "
      "\"counterfactual\" are written only when the run has one.\n\n"
      "| name | dims after replication | measure | unit | needs | label | description |\n"
      "|---|---|---|---|---|---|---|\n";
  for (const SummaryEntry& s : kSummaries)
    out += "| `" + text(s.name) + "` | " + (s.dims == SummaryDims::none ? "-" : dims_text(dims_of(s.dims))) + " | " +
           measure_name(s.measure) + " | " + text(s.unit) + " | " + (s.needs_counterfactual ? "counterfactual" : "-") +
           " | " + escape_cell(s.long_name) + " | " + escape_cell(s.description) + " |\n";
  return out;
}

}  // namespace sellershock
