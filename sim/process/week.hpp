// What the processes of one week share: the scenario, the week's policy (from the events process), and
// a tally of the week's aggregates. Seller processes are functions over a contiguous block of sellers
// [begin, end), so that the step function runs all of them on one block while it is in cache, and
// blocks run in parallel (sim/run/replication.cpp). Demand runs over buyers, then over (channel,
// category) pairs (sim/process/demand.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <vector>

#include "scenario/scenario.hpp"
#include "state/money.hpp"
#include "state/world.hpp"

namespace sellershock {

// The state of legal remedies this week, set by prepare_legal() (sim/process/legal.cpp).
struct LegalPolicy {
  double win_probability = 0;       // with the precedent so far
  double join_probability = 0;
  std::vector<std::uint8_t> collective_open;  // by region: filed and awaiting its decision (members join it)
  std::vector<std::uint8_t> collective_decided;  // by region: 1 won this week, 2 lost this week, 0 neither
};

// Policy in force this week, set by apply_events().
struct WeekPolicy {
  std::int32_t week = 0;
  bool payout_due[2] = {false, false};  // dominant, alternative marketplace
  // Weekly suspension hazard (-log of the probability of staying unsuspended) by
  // [region][size class][rule_breaker]: for the business as a whole (background) and per linked account
  // (waves; a business with k accounts faces k times it).
  std::vector<double> business_hazard;
  std::vector<double> account_hazard;
  // Of account_hazard, the part of the waves the counterfactual keeps (all but the removed ones): what
  // the same business would face in the counterfactual, to attribute a suspension to a removed wave.
  std::vector<double> kept_account_hazard;
  LegalPolicy legal;
  static std::size_t slot(std::uint8_t region, std::uint8_t size_class, std::uint8_t rule_breaker) {
    return (static_cast<std::size_t>(region) * kSizeClassCount + size_class) * 2 + rule_breaker;
  }
  // The hazard a business with `accounts` linked accounts faces this week.
  double hazard_for(std::uint8_t region, std::uint8_t size_class, std::uint8_t rule_breaker,
                    std::uint16_t accounts) const {
    const std::size_t k = slot(region, size_class, rule_breaker);
    return business_hazard[k] + accounts * account_hazard[k];
  }
  double kept_hazard_for(std::uint8_t region, std::uint8_t size_class, std::uint8_t rule_breaker,
                         std::uint16_t accounts) const {
    const std::size_t k = slot(region, size_class, rule_breaker);
    return business_hazard[k] + accounts * kept_account_hazard[k];
  }
};

// A stock is a level at a point in time (the end of the week; for a summary, the end of the run); a flow
// is an amount over a period (the week; for a summary, the run). A name never means both.
enum class Measure : std::uint8_t { stock, flow };
constexpr const char* measure_name(Measure m) { return m == Measure::stock ? "stock" : "flow"; }

// Aggregates of one week. Each column is declared once, in the lists below, with its measure: the
// struct's members, its clear() and add(), the running stocks (count_stocks, carry_stocks) and the
// output catalogue (sim/run/catalogue.cpp) all come from them, so a column cannot be declared and then
// forgotten when tallies are cleared or reduced, nor recorded as a stock when the processes count it
// as a flow (the catalogue checks its entries' measures against these at compile time). Integer sums:
// the same in any order of addition, so per-thread tallies reduce to the same totals.
//
// Group columns, indexed by region * kSizeClassCount + size class (group_of()). Stocks are levels at the
// end of the week, kept as running sums (count_stocks); flows are amounts in the week.
#define SELLERSHOCK_GROUP_COLUMNS(X)                                                                          \
  X(active_sellers, stock)       /* businesses active on the dominant marketplace */                          \
  X(suspended_sellers, stock)    /* businesses whose dominant-marketplace accounts are suspended */           \
  X(exited_sellers, stock)       /* businesses exited so far */                                               \
  X(active_accounts, stock)      /* their linked accounts */                                                  \
  X(suspended_accounts, stock)                                                                                \
  X(new_suspensions, flow)       /* businesses suspended (events: a business suspended twice counts twice) */ \
  X(new_accounts_suspended, flow) /* their linked accounts */                                                 \
  X(new_exits, flow)                                                                                          \
  X(new_suspensions_honest, flow) /* of new_suspensions, the honest businesses */                             \
  X(frozen_stock_cents, stock)   /* funds frozen */                                                           \
  X(newly_frozen_cents, flow)                                                                                 \
  X(reinstated_cents, flow)                                                                                   \
  X(released_cents, flow)                                                                                     \
  X(forfeited_cents, flow)                                                                                    \
  X(inventory_written_off_cents, flow)                                                                        \
  X(profit_cents, flow)          /* revenue - fees - cost of goods - fixed costs - acquisition */             \
  X(arbitration_filings, flow)                                                                                \
  X(collective_signups, flow)                                                                                 \
  X(arbitration_wins, flow)                                                                                   \
  X(legal_costs_cents, flow)                                                                                  \
  X(arbitration_awards_cents, flow)                                                                           \
  X(collective_awards_cents, flow)                                                                            \
  X(diversified_sellers, stock)  /* not exited, on the alternative or with a web store */                     \
  X(channels_added, flow)                                                                                     \
  X(channels_dropped, flow)                                                                                   \
  X(diversification_costs_cents, flow) /* set-up and running costs of the alternative and web stores */

// Columns by channel (kChannelNames).
#define SELLERSHOCK_CHANNEL_COLUMNS(X)                                                                        \
  X(sales_cents, flow)                                                                                        \
  X(fees_cents, flow)                                                                                         \
  X(buyers, flow)                /* buyer agents choosing each channel */                                     \
  X(sellers_present, stock)      /* businesses able to sell there at the end of the week */                   \
  /* Summed marketplace weight of the businesses able to sell on the alternative marketplace and in own */    \
  /* web stores at the end of the week (what process 8 weighs; the other channels' stay 0). */                \
  X(present_weight_cents, stock)                                                                              \
  X(bad_purchases, flow)         /* purchases from rule-breakers that went wrong */

// Columns by diversification level at the start (kDiversificationLevelNames).
#define SELLERSHOCK_LEVEL_COLUMNS(X)                                                                          \
  X(surviving_sellers, stock)    /* businesses not exited at the end of the week */                           \
  X(exits_by_level, flow)

struct WeekTally {
#define SELLERSHOCK_DECLARE_GROUP(name, measure) std::vector<std::int64_t> name;
  SELLERSHOCK_GROUP_COLUMNS(SELLERSHOCK_DECLARE_GROUP)
#undef SELLERSHOCK_DECLARE_GROUP
#define SELLERSHOCK_DECLARE_CHANNEL(name, measure) std::int64_t name[kChannelCount] = {};
  SELLERSHOCK_CHANNEL_COLUMNS(SELLERSHOCK_DECLARE_CHANNEL)
#undef SELLERSHOCK_DECLARE_CHANNEL
#define SELLERSHOCK_DECLARE_LEVEL(name, measure) std::int64_t name[kDiversificationLevelCount] = {};
  SELLERSHOCK_LEVEL_COLUMNS(SELLERSHOCK_DECLARE_LEVEL)
#undef SELLERSHOCK_DECLARE_LEVEL
  // Sellers' money by kind of account (kSellerMoneyNames) at the end of the week: the sellers' part of the
  // ledger that the output records.
  Cents seller_money_cents[kSellerMoneyCount] = {};
  Cents unmet_demand_cents = 0;  // spend that found no seller in its channel and category
  Cents direct_sales_cents = 0;  // web-store sales to sellers' own customers (in sales_cents too)
  // Flows to and from the ledger accounts other than sellers, applied once per week.
  Ledger ledger_delta;
  // Those accounts' balances after the week (set by the step function, not added up over blocks).
  Ledger ledger_balance;
  // Sellers suspended in the week (process 4), from which the step function files their appeals and
  // hold ends under the weeks they are due (process 5 visits those instead of every seller). add()
  // appends, in no particular order across threads; the step function sorts.
  std::vector<std::uint32_t> suspended;
  // Businesses reinstated on appeal in the week (process 5), which the step function files in the
  // suspension queue under their new levels after the week (in no particular order, as suspended).
  std::vector<std::uint32_t> reinstated;

  // The weekly fixed costs of the businesses that exited this week, by group (not an output): the
  // replication's running sum of fixed costs, which it subtracts from each week's group profit, drops
  // by them after the week (Replication::step).
  std::vector<Cents> exited_fixed_costs_cents;

  explicit WeekTally(std::size_t groups = 0);
  void clear();
  void add(const WeekTally& other);
};

// The measure of a tally column, from the lists above (a column not in them is a logic error, and a
// compile error where the call is evaluated at compile time).
constexpr Measure measure_of(std::vector<std::int64_t> WeekTally::*column) {
#define SELLERSHOCK_MEASURE_OF(name, measure) \
  if (column == &WeekTally::name) return Measure::measure;
  SELLERSHOCK_GROUP_COLUMNS(SELLERSHOCK_MEASURE_OF)
  throw std::logic_error("measure_of: not a group column of WeekTally");
}
// Channel and level columns have the same type (four of each), so one function serves both lists.
constexpr Measure measure_of(std::int64_t (WeekTally::*column)[kChannelCount]) {
  static_assert(kChannelCount == kDiversificationLevelCount);
  SELLERSHOCK_CHANNEL_COLUMNS(SELLERSHOCK_MEASURE_OF)
  SELLERSHOCK_LEVEL_COLUMNS(SELLERSHOCK_MEASURE_OF)
#undef SELLERSHOCK_MEASURE_OF
  throw std::logic_error("measure_of: not a channel or level column of WeekTally");
}

struct WeekContext {
  const Scenario& scenario;
  World& world;
  const WeekPolicy& policy;
  // The sellers whose appeal is decided or whose hold ends this week, sorted (entries may be stale:
  // process 5 checks each seller's columns as a scan would). Null: process 5 scans every seller.
  const std::vector<std::uint32_t>* due = nullptr;
  // The businesses that fall this week (SuspensionQueue::take_falling), sorted: process 4 suspends
  // these. Null: process 4 compares every active business's level with its class's cumulative hazard.
  const std::vector<std::uint32_t>* falling = nullptr;
};

// Process 4's exposure of a business to the waves' per-account hazard: its linked accounts, times
// enforcement.reinstated_wave_exposure once it has been reinstated on appeal.
inline double linked_exposure(double reinstated_wave_exposure, std::uint16_t accounts, bool reinstated) {
  return (reinstated ? reinstated_wave_exposure : 1.0) * accounts;
}
inline double linked_exposure(const EnforcementSpec& spec, std::uint16_t accounts, bool reinstated) {
  return linked_exposure(spec.reinstated_wave_exposure, accounts, reinstated);
}
// Business i's slot (WeekPolicy::slot): its region, size class and behaviour.
inline std::size_t slot_of(const SellerTable& sellers, std::size_t i) {
  return WeekPolicy::slot(sellers.region[i], sellers.size_class[i], sellers.rule_breaker[i]);
}
// The cumulative hazard (World::cumulative_business_hazard etc.) of slot k at linked exposure `linked`:
// the business is suspended in the first week this reaches its suspension_level.
inline double cumulative_hazard(const World& world, std::size_t k, double linked) {
  return world.cumulative_business_hazard[k] + linked * world.cumulative_account_hazard[k];
}
// The same with only the waves the counterfactual keeps (against counterfactual_level).
inline double cumulative_kept_hazard(const World& world, std::size_t k, double linked) {
  return world.cumulative_business_hazard[k] + linked * world.cumulative_kept_account_hazard[k];
}
// Adds the week's hazards to the world's cumulative ones, leaving out infinite ones (a week's hazard
// that is infinite suspends everyone exposed to it that week: infinite_hazard).
void accumulate_hazards(World& world, const WeekPolicy& policy);
// Whether this week's hazard for slot k at linked exposure `linked` is infinite (a wave with recall 1,
// or a background probability of 1): every active business so exposed falls, whatever its level.
bool infinite_hazard(const WeekPolicy& policy, std::size_t k, double linked);
bool infinite_kept_hazard(const WeekPolicy& policy, std::size_t k, double linked);

// Process 4's queue of active businesses by class (slot, linked accounts, reinstated or not), each
// class a min-heap of suspension levels: the members of a class share a cumulative hazard, which only
// grows, so they fall in the order of their levels, and a week costs its suspensions, not a visit of
// every business (the step function keeps one per replication; docs/PERFORMANCE.md).
class SuspensionQueue {
 public:
  // Files every active business of the world.
  SuspensionQueue(const World& world, const EnforcementSpec& spec);
  // Files an active business under its current level (after a reinstatement).
  void file(const SellerTable& sellers, std::size_t seller);
  // Appends the active businesses that fall this week (the world's cumulative hazards through this
  // week, the week's policy for infinite hazards) to `falling`, sorted, and takes them out. Entries of
  // businesses that exited while active are dropped on the way.
  void take_falling(const World& world, const WeekPolicy& policy, std::vector<std::uint32_t>& falling);

 private:
  struct Entry {
    double level;
    std::uint32_t seller;
  };
  std::uint64_t class_of(const SellerTable& sellers, std::size_t seller) const;
  double reinstated_wave_exposure_;
  std::map<std::uint64_t, std::vector<Entry>> heaps_;  // by class_of
};

// Whether a suspension's appeal or hold can fall due in the week of the suspension itself (appeal_weeks
// or a hold of 0): the step function then gives process 5 no due list (the lists are filed after the
// week), and it scans every seller.
bool due_in_suspension_week(const EnforcementSpec& spec);

// Process 1: the week's policy from the scenario's dated events (suspension waves, payout cycles).
WeekPolicy apply_events(const Scenario& scenario, const World& world, std::int32_t week);
// Process 6's weekly bookkeeping before the sellers act: files collective actions that have enough
// members, decides those due (and counts their wins as precedent), and sets this week's odds.
LegalPolicy prepare_legal(const Scenario& scenario, World& world, std::int32_t week);
// After the sellers acted: adds the week's sign-ups and individual wins to the world's record.
void record_legal_week(World& world, const WeekTally& tally);
// The probability after `wins` precedents: each closes a share `effect` of the gap to 1.
double with_precedent(double probability, double effect, std::int64_t wins);
// Whether a claimant arbitrates alone: the expected award (win probability x claim plus interest at the
// award date) beats the filing fee and counsel's cost, and it has the cash to pay them.
bool arbitrates_alone(const LegalSpec& legal, double win_probability, Cents claim, std::int32_t claim_week, Cents cash,
                      std::int32_t week);

// Whether the wave is in force in any day of the given week.
bool wave_active(const Scenario& scenario, const WaveSpec& wave, std::int32_t week);
// Whether the scenario's counterfactual removes the wave (counterfactual.remove names
// "enforcement.waves.<name>").
bool removed_by_counterfactual(const Scenario& scenario, const WaveSpec& wave);

// Process 2, demand (sim/process/demand.cpp), in three steps: refresh the sellers each (channel,
// category) offers; buyers choose a channel and place purchases; purchases are allocated to sellers.
class Demand;

// Processes 3-9 over sellers [begin, end), in step order.
void sell(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally);
void enforce(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally);
void resolve_appeals_and_holds(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally);
// Process 6, legal remedies: decide, file, join, collect awards (sim/process/legal.cpp).
void seek_remedies(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally);
// The first business from i (up to end) with a case open (legal state neither None nor Closed), or end.
std::size_t next_open_case(const Column<LegalState>& states, std::size_t i, std::size_t end);
// Process 7, finance and exit; each business still in business then does process 8's weekly upkeep
// (WeeklyUpkeep, below) in the same pass.
void settle_finances(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally);
// Process 8, decisions: the reviews, adding or dropping the alternative marketplace and an own web
// store (sim/process/decisions.cpp); the weekly upkeep ran in process 7's pass.
void decide(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally);

// A business pays a cost of its other channels (process 8: set-up when it adds one, running costs every
// week): out of its cash, counted in its group's and its own diversification costs.
inline void pay_channel_cost(SellerTable& sellers, std::size_t i, std::size_t group, Cents amount, WeekTally& tally) {
  if (amount <= 0) return;
  transfer(sellers.cash_cents[i], tally.ledger_delta.outside_cents, amount);
  tally.diversification_costs_cents[group] += amount;
  sellers.diversification_spent_cents[i] += amount;
}

inline std::size_t group_of(const SellerTable& sellers, std::size_t i);  // below

// Process 8's weekly part for one business not exited: its perceived risk moves towards this week's
// evidence (its own suspension this week counts as certainty, otherwise its home region's rate of last
// week), and it pays the running costs of its other channels. Nothing in it depends on another
// business, so settle_finances runs it for each business right after its finances, sparing a second
// pass over the sellers; the order of each business's steps is that of the processes.
class WeeklyUpkeep {
 public:
  // The columns every business's upkeep reads through pointers taken here: the pass stores to other
  // columns, and the compiler would otherwise reload their addresses from the table for every business.
  WeeklyUpkeep(const WeekContext& context, WeekTally& tally)
      : week_(context.policy.week),
        learning_(static_cast<float>(context.scenario.diversification.risk_learning_rate)),
        own_store_running_(usd_to_cents(context.scenario.diversification.own_store_running_cost_usd_per_week)),
        alternative_running_(usd_to_cents(context.scenario.diversification.alternative_running_cost_usd_per_week)),
        region_rate_(context.world.market.region_suspension_rate.data()),
        sellers_(context.world.sellers),
        tally_(tally),
        suspended_week_(sellers_.suspended_week.data()),
        region_(sellers_.region.data()),
        on_own_store_(sellers_.on_own_store.data()),
        on_alternative_(sellers_.on_alternative.data()),
        perceived_risk_(sellers_.perceived_risk.data()) {}

  void operator()(std::size_t i) const {
    const float evidence = suspended_week_[i] == week_ ? 1.0f : static_cast<float>(region_rate_[region_[i]]);
    perceived_risk_[i] += learning_ * (evidence - perceived_risk_[i]);
    if (on_own_store_[i]) pay_channel_cost(sellers_, i, group_of(sellers_, i), own_store_running_, tally_);
    if (on_alternative_[i]) pay_channel_cost(sellers_, i, group_of(sellers_, i), alternative_running_, tally_);
  }

 private:
  std::int32_t week_;
  float learning_;
  Cents own_store_running_, alternative_running_;
  const double* region_rate_;
  SellerTable& sellers_;
  WeekTally& tally_;
  const std::int32_t* suspended_week_;
  const std::uint8_t* region_;
  const std::uint8_t* on_own_store_;
  const std::uint8_t* on_alternative_;
  float* perceived_risk_;
};
// Process 9 sums the sellers' money; the stocks (the tally's columns of measure stock) are running sums.
void observe(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally);
// count_stocks (below) adds or takes out one seller's part of the stocks.
// Every seller's part of the stocks, added to `stocks` (a replication counts them when it starts).
void count_all_stocks(const SellerTable& sellers, WeekTally& stocks);
// After the week's tallies are added up: adds the week's changes of the stocks to `stocks` and puts
// the new levels in the tally.
void carry_stocks(WeekTally& stocks, WeekTally& tally);
// Whether the two tallies' stock columns are equal (a check of the running sums against a recount).
bool same_stocks(const WeekTally& a, const WeekTally& b);
// After the sellers acted: what process 8 and the buyers see of the week (Market's observed fields).
void record_market_week(World& world, const WeekTally& tally);
// 1 - direct sales / all buyers' spend, the share of buyers' spend left for the marketplaces and stores.
double marketplace_spend_factor(const World& world, Cents direct_sales);

// Share of its full sales a channel added in week `since` reaches in `week`: linear over ramp_weeks,
// 1 for a channel held from the start (kNoWeek).
inline double ramp_fraction(std::int32_t since, std::int32_t week, int ramp_weeks) {
  if (since == kNoWeek) return 1.0;
  const double fraction = static_cast<double>(week - since + 1) / ramp_weeks;
  return fraction < 1.0 ? fraction : 1.0;
}

// Index of a seller's group (region, size class) in the tally's group columns.
inline std::size_t group_index(std::uint8_t region, std::uint8_t size_class) {
  return static_cast<std::size_t>(region) * kSizeClassCount + size_class;
}
inline std::size_t group_of(const SellerTable& sellers, std::size_t i) {
  return group_index(sellers.region[i], sellers.size_class[i]);
}

// A business's operating profit to date after `weeks` weeks of the run. Its column holds it before
// fixed costs (process 7 takes them out of its cash only); the fixed cost was charged in every week it
// had not exited by process 7's turn: each week to its exit's, or every week of the run.
inline Cents profit_to_date(const SellerTable& sellers, std::size_t i, std::int32_t weeks) {
  const std::int32_t charged = sellers.exit_week[i] != kNoWeek ? sellers.exit_week[i] + 1 : weeks;
  return sellers.profit_to_date_cents[i] - sellers.weekly_fixed_cost_cents[i] * charged;
}

// Adds (sign 1) or takes out (sign -1) seller i's part of the stocks in the tally (the columns of
// measure stock). A process that changes what counts for them (status, frozen funds, channels) takes
// the part out before the change and adds it after.
inline void count_stocks(const SellerTable& sellers, std::size_t i, std::int64_t sign, WeekTally& tally) {
  const std::size_t group = group_of(sellers, i);
  tally.frozen_stock_cents[group] += sign * sellers.frozen_cents[i];  // exited businesses' funds stay frozen too
  switch (sellers.status[i]) {
    case SellerStatus::Active:
      tally.active_sellers[group] += sign;
      tally.active_accounts[group] += sign * sellers.accounts[i];
      tally.sellers_present[index(Channel::Dominant)] += sign;
      break;
    case SellerStatus::Suspended:
      tally.suspended_sellers[group] += sign;
      tally.suspended_accounts[group] += sign * sellers.accounts[i];
      break;
    case SellerStatus::Exited: tally.exited_sellers[group] += sign; return;
  }
  const std::uint8_t on_alternative = sellers.on_alternative[i], on_own_store = sellers.on_own_store[i];
  if (on_alternative | on_own_store) {
    tally.sellers_present[index(Channel::Alternative)] += sign * on_alternative;
    tally.sellers_present[index(Channel::OwnStore)] += sign * on_own_store;
    // Marketplace weight present in the channels process 8 weighs (not the dominant one).
    const Cents weight = round_cents(sellers.marketplace_weight(i));
    if (on_alternative) tally.present_weight_cents[index(Channel::Alternative)] += sign * weight;
    if (on_own_store) tally.present_weight_cents[index(Channel::OwnStore)] += sign * weight;
    tally.diversified_sellers[group] += sign;
  }
  tally.surviving_sellers[sellers.diversification_level[i]] += sign;
}

}  // namespace sellershock
