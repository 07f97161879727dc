// Stage 4 of the scenario pipeline (pipeline.hpp): the cross-field rules, each named, each one entry
// of the list in scenario_rules().
#include "scenario/rules.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

#include "scenario/suggest.hpp"

namespace sellershock {

namespace {

constexpr double share_sum_tolerance = 1e-6;

void region_shares_sum_to_one(const BuiltScenario& built, InputProblems& problems) {
  double sum = 0.0;
  for (const RegionShare& share : built.scenario.sellers.region_shares) sum += share.share;
  if (std::abs(sum - 1.0) <= share_sum_tolerance) return;
  char sum_text[32];
  std::snprintf(sum_text, sizeof sum_text, "%.9g", sum);
  problems.add(built.where_of("sellers.region_shares"), "sellers.region_shares",
               std::string("the shares sum to ") + sum_text + ", expected 1 (within 1e-6)");
}

// Each of `names` (at key_path[i]) must be one of `known`; suggests the nearest known name.
void check_known_names(const BuiltScenario& built, const std::vector<std::string>& names,
                       const std::vector<std::string>& known, const std::string& key_path, const std::string& noun,
                       const std::string& hint, InputProblems& problems) {
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (std::find(known.begin(), known.end(), names[k]) != known.end()) continue;
    const std::string name_path = index_key(key_path, k);
    std::string what = "unknown " + noun + " '" + names[k] + "'";
    const std::string nearest = nearest_candidate(names[k], known);
    if (!nearest.empty()) what += "; did you mean '" + nearest + "'?";
    problems.add(built.where_of(name_path), name_path, what + " (" + hint + ")");
  }
}

// The elements of the list at list_path must have different names: a name identifies its element
// (counterfactual.remove refers to waves by name).
template <typename Spec>
void check_unique_names(const BuiltScenario& built, const std::vector<Spec>& elements, const std::string& list_path,
                        const std::string& noun, InputProblems& problems) {
  for (std::size_t i = 0; i < elements.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (elements[j].name == elements[i].name) {
        const std::string path = index_key(list_path, i) + ".name";
        problems.add(built.where_of(path), path,
                     "duplicate " + noun + " name '" + elements[i].name + "' (also " + index_key(list_path, j) + ")");
        break;
      }
}

void waves_end_after_they_start(const BuiltScenario& built, InputProblems& problems) {
  const std::vector<WaveSpec>& waves = built.scenario.enforcement.waves;
  for (std::size_t i = 0; i < waves.size(); ++i) {
    if (!(waves[i].end < waves[i].start)) continue;
    const std::string path = index_key("enforcement.waves", i) + ".end";
    problems.add(built.where_of(path), path,
                 "the wave ends (" + waves[i].end.iso() + ") before it starts (" + waves[i].start.iso() + ")");
  }
}

void waves_target_known_size_classes(const BuiltScenario& built, InputProblems& problems) {
  const std::vector<std::string> size_classes(std::begin(kSizeClassNames), std::end(kSizeClassNames));
  const std::vector<WaveSpec>& waves = built.scenario.enforcement.waves;
  for (std::size_t i = 0; i < waves.size(); ++i)
    check_known_names(built, waves[i].target_size_classes, size_classes,
                      index_key("enforcement.waves", i) + ".target.size_classes", "size class",
                      "one of under-100k, 100k-1M, 1M-10M, over-10M", problems);
}

void waves_target_known_regions(const BuiltScenario& built, InputProblems& problems) {
  std::vector<std::string> regions;
  for (const RegionShare& share : built.scenario.sellers.region_shares) regions.push_back(share.region);
  const std::vector<WaveSpec>& waves = built.scenario.enforcement.waves;
  for (std::size_t i = 0; i < waves.size(); ++i)
    check_known_names(built, waves[i].target_regions, regions, index_key("enforcement.waves", i) + ".target.regions",
                      "region", "regions are the keys of sellers.region_shares", problems);
}

void wave_names_are_unique(const BuiltScenario& built, InputProblems& problems) {
  check_unique_names(built, built.scenario.enforcement.waves, "enforcement.waves", "wave", problems);
}

void platform_event_names_are_unique(const BuiltScenario& built, InputProblems& problems) {
  check_unique_names(built, built.scenario.platform.events, "platform.events", "event", problems);
}

void counterfactual_removes_known_waves(const BuiltScenario& built, InputProblems& problems) {
  const std::string prefix = "enforcement.waves.";
  std::vector<std::string> removable;
  for (const WaveSpec& wave : built.scenario.enforcement.waves) removable.push_back(prefix + wave.name);
  const std::vector<std::string>& remove = built.scenario.counterfactual.remove;
  for (std::size_t i = 0; i < remove.size(); ++i) {
    if (std::find(removable.begin(), removable.end(), remove[i]) != removable.end()) continue;
    const std::string path = index_key("counterfactual.remove", i);
    std::string what = "'" + remove[i] + "' names no wave";
    const std::string nearest = nearest_candidate(remove[i], removable);
    if (!nearest.empty()) what += "; did you mean '" + nearest + "'?";
    else if (removable.empty()) what += " (the scenario has no waves)";
    else what += " (expected enforcement.waves.NAME, one of the waves' names)";
    problems.add(built.where_of(path), path, what);
  }
}

// The share of rule-breakers in each size class is a probability: sellers.rule_breaker_share times the
// class's factor must not pass 1.
void rule_breaker_shares_are_probabilities(const BuiltScenario& built, InputProblems& problems) {
  const SellerSpec& sellers = built.scenario.sellers;
  for (std::size_t c = 0; c < kSizeClassCount; ++c) {
    const double share = sellers.rule_breaker_share * sellers.rule_breaker_share_factor[c];
    if (share <= 1.0) continue;
    const std::string path = std::string("sellers.rule_breaker_share_factor.") + kSizeClassNames[c];
    char text[96];
    std::snprintf(text, sizeof text, "%.9g x %.9g = %.9g", sellers.rule_breaker_share,
                  sellers.rule_breaker_share_factor[c], share);
    const std::string where_key = built.where.count(path) ? path : "sellers.rule_breaker_share";
    problems.add(built.where_of(where_key), where_key,
                 std::string("the share of rule-breakers among ") + kSizeClassNames[c] +
                     " businesses, sellers.rule_breaker_share x " + path + " = " + text +
                     ", is above 1");
  }
}

// The date axis of the output runs to the last simulated week; the Python side must read it too.
void run_ends_within_the_date_range(const BuiltScenario& built, InputProblems& problems) {
  const Scenario& scenario = built.scenario;
  const Date last_week = scenario.start_date.plus_days(7 * (scenario.weeks - 1));
  if (last_week <= kLatestScenarioDate) return;
  const std::string where_key = built.where.count("weeks") ? "weeks" : "start_date";
  problems.add(built.where_of(where_key), where_key,
               "the run's last week starts on " + last_week.iso() + ", after " + kLatestScenarioDate.iso() +
                   ", the last date a scenario may reach (start_date " + scenario.start_date.iso() + ", " +
                   std::to_string(scenario.weeks) + " weeks)");
}

}  // namespace

const std::vector<ScenarioRule>& scenario_rules() {
  static const std::vector<ScenarioRule> rules = {
      {"region_shares_sum_to_one", {"sellers.region_shares"}, region_shares_sum_to_one},
      {"waves_end_after_they_start", {"enforcement.waves"}, waves_end_after_they_start},
      {"waves_target_known_size_classes", {"enforcement.waves"}, waves_target_known_size_classes},
      {"waves_target_known_regions", {"enforcement.waves", "sellers.region_shares"}, waves_target_known_regions},
      {"wave_names_are_unique", {"enforcement.waves"}, wave_names_are_unique},
      {"platform_event_names_are_unique", {"platform.events"}, platform_event_names_are_unique},
      {"counterfactual_removes_known_waves", {"counterfactual.remove", "enforcement.waves"},
       counterfactual_removes_known_waves},
      {"run_ends_within_the_date_range", {"start_date", "weeks"}, run_ends_within_the_date_range},
      {"rule_breaker_shares_are_probabilities",
       {"sellers.rule_breaker_share", "sellers.rule_breaker_share_factor.under-100k",
        "sellers.rule_breaker_share_factor.100k-1M", "sellers.rule_breaker_share_factor.1M-10M",
        "sellers.rule_breaker_share_factor.over-10M"},
       rule_breaker_shares_are_probabilities},
  };
  return rules;
}

void check_scenario_rules(const BuiltScenario& built, InputProblems& problems) {
  // A rule reading a value that already has a problem would report a consequence of it (a default
  // kept in its place), not a new problem.
  const InputProblems found_before = problems;
  for (const ScenarioRule& rule : scenario_rules()) {
    const bool inputs_ok = std::none_of(rule.inputs.begin(), rule.inputs.end(),
                                        [&](const std::string& input) { return found_before.concerns(input); });
    if (inputs_ok) rule.check(built, problems);
  }
}

}  // namespace sellershock
