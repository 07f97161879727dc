// The typed, immutable description of one scenario. Built only by load_scenario() (loader.hpp),
// which validates every field against the parameter table (parameters.hpp); the model reads it and
// never changes it during a run (time-varying policy is an event, e.g. a suspension wave).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "scenario/date.hpp"

namespace sellershock {

// Size classes of seller businesses by annual sales in USD: [0, 100k), [100k, 1M), [1M, 10M), [10M, ...).
inline constexpr std::size_t kSizeClassCount = 4;
inline constexpr const char* kSizeClassNames[kSizeClassCount] = {"under-100k", "100k-1M", "1M-10M", "over-10M"};
inline constexpr double kSizeClassLowerBoundsUsd[kSizeClassCount] = {0.0, 1e5, 1e6, 1e7};

// A lognormal distribution given by its median and the standard deviation of its logarithm.
struct LognormalSpec {
  double median = 1.0;
  double sigma = 0.0;
  friend bool operator==(const LognormalSpec&, const LognormalSpec&) = default;
};

struct RegionShare {
  std::string region;  // e.g. "CN-Shenzhen"
  double share = 0.0;  // of seller businesses; shares sum to 1
  friend bool operator==(const RegionShare&, const RegionShare&) = default;
};

struct SellerSpec {
  std::int64_t count = 2000;
  std::vector<RegionShare> region_shares;          // order defines the region axis of the output
  LognormalSpec annual_sales_usd{60000.0, 1.9};     // size of a business
  int categories = 100;                             // product categories; buyers buy within one per purchase
  double accounts_per_million_usd = 2.0;            // linked accounts beyond the first, per $1M of annual sales
  int max_accounts = 500;                           // accounts of the largest businesses
  double inventory_weeks = 8.0;                     // stock in the platform's warehouses, in weeks of goods cost
  double alternative_share = 0.1;                   // share of businesses also on the alternative marketplace
  double own_store_share = 0.2;                     // share of businesses with their own web store
  double off_platform_sales_share = 0.15;           // of a store owner's expected sales, made directly there
  std::int64_t scale = 1;                           // real businesses (and buyers) each simulated one stands for
  double rule_breaker_share = 0.1;                  // share of businesses that break platform rules
  // Relative propensity to break the rules by size class (kSizeClassNames order): a business of class c is a
  // rule-breaker with probability rule_breaker_share x rule_breaker_share_factor[c] (at most 1, rules.cpp).
  std::array<double, kSizeClassCount> rule_breaker_share_factor{1.0, 1.0, 1.0, 1.0};
  double gross_margin = 0.35;                       // (revenue - cost of goods) / revenue
  double fixed_cost_share = 0.1;                    // fixed costs as a share of expected revenue
  double cash_buffer_weeks = 8.0;                   // opening cash, in weeks of expected costs
  double credit_line_weeks = 4.0;                   // credit line, in weeks of expected costs
  int insolvency_weeks = 4;                         // weeks beyond the credit line before exit
  // Financial heterogeneity (drawn per business at set-up, so that businesses do not run out of cash
  // together): the means stay gross_margin, fixed_cost_share and cash_buffer_weeks.
  double gross_margin_sd = 0.08;                    // sd of a business's gross margin (normal, clamped)
  double fixed_cost_sigma = 0.5;                    // log-sd of its fixed-cost share (lognormal)
  double cash_buffer_sigma = 0.8;                   // log-sd of its opening cash in weeks of costs (lognormal)
  double credit_kept_while_frozen = 0.0;            // share of its credit line lenders keep while funds are frozen
  friend bool operator==(const SellerSpec&, const SellerSpec&) = default;
};

// What buyers see of a channel in their choice (multinomial logit).
struct ChannelAppealSpec {
  double preference = 0.0;     // alternative-specific constant of the logit
  double price_index = 1.0;    // price level relative to the dominant marketplace
  double delivery_days = 2.0;  // typical delivery time
  friend bool operator==(const ChannelAppealSpec&, const ChannelAppealSpec&) = default;
};

// A marketplace (the dominant one or the alternative): fees, payout cycle and reserve.
struct MarketplaceSpec {
  ChannelAppealSpec appeal;
  double referral_fee = 0.15;   // share of revenue
  int payout_cycle_days = 14;   // balance paid out every this many days
  int reserve_days = 7;         // sales of the last this many days are held back at payout
  friend bool operator==(const MarketplaceSpec&, const MarketplaceSpec&) = default;
};

// Sellers' own web stores: no platform operator; payment processing and paid customer acquisition.
struct OwnStoreSpec {
  ChannelAppealSpec appeal{-1.0, 1.0, 5.0};
  double payment_fee = 0.03;              // share of revenue
  double acquisition_cost_share = 0.08;   // advertising to bring buyers, share of revenue
  friend bool operator==(const OwnStoreSpec&, const OwnStoreSpec&) = default;
};

// The dominant platform's physical stores: first-party sales, no third-party sellers.
struct PhysicalStoreSpec {
  ChannelAppealSpec appeal{-3.0, 1.05, 0.0};
  friend bool operator==(const PhysicalStoreSpec&, const PhysicalStoreSpec&) = default;
};

struct ChannelsSpec {
  MarketplaceSpec dominant;
  MarketplaceSpec alternative{{-1.5, 1.0, 4.0}, 0.15, 14, 7};
  OwnStoreSpec own_store;
  PhysicalStoreSpec physical_store;
  // Days from sale to delivery that the dominant marketplace's reserve waits for (DD+7: the reserve runs
  // to 7 days after delivery); key channels.dominant.seller_delivery_days. Only the dominant marketplace
  // has it: the alternative's reserve is not modelled this way.
  int dominant_seller_delivery_days = 0;
  friend bool operator==(const ChannelsSpec&, const ChannelsSpec&) = default;
};

// What a platform event opens (the words of platform.events[].kind).
inline constexpr const char* kFulfilmentCentres = "fulfilment_centres";
inline constexpr const char* kStores = "stores";

// A dated investment of the dominant platform in what buyers see: fulfilment centres (e.g. converted
// shopping malls) that shorten its marketplace's delivery time, or physical stores.
struct PlatformEventSpec {
  std::string name;
  std::string kind = kFulfilmentCentres;  // kFulfilmentCentres or kStores
  Date start;
  int count = 0;       // centres or stores opened
  int ramp_weeks = 0;  // they come into use linearly over this many weeks from start; 0: all at once
  friend bool operator==(const PlatformEventSpec&, const PlatformEventSpec&) = default;
};

// The dominant platform's investment path (process 1) and what each facility does for buyers.
struct PlatformSpec {
  double delivery_days_saved_per_fulfilment_centre = 0.01;  // off the dominant marketplace's delivery_days
  double store_preference_per_store = 0.001;                // onto the physical stores' logit constant
  std::vector<PlatformEventSpec> events;
  friend bool operator==(const PlatformSpec&, const PlatformSpec&) = default;
};

// Buyer agents, each standing for many real buyers, and how they choose a channel.
struct BuyerSpec {
  std::int64_t count = 20000;              // simulated buyer agents
  int purchases_per_week = 2;              // a buyer's weekly spend is split into this many purchases
  double spend_sigma = 1.0;                // log-sd of weekly spend across buyers
  double loyalty_member_share = 0.6;       // share in the dominant platform's loyalty programme
  double follow_probability = 0.3;         // a purchase goes to the buyer's followed seller if it can
  double follow_across_channels_probability = 0.5;  // ... and to its other channel when it is suspended
  double price_coefficient = -4.0;         // logit utility per unit of price index
  double delivery_coefficient_per_day = -0.15;
  double assortment_coefficient = 0.5;     // per unit of log share of sellers present
  double habit_coefficient = 1.5;          // for the channel used last week
  double membership_coefficient = 1.0;     // members, for the dominant platform's channels
  double trust_coefficient = 2.0;          // per unit of trust in a marketplace (0..1)
  double bad_purchase_probability = 0.05;  // a purchase from a rule-breaker goes wrong
  double trust_loss_per_bad_purchase = 0.2;
  double trust_recovery_per_week = 0.02;   // share of the gap to full trust recovered each week
  friend bool operator==(const BuyerSpec&, const BuyerSpec&) = default;
};

// A scheduled mass suspension on the dominant marketplace.
struct WaveSpec {
  std::string name;
  Date start;
  Date end;                                 // inclusive
  std::vector<std::string> target_regions;       // empty: every region
  std::vector<std::string> target_size_classes;  // empty: every size class (kSizeClassNames)
  double recall = 0.5;                      // share of targeted rule-breakers' accounts caught over the wave
  double false_positive_rate = 0.02;        // share of targeted honest sellers' accounts caught over the wave
  friend bool operator==(const WaveSpec&, const WaveSpec&) = default;
};

struct EnforcementSpec {
  double background_hazard_honest_per_week = 0.0002;
  double background_hazard_rule_breaker_per_week = 0.002;
  std::vector<WaveSpec> waves;
  int hold_days = 90;                              // frozen funds are held this long, then released or forfeited
  int appeal_weeks = 3;                            // an appeal is decided this many weeks after suspension
  double appeal_success_probability_honest = 0.5;
  double appeal_success_probability_rule_breaker = 0.05;
  double forfeit_probability_honest = 0.05;        // at the end of the hold, for an unsuccessful appeal
  double forfeit_probability_rule_breaker = 0.8;
  // The hold is a dated policy: businesses suspended on or after later_hold_from are held later_hold_days
  // (FACTS.md: about 90 days, 60 days from late 2024).
  Date later_hold_from = Date::from_ymd(2024, 10, 1);
  int later_hold_days = 60;
  // Share of a wave's hazard a business reinstated on appeal faces afterwards: 0, the platform does
  // not suspend again a business it has just reinstated; 1, it is exposed like any other.
  double reinstated_wave_exposure = 0.0;
  friend bool operator==(const EnforcementSpec&, const EnforcementSpec&) = default;
};

// Process 6: individual arbitration, collective action (mass arbitration) and precedent.
struct LegalSpec {
  double arbitration_filing_fee_usd = 3000.0;     // FACTS.md: AAA expedited procedure about $3,000 (W)
  double arbitration_counsel_cost_usd = 60000.0;  // FACTS.md: a full arbitration "$60k+" (W)
  int arbitration_duration_weeks = 52;
  double win_probability = 0.3;                   // before any precedent
  double award_interest_per_year = 0.12;          // simple interest from the freeze date (FACTS.md)
  int collective_min_members = 100;               // a region's collective action forms with this many
  double collective_cost_per_member_usd = 2000.0;
  int collective_duration_weeks = 78;
  double collective_join_probability = 0.3;       // before any precedent
  double precedent_effect = 0.0;  // share of the gap to certainty each win closes, for win and join odds
  friend bool operator==(const LegalSpec&, const LegalSpec&) = default;
};

// Process 8: sellers' channel decisions (diversification) and what they learn about suspension risk.
struct DiversificationSpec {
  int review_weeks = 13;                     // a business reviews its channels every this many weeks; 0: never
  double risk_learning_rate = 0.1;           // weight of the latest week in its perceived suspension risk
  int ramp_weeks = 26;                       // a new channel reaches its full sales over this many weeks
  int horizon_weeks = 104;                   // set-up costs are spread over this many weeks in the decision
  double own_store_setup_cost_usd = 1500.0;
  double own_store_running_cost_usd_per_week = 10.0;
  double alternative_setup_cost_usd = 1000.0;
  double alternative_running_cost_usd_per_week = 25.0;
  friend bool operator==(const DiversificationSpec&, const DiversificationSpec&) = default;
};

// What the counterfactual run removes, e.g. "enforcement.waves.china-2021".
struct CounterfactualSpec {
  std::vector<std::string> remove;
  friend bool operator==(const CounterfactualSpec&, const CounterfactualSpec&) = default;
};

// Observed figures the run is compared with (data/calibration_targets.csv).
struct CalibrationSpec {
  std::string targets_file = "../data/calibration_targets.csv";  // relative to the scenario file
  std::vector<std::string> targets;                               // ids of rows in that file
  friend bool operator==(const CalibrationSpec&, const CalibrationSpec&) = default;
};

struct Scenario {
  std::string name = "unnamed";
  Date start_date = Date::from_ymd(2021, 1, 4);
  int weeks = 52;
  int replications = 8;
  std::uint64_t seed = 1;
  SellerSpec sellers;
  BuyerSpec buyers;
  ChannelsSpec channels;
  PlatformSpec platform;
  EnforcementSpec enforcement;
  LegalSpec legal;
  DiversificationSpec diversification;
  CounterfactualSpec counterfactual;
  CalibrationSpec calibration;
  friend bool operator==(const Scenario&, const Scenario&) = default;
};

}  // namespace sellershock
