#include "scenario/counterfactual_rules.hpp"

#include <gtest/gtest.h>

#include "support/test_scenario.hpp"

namespace sellershock {

namespace {
SourceLocation at(const std::string&) { return {"scenario.yaml", 3, 5}; }

std::string error_of(const Scenario& s) {
  try {
    check_counterfactual_removes_a_shock(s, at);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(CounterfactualRules, AWaveInsideTheRunThatIsRemovedPasses) {
  EXPECT_EQ(error_of(testing::small_scenario(100, 20, 1)), "");
}

TEST(CounterfactualRules, RemovingNothingFromAScenarioWithWavesIsAnError) {
  Scenario s = testing::small_scenario(100, 20, 1);
  s.counterfactual.remove.clear();
  const std::string message = error_of(s);
  EXPECT_NE(message.find("scenario.yaml:3:5: counterfactual.remove: removes nothing"), std::string::npos) << message;
  EXPECT_NE(message.find("enforcement.waves.wave"), std::string::npos) << message;
}

TEST(CounterfactualRules, AScenarioWithoutWavesNeedsNoRemoval) {
  Scenario s = testing::without_enforcement(testing::small_scenario(100, 20, 1));
  EXPECT_EQ(error_of(s), "");
}

TEST(CounterfactualRules, ARemovedWaveOutsideTheRunIsAnError) {
  Scenario s = testing::small_scenario(100, 6, 1);  // 2021-01-04 to 2021-02-14; the wave starts 2021-03-01
  const std::string message = error_of(s);
  EXPECT_NE(message.find("counterfactual.remove[0]: wave 'wave' (2021-03-01 to 2021-04-25) is in force on no day"),
            std::string::npos)
      << message;
  s.weeks = 9;  // the run's last week reaches 2021-03-07
  EXPECT_EQ(error_of(s), "");
}

}  // namespace sellershock
