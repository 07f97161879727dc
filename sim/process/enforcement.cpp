// Process 4, enforcement: background suspensions and waves. A business falls with the first of its
// linked accounts caught, and all of them fall together: its dominant-marketplace balance is frozen
// and its stock in the platform's warehouses is held with it. Its other channels go on.
#include "process/week.hpp"

namespace sellershock {

namespace {
constexpr std::int32_t weeks_from_days(int days) { return (days + 6) / 7; }
}  // namespace

bool due_in_suspension_week(const EnforcementSpec& spec) {
  return spec.appeal_weeks == 0 || weeks_from_days(spec.hold_days) == 0 || weeks_from_days(spec.later_hold_days) == 0;
}

void enforce(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally) {
  const EnforcementSpec& spec = context.scenario.enforcement;
  const std::int32_t week = context.policy.week;
  SellerTable& sellers = context.world.sellers;
  // The hold is dated: from later_hold_from on, suspended businesses are held later_hold_days.
  const bool later = !(context.scenario.start_date.plus_days(7 * week) < spec.later_hold_from);
  const int hold_days = later ? spec.later_hold_days : spec.hold_days;
  // The hot columns and the week's hazards through local pointers: the loop stores to byte columns
  // (status, treated), which may alias anything, so the compiler would otherwise reload every column's
  // address from the table in every iteration.
  SellerStatus* const status = sellers.status.data();
  const std::uint16_t* const reinstatements = sellers.reinstatements.data();
  const std::uint16_t* const accounts = sellers.accounts.data();
  const std::uint8_t* const region = sellers.region.data();
  const std::uint8_t* const size_class = sellers.size_class.data();
  const std::uint8_t* const rule_breaker = sellers.rule_breaker.data();
  double* const threshold = sellers.suspension_threshold.data();
  double* const counterfactual_threshold = sellers.counterfactual_threshold.data();
  const WeekPolicy& policy = context.policy;
  const double* const business_hazard = policy.business_hazard.data();
  const double* const account_hazard = policy.account_hazard.data();
  const double* const kept_account_hazard = policy.kept_account_hazard.data();
  const double reinstated_exposure = spec.reinstated_wave_exposure;
  for (std::size_t i = begin; i < end; ++i) {
    if (status[i] != SellerStatus::Active) continue;
    // The account falls when the hazard accumulated since its threshold was drawn exceeds it: the same
    // as a weekly Bernoulli draw with the week's probability, but without a random number per seller
    // and week, and monotone under common random numbers (less hazard: suspended later, or never).
    // A business reinstated on appeal faces only a share of the waves' hazard (an explicit rule:
    // enforcement.reinstated_wave_exposure), the background in full.
    const double exposure = reinstatements[i] > 0 ? reinstated_exposure : 1.0;
    const std::size_t k = WeekPolicy::slot(region[i], size_class[i], rule_breaker[i]);
    const double business = business_hazard[k];
    const double linked = exposure * accounts[i];
    const double left = threshold[i] - (business + linked * account_hazard[k]);
    threshold[i] = left;
    counterfactual_threshold[i] -= business + linked * kept_account_hazard[k];
    if (left > 0.0) continue;

    count_stocks(sellers, i, -1, tally);  // its part of the stocks, as an active business
    status[i] = SellerStatus::Suspended;
    sellers.suspended_week[i] = week;
    const Cents frozen = sellers.held_cents[i];
    transfer(sellers.held_cents[i], sellers.frozen_cents[i], frozen);
    sellers.suspensions[i] += 1;
    sellers.frozen_to_date_cents[i] += frozen;
    count_stocks(sellers, i, 1, tally);  // and as a suspended one, its balance frozen
    // Without the removed waves' hazard the account would still stand: the suspension is theirs.
    if (sellers.counterfactual_threshold[i] > 0.0) {
      if (!sellers.treated[i]) sellers.treated_frozen_cents[i] = frozen;
      sellers.treated[i] = 1;
    }
    sellers.appeal_week[i] = week + spec.appeal_weeks;
    sellers.hold_end_week[i] = week + weeks_from_days(hold_days);
    tally.suspended.push_back(static_cast<std::uint32_t>(i));  // filed under those weeks after the week
    const std::size_t group = group_of(sellers, i);
    tally.new_suspensions[group] += 1;
    if (!sellers.rule_breaker[i]) tally.new_suspensions_honest[group] += 1;  // the cost of imprecise enforcement
    tally.new_accounts_suspended[group] += sellers.accounts[i];
    tally.newly_frozen_cents[group] += frozen;
  }
}

}  // namespace sellershock
