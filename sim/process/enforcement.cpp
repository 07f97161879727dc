// Process 4, enforcement: background suspensions and waves. A business falls with the first of its
// linked accounts caught, and all of them fall together: its dominant-marketplace balance is frozen
// and its stock in the platform's warehouses is held with it. Its other channels go on.
#include "process/week.hpp"

namespace sellershock {

namespace {
constexpr std::int32_t weeks_from_days(int days) { return (days + 6) / 7; }
}  // namespace

void enforce(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally) {
  const EnforcementSpec& spec = context.scenario.enforcement;
  const std::int32_t week = context.policy.week;
  SellerTable& sellers = context.world.sellers;
  // The hold is dated: from later_hold_from on, suspended businesses are held later_hold_days.
  const bool later = !(context.scenario.start_date.plus_days(7 * week) < spec.later_hold_from);
  const int hold_days = later ? spec.later_hold_days : spec.hold_days;
  for (std::size_t i = begin; i < end; ++i) {
    if (sellers.status[i] != SellerStatus::Active) continue;
    // The account falls when the hazard accumulated since its threshold was drawn exceeds it: the same
    // as a weekly Bernoulli draw with the week's probability, but without a random number per seller
    // and week, and monotone under common random numbers (less hazard: suspended later, or never).
    // A business reinstated on appeal faces only a share of the waves' hazard (an explicit rule:
    // enforcement.reinstated_wave_exposure), the background in full.
    const double exposure = sellers.reinstatements[i] > 0 ? spec.reinstated_wave_exposure : 1.0;
    const WeekPolicy& policy = context.policy;
    const std::size_t k = WeekPolicy::slot(sellers.region[i], sellers.size_class[i], sellers.rule_breaker[i]);
    sellers.suspension_threshold[i] -=
        policy.business_hazard[k] + exposure * sellers.accounts[i] * policy.account_hazard[k];
    sellers.counterfactual_threshold[i] -=
        policy.business_hazard[k] + exposure * sellers.accounts[i] * policy.kept_account_hazard[k];
    if (sellers.suspension_threshold[i] > 0.0) continue;

    sellers.status[i] = SellerStatus::Suspended;
    sellers.suspended_week[i] = week;
    const Cents frozen = sellers.held_cents[i];
    transfer(sellers.held_cents[i], sellers.frozen_cents[i], frozen);
    sellers.suspensions[i] += 1;
    sellers.frozen_to_date_cents[i] += frozen;
    // Without the removed waves' hazard the account would still stand: the suspension is theirs.
    if (sellers.counterfactual_threshold[i] > 0.0) {
      if (!sellers.treated[i]) sellers.treated_frozen_cents[i] = frozen;
      sellers.treated[i] = 1;
    }
    sellers.appeal_week[i] = week + spec.appeal_weeks;
    sellers.hold_end_week[i] = week + weeks_from_days(hold_days);
    const std::size_t group = group_of(sellers, i);
    tally.new_suspensions[group] += 1;
    if (!sellers.rule_breaker[i]) tally.new_suspensions_honest[group] += 1;  // the cost of imprecise enforcement
    tally.new_accounts_suspended[group] += sellers.accounts[i];
    tally.newly_frozen_cents[group] += frozen;
  }
}

}  // namespace sellershock
