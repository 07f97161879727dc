// The scenario pipeline as a whole (pipeline.hpp): every problem of a file reported at once, in file
// order; the cross-field rules; names, labels and dates the output can hold.
#include "scenario/pipeline.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>

#include "scenario/loader.hpp"
#include "scenario/input_file.hpp"
#include "scenario/parameters.hpp"
#include "scenario/rules.hpp"
#include "scenario_test_support.hpp"

namespace sellershock {
namespace {

using testing::contains_all;
using testing::fixture_path;
using testing::input_error_message;
using testing::ScratchDirectory;

std::vector<InputProblem> problems_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& error) {
    return error.problems();
  }
  ADD_FAILURE() << "expected an InputError";
  return {};
}

std::string text_error(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  return input_error_message([&] { load_scenario_from_text(yaml, "scenario.yaml", overrides); });
}

TEST(ScenarioPipeline, FourMistakesOnFourLinesAreAllReportedInFileOrder) {
  const std::string path = fixture_path("bad/four_mistakes.yaml").string();
  const std::vector<InputProblem> problems = problems_of([&] { load_scenario(path); });
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0].where.line, 3);
  EXPECT_EQ(problems[1].where.line, 6);
  EXPECT_EQ(problems[2].where.line, 8);
  EXPECT_EQ(problems[3].where.line, 12);
  const std::string message = input_error_message([&] { load_scenario(path); });
  const std::vector<std::string> lines = {
      path + ":3:8: weeks: expected an integer in [1, 5200], found 'fifty'",
      path + ":6:3: sellers.cuont: unknown key 'cuont'; did you mean 'count'?",
      path + ":8:14: enforcement.hold_days: expected ",
      path + ":12:12: enforcement.waves[0].end: the wave ends (2021-04-01) before it starts (2021-05-03)"};
  std::size_t previous = 0;
  for (const std::string& line : lines) {
    const std::size_t found = message.find(line);
    ASSERT_NE(found, std::string::npos) << "missing '" << line << "' in:\n" << message;
    EXPECT_GE(found, previous) << "out of file order:\n" << message;
    previous = found;
  }
}

TEST(ScenarioPipeline, OneProblemKeepsItsOneLineMessage) {
  EXPECT_EQ(text_error("weeks: 0\n"), "scenario.yaml:1:8: weeks: expected an integer in [1, 5200], found '0'");
}

TEST(ScenarioPipeline, OverrideProblemsFollowTheFileInCommandOrder) {
  const std::vector<InputProblem> problems =
      problems_of([] { load_scenario_from_text("weeks: 0\n", "scenario.yaml", {"sellers.cuont=3", "nonsense"}); });
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].where.file, "scenario.yaml");
  EXPECT_EQ(problems[1].where.file, "--set sellers.cuont=3");
  EXPECT_EQ(problems[2].where.file, "--set nonsense");
}

TEST(ScenarioPipeline, ARuleIsSkippedWhenOneOfItsInputsAlreadyHasAProblem) {
  // The bad end date keeps the default, which is before the start: reporting that too would be noise.
  const std::vector<InputProblem> problems = problems_of([] {
    load_scenario_from_text("enforcement:\n  waves:\n    - {name: w, start: 2021-05-03, end: 2021-13-01}\n",
                            "scenario.yaml");
  });
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].key_path, "enforcement.waves[0].end");
  EXPECT_NE(problems[0].what.find("expected an ISO date"), std::string::npos);
}

TEST(ScenarioPipeline, RulesHaveNamesAndInputsThatAreParameters) {
  std::vector<std::string> names;
  for (const ScenarioRule& rule : scenario_rules()) {
    SCOPED_TRACE(rule.name);
    EXPECT_FALSE(rule.name.empty());
    EXPECT_FALSE(rule.inputs.empty());
    EXPECT_NE(rule.check, nullptr);
    names.push_back(rule.name);
    for (const std::string& input : rule.inputs) EXPECT_NE(find_parameter(input), nullptr) << input;
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end()) << "two rules share a name";
}

// --- Failure 7: names and labels are UTF-8 without control characters; dates pandas can read ----

TEST(ScenarioPipeline, NameWithANulByteIsRefused) {
  const std::string yaml = std::string("name: \"a\\0b\"\n");
  EXPECT_TRUE(contains_all(text_error(yaml), {"scenario.yaml:1:7: name: the text contains the control character U+0000"}));
  EXPECT_TRUE(contains_all(text_error("name: \"tab\\there\"\n"), {"control character U+0009"}));
}

TEST(ScenarioPipeline, NonUtf8NamesAndLabelsAreRefused) {
  // yaml-cpp passes the bytes of a plain scalar through; a double-quoted "\xff" is U+00FF, valid.
  EXPECT_TRUE(contains_all(text_error("name: caf\xe9\n"), {"name: the text is not valid UTF-8"}));
  EXPECT_TRUE(contains_all(text_error("sellers:\n  region_shares: {\"\xff\": 1}\n"),
                           {"sellers.region_shares: the name is not valid UTF-8"}));
  EXPECT_TRUE(contains_all(text_error("enforcement:\n  waves:\n    - {name: \"w\xc3\", start: 2021-05-03, end: 2021-06-01}\n"),
                           {"enforcement.waves[0].name: the text is not valid UTF-8"}));
  EXPECT_TRUE(contains_all(text_error("platform:\n  events:\n    - {name: \"e\\x07\", kind: stores, start: 2021-05-03}\n"),
                           {"platform.events[0].name: the text contains the control character U+0007"}));
  EXPECT_TRUE(contains_all(text_error("counterfactual: {remove: [\"\\x1b[31m\"]}\n"), {"counterfactual.remove[0]"}));
  EXPECT_EQ(load_scenario_from_text("name: Dongguan 东莞 ünïcödé\n", "scenario.yaml").name, "Dongguan 东莞 ünïcödé");
}

TEST(ScenarioPipeline, NonUtf8FileNameGivesNoDefaultName) {
  EXPECT_TRUE(contains_all(input_error_message([] { load_scenario_from_text("weeks: 3\n", "bad\xff.yaml"); }),
                           {"name: the scenario's name, taken from its file name", "give a name:"}));
  EXPECT_EQ(load_scenario_from_text("name: ok\n", "bad\xff.yaml").name, "ok");
}

TEST(ScenarioPipeline, DatesOutsideTheReadableRangeAreRefused) {
  EXPECT_TRUE(contains_all(text_error("start_date: 0000-01-03\n"),
                           {"scenario.yaml:1:13: start_date: expected an ISO date (YYYY-MM-DD) from 1900-01-01 to "
                            "2200-12-31, found '0000-01-03'"}));
  EXPECT_TRUE(contains_all(text_error("start_date: 9999-12-27\n"), {"start_date: expected an ISO date"}));
  EXPECT_TRUE(contains_all(
      text_error("enforcement:\n  waves:\n    - {name: w, start: 1899-12-31, end: 2021-06-01}\n"),
      {"enforcement.waves[0].start: expected an ISO date (YYYY-MM-DD) from 1900-01-01"}));
  EXPECT_EQ(load_scenario_from_text("start_date: 1900-01-01\n", "scenario.yaml").start_date, Date::from_ymd(1900, 1, 1));
}

TEST(ScenarioPipeline, TheRunsLastWeekMustFallWithinTheRange) {
  EXPECT_TRUE(contains_all(text_error("start_date: 2200-06-01\nweeks: 52\n"),
                           {"scenario.yaml:2:8: weeks: the run's last week starts on 2201-05-24, after 2200-12-31"}));
  EXPECT_TRUE(contains_all(text_error("start_date: 2200-12-25\n"), {"scenario.yaml:1:13: start_date: the run's last week"}));
  EXPECT_EQ(load_scenario_from_text("start_date: 2200-12-31\nweeks: 1\n", "scenario.yaml").weeks, 1);
}

TEST(ScenarioPipeline, StoredScenarioWithUnicodeNamesReloadsToTheSame) {
  const Scenario scenario = load_scenario_from_text(
      "name: \"Ñame \\\"quoted\\\" 東莞\"\nsellers:\n  region_shares: {Dōngguǎn: 0.5, \"no: yes\": 0.5}\n"
      "enforcement:\n  waves:\n    - {name: \"wave 🌊\", start: 2021-05-03, end: 2021-06-01, target: {regions: [Dōngguǎn]}}\n",
      "scenario.yaml");
  EXPECT_EQ(load_scenario_from_text(to_yaml(scenario), "stored.yaml"), scenario) << to_yaml(scenario);
}

// --- Failure 4: input files are regular files of bounded size ------------------------------------

TEST(ScenarioPipeline, FifoAsScenarioOrExtendsTargetIsRefusedWithoutWaiting) {
  ScratchDirectory scratch;
  const std::string fifo = (scratch.path() / "pipe.yaml").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_TRUE(contains_all(input_error_message([&] { load_scenario(fifo); }),
                           {"pipe.yaml: is a FIFO (named pipe), expected a regular file (the scenario file)"}));
  const std::string child = scratch.write("child.yaml", "extends: pipe.yaml\n");
  EXPECT_TRUE(contains_all(input_error_message([&] { load_scenario(child); }),
                           {"child.yaml:1:10: extends: '", "pipe.yaml' is not a regular file"}));
}

TEST(ScenarioPipeline, DeviceAsScenarioOrExtendsTargetIsRefused) {
  EXPECT_TRUE(contains_all(input_error_message([] { load_scenario("/dev/zero"); }),
                           {"/dev/zero: is a character device, expected a regular file"}));
  EXPECT_TRUE(contains_all(text_error("extends: /dev/zero\n"), {"extends: '/dev/zero' is not a regular file"}));
}

TEST(ScenarioPipeline, OversizedExtendsTargetIsRefused) {
  ScratchDirectory scratch;
  scratch.write("big.yaml", "# " + std::string(max_input_file_bytes, 'x') + "\n");
  const std::string child = scratch.write("child.yaml", "extends: big.yaml\n");
  EXPECT_TRUE(contains_all(input_error_message([&] { load_scenario(child); }),
                           {"big.yaml: the scenario file is larger than 16 MiB"}));
}

}  // namespace
}  // namespace sellershock
