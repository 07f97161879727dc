// Process 1, events: turns the scenario's dated events into the policy in force this week.
#include <algorithm>
#include <cmath>
#include <limits>

#include "process/week.hpp"

namespace sellershock {

namespace {

constexpr int kDaysPerWeek = 7;

// Whether the simulated week [first day, first day + 6] overlaps the wave's [start, end].
bool wave_covers_week(const Scenario& scenario, const WaveSpec& wave, std::int32_t week) {
  const Date first_day = scenario.start_date.plus_days(week * kDaysPerWeek);
  const Date last_day = first_day.plus_days(kDaysPerWeek - 1);
  return !(last_day < wave.start) && !(wave.end < first_day);
}

// Days of the simulated week that the wave covers (0 to 7).
int days_covered(const Scenario& scenario, const WaveSpec& wave, std::int32_t week) {
  const Date first_day = scenario.start_date.plus_days(week * kDaysPerWeek);
  const Date last_day = first_day.plus_days(kDaysPerWeek - 1);
  const Date from = std::max(first_day, wave.start), to = std::min(last_day, wave.end);
  return to < from ? 0 : to.days_since_epoch - from.days_since_epoch + 1;
}

// The hazard in one simulated week of a wave that catches a share `share_over_wave` of exposed accounts
// over its whole length: spread evenly over the wave's days, exp(-total hazard) = 1 - share. A week the
// wave covers in part gets its part; days outside the simulated period are simply not simulated.
double weekly_hazard(double share_over_wave, int wave_days, int days_this_week) {
  if (wave_days <= 0 || days_this_week <= 0 || share_over_wave <= 0.0) return 0.0;
  if (share_over_wave >= 1.0) return std::numeric_limits<double>::infinity();
  return -std::log1p(-share_over_wave) * days_this_week / wave_days;
}

double hazard_of_probability(double probability) {
  return probability >= 1.0 ? std::numeric_limits<double>::infinity() : -std::log1p(-probability);
}

bool payout_due(int payout_cycle_days, std::int32_t week) {
  const int payout_weeks = std::max(1, payout_cycle_days / kDaysPerWeek);
  return (week + 1) % payout_weeks == 0;
}

template <typename T>
bool targets(const std::vector<T>& targeted, const T& value) {
  return targeted.empty() || std::find(targeted.begin(), targeted.end(), value) != targeted.end();
}

}  // namespace

bool wave_active(const Scenario& scenario, const WaveSpec& wave, std::int32_t week) {
  return wave_covers_week(scenario, wave, week);
}

bool removed_by_counterfactual(const Scenario& scenario, const WaveSpec& wave) {
  const auto& removed = scenario.counterfactual.remove;
  return std::find(removed.begin(), removed.end(), "enforcement.waves." + wave.name) != removed.end();
}

WeekPolicy apply_events(const Scenario& scenario, const World& world, std::int32_t week) {
  WeekPolicy policy;
  policy.week = week;
  policy.payout_due[0] = payout_due(scenario.channels.dominant.payout_cycle_days, week);
  policy.payout_due[1] = payout_due(scenario.channels.alternative.payout_cycle_days, week);

  const std::size_t regions = world.region_names.size();
  const std::size_t slots = regions * kSizeClassCount * 2;
  policy.business_hazard.assign(slots, 0.0);
  policy.account_hazard.assign(slots, 0.0);
  policy.kept_account_hazard.assign(slots, 0.0);
  const double background[2] = {hazard_of_probability(scenario.enforcement.background_hazard_honest_per_week),
                                 hazard_of_probability(scenario.enforcement.background_hazard_rule_breaker_per_week)};
  for (std::size_t k = 0; k < slots; ++k) policy.business_hazard[k] = background[k % 2];

  for (const WaveSpec& wave : scenario.enforcement.waves) {
    const int days = days_covered(scenario, wave, week);
    if (days == 0) continue;
    const int wave_days = wave.end.days_since_epoch - wave.start.days_since_epoch + 1;
    const double per_account[2] = {weekly_hazard(wave.false_positive_rate, wave_days, days),
                                   weekly_hazard(wave.recall, wave_days, days)};
    const bool kept = !removed_by_counterfactual(scenario, wave);
    for (std::size_t r = 0; r < regions; ++r) {
      if (!targets(wave.target_regions, world.region_names[r])) continue;
      for (std::uint8_t size = 0; size < kSizeClassCount; ++size) {
        if (!targets(wave.target_size_classes, std::string(kSizeClassNames[size]))) continue;
        for (std::uint8_t behaviour = 0; behaviour < 2; ++behaviour) {
          const std::size_t k = WeekPolicy::slot(static_cast<std::uint8_t>(r), size, behaviour);
          policy.account_hazard[k] += per_account[behaviour];
          if (kept) policy.kept_account_hazard[k] += per_account[behaviour];
        }
      }
    }
  }
  return policy;
}

}  // namespace sellershock
