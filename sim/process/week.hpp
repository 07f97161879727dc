// What the processes of one week share: the scenario, the week's policy (from the events process),
// and a tally of the week's aggregates. Each process is a function over a contiguous block of sellers
// [begin, end), so that the step function runs all of them on one block while it is in cache, and
// blocks run in parallel (sim/run/step.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "scenario/scenario.hpp"
#include "state/money.hpp"
#include "state/world.hpp"

namespace sellershock {

// The channels that appear in the output, in output order.
enum class Channel : std::uint8_t { Dominant = 0, OwnStore = 1 };
inline constexpr std::size_t kChannelCount = 2;
inline constexpr const char* kChannelNames[kChannelCount] = {"dominant", "own_store"};

// Policy in force this week, set by apply_events().
struct WeekPolicy {
  std::int32_t week = 0;
  bool payout_due = false;
  // Probability that an active account is suspended this week, by [region][rule_breaker], and the same
  // as a hazard, -log(1 - probability), which enforcement subtracts from each seller's threshold.
  std::vector<double> suspension_probability;  // region * 2 + rule_breaker
  std::vector<double> suspension_hazard;
  double suspension_probability_for(std::uint8_t region, std::uint8_t rule_breaker) const {
    return suspension_probability[static_cast<std::size_t>(region) * 2 + rule_breaker];
  }
  double suspension_hazard_for(std::uint8_t region, std::uint8_t rule_breaker) const {
    return suspension_hazard[static_cast<std::size_t>(region) * 2 + rule_breaker];
  }
};

// Aggregates of one week, summed over sellers. Integer sums: the same in any order of addition.
struct WeekTally {
  // Per region.
  std::vector<std::int64_t> active_sellers, suspended_sellers, exited_sellers;
  std::vector<std::int64_t> new_suspensions, new_exits;
  std::vector<Cents> frozen_stock_cents, newly_frozen_cents, released_cents, reinstated_cents, forfeited_cents;
  // Per channel.
  Cents sales_cents[kChannelCount] = {};
  Cents fees_cents[kChannelCount] = {};
  // Flows to and from the ledger accounts other than sellers, summed here and applied once per week.
  Ledger ledger_delta;

  explicit WeekTally(std::size_t regions = 0);
  void clear();
  void add(const WeekTally& other);
};

struct WeekContext {
  const Scenario& scenario;
  World& world;
  const WeekPolicy& policy;
};

// The processes of DESIGN.md §2, in step order. Each touches sellers [begin, end) only.
void sell(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally);
void pay_out(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally);
void enforce(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally);
void resolve_appeals_and_holds(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally);
void settle_finances(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally);
void observe(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally);

// Process 1: the week's policy from the scenario's dated events (suspension waves, payout cycle).
WeekPolicy apply_events(const Scenario& scenario, const World& world, std::int32_t week);

}  // namespace sellershock
