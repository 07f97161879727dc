// Process 5, appeals and holds: an appeal reinstates the account and releases its funds, or fails;
// when the hold ends the frozen funds are released or forfeited by policy, forfeiture being far likelier
// for rule-breakers.
#include "process/week.hpp"
#include "state/random.hpp"

namespace sellershock {

void resolve_appeals_and_holds(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally) {
  const EnforcementSpec& spec = context.scenario.enforcement;
  const std::int32_t week = context.policy.week;
  SellerTable& sellers = context.world.sellers;
  Ledger& flows = tally.ledger_delta;
  for (std::size_t i = begin; i < end; ++i) {
    const bool appeal_due = sellers.appeal_week[i] == week;
    const bool hold_ends = sellers.hold_end_week[i] == week;
    if (!appeal_due && !hold_ends) continue;
    const std::uint8_t region = sellers.region[i];
    const bool rule_breaker = sellers.rule_breaker[i] != 0;

    if (appeal_due) {
      sellers.appeal_week[i] = kNoWeek;
      RandomStream stream(context.world.seed, static_cast<std::uint64_t>(context.world.replication), i, week,
                          Purpose::Appeal);
      const double success = rule_breaker ? spec.appeal_success_probability_rule_breaker
                                          : spec.appeal_success_probability_honest;
      if (stream.uniform() < success) {
        if (sellers.status[i] == SellerStatus::Suspended) {
          sellers.status[i] = SellerStatus::Active;
          sellers.suspension_threshold[i] =
              draw_suspension_threshold(context.world.seed, context.world.replication, i, week);
        }
        tally.reinstated_cents[region] += sellers.frozen_cents[i];
        transfer(sellers.frozen_cents[i], sellers.cash_cents[i], sellers.frozen_cents[i]);
        sellers.hold_end_week[i] = kNoWeek;
        continue;
      }
    }
    if (hold_ends) {
      sellers.hold_end_week[i] = kNoWeek;
      RandomStream stream(context.world.seed, static_cast<std::uint64_t>(context.world.replication), i, week,
                          Purpose::HoldOutcome);
      const double forfeit =
          rule_breaker ? spec.forfeit_probability_rule_breaker : spec.forfeit_probability_honest;
      if (stream.uniform() < forfeit) {
        tally.forfeited_cents[region] += sellers.frozen_cents[i];
        transfer(sellers.frozen_cents[i], flows.platform_forfeited_cents, sellers.frozen_cents[i]);
      } else {
        tally.released_cents[region] += sellers.frozen_cents[i];
        transfer(sellers.frozen_cents[i], sellers.cash_cents[i], sellers.frozen_cents[i]);
      }
    }
  }
}

}  // namespace sellershock
