// Fuzz target for the --set parser: each line of the input is one override ("KEY=VALUE"), applied to
// a small valid scenario. As for the loader, an InputError is the expected refusal; a crash, another
// exception, a sanitizer report or a failed round trip through to_yaml is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "round_trip.hpp"
#include "scenario/error.hpp"
#include "scenario/loader.hpp"

namespace {

// Every kind of value the overrides can reach: lists of maps, a share map, text lists, dates.
constexpr const char* kBaseScenario = R"(name: fuzz
start_date: 2021-04-05
weeks: 20
sellers:
  count: 200
  region_shares: {CN-Shenzhen: 0.5, US: 0.5}
platform:
  events:
    - {name: e, kind: stores, start: 2021-05-03}
enforcement:
  waves:
    - {name: w, start: 2021-05-03, end: 2021-06-27, target: {regions: [US]}, recall: 0.6}
counterfactual:
  remove: [enforcement.waves.w]
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> overrides;
  std::string current;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == '\n') {
      overrides.push_back(current);
      current.clear();
    } else {
      current.push_back(static_cast<char>(data[i]));
    }
  }
  overrides.push_back(current);
  sellershock::Scenario scenario;
  try {
    scenario = sellershock::load_scenario_from_text(kBaseScenario, "fuzz.yaml", overrides);
  } catch (const sellershock::InputError&) {
    return 0;
  }
  sellershock::fuzz::check_round_trip(scenario);
  return 0;
}
