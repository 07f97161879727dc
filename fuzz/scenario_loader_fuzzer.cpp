// Fuzz target: YAML text -> load_scenario_from_text. Refusing the input with an InputError is the
// expected outcome for almost every input; anything else (a crash, another exception, a sanitizer
// report, a scenario that does not survive to_yaml and back) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "round_trip.hpp"
#include "scenario/error.hpp"
#include "scenario/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  sellershock::Scenario scenario;
  try {
    // A label with no directory: `extends:` paths resolve from the working directory.
    scenario = sellershock::load_scenario_from_text(text, "fuzz.yaml");
  } catch (const sellershock::InputError&) {
    return 0;
  }
  sellershock::fuzz::check_round_trip(scenario);
  return 0;
}
