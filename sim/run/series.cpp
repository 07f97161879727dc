// What a replication records, defined once: the output layout and the recording both come from these
// tables, so a series cannot be written under one name and described under another.
#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>
#include <variant>

#include "run/loss.hpp"
#include "run/replication.hpp"

namespace sellershock {

namespace {

using GroupColumn = std::vector<std::int64_t> WeekTally::*;
using ChannelColumn = std::int64_t (WeekTally::*)[kChannelCount];
// A distinct type: a level column has the same C++ type as a channel column while both counts are 4.
struct LevelColumn {
  std::int64_t (WeekTally::*member)[kDiversificationLevelCount];
};

struct SeriesDefinition {
  const char* name;
  const char* unit;
  const char* description;
  std::variant<GroupColumn, ChannelColumn, LevelColumn> column;  // group columns are recorded by region
};

// The dimension a series has after week.
const char* category_of(const SeriesDefinition& s) {
  return std::holds_alternative<GroupColumn>(s.column)     ? "region"
         : std::holds_alternative<ChannelColumn>(s.column) ? "channel"
                                                           : "diversification";
}
std::size_t category_size(const SeriesDefinition& s, std::size_t regions) {
  return std::holds_alternative<GroupColumn>(s.column)     ? regions
         : std::holds_alternative<ChannelColumn>(s.column) ? kChannelCount
                                                           : kDiversificationLevelCount;
}

const SeriesDefinition kSeries[] = {
    {"sales_cents", "USD cents", "Sales in the week by channel (the physical stores' are the platform's own)",
     &WeekTally::sales_cents},
    {"fees_cents", "USD cents", "Referral fees (marketplaces) and payment processing fees (own web stores)",
     &WeekTally::fees_cents},
    {"buyers", "buyers", "Buyers choosing each channel in the week (buyer agents times sellers.scale)",
     &WeekTally::buyers},
    {"sellers_present", "businesses", "Businesses able to sell in each channel at the end of the week",
     &WeekTally::sellers_present},
    {"bad_purchases", "purchases",
     "Purchases from rule-breaking sellers that went wrong in the week, by marketplace (none in own web stores "
     "and the physical stores)",
     &WeekTally::bad_purchases},
    {"active_sellers", "businesses", "Businesses active on the dominant marketplace at the end of the week",
     &WeekTally::active_sellers},
    {"suspended_sellers", "businesses",
     "Businesses whose dominant-marketplace accounts are suspended at the end of the week", &WeekTally::suspended_sellers},
    {"exited_sellers", "businesses", "Businesses that have exited by the end of the week", &WeekTally::exited_sellers},
    {"active_accounts", "accounts", "Dominant-marketplace accounts active at the end of the week",
     &WeekTally::active_accounts},
    {"suspended_accounts", "accounts", "Dominant-marketplace accounts suspended at the end of the week",
     &WeekTally::suspended_accounts},
    {"new_suspensions", "businesses", "Businesses suspended in the week (background and waves)",
     &WeekTally::new_suspensions},
    {"new_suspensions_honest", "businesses",
     "Honest businesses (not rule-breakers) suspended in the week: part of new_suspensions", &WeekTally::new_suspensions_honest},
    {"accounts_suspended", "accounts", "Accounts suspended in the week (all linked accounts of each business)",
     &WeekTally::new_accounts_suspended},
    {"new_exits", "businesses", "Businesses that exited in the week", &WeekTally::new_exits},
    {"frozen_cents", "USD cents", "Seller funds frozen at the end of the week", &WeekTally::frozen_stock_cents},
    {"newly_frozen_cents", "USD cents", "Seller funds frozen in the week", &WeekTally::newly_frozen_cents},
    {"reinstated_cents", "USD cents", "Frozen funds released in the week by a successful appeal",
     &WeekTally::reinstated_cents},
    {"released_cents", "USD cents", "Frozen funds released in the week at the end of the hold", &WeekTally::released_cents},
    {"forfeited_cents", "USD cents", "Frozen funds kept by the platform in the week at the end of the hold",
     &WeekTally::forfeited_cents},
    {"inventory_written_off_cents", "USD cents", "Stock in the platform's warehouses lost with forfeited funds (at cost)",
     &WeekTally::inventory_written_off_cents},
    {"profit_cents", "USD cents",
     "Sellers' operating profit in the week: sales minus fees, cost of goods, fixed costs and acquisition",
     &WeekTally::profit_cents},
    {"arbitration_filings", "sellers", "Individual arbitrations filed in the week", &WeekTally::arbitration_filings},
    {"collective_signups", "sellers", "Sellers signing up for their region's collective action in the week",
     &WeekTally::collective_signups},
    {"legal_costs_cents", "USD cents", "Arbitration fees, counsel and collective-action shares paid in the week",
     &WeekTally::legal_costs_cents},
    {"arbitration_awards_cents", "USD cents", "Awards of individual arbitrations won in the week (funds plus interest)",
     &WeekTally::arbitration_awards_cents},
    {"collective_awards_cents", "USD cents", "Awards of collective actions won in the week (funds plus interest)",
     &WeekTally::collective_awards_cents},
    {"diversified_sellers", "businesses",
     "Businesses not exited that sell on the alternative marketplace or in their own web store, end of the week",
     &WeekTally::diversified_sellers},
    {"channels_added", "channels", "Alternative-marketplace shops and web stores opened in the week",
     &WeekTally::channels_added},
    {"channels_dropped", "channels", "Alternative-marketplace shops and web stores closed in the week",
     &WeekTally::channels_dropped},
    {"diversification_costs_cents", "USD cents",
     "Set-up and running costs of alternative-marketplace shops and web stores paid in the week",
     &WeekTally::diversification_costs_cents},
    {"surviving_sellers", "businesses",
     "Businesses not exited at the end of the week, by their diversification at the start",
     LevelColumn{&WeekTally::surviving_sellers}},
};
constexpr std::size_t kSeriesCount = std::size(kSeries);

// Per-replication totals of one run by group (region x size class), from which the summary is built:
// the weeks' tallies added up (the flows; the stock columns of `flows` mean nothing), and the frozen
// stock of the last week.
struct RunTotals {
  WeekTally flows;
  std::vector<std::int64_t> still_frozen;
  std::array<std::int64_t, kDiversificationLevelCount> surviving{};  // at the end, by diversification at the start
  explicit RunTotals(std::size_t groups) : flows(groups), still_frozen(groups) {}
  void add_week(const WeekTally& t) {
    flows.add(t);
    still_frozen = t.frozen_stock_cents;
    std::copy(std::begin(t.surviving_sellers), std::end(t.surviving_sellers), surviving.begin());
  }
};

std::int64_t sum(const std::vector<std::int64_t>& values) {
  std::int64_t total = 0;
  for (std::int64_t v : values) total += v;
  return total;
}

// The attributable loss's money components, in the order of the "component" axis.
constexpr const char* kLossComponents[] = {"frozen_not_recovered", "profit_lost", "inventory_written_off",
                                           "legal_costs", "diversification_spend"};
constexpr std::size_t kNetLossComponentCount = std::size(kLossComponents);

// Funds forfeited or still frozen at the end, less what awards gave back (their interest included).
std::int64_t not_recovered(const RunTotals& t, std::size_t g) {
  const WeekTally& f = t.flows;
  return f.forfeited_cents[g] + t.still_frozen[g] - f.arbitration_awards_cents[g] - f.collective_awards_cents[g];
}

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

std::int64_t total_loss_component(std::size_t component, const RunTotals& scenario, const RunTotals& counterfactual) {
  std::int64_t total = 0;
  for (std::size_t g = 0; g < scenario.still_frozen.size(); ++g)
    total += loss_component(component, scenario, counterfactual, g);
  return total;
}

// A scalar summary entry and how it is computed from the run's totals (and the counterfactual's, for
// the attributable ones).
struct SummaryDefinition {
  const char* name;
  const char* unit;
  const char* description;
  std::int64_t (*value)(const RunTotals& scenario, const RunTotals* counterfactual);  // counterfactual null: not needed
  bool attributable;
};

using Column = std::vector<std::int64_t> WeekTally::*;
template <Column column>
std::int64_t total(const RunTotals& s, const RunTotals*) { return sum(s.flows.*column); }
template <Column column>
std::int64_t difference(const RunTotals& s, const RunTotals* cf) { return sum(s.flows.*column) - sum(cf->flows.*column); }
template <std::int64_t (WeekTally::*column)[kChannelCount]>
std::int64_t channel_total(const RunTotals& s, const RunTotals*) {
  std::int64_t total = 0;
  for (std::int64_t v : s.flows.*column) total += v;
  return total;
}
template <std::size_t component>
std::int64_t loss_part(const RunTotals& s, const RunTotals* cf) { return total_loss_component(component, s, *cf); }
std::int64_t total_loss(const RunTotals& s, const RunTotals* cf) {
  std::int64_t loss = 0;
  for (std::size_t c = 0; c < kNetLossComponentCount; ++c) loss += total_loss_component(c, s, *cf);
  return loss;
}

const SummaryDefinition kScalarSummary[] = {
    {"sales_cents", "USD cents", "Sales over the run, all channels", channel_total<&WeekTally::sales_cents>, false},
    {"fees_cents", "USD cents", "Fees paid over the run, all channels", channel_total<&WeekTally::fees_cents>, false},
    {"profit_cents", "USD cents", "Sellers' operating profit over the run", total<&WeekTally::profit_cents>, false},
    {"businesses_suspended", "businesses", "Suspensions of businesses over the run", total<&WeekTally::new_suspensions>, false},
    {"accounts_suspended", "accounts", "Accounts suspended over the run", total<&WeekTally::new_accounts_suspended>, false},
    {"frozen_cents", "USD cents", "Seller funds frozen over the run", total<&WeekTally::newly_frozen_cents>, false},
    {"reinstated_cents", "USD cents", "Frozen funds released by successful appeals", total<&WeekTally::reinstated_cents>, false},
    {"released_cents", "USD cents", "Frozen funds released at the end of the hold", total<&WeekTally::released_cents>, false},
    {"forfeited_cents", "USD cents", "Frozen funds kept by the platform", total<&WeekTally::forfeited_cents>, false},
    {"still_frozen_cents", "USD cents", "Funds still frozen at the end of the run", [](const RunTotals& s, const RunTotals*) { return sum(s.still_frozen); }, false},
    {"inventory_written_off_cents", "USD cents", "Stock lost with forfeited funds, at cost", total<&WeekTally::inventory_written_off_cents>, false},
    {"arbitration_filings", "sellers", "Individual arbitrations filed", total<&WeekTally::arbitration_filings>, false},
    {"collective_signups", "sellers", "Sign-ups for collective actions", total<&WeekTally::collective_signups>, false},
    {"arbitration_awards_cents", "USD cents", "Awards of individual arbitrations (funds plus interest)",
     total<&WeekTally::arbitration_awards_cents>, false},
    {"collective_awards_cents", "USD cents", "Awards of collective actions (funds plus interest)",
     total<&WeekTally::collective_awards_cents>, false},
    {"legal_costs_cents", "USD cents", "Arbitration fees, counsel and collective-action shares paid", total<&WeekTally::legal_costs_cents>, false},
    {"exits", "businesses", "Businesses that exited over the run", total<&WeekTally::new_exits>, false},
    {"channels_added", "channels", "Alternative-marketplace shops and web stores opened over the run",
     total<&WeekTally::channels_added>, false},
    {"channels_dropped", "channels", "Alternative-marketplace shops and web stores closed over the run",
     total<&WeekTally::channels_dropped>, false},
    {"diversification_costs_cents", "USD cents", "Set-up and running costs of the alternative and web stores",
     total<&WeekTally::diversification_costs_cents>, false},
    {"attributable_loss_cents", "USD cents",
     "Sellers' loss caused by the shock: frozen funds not recovered + profit lost + stock written off + legal "
     "costs + diversification spend (scenario minus counterfactual)", total_loss, true},
    {"attributable_frozen_not_recovered_cents", "USD cents",
     "Forfeited or still frozen at the end, less awards, scenario minus counterfactual", loss_part<0>, true},
    {"attributable_profit_lost_cents", "USD cents", "Operating profit, counterfactual minus scenario", loss_part<1>, true},
    {"attributable_inventory_written_off_cents", "USD cents", "Stock written off, scenario minus counterfactual",
     loss_part<2>, true},
    {"attributable_legal_costs_cents", "USD cents", "Legal costs, scenario minus counterfactual", loss_part<3>, true},
    {"attributable_diversification_spend_cents", "USD cents",
     "Set-up and running costs of other channels, scenario minus counterfactual", loss_part<4>, true},
    {"attributable_exits", "businesses", "Exits, scenario minus counterfactual", difference<&WeekTally::new_exits>, true},
    {"attributable_businesses_suspended", "businesses", "Suspensions of businesses, scenario minus counterfactual",
     difference<&WeekTally::new_suspensions>, true},
    {"attributable_accounts_suspended", "accounts", "Accounts suspended, scenario minus counterfactual",
     difference<&WeekTally::new_accounts_suspended>, true},
    {"attributable_frozen_cents", "USD cents", "Funds frozen, scenario minus counterfactual", difference<&WeekTally::newly_frozen_cents>,
     true},
};

// The loss to the suspended businesses and what stands beside it (sim/run/loss.cpp computes them; this
// only names them). Counts and sums are multiplied by sellers.scale; ratios (`scaled` false) are not.
struct LossSummaryDefinition {
  const char* name;
  const char* unit;
  const char* description;
  std::int64_t (*value)(const LossBreakdown&);
  bool attributable;
  bool scaled = true;
};

std::int64_t per_unit(Cents total, std::int64_t units) { return units > 0 ? total / units : 0; }
template <std::size_t component>
std::int64_t loss_to_suspended_part(const LossBreakdown& l) { return l.to_suspended_by_component[component]; }

const LossSummaryDefinition kLossSummary[] = {
    {"loss_to_suspended_cents", "USD cents",
     "Loss to the businesses the removed wave suspended, each against itself in the counterfactual (gross): the "
     "sum of the five loss_to_suspended_* components",
     [](const LossBreakdown& l) { return l.to_suspended_cents; }, true},
    {"loss_to_suspended_frozen_not_recovered_cents", "USD cents",
     "Of the headline: funds forfeited or still frozen at the end", loss_to_suspended_part<0>, true},
    {"loss_to_suspended_profit_lost_cents", "USD cents", "Of the headline: operating profit lost",
     loss_to_suspended_part<1>, true},
    {"loss_to_suspended_inventory_written_off_cents", "USD cents",
     "Of the headline: stock written off with forfeited funds, at cost", loss_to_suspended_part<2>, true},
    {"loss_to_suspended_legal_costs_net_cents", "USD cents",
     "Of the headline: legal costs paid less awards received (awards include interest)", loss_to_suspended_part<3>, true},
    {"loss_to_suspended_diversification_spend_cents", "USD cents",
     "Of the headline: set-up and running costs of the alternative marketplace and web stores",
     loss_to_suspended_part<4>, true},
    {"loss_to_suspended_exits", "businesses",
     "Suspended businesses that exited, scenario minus counterfactual (exits the shock caused among them)",
     [](const LossBreakdown& l) { return l.exits_caused; }, true},
    {"businesses_suspended_by_wave", "businesses",
     "Distinct businesses suspended by the removed wave (the treated set)",
     [](const LossBreakdown& l) { return l.treated_businesses; }, true},
    {"accounts_suspended_by_wave", "accounts", "Linked accounts of the businesses suspended by the removed wave",
     [](const LossBreakdown& l) { return l.treated_accounts; }, true},
    {"frozen_by_wave_cents", "USD cents", "Funds frozen at the first suspension of each business by the removed wave",
     [](const LossBreakdown& l) { return l.treated_frozen_cents; }, true},
    {"frozen_per_account_by_wave_cents", "USD cents",
     "Funds frozen by the removed wave per account it closed (frozen_by_wave / accounts_suspended_by_wave; a "
     "ratio: not multiplied by sellers.scale)",
     [](const LossBreakdown& l) { return per_unit(l.treated_frozen_cents, l.treated_accounts); }, true, false},
    {"frozen_per_business_by_wave_cents", "USD cents",
     "Funds frozen by the removed wave per business it suspended (a ratio: not multiplied by sellers.scale)",
     [](const LossBreakdown& l) { return per_unit(l.treated_frozen_cents, l.treated_businesses); }, true, false},
    {"businesses_banned_by_wave", "businesses",
     "Rule-breaking businesses suspended by the removed wave and never reinstated (permanently banned)",
     [](const LossBreakdown& l) { return l.treated_banned_rule_breakers; }, true},
    {"accounts_banned_by_wave", "accounts", "Linked accounts of those permanently banned rule-breakers",
     [](const LossBreakdown& l) { return l.treated_banned_rule_breaker_accounts; }, true},
    {"honest_businesses_suspended_by_wave", "businesses",
     "Honest businesses (not rule-breakers) suspended by the removed wave: its false positives",
     [](const LossBreakdown& l) { return l.treated_honest; }, true},
    {"sales_lost_by_suspended_cents", "USD cents",
     "Sales of the suspended businesses, counterfactual minus scenario, all channels",
     [](const LossBreakdown& l) { return l.treated_sales_lost_cents; }, true},
    {"spillover_gain_cents", "USD cents",
     "What businesses not suspended by the wave gained (minus their summed loss); never netted into the headline",
     [](const LossBreakdown& l) { return l.spillover_gain_cents; }, true},
    {"platform_retained_cents", "USD cents",
     "Funds the platform kept (forfeited less awards paid back), scenario minus counterfactual",
     [](const LossBreakdown& l) { return l.platform_retained_cents; }, true},
    {"net_loss_all_sellers_cents", "USD cents",
     "Loss summed over every business, scenario minus counterfactual: the headline less the spillover "
     "(equals attributable_loss_cents)",
     [](const LossBreakdown& l) { return l.net_loss_all_sellers_cents; }, true},
    {"businesses_suspended_distinct", "businesses",
     "Distinct businesses suspended at least once over the run (businesses_suspended counts suspension events)",
     [](const LossBreakdown& l) { return l.businesses_suspended_distinct; }, false},
};

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
  Axis component{"component", "Part of the attributable loss", {}, {}};
  for (const char* name : kLossComponents) component.labels.emplace_back(name);
  Axis diversification{"diversification", "Channels a business sold on at the start besides the dominant marketplace",
                       {}, {}};
  for (const char* name : kDiversificationLevelNames) diversification.labels.emplace_back(name);
  Axis loss_component{"loss_component", "Part of the loss to the suspended businesses", {}, {}};
  for (const char* name : kLossComponentNames) loss_component.labels.emplace_back(name);
  layout.axes = {replication, run, week, region, size_class, channel, component, diversification, loss_component};

  for (const SeriesDefinition& s : kSeries)
    layout.series.push_back({s.name, s.unit, s.description, {"replication", "run", "week", category_of(s)}});
  for (const SummaryDefinition& s : kScalarSummary)
    if (with_counterfactual || !s.attributable) layout.summary.push_back({s.name, s.unit, s.description, {}});
  for (const LossSummaryDefinition& s : kLossSummary)
    if (with_counterfactual || !s.attributable) layout.summary.push_back({s.name, s.unit, s.description, {}});
  layout.summary.push_back({"surviving_sellers_by_diversification", "businesses",
                            "Businesses not exited at the end of the run, by their diversification at the start",
                            {"diversification"}});
  layout.summary.push_back({"exits_by_diversification", "businesses",
                            "Businesses that exited over the run, by their diversification at the start",
                            {"diversification"}});
  layout.summary.push_back({"sales_by_channel_cents", "USD cents", "Sales over the run by channel (market shares)",
                            {"channel"}});
  if (with_counterfactual) {
    layout.summary.push_back({"attributable_loss_by_group_cents", "USD cents",
                              "Attributable loss by component, home region and size class",
                              {"component", "region", "size_class"}});
    layout.summary.push_back({"attributable_exits_by_group", "businesses",
                              "Exits caused by the shock, by home region and size class", {"region", "size_class"}});
    layout.summary.push_back({"attributable_exits_by_diversification", "businesses",
                              "Exits caused by the shock, by the business's diversification at the start",
                              {"diversification"}});
    layout.summary.push_back({"attributable_sales_by_channel_cents", "USD cents",
                              "Sales over the run by channel, scenario minus counterfactual", {"channel"}});
    layout.summary.push_back({"loss_to_suspended_by_group_cents", "USD cents",
                              "Loss to the businesses the removed wave suspended, by component, home region and size "
                              "class (adds up to loss_to_suspended_cents)",
                              {"loss_component", "region", "size_class"}});
    layout.summary.push_back({"loss_to_suspended_exits_by_group", "businesses",
                              "Exits the shock caused among the suspended businesses, by home region and size class",
                              {"region", "size_class"}});
  }
  return layout;
}

ReplicationResult simulate_replication(const Scenario& scenario, std::int64_t replication, RunProgress* progress,
                                       bool with_counterfactual) {
  const Scenario counterfactual_scenario = counterfactual_of(scenario);
  const std::int32_t fork_week = with_counterfactual ? first_divergent_week(scenario) : scenario.weeks;
  const std::size_t runs = with_counterfactual ? 2 : 1;
  const std::size_t weeks = static_cast<std::size_t>(scenario.weeks);
  const std::size_t regions = scenario.sellers.region_shares.size();
  const std::size_t groups = regions * kSizeClassCount;
  const std::int64_t scale = scenario.sellers.scale;

  ReplicationResult result;
  result.replication = replication;
  result.series.resize(kSeriesCount);
  for (std::size_t s = 0; s < kSeriesCount; ++s)
    result.series[s].assign(runs * weeks * category_size(kSeries[s], regions), 0);

  // Records one run's week: group columns summed over size classes into regions; everything scaled.
  const auto record = [&](std::size_t run, std::size_t w, const WeekTally& tally) {
    for (std::size_t s = 0; s < kSeriesCount; ++s) {
      std::vector<std::int64_t>& out = result.series[s];
      if (const auto* group_column = std::get_if<GroupColumn>(&kSeries[s].column)) {
        const std::vector<std::int64_t>& values = tally.*(*group_column);
        for (std::size_t r = 0; r < regions; ++r) {
          std::int64_t total = 0;
          for (std::size_t size = 0; size < kSizeClassCount; ++size) total += values[r * kSizeClassCount + size];
          out[(run * weeks + w) * regions + r] = total * scale;
        }
      } else if (const auto* channel_column = std::get_if<ChannelColumn>(&kSeries[s].column)) {
        const auto& values = tally.*(*channel_column);
        for (std::size_t c = 0; c < kChannelCount; ++c) out[(run * weeks + w) * kChannelCount + c] = values[c] * scale;
      } else {
        const auto& values = tally.*(std::get<LevelColumn>(kSeries[s].column).member);
        for (std::size_t l = 0; l < kDiversificationLevelCount; ++l)
          out[(run * weeks + w) * kDiversificationLevelCount + l] = values[l] * scale;
      }
    }
  };

  Replication main_run(scenario, replication);
  std::optional<Replication> counterfactual_run;
  RunTotals scenario_totals(groups);
  std::optional<RunTotals> counterfactual_totals;
  if (with_counterfactual) counterfactual_totals.emplace(groups);

  for (std::size_t w = 0; w < weeks; ++w) {
    if (progress && progress->cancel_requested.load(std::memory_order_relaxed)) throw RunCancelled();
    if (with_counterfactual && static_cast<std::int32_t>(w) == fork_week)
      counterfactual_run.emplace(counterfactual_scenario, main_run.world(), fork_week);
    main_run.step();
    record(0, w, main_run.last_week());
    scenario_totals.add_week(main_run.last_week());
    if (with_counterfactual) {
      // Before the fork both runs are the same world: record the scenario's week for both.
      const WeekTally& tally = counterfactual_run ? (counterfactual_run->step(), counterfactual_run->last_week())
                                                  : main_run.last_week();
      record(1, w, tally);
      counterfactual_totals->add_week(tally);
    }
    if (progress) progress->weeks_done.fetch_add(1, std::memory_order_relaxed);
  }

  for (const SummaryDefinition& s : kScalarSummary)
    if (with_counterfactual || !s.attributable)
      result.summary.push_back({s.value(scenario_totals, counterfactual_totals ? &*counterfactual_totals : nullptr) * scale});
  // Without a fork (no counterfactual, or the removed wave never in force) the scenario is its own
  // counterfactual: every difference is 0 and nobody is treated.
  const LossBreakdown breakdown =
      measure_loss(main_run.world(), counterfactual_run ? counterfactual_run->world() : main_run.world());
  for (const LossSummaryDefinition& s : kLossSummary)
    if (with_counterfactual || !s.attributable) result.summary.push_back({s.value(breakdown) * (s.scaled ? scale : 1)});
  std::vector<std::int64_t> surviving(kDiversificationLevelCount), level_exits(kDiversificationLevelCount);
  for (std::size_t l = 0; l < kDiversificationLevelCount; ++l) {
    surviving[l] = scenario_totals.surviving[l] * scale;
    level_exits[l] = scenario_totals.flows.exits_by_level[l] * scale;
  }
  result.summary.push_back(std::move(surviving));
  result.summary.push_back(std::move(level_exits));
  std::vector<std::int64_t> channel_sales(kChannelCount);
  for (std::size_t c = 0; c < kChannelCount; ++c) channel_sales[c] = scenario_totals.flows.sales_cents[c] * scale;
  result.summary.push_back(std::move(channel_sales));
  if (with_counterfactual) {
    std::vector<std::int64_t> loss(kNetLossComponentCount * groups), exits(groups), attributable_level_exits(kDiversificationLevelCount);
    for (std::size_t c = 0; c < kNetLossComponentCount; ++c)
      for (std::size_t g = 0; g < groups; ++g)
        loss[c * groups + g] = loss_component(c, scenario_totals, *counterfactual_totals, g) * scale;
    for (std::size_t g = 0; g < groups; ++g)
      exits[g] = (scenario_totals.flows.new_exits[g] - counterfactual_totals->flows.new_exits[g]) * scale;
    for (std::size_t l = 0; l < kDiversificationLevelCount; ++l)
      attributable_level_exits[l] =
          (scenario_totals.flows.exits_by_level[l] - counterfactual_totals->flows.exits_by_level[l]) * scale;
    result.summary.push_back(std::move(loss));
    result.summary.push_back(std::move(exits));
    result.summary.push_back(std::move(attributable_level_exits));
    std::vector<std::int64_t> sales_difference(kChannelCount);
    for (std::size_t c = 0; c < kChannelCount; ++c)
      sales_difference[c] = (scenario_totals.flows.sales_cents[c] - counterfactual_totals->flows.sales_cents[c]) * scale;
    result.summary.push_back(std::move(sales_difference));
    std::vector<std::int64_t> by_group(breakdown.to_suspended_by_group), exits_by_group(breakdown.exits_caused_by_group);
    for (std::int64_t& v : by_group) v *= scale;
    for (std::int64_t& v : exits_by_group) v *= scale;
    result.summary.push_back(std::move(by_group));
    result.summary.push_back(std::move(exits_by_group));
  }
  return result;
}

}  // namespace sellershock
