// A small scenario built in code, for tests of the model that should not depend on the YAML loader.
#pragma once

#include <utility>

#include "scenario/scenario.hpp"

namespace sellershock::testing {

inline Scenario small_scenario(std::int64_t sellers = 3000, int weeks = 40, int replications = 4) {
  Scenario s;
  s.name = "test";
  s.start_date = Date::from_ymd(2021, 1, 4);
  s.weeks = weeks;
  s.replications = replications;
  s.seed = 12345;
  s.sellers.count = sellers;
  s.sellers.region_shares = {{"CN-Shenzhen", 0.3}, {"PK-Punjab", 0.1}, {"US", 0.6}};
  s.sellers.rule_breaker_share = 0.2;
  WaveSpec wave;
  wave.name = "wave";
  wave.start = Date::from_ymd(2021, 3, 1);
  wave.end = Date::from_ymd(2021, 4, 25);
  wave.target_regions = {"CN-Shenzhen"};
  wave.recall = 0.6;
  wave.false_positive_rate = 0.05;
  s.enforcement.waves = {wave};
  s.counterfactual.remove = {"enforcement.waves.wave"};
  return s;
}

inline Scenario without_enforcement(Scenario s) {
  s.enforcement.waves.clear();
  s.counterfactual.remove.clear();
  s.enforcement.background_hazard_honest_per_week = 0;
  s.enforcement.background_hazard_rule_breaker_per_week = 0;
  return s;
}

// Plenty of suspensions, holds, appeals and exits, and businesses on every channel: the scenario for
// invariants that must hold through every kind of change.
inline Scenario eventful_scenario(std::int64_t sellers, int weeks) {
  Scenario s = small_scenario(sellers, weeks, 1);
  s.enforcement.background_hazard_rule_breaker_per_week = 0.01;
  s.enforcement.background_hazard_honest_per_week = 0.002;
  s.sellers.cash_buffer_weeks = 1;
  s.sellers.alternative_share = 0.3;
  s.sellers.own_store_share = 0.3;
  return s;
}

// Every business is suspended at the end of week 0 (background hazard 1) and no appeal succeeds.
inline Scenario everyone_suspended_in_week_zero(Scenario s) {
  s = without_enforcement(std::move(s));
  s.enforcement.background_hazard_honest_per_week = 1;
  s.enforcement.background_hazard_rule_breaker_per_week = 1;
  s.enforcement.appeal_success_probability_honest = 0;
  s.enforcement.appeal_success_probability_rule_breaker = 0;
  return s;
}

}  // namespace sellershock::testing
