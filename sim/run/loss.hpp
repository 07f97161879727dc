// The loss decomposition of one replication: the scenario's World against its counterfactual's at the
// end of the run, business by business (both worlds hold the same businesses, drawn from the same
// random numbers). DESIGN.md §2 "Losses and counterfactuals"; definitions in docs/MODEL.md.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "state/money.hpp"
#include "state/world.hpp"

namespace sellershock {

// Components of the loss to a business, in the order of the output's "component" axis. Each is the
// scenario's outcome minus the counterfactual's for the same business (a gain counts negative):
//  frozen_not_recovered   funds forfeited at hold ends plus funds still frozen at the end
//  profit_lost            operating profit (sales - fees - goods - fixed costs - acquisition), counterfactual minus scenario
//  inventory_written_off  stock in the platform's warehouses lost with forfeited funds, at cost
//  legal_costs_net        legal costs paid minus awards received (awards return forfeited funds plus interest)
//  diversification_spend  set-up and running costs of the alternative marketplace and web stores
inline constexpr std::size_t kLossComponentCount = 5;
inline constexpr const char* kLossComponentNames[kLossComponentCount] = {
    "frozen_not_recovered", "profit_lost", "inventory_written_off", "legal_costs_net", "diversification_spend"};

struct LossBreakdown {
  std::size_t groups = 0;  // region * kSizeClassCount + size class
  // The headline: the treated businesses (suspended by a removed wave) each against itself.
  std::vector<Cents> to_suspended_by_group;  // [component * groups + group]
  std::array<Cents, kLossComponentCount> to_suspended_by_component{};
  Cents to_suspended_cents = 0;                      // the sum of either of the above, to the cent
  std::vector<std::int64_t> exits_caused_by_group;   // treated: exited in the scenario minus in the counterfactual
  std::int64_t exits_caused = 0;
  std::vector<std::int64_t> treated_by_group;        // treated businesses
  std::int64_t treated_businesses = 0;
  std::int64_t treated_accounts = 0;                 // their linked accounts
  Cents treated_frozen_cents = 0;                    // frozen at their first suspension by a removed wave
  Cents treated_sales_lost_cents = 0;                // their sales, counterfactual minus scenario
  // Of the treated, the rule-breakers never reinstated (the platform's "permanently banned"), and their
  // accounts; and the treated that are honest (wrongly suspended).
  std::int64_t treated_banned_rule_breakers = 0;
  std::int64_t treated_banned_rule_breaker_accounts = 0;
  std::int64_t treated_honest = 0;
  // Beside the headline, never netted into it.
  Cents spillover_gain_cents = 0;      // what businesses not treated gained: minus their summed loss
  Cents platform_retained_cents = 0;   // forfeited minus awards paid back, scenario minus counterfactual
  Cents net_loss_all_sellers_cents = 0;  // to_suspended - spillover_gain: the loss summed over every business
  // The scenario's suspensions: distinct businesses ever suspended, and suspension events.
  std::int64_t businesses_suspended_distinct = 0;
  std::int64_t suspension_events = 0;
};

// Compares the two worlds at the end of a replication. Both must hold the same businesses (the
// counterfactual forked from the scenario). Throws std::invalid_argument when they do not.
LossBreakdown measure_loss(const World& scenario, const World& counterfactual);

// One business's loss by component (scenario minus counterfactual, as above).
std::array<Cents, kLossComponentCount> business_loss(const World& scenario, const World& counterfactual, std::size_t i);

}  // namespace sellershock
