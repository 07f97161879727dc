// The state of one replication as structure-of-arrays tables: one column per attribute, one row per
// seller business or buyer agent. Processes (sim/process) read and write these columns; nothing else
// holds state. A World is copyable, so a counterfactual can start from the scenario's state at the
// week they diverge.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "state/alias_table.hpp"
#include "state/column.hpp"
#include "state/money.hpp"

namespace sellershock {

// Sales channels, in output order. The first three are where third-party sellers sell.
enum class Channel : std::uint8_t { Dominant = 0, Alternative = 1, OwnStore = 2, PhysicalStore = 3 };
inline constexpr std::size_t kChannelCount = 4;
inline constexpr std::size_t kSellerChannelCount = 3;
inline constexpr const char* kChannelNames[kChannelCount] = {"dominant", "alternative", "own_store", "physical_store"};
constexpr std::size_t index(Channel c) { return static_cast<std::size_t>(c); }

// How diversified a business is, by the channels it sells on besides the dominant marketplace: the axis
// of survival by diversification (process 8). Fixed at set-up for each business (its level at the start).
inline constexpr std::size_t kDiversificationLevelCount = 4;
inline constexpr const char* kDiversificationLevelNames[kDiversificationLevelCount] = {
    "dominant_only", "alternative", "own_store", "alternative_and_own_store"};

enum class SellerStatus : std::uint8_t {
  Active = 0,     // selling on the dominant marketplace (and wherever else it is present)
  Suspended = 1,  // its dominant-marketplace accounts are suspended; its other channels go on
  Exited = 2,     // out of business
};

inline constexpr std::int32_t kNoWeek = -1;

// Where a seller stands in seeking its forfeited funds back (process 6).
enum class LegalState : std::uint8_t {
  None = 0,        // nothing forfeited
  Claimant = 1,    // funds forfeited this week: decides whether to arbitrate, join a collective, or let go
  Arbitrating = 2,  // filed an individual arbitration, awaiting the award
  SignedUp = 3,    // signed up for its region's collective action, not filed yet
  Member = 4,      // member of a filed collective action, awaiting the award
  Closed = 5,      // won, lost or gave up
};

struct SellerTable {
  // Fixed at set-up. Sellers are laid out in contiguous ranges by category (World::category_begin).
  Column<std::uint8_t> region;               // index into World::region_names
  Column<std::uint8_t> size_class;           // index into kSizeClassNames
  Column<std::uint8_t> rule_breaker;         // 1: breaks platform rules, 0: honest
  Column<std::uint16_t> category;
  Column<std::uint16_t> accounts;            // linked accounts on the dominant marketplace
  Column<Cents> expected_weekly_sales_cents;  // size; also the seller's weight in buyers' choice
  Column<Cents> weekly_fixed_cost_cents;
  Column<float> gross_margin;                // (revenue - cost of goods) / revenue, drawn per business
  Column<Cents> credit_line_cents;
  // Changing week by week.
  Column<SellerStatus> status;
  Column<std::uint8_t> on_alternative;  // present on the alternative marketplace
  Column<std::uint8_t> on_own_store;    // runs its own web store
  // Process 8, decisions. The share of expected sales the business makes directly in its own web store
  // to its own customers, once the store has ramped up (0 without a store); the rest of its expected
  // sales is its weight in the marketplaces' draws (marketplace_weight()).
  Column<float> off_platform_share;
  Column<std::int32_t> own_store_since_week;    // week the store opened; kNoWeek: from the start
  Column<std::int32_t> alternative_since_week;  // week it joined the alternative; kNoWeek: from the start
  Column<float> perceived_risk;                 // its estimate of its weekly suspension probability
  Column<std::int32_t> suspended_week;          // week of its latest suspension, or kNoWeek
  Column<std::uint8_t> diversification_level;   // index into kDiversificationLevelNames, at the start
  Column<Cents> cash_cents;             // the business's own money; negative while it draws on credit
  Column<Cents> held_cents;             // balance the dominant marketplace holds, paid out per cycle
  Column<Cents> alternative_held_cents;  // balance the alternative marketplace holds
  Column<Cents> frozen_cents;           // dominant balance frozen at suspension, until appeal or hold end
  Column<Cents> inventory_cents;        // stock in the dominant platform's warehouses, at cost (goods, not money)
  Column<Cents> revenue_cents[kSellerChannelCount];  // this week's sales by channel, from the demand process
  Column<std::int32_t> appeal_week;      // week the pending appeal is decided, or kNoWeek
  Column<std::int32_t> hold_end_week;    // week the hold on frozen funds ends, or kNoWeek
  Column<std::int32_t> weeks_insolvent;  // consecutive weeks with cash below -credit line
  // The cumulative hazard of its class (World::cumulative_hazard) at which the active business is
  // suspended: an Exp(1) threshold drawn at set-up and after each reinstatement, plus its class's
  // cumulative hazard when it was drawn (sim/process/enforcement.cpp).
  Column<double> suspension_level;
  // Legal remedies (process 6).
  Column<LegalState> legal_state;
  Column<Cents> claim_cents;             // forfeited funds claimed back
  Column<std::int32_t> claim_week;       // the freeze week, from which award interest runs
  Column<std::int32_t> case_end_week;    // week an individual arbitration is decided
  // Outcomes to date, per business, so that each business can be compared with itself in the
  // counterfactual (sim/run/loss.cpp). Flows are added where the processes make them, alongside the
  // week's tally, so that their sums over businesses equal the tallies' sums over weeks.
  Column<Cents> sales_to_date_cents;          // sales in every channel (direct sales included)
  // Operating profit, as WeekTally::profit_cents, but before fixed costs: profit_to_date() (week.hpp)
  // takes them out, for the weeks the business was in business.
  Column<Cents> profit_to_date_cents;
  Column<Cents> diversification_spent_cents;  // set-up and running costs of the other channels
  Column<Cents> frozen_to_date_cents;         // funds frozen, summed over its suspensions
  Column<Cents> forfeited_to_date_cents;      // frozen funds kept by the platform at hold ends
  Column<Cents> written_off_to_date_cents;    // stock lost with forfeited funds, at cost
  Column<Cents> legal_costs_to_date_cents;    // arbitration fees, counsel, collective shares
  Column<Cents> awards_to_date_cents;         // awards received (funds plus interest)
  Column<std::uint16_t> suspensions;          // suspension events (a reinstated business can fall again)
  Column<std::uint16_t> reinstatements;       // successful appeals
  Column<std::int32_t> exit_week;             // week it exited, or kNoWeek
  // The treated set: suspended (at least once) by a wave the counterfactual removes. A suspension is
  // the removed wave's when the account would still stand without that wave's hazard: the same
  // threshold plus the kept cumulative hazard when it was drawn (counterfactual_level) is still above
  // the cumulative hazard of what the counterfactual keeps. For a first suspension this is exactly
  // whether the same business in the counterfactual is still active that week (same threshold, same
  // other hazards).
  Column<std::uint8_t> treated;
  Column<double> counterfactual_level;
  Column<Cents> treated_frozen_cents;         // funds frozen at its first suspension by a removed wave

  SellerTable() = default;
  // Copies every column, the columns on every thread (the counterfactual's copy at the fork).
  SellerTable(const SellerTable& other);
  SellerTable& operator=(const SellerTable& other);
  SellerTable(SellerTable&&) noexcept = default;
  SellerTable& operator=(SellerTable&&) noexcept = default;
  ~SellerTable() = default;

  std::size_t size() const noexcept { return region.size(); }
  void resize(std::size_t count);
  // The seller's weight in the marketplaces' (and web-store shoppers') draws: its expected sales less
  // the share it makes directly to its own customers.
  double marketplace_weight(std::size_t i) const {
    return static_cast<double>(expected_weekly_sales_cents[i]) * (1.0 - static_cast<double>(off_platform_share[i]));
  }
  // Bytes of column storage per seller, for the memory estimate made before a run.
  static std::size_t bytes_per_seller() noexcept;
  // Columns resize() and bytes_per_seller() know (each Column member, arrays counted per element).
  static std::size_t column_count() noexcept;
};

struct BuyerTable {
  Column<Cents> weekly_spend_cents;      // what the agent (all the real buyers it stands for) spends
  Column<std::uint8_t> loyalty_member;   // member of the dominant platform's loyalty programme
  Column<std::uint8_t> last_channel;     // habit: the channel used last week
  Column<float> trust_dominant;          // trust in the dominant marketplace, 0..1
  Column<float> trust_alternative;       // trust in the alternative marketplace, 0..1
  Column<std::uint32_t> followed_seller;  // the seller whose products the buyer prefers
  // Bit 0: a purchase on the dominant marketplace went wrong this week; bit 1: on the alternative.
  // Written concurrently (std::atomic_ref) by the purchase allocation, read at the next week's choice.
  Column<std::uint8_t> bad_purchase_flags;

  std::size_t size() const noexcept { return weekly_spend_cents.size(); }
  void resize(std::size_t count);
  static std::size_t bytes_per_buyer() noexcept;
};

// Sellers' money by kind of account (the seller columns that hold money), in ledger order.
inline constexpr std::size_t kSellerMoneyCount = 4;
inline constexpr const char* kSellerMoneyNames[kSellerMoneyCount] = {"seller_cash", "seller_held_dominant",
                                                                     "seller_held_alternative", "seller_frozen"};

// Accounts outside the sellers: every transfer debits and credits one of these or a seller column.
struct Ledger {
  static constexpr std::size_t kAccountCount = 6;
  // In member order; the output's ledger axis is kSellerMoneyNames followed by these.
  static constexpr const char* kAccountNames[kAccountCount] = {
      "outside", "platform_fees", "platform_forfeited", "platform_first_party_sales", "alternative_fees",
      "payment_processor_fees"};
  Cents outside_cents = 0;                  // buyers, suppliers, lenders, advertisers: the rest of the economy
  Cents platform_fees_cents = 0;            // dominant marketplace's referral fees
  Cents platform_forfeited_cents = 0;       // seller funds the dominant marketplace kept
  Cents platform_first_party_sales_cents = 0;  // the dominant platform's physical-store sales
  Cents alternative_fees_cents = 0;         // alternative marketplace's referral fees
  Cents payment_processor_fees_cents = 0;

  void add(const Ledger& other);
  Cents total() const;
  // The balances in kAccountNames order.
  std::array<Cents, kAccountCount> balances() const {
    return {outside_cents,          platform_fees_cents,
            platform_forfeited_cents, platform_first_party_sales_cents,
            alternative_fees_cents, payment_processor_fees_cents};
  }
};

// Caches derived from the sellers' state for the demand process: who can be bought from where.
// alias[channel * categories + category] holds the pair's members (businesses listed there and not
// exited; suspended ones stay members), weighted by expected sales. A purchase draws from it and
// redraws while it hits a seller that cannot sell now, which samples exactly in proportion among those
// who can; so a suspension or a reinstatement changes no table, and a table is rebuilt only when
// members were added, or to drop departed ones every so often.
struct Market {
  std::vector<AliasTable> alias;
  // Flags per pair, set through std::atomic_ref from parallel loops: a member left (rebuild when due)
  // or joined or draws kept failing (rebuild before the next purchases).
  std::vector<std::uint8_t> member_left, member_joined, rebuild_now;
  std::vector<std::int32_t> built_week;
  // Businesses able to sell in each seller channel, and businesses not exited, as last observed: the
  // assortment buyers see.
  std::int64_t present[kSellerChannelCount] = {};
  std::int64_t businesses = 0;
  // Draws a purchase's category by the categories' shares of expected sales.
  AliasTable category_of_purchase;
  // What sellers deciding on channels (process 8) and buyers see of last week: sales by channel, the
  // summed marketplace weight of the businesses able to sell on the alternative marketplace and in own
  // web stores (none before week 0 ends: nobody reviews in week 0), and each home region's share of
  // businesses suspended in the week.
  Cents sales_cents[kChannelCount] = {};
  Cents present_weight_cents[kSellerChannelCount] = {};
  std::vector<double> region_suspension_rate;
  // Sellers' direct sales to their own customers come out of buyers' spend: buyers' marketplace spend
  // is their spend times this factor, 1 - (direct sales last week) / (all buyers' spend).
  double marketplace_spend_factor = 1.0;
  Cents direct_sales_cents = 0;  // last week's direct sales
  Cents buyers_spend_cents = 0;  // all buyer agents' weekly spend, fixed at set-up
};

// A home region's collective action (mass arbitration): sign-ups accumulate until enough have joined,
// then it is filed, and decided after its duration; later claimants start the next one.
struct Collective {
  std::int64_t signed_up = 0;
  std::int32_t filed_week = kNoWeek;
  std::int32_t decision_week = kNoWeek;
  std::int32_t ordinal = 0;  // the region's collective actions decided before this one (keys its outcome draw)
};

struct LegalRecord {
  std::int64_t wins = 0;  // arbitrations won so far, individual and collective: the precedent
  std::vector<Collective> collectives;  // by region
};

struct World {
  std::uint64_t seed = 0;
  std::int64_t replication = 0;
  std::int32_t weeks_stepped = 0;  // weeks of the run this world has been through (Replication::step)
  // Process 4's hazards summed over the weeks stepped (through the current week once its events are
  // applied), by slot (WeekPolicy::slot): the background's, a linked account's, and of that the part
  // the counterfactual keeps. Infinite weekly hazards are left out: everyone exposed falls in such a
  // week (sim/process/enforcement.cpp).
  std::vector<double> cumulative_business_hazard;
  std::vector<double> cumulative_account_hazard;
  std::vector<double> cumulative_kept_account_hazard;
  std::vector<std::string> region_names;
  int categories = 1;
  std::vector<std::uint32_t> category_begin;  // sellers of category c are [category_begin[c], category_begin[c+1])
  SellerTable sellers;
  BuyerTable buyers;
  Ledger ledger;
  Market market;
  LegalRecord legal;

  // Sum of every account; 0 in every week of every run (money is only transferred).
  Cents total_money_cents() const;
  // Flags the market tables of the seller's category: it left every channel (exit), or it joined one
  // (it enters the draws at the table's next rebuild, at most kJoinWeeks later: see Demand).
  void mark_left_market(std::size_t seller);
  void mark_joined_market(std::size_t seller, Channel channel);
  // Flags every table the seller is listed in as due for a rebuild at the next compaction: its weight in
  // them changed (a stale weight for a few weeks costs less than rebuilding every week).
  void mark_weight_changed(std::size_t seller);
};

// A fresh suspension threshold for a seller from the given week's enforcement stream.
double draw_suspension_threshold(std::uint64_t seed, std::int64_t replication, std::size_t seller, std::int32_t week);

// The size class of a business with these annual sales.
std::uint8_t size_class_of(double annual_sales_usd);

}  // namespace sellershock
