// The output catalogue: every output of a run declared once, with its name, unit, label, description,
// dimensions, whether it is a stock or a flow, and how it is computed (its reporter). The output layout,
// the recording, the HDF5 attributes, the output dictionary in docs/FORMAT.md and the typed handles that
// the report tables use (summary_id("...") fails to compile for a name not declared here) all derive
// from these two tables. To add an output: a tally column in sim/process/week.hpp if the processes must
// count something new, then one entry below.
//
// The catalogue lives in run/ rather than output/ because its reporters read the process layer's tallies;
// output/ holds the format-neutral description (Layout) and the writers.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "output/results.hpp"
#include "output/summary_collector.hpp"
#include "process/week.hpp"
#include "run/loss.hpp"

namespace sellershock {

// Measure (stock or flow) is declared with the tally's columns (process/week.hpp).

// ---------------------------------------------------------------------------------------------------
// Weekly series, over (replication, run, week, CATEGORY): group columns are recorded by region (summed
// over size classes), channel columns by channel, level columns by diversification level at the start,
// and the ledger by ledger account (sellers' money, then Ledger::kAccountNames).

enum class SeriesSource : std::uint8_t { region, channel, diversification, ledger };

struct SeriesEntry {
  std::string_view name;
  Measure measure;
  std::string_view unit;
  std::string_view long_name;  // a short label for plots and tables
  std::string_view description;
  SeriesSource source;
  std::vector<std::int64_t> WeekTally::*group_column = nullptr;                  // source region
  std::int64_t (WeekTally::*channel_column)[kChannelCount] = nullptr;            // source channel
  std::int64_t (WeekTally::*level_column)[kDiversificationLevelCount] = nullptr;  // source diversification
};

constexpr SeriesEntry region_series(std::string_view name, Measure measure, std::string_view unit,
                                    std::string_view long_name, std::string_view description,
                                    std::vector<std::int64_t> WeekTally::*column) {
  return {name, measure, unit, long_name, description, SeriesSource::region, column, nullptr, nullptr};
}
constexpr SeriesEntry channel_series(std::string_view name, Measure measure, std::string_view unit,
                                     std::string_view long_name, std::string_view description,
                                     std::int64_t (WeekTally::*column)[kChannelCount]) {
  return {name, measure, unit, long_name, description, SeriesSource::channel, nullptr, column, nullptr};
}
constexpr SeriesEntry level_series(std::string_view name, Measure measure, std::string_view unit,
                                   std::string_view long_name, std::string_view description,
                                   std::int64_t (WeekTally::*column)[kDiversificationLevelCount]) {
  return {name, measure, unit, long_name, description, SeriesSource::diversification, nullptr, nullptr, column};
}

inline constexpr std::string_view kCents = "USD cents";
inline constexpr std::string_view kBusinesses = "businesses";
// The tables use short names for their columns; they stay inside this namespace, out of the headers
// that include this one.
namespace catalogue_terms {
using M = Measure;
using T = WeekTally;

inline constexpr SeriesEntry kSeries[] = {
    channel_series("sales_cents", M::flow, kCents, "Sales",
                   "Sales in the week by channel (the physical stores' are the platform's own)", &T::sales_cents),
    channel_series("fees_cents", M::flow, kCents, "Fees",
                   "Referral fees (marketplaces) and payment processing fees (own web stores) in the week",
                   &T::fees_cents),
    channel_series("buyers", M::flow, "buyers", "Buyers by channel",
                   "Buyers choosing each channel in the week (buyer agents times sellers.scale)", &T::buyers),
    channel_series("sellers_present", M::stock, kBusinesses, "Sellers present",
                   "Businesses able to sell in each channel at the end of the week", &T::sellers_present),
    channel_series("bad_purchases", M::flow, "purchases", "Bad purchases",
                   "Purchases from rule-breaking sellers that went wrong in the week, by marketplace (none in own "
                   "web stores and the physical stores)",
                   &T::bad_purchases),
    region_series("active_sellers", M::stock, kBusinesses, "Active businesses",
                  "Businesses active on the dominant marketplace at the end of the week", &T::active_sellers),
    region_series("suspended_sellers", M::stock, kBusinesses, "Suspended businesses",
                  "Businesses whose dominant-marketplace accounts are suspended at the end of the week",
                  &T::suspended_sellers),
    region_series("exited_sellers", M::stock, kBusinesses, "Exited businesses",
                  "Businesses that have exited by the end of the week", &T::exited_sellers),
    region_series("active_accounts", M::stock, "accounts", "Active accounts",
                  "Dominant-marketplace accounts active at the end of the week", &T::active_accounts),
    region_series("suspended_accounts", M::stock, "accounts", "Suspended accounts",
                  "Dominant-marketplace accounts suspended at the end of the week", &T::suspended_accounts),
    region_series("businesses_suspended", M::flow, kBusinesses, "Suspensions",
                  "Suspensions of businesses in the week, background and waves (a business suspended again "
                  "after a reinstatement counts again)",
                  &T::new_suspensions),
    region_series("honest_businesses_suspended", M::flow, kBusinesses, "Honest businesses suspended",
                  "Suspensions of honest businesses (not rule-breakers) in the week: part of businesses_suspended",
                  &T::new_suspensions_honest),
    region_series("accounts_suspended", M::flow, "accounts", "Accounts suspended",
                  "Accounts suspended in the week (all linked accounts of each business)", &T::new_accounts_suspended),
    region_series("exits", M::flow, kBusinesses, "Exits", "Businesses that exited in the week", &T::new_exits),
    region_series("frozen_balance_cents", M::stock, kCents, "Frozen funds",
                  "Seller funds frozen at the end of the week", &T::frozen_stock_cents),
    region_series("newly_frozen_cents", M::flow, kCents, "Funds frozen", "Seller funds frozen in the week",
                  &T::newly_frozen_cents),
    region_series("reinstated_cents", M::flow, kCents, "Recovered by appeal",
                  "Frozen funds released in the week by a successful appeal", &T::reinstated_cents),
    region_series("released_cents", M::flow, kCents, "Released after the hold",
                  "Frozen funds released in the week at the end of the hold", &T::released_cents),
    region_series("forfeited_cents", M::flow, kCents, "Forfeited",
                  "Frozen funds kept by the platform in the week at the end of the hold", &T::forfeited_cents),
    region_series("inventory_written_off_cents", M::flow, kCents, "Stock written off",
                  "Stock in the platform's warehouses lost with forfeited funds (at cost) in the week",
                  &T::inventory_written_off_cents),
    region_series("profit_cents", M::flow, kCents, "Operating profit",
                  "Sellers' operating profit in the week: sales minus fees, cost of goods, fixed costs and "
                  "acquisition",
                  &T::profit_cents),
    region_series("arbitration_filings", M::flow, "sellers", "Arbitrations filed",
                  "Individual arbitrations filed in the week", &T::arbitration_filings),
    region_series("collective_signups", M::flow, "sellers", "Collective sign-ups",
                  "Sellers signing up for their region's collective action in the week", &T::collective_signups),
    region_series("legal_costs_cents", M::flow, kCents, "Legal costs",
                  "Arbitration fees, counsel and collective-action shares paid in the week", &T::legal_costs_cents),
    region_series("arbitration_awards_cents", M::flow, kCents, "Arbitration awards",
                  "Awards of individual arbitrations won in the week (funds plus interest)",
                  &T::arbitration_awards_cents),
    region_series("collective_awards_cents", M::flow, kCents, "Collective awards",
                  "Awards of collective actions won in the week (funds plus interest)", &T::collective_awards_cents),
    region_series("diversified_sellers", M::stock, kBusinesses, "Diversified businesses",
                  "Businesses not exited that sell on the alternative marketplace or in their own web store, end "
                  "of the week",
                  &T::diversified_sellers),
    region_series("channels_added", M::flow, "channels", "Channels added",
                  "Alternative-marketplace shops and web stores opened in the week", &T::channels_added),
    region_series("channels_dropped", M::flow, "channels", "Channels dropped",
                  "Alternative-marketplace shops and web stores closed in the week", &T::channels_dropped),
    region_series("diversification_costs_cents", M::flow, kCents, "Diversification costs",
                  "Set-up and running costs of alternative-marketplace shops and web stores paid in the week",
                  &T::diversification_costs_cents),
    level_series("surviving_sellers", M::stock, kBusinesses, "Surviving businesses",
                 "Businesses not exited at the end of the week, by their diversification at the start",
                 &T::surviving_sellers),
    {"ledger_balance_cents", M::stock, kCents, "Ledger balance",
     "Balance of every account of the ledger at the end of the week: sellers' cash, balances held by the "
     "marketplaces and frozen funds, then the accounts outside the sellers (the rest of the economy, the "
     "platforms' fees and forfeitures, the platform's own store sales, payment processors). Money only moves "
     "between accounts, so the balances sum to zero in every week",
     SeriesSource::ledger},
};
}  // namespace catalogue_terms
using catalogue_terms::kSeries;

inline constexpr std::size_t kSeriesCount = std::size(kSeries);

// Whether every weekly series has the measure of the tally column it records.
constexpr bool series_measures_match() {
  for (const SeriesEntry& e : kSeries) {
    switch (e.source) {
      case SeriesSource::region:
        if (measure_of(e.group_column) != e.measure) return false;
        break;
      case SeriesSource::channel:
        if (measure_of(e.channel_column) != e.measure) return false;
        break;
      case SeriesSource::diversification:
        if (measure_of(e.level_column) != e.measure) return false;
        break;
      case SeriesSource::ledger: break;
    }
  }
  return true;
}
static_assert(series_measures_match(), "a weekly series' measure differs from its tally column's (week.hpp)");

// ---------------------------------------------------------------------------------------------------
// Summary entries: one value (or a small table) per replication, computed from the run's totals.

// Per-replication totals of one run by group (region x size class): the weeks' tallies added up (the
// flows; the stock columns of `flows` stay 0) and the last week's tally (the stocks at the end).
struct RunTotals {
  WeekTally flows;
  WeekTally last;
  explicit RunTotals(std::size_t groups) : flows(groups), last(groups) {}
  // Adds the week's flows; throws MoneyOverflow if a total would leave int64.
  void add_week(const WeekTally& week);
};

// What a reporter reads: the scenario's totals, the counterfactual's when the run has one, and the
// business-by-business comparison of the two worlds at the end (run/loss.hpp).
struct RunPair {
  const RunTotals& scenario;
  const RunTotals* counterfactual;  // null without a counterfactual (entries that need one are left out)
  std::size_t regions;
  const LossBreakdown& loss;
};

// The dimensions of a summary entry after replication.
enum class SummaryDims : std::uint8_t {
  none,
  channel,
  diversification,
  region_size_class,
  component_region_size_class,       // the net loss's components (kNetLossComponents)
  loss_component_region_size_class,  // the headline's components (kLossComponentNames)
};

// The net loss's money components, in the order of the "component" axis. (The headline's components, by
// business, are kLossComponentNames in run/loss.hpp, on the "loss_component" axis.)
inline constexpr const char* kNetLossComponents[] = {"frozen_not_recovered", "profit_lost", "inventory_written_off",
                                                     "legal_costs", "diversification_spend"};
inline constexpr std::size_t kNetLossComponentCount = std::size(kNetLossComponents);

std::int64_t total(const std::vector<std::int64_t>& column);
// Net loss component c of group g: scenario minus counterfactual (profit: counterfactual minus scenario).
std::int64_t loss_component(std::size_t component, const RunTotals& scenario, const RunTotals& counterfactual,
                            std::size_t group);

using Reporter = void (*)(const RunPair& totals, std::span<std::int64_t> out);

struct SummaryEntry {
  std::string_view name;
  Measure measure;
  bool needs_counterfactual;
  SummaryDims dims;
  std::string_view unit;
  std::string_view long_name;
  std::string_view description;
  Reporter reporter;  // writes the entry's unscaled values, row-major over dims
  bool scaled = true;  // the run multiplies the values by sellers.scale (not ratios such as per-account means)
};

namespace reporters {
template <std::vector<std::int64_t> WeekTally::*column>
void flow_total(const RunPair& t, std::span<std::int64_t> out) {
  static_assert(measure_of(column) == Measure::flow, "flow_total of a stock column");
  out[0] = total(t.scenario.flows.*column);
}
template <std::vector<std::int64_t> WeekTally::*column>
void flow_difference(const RunPair& t, std::span<std::int64_t> out) {
  static_assert(measure_of(column) == Measure::flow, "flow_difference of a stock column");
  out[0] = total(t.scenario.flows.*column) - total(t.counterfactual->flows.*column);
}
template <std::vector<std::int64_t> WeekTally::*column>
void stock_at_end(const RunPair& t, std::span<std::int64_t> out) {
  static_assert(measure_of(column) == Measure::stock, "stock_at_end of a flow column");
  out[0] = total(t.scenario.last.*column);
}
template <std::int64_t (WeekTally::*column)[kChannelCount]>
void channel_flow_total(const RunPair& t, std::span<std::int64_t> out) {
  static_assert(measure_of(column) == Measure::flow, "channel_flow_total of a stock column");
  out[0] = 0;
  for (std::int64_t v : t.scenario.flows.*column) out[0] += v;
}
template <std::size_t component>
void net_loss_component(const RunPair& t, std::span<std::int64_t> out) {
  out[0] = 0;
  for (std::size_t g = 0; g < t.scenario.flows.profit_cents.size(); ++g)
    out[0] += loss_component(component, t.scenario, *t.counterfactual, g);
}
// A scalar of the business-by-business comparison (run/loss.hpp).
template <auto member>
void loss_value(const RunPair& t, std::span<std::int64_t> out) { out[0] = t.loss.*member; }
template <std::size_t component>
void loss_to_suspended_part(const RunPair& t, std::span<std::int64_t> out) {
  out[0] = t.loss.to_suspended_by_component[component];
}
void frozen_per_account_by_wave(const RunPair& t, std::span<std::int64_t> out);
void frozen_per_business_by_wave(const RunPair& t, std::span<std::int64_t> out);
void loss_to_suspended_by_group(const RunPair& t, std::span<std::int64_t> out);
void loss_to_suspended_exits_by_group(const RunPair& t, std::span<std::int64_t> out);
void net_loss(const RunPair& t, std::span<std::int64_t> out);
void net_loss_by_group(const RunPair& t, std::span<std::int64_t> out);
void attributable_exits_by_group(const RunPair& t, std::span<std::int64_t> out);
void surviving_by_diversification(const RunPair& t, std::span<std::int64_t> out);
void exits_by_diversification(const RunPair& t, std::span<std::int64_t> out);
void attributable_exits_by_diversification(const RunPair& t, std::span<std::int64_t> out);
void sales_by_channel(const RunPair& t, std::span<std::int64_t> out);
void attributable_sales_by_channel(const RunPair& t, std::span<std::int64_t> out);
}  // namespace reporters

namespace catalogue_terms {
using M = Measure;
namespace r = reporters;
using D = SummaryDims;
using L = LossBreakdown;

inline constexpr SummaryEntry kSummaries[] = {
    // The headline: the loss to the businesses the removed wave suspended, each against itself in the
    // counterfactual (gross), with its components; then what stands beside it, never netted into it.
    {"loss_to_suspended_cents", M::flow, true, D::none, kCents, "Loss to the suspended businesses",
     "Loss to the businesses the removed wave suspended, each against itself in the counterfactual (gross): the "
     "sum of the five loss_to_suspended_* components",
     r::loss_value<&L::to_suspended_cents>},
    {"loss_to_suspended_frozen_not_recovered_cents", M::flow, true, D::none, kCents, "Frozen funds not recovered",
     "Of the headline: funds forfeited or still frozen at the end", r::loss_to_suspended_part<0>},
    {"loss_to_suspended_profit_lost_cents", M::flow, true, D::none, kCents, "Profit lost",
     "Of the headline: operating profit lost", r::loss_to_suspended_part<1>},
    {"loss_to_suspended_inventory_written_off_cents", M::flow, true, D::none, kCents, "Stock written off",
     "Of the headline: stock written off with forfeited funds, at cost", r::loss_to_suspended_part<2>},
    {"loss_to_suspended_legal_costs_net_cents", M::flow, true, D::none, kCents, "Legal costs net of awards",
     "Of the headline: legal costs paid less awards received (awards include interest)", r::loss_to_suspended_part<3>},
    {"loss_to_suspended_diversification_spend_cents", M::flow, true, D::none, kCents, "Diversification spend",
     "Of the headline: set-up and running costs of the alternative marketplace and web stores",
     r::loss_to_suspended_part<4>},
    {"loss_to_suspended_exits", M::flow, true, D::none, kBusinesses, "Exits caused among the suspended",
     "Suspended businesses that exited, scenario minus counterfactual (exits the shock caused among them)",
     r::loss_value<&L::exits_caused>},
    {"businesses_suspended_by_wave", M::flow, true, D::none, kBusinesses, "Businesses suspended by the wave",
     "Distinct businesses suspended by the removed wave (the treated set)", r::loss_value<&L::treated_businesses>},
    {"accounts_suspended_by_wave", M::flow, true, D::none, "accounts", "Accounts suspended by the wave",
     "Linked accounts of the businesses suspended by the removed wave", r::loss_value<&L::treated_accounts>},
    {"frozen_by_wave_cents", M::flow, true, D::none, kCents, "Funds frozen by the wave",
     "Funds frozen at the first suspension of each business by the removed wave",
     r::loss_value<&L::treated_frozen_cents>},
    {"frozen_per_account_by_wave_cents", M::flow, true, D::none, kCents, "Frozen per account closed",
     "Funds frozen by the removed wave per account it closed (frozen_by_wave / accounts_suspended_by_wave; a "
     "ratio: not multiplied by sellers.scale)",
     r::frozen_per_account_by_wave, false},
    {"frozen_per_business_by_wave_cents", M::flow, true, D::none, kCents, "Frozen per business suspended",
     "Funds frozen by the removed wave per business it suspended (a ratio: not multiplied by sellers.scale)",
     r::frozen_per_business_by_wave, false},
    {"businesses_banned_by_wave", M::flow, true, D::none, kBusinesses, "Rule-breakers banned by the wave",
     "Rule-breaking businesses suspended by the removed wave and never reinstated (permanently banned)",
     r::loss_value<&L::treated_banned_rule_breakers>},
    {"accounts_banned_by_wave", M::flow, true, D::none, "accounts", "Their accounts",
     "Linked accounts of those permanently banned rule-breakers",
     r::loss_value<&L::treated_banned_rule_breaker_accounts>},
    {"honest_businesses_suspended_by_wave", M::flow, true, D::none, kBusinesses, "Honest businesses suspended by the wave",
     "Honest businesses (not rule-breakers) suspended by the removed wave: its false positives",
     r::loss_value<&L::treated_honest>},
    {"sales_lost_by_suspended_cents", M::flow, true, D::none, kCents, "Sales lost by the suspended",
     "Sales of the suspended businesses, counterfactual minus scenario, all channels",
     r::loss_value<&L::treated_sales_lost_cents>},
    {"spillover_gain_cents", M::flow, true, D::none, kCents, "Competitors' gain (spillover)",
     "What businesses not suspended by the wave gained (minus their summed loss); never netted into the headline",
     r::loss_value<&L::spillover_gain_cents>},
    {"platform_retained_cents", M::flow, true, D::none, kCents, "Platform's retained funds",
     "Funds the platform kept (forfeited less awards paid back), scenario minus counterfactual",
     r::loss_value<&L::platform_retained_cents>},
    {"net_loss_all_sellers_cents", M::flow, true, D::none, kCents, "Net loss over all sellers",
     "Loss summed over every business, scenario minus counterfactual: the headline less the spillover "
     "(equals attributable_loss_cents)",
     r::loss_value<&L::net_loss_all_sellers_cents>},
    {"businesses_suspended_distinct", M::flow, false, D::none, kBusinesses, "Businesses suspended (distinct)",
     "Distinct businesses suspended at least once over the run (businesses_suspended counts suspension events)",
     r::loss_value<&L::businesses_suspended_distinct>},
    {"sales_cents", M::flow, false, D::none, kCents, "Sales", "Sales over the run, all channels",
     r::channel_flow_total<&T::sales_cents>},
    {"fees_cents", M::flow, false, D::none, kCents, "Fees", "Fees paid over the run, all channels",
     r::channel_flow_total<&T::fees_cents>},
    {"profit_cents", M::flow, false, D::none, kCents, "Operating profit", "Sellers' operating profit over the run",
     r::flow_total<&T::profit_cents>},
    {"businesses_suspended", M::flow, false, D::none, kBusinesses, "Suspensions",
     "Suspensions of businesses over the run (a business suspended again after a reinstatement counts again)",
     r::flow_total<&T::new_suspensions>},
    {"accounts_suspended", M::flow, false, D::none, "accounts", "Accounts suspended", "Accounts suspended over the run",
     r::flow_total<&T::new_accounts_suspended>},
    {"newly_frozen_cents", M::flow, false, D::none, kCents, "Funds frozen", "Seller funds frozen over the run",
     r::flow_total<&T::newly_frozen_cents>},
    {"reinstated_cents", M::flow, false, D::none, kCents, "Recovered by appeal",
     "Frozen funds released by successful appeals", r::flow_total<&T::reinstated_cents>},
    {"released_cents", M::flow, false, D::none, kCents, "Released after the hold",
     "Frozen funds released at the end of the hold", r::flow_total<&T::released_cents>},
    {"forfeited_cents", M::flow, false, D::none, kCents, "Forfeited", "Frozen funds kept by the platform",
     r::flow_total<&T::forfeited_cents>},
    {"still_frozen_cents", M::stock, false, D::none, kCents, "Still frozen", "Funds still frozen at the end of the run",
     r::stock_at_end<&T::frozen_stock_cents>},
    {"inventory_written_off_cents", M::flow, false, D::none, kCents, "Stock written off",
     "Stock lost with forfeited funds, at cost", r::flow_total<&T::inventory_written_off_cents>},
    {"arbitration_filings", M::flow, false, D::none, "sellers", "Arbitrations filed", "Individual arbitrations filed",
     r::flow_total<&T::arbitration_filings>},
    {"collective_signups", M::flow, false, D::none, "sellers", "Collective sign-ups",
     "Sign-ups for collective actions", r::flow_total<&T::collective_signups>},
    {"arbitration_awards_cents", M::flow, false, D::none, kCents, "Arbitration awards",
     "Awards of individual arbitrations (funds plus interest)", r::flow_total<&T::arbitration_awards_cents>},
    {"collective_awards_cents", M::flow, false, D::none, kCents, "Collective awards",
     "Awards of collective actions (funds plus interest)", r::flow_total<&T::collective_awards_cents>},
    {"legal_costs_cents", M::flow, false, D::none, kCents, "Legal costs",
     "Arbitration fees, counsel and collective-action shares paid", r::flow_total<&T::legal_costs_cents>},
    {"exits", M::flow, false, D::none, kBusinesses, "Exits", "Businesses that exited over the run",
     r::flow_total<&T::new_exits>},
    {"channels_added", M::flow, false, D::none, "channels", "Channels added",
     "Alternative-marketplace shops and web stores opened over the run", r::flow_total<&T::channels_added>},
    {"channels_dropped", M::flow, false, D::none, "channels", "Channels dropped",
     "Alternative-marketplace shops and web stores closed over the run", r::flow_total<&T::channels_dropped>},
    {"diversification_costs_cents", M::flow, false, D::none, kCents, "Diversification costs",
     "Set-up and running costs of the alternative and web stores", r::flow_total<&T::diversification_costs_cents>},
    {"attributable_loss_cents", M::flow, true, D::none, kCents, "Net loss, all sellers",
     "Sellers' loss caused by the shock, net over all sellers: frozen funds not recovered + profit lost + stock "
     "written off + legal costs + diversification spend (scenario minus counterfactual)",
     r::net_loss},
    {"attributable_frozen_not_recovered_cents", M::flow, true, D::none, kCents, "Frozen funds not recovered",
     "Forfeited or still frozen at the end, less awards, scenario minus counterfactual", r::net_loss_component<0>},
    {"attributable_profit_lost_cents", M::flow, true, D::none, kCents, "Profit lost",
     "Operating profit, counterfactual minus scenario", r::net_loss_component<1>},
    {"attributable_inventory_written_off_cents", M::flow, true, D::none, kCents, "Stock written off",
     "Stock written off, scenario minus counterfactual", r::net_loss_component<2>},
    {"attributable_legal_costs_cents", M::flow, true, D::none, kCents, "Legal costs",
     "Legal costs, scenario minus counterfactual", r::net_loss_component<3>},
    {"attributable_diversification_spend_cents", M::flow, true, D::none, kCents, "Diversification spend",
     "Set-up and running costs of other channels, scenario minus counterfactual", r::net_loss_component<4>},
    {"attributable_exits", M::flow, true, D::none, kBusinesses, "Exits caused", "Exits, scenario minus counterfactual",
     r::flow_difference<&T::new_exits>},
    {"attributable_businesses_suspended", M::flow, true, D::none, kBusinesses, "Suspensions caused",
     "Suspensions of businesses, scenario minus counterfactual", r::flow_difference<&T::new_suspensions>},
    {"attributable_accounts_suspended", M::flow, true, D::none, "accounts", "Accounts suspended by the shock",
     "Accounts suspended, scenario minus counterfactual", r::flow_difference<&T::new_accounts_suspended>},
    {"attributable_frozen_cents", M::flow, true, D::none, kCents, "Funds frozen by the shock",
     "Funds frozen, scenario minus counterfactual", r::flow_difference<&T::newly_frozen_cents>},
    {"surviving_sellers_by_diversification", M::stock, false, D::diversification, kBusinesses, "Surviving businesses",
     "Businesses not exited at the end of the run, by their diversification at the start",
     r::surviving_by_diversification},
    {"exits_by_diversification", M::flow, false, D::diversification, kBusinesses, "Exits",
     "Businesses that exited over the run, by their diversification at the start", r::exits_by_diversification},
    {"sales_by_channel_cents", M::flow, false, D::channel, kCents, "Sales by channel",
     "Sales over the run by channel (market shares)", r::sales_by_channel},
    {"attributable_loss_by_group_cents", M::flow, true, D::component_region_size_class, kCents, "Net loss by group",
     "Net loss over all sellers by component, home region and size class", r::net_loss_by_group},
    {"attributable_exits_by_group", M::flow, true, D::region_size_class, kBusinesses, "Exits caused by group",
     "Exits caused by the shock, by home region and size class", r::attributable_exits_by_group},
    {"attributable_exits_by_diversification", M::flow, true, D::diversification, kBusinesses,
     "Exits caused by diversification", "Exits caused by the shock, by the business's diversification at the start",
     r::attributable_exits_by_diversification},
    {"attributable_sales_by_channel_cents", M::flow, true, D::channel, kCents, "Sales change by channel",
     "Sales over the run by channel, scenario minus counterfactual", r::attributable_sales_by_channel},
    {"loss_to_suspended_by_group_cents", M::flow, true, D::loss_component_region_size_class, kCents,
     "Loss to the suspended by group",
     "Loss to the businesses the removed wave suspended, by component, home region and size class (adds up to "
     "loss_to_suspended_cents)",
     r::loss_to_suspended_by_group},
    {"loss_to_suspended_exits_by_group", M::flow, true, D::region_size_class, kBusinesses,
     "Exits caused among the suspended by group",
     "Exits the shock caused among the suspended businesses, by home region and size class",
     r::loss_to_suspended_exits_by_group},
};
}  // namespace catalogue_terms
using catalogue_terms::kSummaries;

inline constexpr std::size_t kSummaryCount = std::size(kSummaries);

// A typed handle to a summary entry: summary_id("name") is evaluated at compile time, so a misspelt or
// removed name is a compile error rather than a failed look-up at run time.
struct SummaryId {
  std::size_t index;
  constexpr const SummaryEntry& entry() const { return kSummaries[index]; }
};
consteval SummaryId summary_id(std::string_view name) {
  for (std::size_t k = 0; k < kSummaryCount; ++k)
    if (kSummaries[k].name == name) return {k};
  throw "no summary entry of that name in the catalogue";  // not a constant expression: a compile error
}

// Where a run's collected summaries hold a catalogue entry: none if the run did not produce it (an entry
// that needs a counterfactual, in a run without one).
inline std::optional<std::size_t> find(const SummaryCollector& collected, SummaryId id) {
  return collected.find(std::string(id.entry().name));
}
// As find(), for an entry every run produces; throws std::logic_error if it is missing.
inline std::size_t index_of(const SummaryCollector& collected, SummaryId id) {
  return collected.index_of(std::string(id.entry().name));
}

// Names are unique within each table, and a name in both tables means the same measure in both.
consteval bool catalogue_names_consistent() {
  for (std::size_t a = 0; a < kSeriesCount; ++a)
    for (std::size_t b = a + 1; b < kSeriesCount; ++b)
      if (kSeries[a].name == kSeries[b].name) return false;
  for (std::size_t a = 0; a < kSummaryCount; ++a) {
    for (std::size_t b = a + 1; b < kSummaryCount; ++b)
      if (kSummaries[a].name == kSummaries[b].name) return false;
    for (const SeriesEntry& s : kSeries)
      if (s.name == kSummaries[a].name && s.measure != kSummaries[a].measure) return false;
  }
  return true;
}
static_assert(catalogue_names_consistent(), "an output name is declared twice, or as a stock and as a flow");

// make_layout(scenario, with_counterfactual), the layout of these tables, is declared in run/replication.hpp.
// The names of a summary entry's dimensions after replication.
std::vector<std::string> dims_of(SummaryDims dims);

// Values per week of a series with this source.
std::size_t series_width(SeriesSource source, std::size_t regions);
// Records one week of one run (0 scenario, 1 counterfactual) into a replication's series, in kSeries order:
// series[s] holds runs x weeks x category values. Values are multiplied by scale (checked).
void record_week(std::vector<std::vector<std::int64_t>>& series, std::size_t run, std::size_t week,
                 std::size_t weeks, std::size_t regions, std::int64_t scale, const WeekTally& tally);
// The summary entries the run produces (those needing a counterfactual only with one), in kSummaries order.
std::vector<std::vector<std::int64_t>> report_summaries(const RunPair& totals, std::int64_t scale);

// The output dictionary in docs/FORMAT.md, generated from the catalogue.
std::string output_reference_markdown();

}  // namespace sellershock
