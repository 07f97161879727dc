// Process 4, enforcement: background suspensions and waves. A suspended account sells nothing on the
// dominant marketplace and the balance it holds is frozen.
#include "process/week.hpp"
#include "state/random.hpp"

namespace sellershock {

namespace {
constexpr std::int32_t weeks_from_days(int days) { return (days + 6) / 7; }
}  // namespace

void enforce(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally) {
  const EnforcementSpec& spec = context.scenario.enforcement;
  const std::int32_t week = context.policy.week;
  SellerTable& sellers = context.world.sellers;
  for (std::size_t i = begin; i < end; ++i) {
    if (sellers.status[i] != SellerStatus::Active) continue;
    // One uniform per seller and week, whatever the policy: a counterfactual without the wave draws
    // the same number and suspends a subset of the same sellers (common random numbers).
    RandomStream stream(context.world.seed, static_cast<std::uint64_t>(context.world.replication), i, week,
                        Purpose::Suspension);
    const double probability = context.policy.suspension_probability_for(sellers.region[i], sellers.rule_breaker[i]);
    if (!(stream.uniform() < probability)) continue;

    sellers.status[i] = SellerStatus::Suspended;
    const Cents frozen = sellers.held_cents[i];
    transfer(sellers.held_cents[i], sellers.frozen_cents[i], frozen);
    sellers.appeal_week[i] = week + spec.appeal_weeks;
    sellers.hold_end_week[i] = week + weeks_from_days(spec.hold_days);
    tally.new_suspensions[sellers.region[i]] += 1;
    tally.newly_frozen_cents[sellers.region[i]] += frozen;
  }
}

}  // namespace sellershock
