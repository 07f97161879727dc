// The property both fuzz targets check on every scenario that loads: stored with to_yaml, it reloads
// to the same scenario (the resolved scenario an output file holds must give back the run's scenario).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "scenario/error.hpp"
#include "scenario/loader.hpp"

namespace sellershock::fuzz {

// Aborts (a finding for libFuzzer) if the stored text of `scenario` does not reload to equal text and
// an equal Scenario, or if the stored text is refused.
inline void check_round_trip(const Scenario& scenario) {
  const std::string stored = to_yaml(scenario);
  std::string reloaded_text;
  try {
    const Scenario reloaded = load_scenario_from_text(stored, "stored.yaml");
    reloaded_text = to_yaml(reloaded);
    if (reloaded_text == stored && reloaded == scenario) return;
  } catch (const InputError& error) {
    std::fprintf(stderr, "round trip: the stored scenario is refused: %s\n--- stored:\n%s\n", error.what(),
                 stored.c_str());
    std::abort();
  }
  std::fprintf(stderr, "round trip: the stored scenario reloads to a different one\n--- stored:\n%s\n--- reloaded:\n%s\n",
               stored.c_str(), reloaded_text.c_str());
  std::abort();
}

}  // namespace sellershock::fuzz
