// Process 5, appeals and holds: an appeal reinstates the account and releases its funds, or fails; when
// the hold ends the frozen funds are released or forfeited by policy, forfeiture being far likelier for
// rule-breakers. Forfeited funds take the stock in the warehouses with them (written off); released
// funds come with the stock returned, which the business sells off at cost.
#include <algorithm>

#include "process/week.hpp"
#include "state/random.hpp"

namespace sellershock {

namespace {

// Seller i's appeal decision and hold end, if either falls in this week.
void resolve(const WeekContext& context, std::size_t i, WeekTally& tally) {
  const EnforcementSpec& spec = context.scenario.enforcement;
  const std::int32_t week = context.policy.week;
  World& world = context.world;
  SellerTable& sellers = world.sellers;
  Ledger& flows = tally.ledger_delta;
  const bool appeal_due = sellers.appeal_week[i] == week;
  const bool hold_ends = sellers.hold_end_week[i] == week;
  if (!appeal_due && !hold_ends) return;
  // An appeal or a hold's end changes its status or its frozen funds: its part of the stocks is taken
  // out here and put back when the seller is done with (the two exits below).
  count_stocks(sellers, i, -1, tally);
  const std::size_t group = group_of(sellers, i);
  const bool rule_breaker = sellers.rule_breaker[i] != 0;

  if (appeal_due) {
    sellers.appeal_week[i] = kNoWeek;
    // Keyed by the suspension it decides, not the week it is decided: a longer appeal_weeks moves the
    // decision but keeps its draw (common random numbers across sweep points, docs/SWEEPS.md).
    RandomStream stream(world.seed, static_cast<std::uint64_t>(world.replication), i, sellers.suspended_week[i],
                        Purpose::Appeal);
    const double success = rule_breaker ? spec.appeal_success_probability_rule_breaker
                                        : spec.appeal_success_probability_honest;
    if (stream.uniform() < success) {
      sellers.status[i] = SellerStatus::Active;
      // The new threshold is keyed by the suspension the reinstatement ends, not the week of the
      // reinstatement: a different appeal_weeks moves the reinstatement but keeps the draw (MODEL.md §9).
      // It is worn down from next week on, at the reinstated business's exposure: its levels start from
      // its class's cumulative hazards through this week (process 4).
      const double threshold = draw_suspension_threshold(world.seed, world.replication, i, sellers.suspended_week[i]);
      sellers.reinstatements[i] += 1;
      const std::size_t k = slot_of(sellers, i);
      const double linked = linked_exposure(spec, sellers.accounts[i], true);
      sellers.suspension_level[i] = threshold + cumulative_hazard(world, k, linked);
      sellers.counterfactual_level[i] = threshold + cumulative_kept_hazard(world, k, linked);
      tally.reinstated.push_back(static_cast<std::uint32_t>(i));  // filed in the queue after the week
      tally.reinstated_cents[group] += sellers.frozen_cents[i];
      transfer(sellers.frozen_cents[i], sellers.cash_cents[i], sellers.frozen_cents[i]);
      sellers.hold_end_week[i] = kNoWeek;
      count_stocks(sellers, i, 1, tally);
      return;
    }
  }
  if (hold_ends) {
    sellers.hold_end_week[i] = kNoWeek;
    // Keyed by the suspension whose hold ends, not the week it ends: a longer hold_days moves the release
    // or forfeiture but keeps its draw (common random numbers across sweep points, docs/SWEEPS.md).
    RandomStream stream(world.seed, static_cast<std::uint64_t>(world.replication), i, sellers.suspended_week[i],
                        Purpose::HoldOutcome);
    const double forfeit = rule_breaker ? spec.forfeit_probability_rule_breaker : spec.forfeit_probability_honest;
    if (stream.uniform() < forfeit) {
      tally.forfeited_cents[group] += sellers.frozen_cents[i];
      // The forfeited funds become a claim the seller may pursue (process 6), with interest from the
      // freeze date.
      if (sellers.frozen_cents[i] > 0 && sellers.legal_state[i] != LegalState::Arbitrating &&
          sellers.legal_state[i] != LegalState::SignedUp && sellers.legal_state[i] != LegalState::Member) {
        sellers.legal_state[i] = LegalState::Claimant;
        sellers.claim_cents[i] = sellers.frozen_cents[i];
        sellers.claim_week[i] = sellers.suspended_week[i];  // interest runs from the freeze
      }
      sellers.forfeited_to_date_cents[i] += sellers.frozen_cents[i];
      sellers.written_off_to_date_cents[i] += sellers.inventory_cents[i];
      transfer(sellers.frozen_cents[i], flows.platform_forfeited_cents, sellers.frozen_cents[i]);
      tally.inventory_written_off_cents[group] += sellers.inventory_cents[i];
    } else {
      tally.released_cents[group] += sellers.frozen_cents[i];
      transfer(sellers.frozen_cents[i], sellers.cash_cents[i], sellers.frozen_cents[i]);
      transfer(flows.outside_cents, sellers.cash_cents[i], sellers.inventory_cents[i]);
    }
    sellers.inventory_cents[i] = 0;
  }
  count_stocks(sellers, i, 1, tally);
}

}  // namespace

void resolve_appeals_and_holds(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally) {
  // The sellers due this week, when the step function listed them: few, against every seller a scan reads.
  if (context.due) {
    const std::vector<std::uint32_t>& due = *context.due;
    for (auto it = std::lower_bound(due.begin(), due.end(), begin); it != due.end() && *it < end; ++it)
      resolve(context, *it, tally);
    return;
  }
  // The scan reads two columns of every seller; through local pointers, since the rare decisions store
  // to byte columns (status, legal state), which may alias anything, and the compiler would otherwise
  // reload both columns' addresses from the table in every iteration.
  const std::int32_t week = context.policy.week;
  const std::int32_t* const appeal_week = context.world.sellers.appeal_week.data();
  const std::int32_t* const hold_end_week = context.world.sellers.hold_end_week.data();
  for (std::size_t i = begin; i < end; ++i)
    if (appeal_week[i] == week || hold_end_week[i] == week) resolve(context, i, tally);
}

}  // namespace sellershock
