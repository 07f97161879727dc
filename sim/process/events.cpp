// Process 1, events: turns the scenario's dated events into the policy in force this week.
#include <algorithm>
#include <cmath>

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

// A wave that catches a share `share_over_wave` of its targets over `weeks` weeks does so with this
// constant weekly hazard: 1 - (1 - h)^weeks = share.
double weekly_hazard(double share_over_wave, int weeks) {
  if (weeks <= 0 || share_over_wave <= 0.0) return 0.0;
  if (share_over_wave >= 1.0) return 1.0;
  return 1.0 - std::pow(1.0 - share_over_wave, 1.0 / weeks);
}

}  // namespace

WeekPolicy apply_events(const Scenario& scenario, const World& world, std::int32_t week) {
  WeekPolicy policy;
  policy.week = week;
  const int payout_weeks = std::max(1, scenario.channels.dominant.payout_cycle_days / kDaysPerWeek);
  policy.payout_due = (week + 1) % payout_weeks == 0;

  const std::size_t regions = world.region_names.size();
  // Probability of staying unsuspended this week, by region and behaviour; hazards combine as
  // independent risks.
  std::vector<double> survival(regions * 2);
  for (std::size_t r = 0; r < regions; ++r) {
    survival[r * 2 + 0] = 1.0 - scenario.enforcement.background_hazard_honest_per_week;
    survival[r * 2 + 1] = 1.0 - scenario.enforcement.background_hazard_rule_breaker_per_week;
  }
  for (const WaveSpec& wave : scenario.enforcement.waves) {
    if (!wave_covers_week(scenario, wave, week)) continue;
    int wave_weeks = 0;
    for (std::int32_t w = 0; w < scenario.weeks; ++w) wave_weeks += wave_covers_week(scenario, wave, w) ? 1 : 0;
    const double honest = weekly_hazard(wave.false_positive_rate, wave_weeks);
    const double rule_breaker = weekly_hazard(wave.recall, wave_weeks);
    for (std::size_t r = 0; r < regions; ++r) {
      const bool targeted = wave.target_regions.empty() ||
                            std::find(wave.target_regions.begin(), wave.target_regions.end(),
                                      world.region_names[r]) != wave.target_regions.end();
      if (!targeted) continue;
      survival[r * 2 + 0] *= 1.0 - honest;
      survival[r * 2 + 1] *= 1.0 - rule_breaker;
    }
  }
  policy.suspension_probability.resize(survival.size());
  policy.suspension_hazard.resize(survival.size());
  for (std::size_t k = 0; k < survival.size(); ++k) {
    policy.suspension_probability[k] = 1.0 - survival[k];
    policy.suspension_hazard[k] = -std::log(survival[k]);  // +infinity when suspension is certain
  }
  return policy;
}

}  // namespace sellershock
