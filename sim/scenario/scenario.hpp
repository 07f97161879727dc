// The typed, immutable description of one scenario. Built only by load_scenario() (loader.hpp),
// which validates every field against the parameter table (parameters.hpp); the model reads it and
// never changes it during a run (time-varying policy is an event, e.g. a suspension wave).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenario/date.hpp"

namespace sellershock {

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
  double weekly_sales_sigma = 0.3;                  // log-sd of one week's sales around the mean
  double rule_breaker_share = 0.1;                  // share of businesses that break platform rules
  double gross_margin = 0.35;                       // (revenue - cost of goods) / revenue
  double fixed_cost_share = 0.2;                    // fixed costs as a share of expected revenue
  double cash_buffer_weeks = 8.0;                   // opening cash, in weeks of expected costs
  double credit_line_weeks = 4.0;                   // credit line, in weeks of expected costs
  int insolvency_weeks = 4;                         // weeks beyond the credit line before exit
  double off_platform_share = 0.1;                  // share of sales on the seller's own web store
  friend bool operator==(const SellerSpec&, const SellerSpec&) = default;
};

// The dominant marketplace: fees, payout cycle and reserve.
struct MarketplaceSpec {
  double referral_fee = 0.15;   // share of revenue
  int payout_cycle_days = 14;   // balance paid out every this many days
  int reserve_days = 7;         // sales of the last this many days are held back at payout
  friend bool operator==(const MarketplaceSpec&, const MarketplaceSpec&) = default;
};

// Sellers' own web stores: no platform operator, a payment processor fee instead.
struct OwnStoreSpec {
  double payment_fee = 0.03;  // share of revenue
  friend bool operator==(const OwnStoreSpec&, const OwnStoreSpec&) = default;
};

struct ChannelsSpec {
  MarketplaceSpec dominant;
  OwnStoreSpec own_store;
  friend bool operator==(const ChannelsSpec&, const ChannelsSpec&) = default;
};

// A scheduled mass suspension on the dominant marketplace.
struct WaveSpec {
  std::string name;
  Date start;
  Date end;                                 // inclusive
  std::vector<std::string> target_regions;  // empty: every region
  double recall = 0.5;                      // share of targeted rule-breakers suspended over the wave
  double false_positive_rate = 0.02;        // share of targeted honest sellers suspended over the wave
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
  friend bool operator==(const EnforcementSpec&, const EnforcementSpec&) = default;
};

// What the counterfactual run removes, e.g. "enforcement.waves.china-2021".
struct CounterfactualSpec {
  std::vector<std::string> remove;
  friend bool operator==(const CounterfactualSpec&, const CounterfactualSpec&) = default;
};

struct Scenario {
  std::string name = "unnamed";
  Date start_date = Date::from_ymd(2021, 1, 4);
  int weeks = 52;
  int replications = 8;
  std::uint64_t seed = 1;
  SellerSpec sellers;
  ChannelsSpec channels;
  EnforcementSpec enforcement;
  CounterfactualSpec counterfactual;
  friend bool operator==(const Scenario&, const Scenario&) = default;
};

}  // namespace sellershock
