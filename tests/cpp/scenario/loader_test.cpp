#include "scenario/loader.hpp"

#include <gtest/gtest.h>

#include "scenario/parameters.hpp"
#include "scenario_test_support.hpp"

namespace sellershock {
namespace {

using testing::contains_all;
using testing::fixture_path;
using testing::input_error_message;
using testing::ScratchDirectory;

// A scenario file in a scratch directory, loaded with overrides; returns the error message.
std::string load_error(const std::string& yaml, const std::vector<std::string>& overrides = {},
                       const std::string& file_name = "scenario.yaml") {
  ScratchDirectory scratch;
  const std::string path = scratch.write(file_name, yaml);
  return input_error_message([&] { load_scenario(path, overrides); });
}

Scenario load_text(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  return load_scenario_from_text(yaml, "scenario.yaml", overrides);
}

const char* const one_wave = R"(
enforcement:
  waves:
    - name: china-2021
      start: 2021-05-03
      end: 2021-07-31
      target: {regions: [CN-Shenzhen, CN-other]}
      recall: 0.6
)";

// --- Valid files --------------------------------------------------------------------------------

TEST(ScenarioLoader, TinyFixtureLoads) {
  const Scenario scenario = load_scenario(fixture_path("tiny.yaml").string());
  EXPECT_EQ(scenario.name, "tiny");
  EXPECT_EQ(scenario.sellers.count, 200);
  EXPECT_EQ(scenario.weeks, 20);
  EXPECT_EQ(scenario.replications, 4);
  EXPECT_EQ(scenario.seed, 20210503u);
  EXPECT_EQ(scenario.start_date, Date::from_ymd(2021, 4, 5));
  ASSERT_EQ(scenario.enforcement.waves.size(), 1u);
  const WaveSpec& wave = scenario.enforcement.waves[0];
  EXPECT_EQ(wave.name, "china-2021");
  EXPECT_EQ(wave.start, Date::from_ymd(2021, 5, 3));
  EXPECT_EQ(wave.end, Date::from_ymd(2021, 6, 27));
  EXPECT_EQ(wave.target_regions.size(), 4u);
  EXPECT_DOUBLE_EQ(wave.recall, 0.6);
  EXPECT_EQ(scenario.counterfactual.remove, std::vector<std::string>{"enforcement.waves.china-2021"});
  EXPECT_EQ(scenario.sellers.region_shares, default_region_shares());
}

TEST(ScenarioLoader, HugeCountFixtureIsValidForTheScenarioLayer) {
  EXPECT_EQ(load_scenario(fixture_path("bad/huge_count.yaml").string()).sellers.count, 2'000'000'000);
}

TEST(ScenarioLoader, EmptySectionsAndMissingKeysKeepTheDefaults) {
  const Scenario scenario = load_text("weeks: 10\nsellers:\nenforcement: {}\n");
  Scenario expected = default_scenario("scenario");
  expected.weeks = 10;
  EXPECT_EQ(scenario, expected);
}

TEST(ScenarioLoader, NameDefaultsToTheFileStem) {
  ScratchDirectory scratch;
  const std::string path = scratch.write("china-2021.yaml", "weeks: 3\n");
  EXPECT_EQ(load_scenario(path).name, "china-2021");
}

TEST(ScenarioLoader, ReadsEveryKindOfValue) {
  const Scenario scenario = load_text(R"(
seed: 18446744073709551615
sellers:
  count: 2147483647
  region_shares: {A: 0.25, B: 0.75}
  annual_sales_usd: {dist: lognormal, median: 1.5e5, sigma: 2}
  insolvency_weeks: +6
channels: {dominant: {reserve_days: 0}, own_store: {payment_fee: 0.029}}
enforcement: {hold_days: 60}
)");
  EXPECT_EQ(scenario.seed, 18446744073709551615u);
  EXPECT_EQ(scenario.sellers.count, 2147483647);
  EXPECT_EQ(scenario.sellers.region_shares, (std::vector<RegionShare>{{"A", 0.25}, {"B", 0.75}}));
  EXPECT_DOUBLE_EQ(scenario.sellers.annual_sales_usd.median, 150000.0);
  EXPECT_DOUBLE_EQ(scenario.sellers.annual_sales_usd.sigma, 2.0);
  EXPECT_EQ(scenario.sellers.insolvency_weeks, 6);
  EXPECT_EQ(scenario.channels.dominant.reserve_days, 0);
  EXPECT_DOUBLE_EQ(scenario.channels.own_store.payment_fee, 0.029);
  EXPECT_EQ(scenario.enforcement.hold_days, 60);
}

// --- Round trip ---------------------------------------------------------------------------------

TEST(ScenarioLoader, ToYamlRoundTripsThroughAFile) {
  ScratchDirectory scratch;
  for (const std::string fixture : {"tiny.yaml", "child.yaml", "base.yaml"}) {
    const Scenario scenario = load_scenario(fixture_path(fixture).string());
    const std::string path = scratch.write("resolved.yaml", to_yaml(scenario));
    EXPECT_EQ(load_scenario(path), scenario) << to_yaml(scenario);
  }
}

TEST(ScenarioLoader, ToYamlRoundTripsAwkwardValues) {
  Scenario scenario = default_scenario("null");  // a name YAML would read as null unless quoted
  scenario.seed = 18446744073709551615u;
  scenario.sellers.rule_breaker_share = 0.1 + 0.2;  // needs all 17 digits
  scenario.sellers.annual_sales_usd.median = 1e-300 * 1e300 * 12345.678901234567;
  scenario.sellers.region_shares = {{"yes", 0.1}, {"123", 0.2}, {"a b: c", 0.3}, {"CN-Shenzhen", 0.4}};
  WaveSpec wave;
  wave.name = "2021";
  wave.start = Date::from_ymd(2021, 5, 3);
  wave.end = wave.start;
  wave.target_regions = {"yes", "a b: c"};
  scenario.enforcement.waves = {wave};
  scenario.counterfactual.remove = {"enforcement.waves.2021"};
  const std::string yaml = to_yaml(scenario);
  EXPECT_EQ(load_scenario_from_text(yaml, "resolved.yaml"), scenario) << yaml;
}

TEST(ScenarioLoader, ToYamlListsEveryParameterIncludingDefaults) {
  const std::string yaml = to_yaml(default_scenario("d"));
  for (const Parameter& parameter : parameter_table()) {
    if (parameter.key.find("[]") != std::string::npos) continue;  // members of list elements
    const std::string last = parameter.key.substr(parameter.key.rfind('.') + 1);
    EXPECT_NE(yaml.find(last + ":"), std::string::npos) << parameter.key << "\n" << yaml;
  }
  EXPECT_EQ(yaml.find("extends"), std::string::npos);
}

// --- extends ------------------------------------------------------------------------------------

TEST(ScenarioLoader, ChildMergesMapsAndReplacesListsAndShareMaps) {
  const Scenario child = load_scenario(fixture_path("child.yaml").string());
  EXPECT_EQ(child.name, "child-scenario");
  EXPECT_EQ(child.weeks, 104);                                // child
  EXPECT_EQ(child.seed, 7u);                                  // base
  EXPECT_EQ(child.sellers.count, 500);                        // child, inside a merged map
  EXPECT_DOUBLE_EQ(child.sellers.gross_margin, 0.4);          // base, inside the same map
  EXPECT_DOUBLE_EQ(child.channels.dominant.referral_fee, 0.12);
  EXPECT_EQ(child.channels.dominant.payout_cycle_days, 14);
  EXPECT_EQ(child.sellers.region_shares, (std::vector<RegionShare>{{"CN-Shenzhen", 0.5}, {"US", 0.5}}));
  ASSERT_EQ(child.enforcement.waves.size(), 1u);              // the list was replaced
  EXPECT_EQ(child.enforcement.waves[0].name, "child-wave");
  EXPECT_EQ(child.enforcement.hold_days, 90);
}

TEST(ScenarioLoader, NameOfAnExtendingFileIsItsOwnStem) {
  ScratchDirectory scratch;
  scratch.write("base.yaml", "weeks: 5\n");
  const std::string path = scratch.write("variant.yaml", "extends: base.yaml\n");
  const Scenario scenario = load_scenario(path);
  EXPECT_EQ(scenario.name, "variant");
  EXPECT_EQ(scenario.weeks, 5);
}

TEST(ScenarioLoader, ExtendsChainsAcrossDirectories) {
  ScratchDirectory scratch;
  scratch.write("common/root.yaml", "weeks: 5\nseed: 3\nreplications: 2\n");
  scratch.write("common/middle.yaml", "extends: root.yaml\nseed: 4\n");
  const std::string path = scratch.write("runs/leaf.yaml", "extends: ../common/middle.yaml\nreplications: 9\n");
  const Scenario scenario = load_scenario(path);
  EXPECT_EQ(scenario.weeks, 5);
  EXPECT_EQ(scenario.seed, 4u);
  EXPECT_EQ(scenario.replications, 9);
}

TEST(ScenarioLoader, ExtendsCycleIsAnError) {
  ScratchDirectory scratch;
  scratch.write("a.yaml", "extends: b.yaml\n");
  scratch.write("b.yaml", "weeks: 3\nextends: a.yaml\n");
  const std::string path = (scratch.path() / "a.yaml").string();
  const std::string message = input_error_message([&] { load_scenario(path); });
  EXPECT_TRUE(contains_all(message, {"b.yaml:2:10: extends:", "extends cycle", "a.yaml -> ", "b.yaml -> "}));
}

TEST(ScenarioLoader, SelfExtensionIsACycle) {
  EXPECT_TRUE(contains_all(load_error("extends: self.yaml\n", {}, "self.yaml"), {"self.yaml:1:10", "extends cycle"}));
}

TEST(ScenarioLoader, MissingBaseFileNamesTheExtendsLine) {
  const std::string message = load_error("weeks: 3\nextends: nowhere.yaml\n");
  EXPECT_TRUE(contains_all(message, {"scenario.yaml:2:10: extends:", "no such file", "nowhere.yaml"}));
}

TEST(ScenarioLoader, ErrorInABaseFileNamesTheBaseFile) {
  ScratchDirectory scratch;
  scratch.write("base.yaml", "weeks: 3\nsellers:\n  count: many\n");
  const std::string path = scratch.write("child.yaml", "extends: base.yaml\n");
  const std::string message = input_error_message([&] { load_scenario(path); });
  EXPECT_TRUE(contains_all(message, {"base.yaml:3:10: sellers.count: expected an integer", "found 'many'"}));
}

TEST(ScenarioLoader, ExtendsMustBeAFileName) {
  EXPECT_TRUE(contains_all(load_error("extends: [a.yaml]\n"), {"scenario.yaml:1:10: extends: expected the name of a"}));
}

TEST(ScenarioLoader, ExtendsIsOnlyAllowedAtTheTop) {
  EXPECT_TRUE(contains_all(load_error("sellers:\n  extends: x.yaml\n"),
                           {"scenario.yaml:2:3: sellers.extends: unknown key 'extends'"}));
}

// --- Overrides ----------------------------------------------------------------------------------

TEST(ScenarioLoader, OverridesSetScalarsListElementsAndMapEntries) {
  const Scenario scenario = load_scenario(
      fixture_path("tiny.yaml").string(),
      {"enforcement.waves[0].recall=0.8", "weeks=30", "sellers.region_shares.US=0.30",
       "sellers.region_shares.EU=0.13", "enforcement.waves[0].target.regions=[CN-Shenzhen, US]",
       "channels.dominant={referral_fee: 0.1}", "enforcement.waves[0].target.regions[1]=EU"});
  EXPECT_DOUBLE_EQ(scenario.enforcement.waves[0].recall, 0.8);
  EXPECT_EQ(scenario.weeks, 30);
  EXPECT_EQ(scenario.enforcement.waves[0].target_regions, (std::vector<std::string>{"CN-Shenzhen", "EU"}));
  EXPECT_DOUBLE_EQ(scenario.channels.dominant.referral_fee, 0.1);
  EXPECT_EQ(scenario.channels.dominant.payout_cycle_days, 14);
  EXPECT_DOUBLE_EQ(scenario.sellers.region_shares[5].share, 0.30);  // US keeps its place
}

TEST(ScenarioLoader, RuleBreakerShareFactorsAreReadBySizeClassAndMustKeepTheShareAProbability) {
  const Scenario scenario = load_text("sellers:\n  rule_breaker_share: 0.2\n"
                                      "  rule_breaker_share_factor: {1M-10M: 2.5, over-10M: 0.05}\n");
  EXPECT_EQ(scenario.sellers.rule_breaker_share_factor, (std::array<double, kSizeClassCount>{1.0, 1.0, 2.5, 0.05}));
  EXPECT_DOUBLE_EQ(load_text("weeks: 3\n", {"sellers.rule_breaker_share_factor.100k-1M=3"})
                       .sellers.rule_breaker_share_factor[1],
                   3.0);
  const std::string message = input_error_message([] {
    load_text("sellers:\n  rule_breaker_share: 0.4\n  rule_breaker_share_factor: {under-100k: 3}\n");
  });
  EXPECT_TRUE(contains_all(message, {"sellers.rule_breaker_share_factor.under-100k", "0.4 x 3 = 1.2", "above 1"}))
      << message;
}

TEST(ScenarioLoader, OverridesApplyInOrder) {
  EXPECT_EQ(load_text("weeks: 3\n", {"weeks=4", "weeks=5"}).weeks, 5);
}

TEST(ScenarioLoader, OverrideCreatesMissingSectionsAndLists) {
  const Scenario scenario = load_text("weeks: 30\n", {"enforcement.hold_days=60",
                                                     "enforcement.waves=[{name: w, start: 2021-05-03, end: 2021-05-09}]",
                                                     "counterfactual.remove=[enforcement.waves.w]"});
  EXPECT_EQ(scenario.enforcement.hold_days, 60);
  ASSERT_EQ(scenario.enforcement.waves.size(), 1u);
  EXPECT_EQ(scenario.enforcement.waves[0].name, "w");
}

TEST(ScenarioLoader, OverrideWithABadValueNamesTheOverride) {
  const std::string message = input_error_message(
      [] { load_scenario(fixture_path("tiny.yaml").string(), {"enforcement.waves[0].recall=abc"}); });
  EXPECT_EQ(message.rfind("--set enforcement.waves[0].recall=abc: enforcement.waves[0].recall: expected a number in "
                          "[0, 1], found 'abc'",
                          0),
            0u)
      << message;
}

TEST(ScenarioLoader, OverrideUnknownKeySuggestsTheNearest) {
  const std::string message = input_error_message(
      [] { load_scenario(fixture_path("tiny.yaml").string(), {"enforcement.waves[0].recal=0.5"}); });
  EXPECT_TRUE(contains_all(message, {"--set enforcement.waves[0].recal=0.5: enforcement.waves[0].recal: unknown key "
                                     "'recal'; did you mean 'recall'?"}));
}

TEST(ScenarioLoader, OverrideUnknownSectionSuggestsTheNearest) {
  EXPECT_TRUE(contains_all(input_error_message([] { load_text("weeks: 3\n", {"enforcment.hold_days=5"}); }),
                           {"--set enforcment.hold_days=5: enforcment: unknown key 'enforcment'; did you mean "
                            "'enforcement'?"}));
}

TEST(ScenarioLoader, OverrideIndexOutOfRangeIsAnError) {
  const std::string message = input_error_message(
      [] { load_scenario(fixture_path("tiny.yaml").string(), {"enforcement.waves[3].recall=0.5"}); });
  EXPECT_TRUE(contains_all(message, {"--set enforcement.waves[3].recall=0.5: enforcement.waves[3]: index 3 is out "
                                     "of range: 'enforcement.waves' has 1 element (index 0)"}));
  EXPECT_TRUE(contains_all(input_error_message([] { load_text("weeks: 3\n", {"enforcement.waves[0].recall=0.5"}); }),
                           {"has no elements"}));
}

TEST(ScenarioLoader, OverrideWithoutEqualsIsMalformed) {
  EXPECT_TRUE(contains_all(input_error_message([] { load_text("weeks: 3\n", {"weeks"}); }),
                           {"--set weeks: malformed override: expected KEY=VALUE"}));
}

TEST(ScenarioLoader, OverrideWithAMalformedKeyPathIsAnError) {
  for (const std::string bad : {"=3", "weeks.=3", "a..b=3", "waves[x]=1", "waves[0=1", "a]b=1"})
    EXPECT_TRUE(contains_all(input_error_message([&] { load_text("weeks: 3\n", {bad}); }),
                             {"--set " + bad + ": malformed key path"}));
}

TEST(ScenarioLoader, OverrideIntoAScalarIsAnError) {
  EXPECT_TRUE(contains_all(input_error_message([] { load_text("weeks: 3\n", {"weeks.x=1"}); }),
                           {"weeks.x: 'weeks' takes an integer in [1, 5200]; it has no key 'x'"}));
  EXPECT_TRUE(contains_all(input_error_message([] { load_text("sellers: 5\n", {"sellers.count=1"}); }),
                           {"sellers.count: cannot set 'count' in 'sellers': it is '5' (at scenario.yaml:1:10)"}));
  EXPECT_TRUE(contains_all(input_error_message([] { load_text("weeks: 3\n", {"weeks[0]=1"}); }),
                           {"weeks[0]: 'weeks' is not a list"}));
}

TEST(ScenarioLoader, OverrideWithMalformedYamlValueIsAnError) {
  EXPECT_TRUE(contains_all(input_error_message([] { load_text("weeks: 3\n", {"counterfactual.remove=[a, b"}); }),
                           {"--set counterfactual.remove=[a, b: malformed YAML"}));
}

// --- Validation: keys and types ----------------------------------------------------------------

TEST(ScenarioLoader, UnknownKeyFixtureSuggestsTheNearestKey) {
  const std::string path = fixture_path("bad/unknown_key.yaml").string();
  const std::string message = input_error_message([&] { load_scenario(path); });
  EXPECT_TRUE(contains_all(message, {"unknown_key.yaml:7:7: enforcement.waves[0].recal: unknown key 'recal'; did "
                                     "you mean 'recall'?"}));
}

TEST(ScenarioLoader, UnknownKeyInTheWrongPlaceSuggestsItsFullPath) {
  EXPECT_TRUE(contains_all(load_error("hold_days: 60\n"),
                           {"scenario.yaml:1:1: hold_days: unknown key 'hold_days' here; did you mean "
                            "'enforcement.hold_days'?"}));
}

TEST(ScenarioLoader, UnknownKeyFarFromAnyListsTheValidKeys) {
  EXPECT_TRUE(contains_all(load_error("channels:\n  zzzzzz: 1\n"),
                           {"scenario.yaml:2:3: channels.zzzzzz: unknown key 'zzzzzz'; expected one of: dominant, "
                            "alternative, own_store, physical_store"}));
}

TEST(ScenarioLoader, WrongTypeFixtureNamesLineColumnAndKey) {
  const std::string path = fixture_path("bad/wrong_type.yaml").string();
  EXPECT_TRUE(contains_all(input_error_message([&] { load_scenario(path); }),
                           {"wrong_type.yaml:2:8: weeks: expected an integer in [1, 5200], found '1.5'"}));
}

TEST(ScenarioLoader, IntegerFieldsRejectFractionsTextAndOtherShapes) {
  EXPECT_TRUE(contains_all(load_error("weeks: abc\n"), {"scenario.yaml:1:8: weeks: expected an integer", "found 'abc'"}));
  EXPECT_TRUE(contains_all(load_error("weeks: [1]\n"), {"scenario.yaml:1:8: weeks: expected an integer", "found a list"}));
  EXPECT_TRUE(contains_all(load_error("weeks: {a: 1}\n"), {"weeks: expected an integer", "found a map"}));
  EXPECT_TRUE(contains_all(load_error("weeks:\n"), {"scenario.yaml:1:1: weeks: expected an integer", "found nothing"}));
  EXPECT_TRUE(contains_all(load_error("weeks: true\n"), {"weeks: expected an integer", "found 'true'"}));
  EXPECT_TRUE(contains_all(load_error("weeks: 1e3\n"), {"weeks: expected an integer", "found '1e3'"}));
  EXPECT_TRUE(contains_all(load_error("seed: -1\n"), {"seed: expected an integer in [0, 18446744073709551615]"}));
  EXPECT_TRUE(contains_all(load_error("seed: 18446744073709551616\n"), {"seed: expected an integer"}));
}

TEST(ScenarioLoader, NumbersMustBeFinite) {
  EXPECT_TRUE(contains_all(load_error("sellers: {gross_margin: .nan}\n"), {"sellers.gross_margin: expected a number"}));
  EXPECT_TRUE(contains_all(load_error("sellers: {cash_buffer_weeks: .inf}\n"), {"expected a number in [0, 520]"}));
  EXPECT_TRUE(contains_all(load_error("sellers: {cash_buffer_weeks: inf}\n"), {"expected a number in [0, 520]"}));
}

TEST(ScenarioLoader, DatesMustBeIsoCalendarDates) {
  EXPECT_TRUE(contains_all(load_error("start_date: 2021-02-30\n"),
                           {"scenario.yaml:1:13: start_date: expected an ISO date (YYYY-MM-DD), found '2021-02-30'"}));
  EXPECT_TRUE(contains_all(load_error("start_date: 3 May 2021\n"), {"start_date: expected an ISO date"}));
  EXPECT_TRUE(contains_all(load_error("start_date: 20210503\n"), {"start_date: expected an ISO date"}));
}

TEST(ScenarioLoader, TextValuesMustBeNonEmptyText) {
  EXPECT_TRUE(contains_all(load_error("name: [a]\n"), {"scenario.yaml:1:7: name: expected a non-empty text value, found a list"}));
  EXPECT_TRUE(contains_all(load_error("name: ''\n"), {"name: expected a non-empty text value"}));
}

TEST(ScenarioLoader, SectionsMustBeMaps) {
  EXPECT_TRUE(contains_all(load_error("sellers: 12\n"), {"scenario.yaml:1:10: sellers: expected a map, found '12'"}));
  EXPECT_TRUE(contains_all(load_error("enforcement: [1]\n"), {"enforcement: expected a map, found a list"}));
}

TEST(ScenarioLoader, DistributionFamilyMustBeKnown) {
  EXPECT_TRUE(contains_all(load_error("sellers:\n  annual_sales_usd: {dist: pareto, median: 1}\n"),
                           {"scenario.yaml:2:28: sellers.annual_sales_usd.dist: expected 'lognormal', found 'pareto'"}));
}

// --- Validation: ranges -------------------------------------------------------------------------

TEST(ScenarioLoader, NegativeCountFixtureIsOutOfRange) {
  const std::string path = fixture_path("bad/negative_count.yaml").string();
  EXPECT_TRUE(contains_all(input_error_message([&] { load_scenario(path); }),
                           {"negative_count.yaml:3:10: sellers.count: expected an integer in [1, 2147483647], found '-5'"}));
}

TEST(ScenarioLoader, IntegerLimitsAreEnforced) {
  EXPECT_TRUE(contains_all(load_error("sellers: {count: 2147483648}\n"), {"sellers.count: expected an integer in [1, 2147483647]"}));
  EXPECT_TRUE(contains_all(load_error("weeks: 5201\n"), {"weeks: expected an integer in [1, 5200], found '5201'"}));
  EXPECT_TRUE(contains_all(load_error("weeks: 0\n"), {"weeks: expected an integer in [1, 5200], found '0'"}));
  EXPECT_TRUE(contains_all(load_error("replications: 1000001\n"), {"replications: expected an integer in [1, 1000000]"}));
  EXPECT_EQ(load_text("weeks: 5200\nreplications: 1000000\n").replications, 1'000'000);
}

TEST(ScenarioLoader, ProbabilitiesOutsideTheUnitIntervalAreRejected) {
  const std::string message = load_error(std::string(one_wave) + "      false_positive_rate: 1.7\n");
  EXPECT_TRUE(contains_all(message, {"scenario.yaml:9:28: enforcement.waves[0].false_positive_rate: expected a number "
                                     "in [0, 1], found '1.7'"}));
  EXPECT_TRUE(contains_all(load_error("enforcement: {forfeit_probability_honest: -0.1}\n"),
                           {"enforcement.forfeit_probability_honest: expected a number in [0, 1]"}));
}

TEST(ScenarioLoader, MedianMustBePositive) {
  EXPECT_TRUE(contains_all(load_error("sellers: {annual_sales_usd: {median: 0}}\n"),
                           {"sellers.annual_sales_usd.median: expected a number in (0, 1000000000000], found '0'"}));
}

// --- Validation: region shares, waves, counterfactual -----------------------------------------

TEST(ScenarioLoader, RegionSharesMustSumToOne) {
  const std::string message = load_error("sellers:\n  region_shares: {US: 0.5, EU: 0.4}\n");
  EXPECT_TRUE(contains_all(message, {"scenario.yaml:2:18: sellers.region_shares: the shares sum to 0.9, expected 1"}));
  EXPECT_EQ(load_text("sellers: {region_shares: {US: 0.3333333, EU: 0.6666667}}\n").sellers.region_shares.size(), 2u);
}

TEST(ScenarioLoader, RegionSharesMustBeSharesOfNamedRegions) {
  EXPECT_TRUE(contains_all(load_error("sellers:\n  region_shares: {US: 1.5, EU: -0.5}\n"),
                           {"scenario.yaml:2:23: sellers.region_shares.US: expected a map of name -> share in [0, 1]"}));
  EXPECT_TRUE(contains_all(load_error("sellers: {region_shares: {}}\n"), {"sellers.region_shares: expected a map"}));
  EXPECT_TRUE(contains_all(load_error("sellers: {region_shares: [US]}\n"), {"found a list"}));
}

TEST(ScenarioLoader, RegionSharesFromAnOverrideAreCheckedToo) {
  const std::string message = input_error_message(
      [] { load_scenario(fixture_path("tiny.yaml").string(), {"sellers.region_shares.US=0.3"}); });
  EXPECT_TRUE(contains_all(message, {"sellers.region_shares: the shares sum to 0.94"}));
}

TEST(ScenarioLoader, WaveEndingBeforeItStartsIsAnError) {
  const std::string message =
      load_error("enforcement:\n  waves:\n    - {name: w, start: 2021-05-03, end: 2021-05-02}\n");
  EXPECT_TRUE(contains_all(message, {"scenario.yaml:3:41: enforcement.waves[0].end: the wave ends (2021-05-02) before "
                                     "it starts (2021-05-03)"}));
  EXPECT_EQ(load_text("enforcement:\n  waves:\n    - {name: w, start: 2021-05-03, end: 2021-05-03}\n")
                .enforcement.waves.size(),
            1u);
}

TEST(ScenarioLoader, WaveTargetSizeClassMustBeAKnownSizeClass) {
  const std::string message = load_error(
      "enforcement:\n  waves:\n    - {name: w, start: 2021-05-03, end: 2021-06-01, target: {size_classes: [over-10m]}}\n");
  EXPECT_TRUE(contains_all(message, {"scenario.yaml:3:", "enforcement.waves[0].target.size_classes[0]",
                                     "unknown size class 'over-10m'; did you mean 'over-10M'?"}))
      << message;
  EXPECT_EQ(load_text("enforcement:\n  waves:\n    - {name: w, start: 2021-05-03, end: 2021-06-01, "
                      "target: {size_classes: [1M-10M, over-10M]}}\n")
                .enforcement.waves[0]
                .target_size_classes.size(),
            2u);
}

TEST(ScenarioLoader, WaveTargetRegionMustBeAKnownRegion) {
  const std::string message = load_error(
      "enforcement:\n  waves:\n    - {name: w, start: 2021-05-03, end: 2021-06-01, target: {regions: [US, "
      "CN-Shenzen]}}\n");
  EXPECT_TRUE(contains_all(message, {"scenario.yaml:3:76: enforcement.waves[0].target.regions[1]: unknown region "
                                     "'CN-Shenzen'; did you mean 'CN-Shenzhen'?"}));
}

TEST(ScenarioLoader, WaveNamesMustBeUnique) {
  const std::string message = load_error(
      "enforcement:\n  waves:\n    - {name: w, start: 2021-05-03, end: 2021-06-01}\n"
      "    - {name: w, start: 2021-07-03, end: 2021-08-01}\n");
  EXPECT_TRUE(contains_all(message, {"scenario.yaml:4:14: enforcement.waves[1].name: duplicate wave name 'w' (also "
                                     "enforcement.waves[0])"}));
}

TEST(ScenarioLoader, WaveRequiresNameStartAndEnd) {
  EXPECT_TRUE(contains_all(load_error("enforcement:\n  waves:\n    - {name: w, end: 2021-06-01}\n"),
                           {"scenario.yaml:3:7: enforcement.waves[0]: missing required key 'start'"}));
  EXPECT_TRUE(contains_all(load_error("enforcement:\n  waves:\n    - 3\n"),
                           {"scenario.yaml:3:7: enforcement.waves[0]: expected a map, found '3'"}));
  EXPECT_TRUE(contains_all(load_error("enforcement:\n  waves:\n"),
                           {"enforcement.waves: expected a list of maps (write [] for none), found nothing"}));
}

TEST(ScenarioLoader, WaveChannelMustBeTheDominantMarketplace) {
  EXPECT_TRUE(contains_all(
      load_error("enforcement:\n  waves:\n    - {name: w, channel: temu, start: 2021-05-03, end: 2021-06-01}\n"),
      {"enforcement.waves[0].channel: expected 'dominant', found 'temu'"}));
}

TEST(ScenarioLoader, CounterfactualMustNameAWave) {
  const std::string message = load_error(std::string(one_wave) + "counterfactual:\n  remove: [enforcement.waves.china-2012]\n");
  EXPECT_TRUE(contains_all(message, {"scenario.yaml:10:12: counterfactual.remove[0]: 'enforcement.waves.china-2012' "
                                     "names no wave; did you mean 'enforcement.waves.china-2021'?"}));
  EXPECT_TRUE(contains_all(load_error("counterfactual: {remove: [x]}\n"), {"the scenario has no waves"}));
}

TEST(ScenarioLoader, CounterfactualAfterOverrideRemovingTheWaveIsAnError) {
  const std::string message = input_error_message(
      [] { load_scenario(fixture_path("tiny.yaml").string(), {"enforcement.waves=[]"}); });
  EXPECT_TRUE(contains_all(message, {"tiny.yaml:20:12: counterfactual.remove[0]", "names no wave"}));
}

// --- Hostile files ------------------------------------------------------------------------------

TEST(ScenarioLoader, BadFixturesAreInputErrorsNamingTheirFile) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"malformed.yaml", "malformed.yaml:4:6: malformed YAML: end of sequence flow not found"},
      {"top_level_list.yaml", "top_level_list.yaml:1:1: expected a map of scenario parameters at the top level, "
                              "found a list"},
      {"deep_nesting.yaml", "deep_nesting.yaml:2:"},
      {"alias_bomb.yaml", "alias_bomb.yaml:"},
      {"empty.yaml", "empty.yaml: the file is empty"},
      {"platform_event.yaml", "platform_event.yaml:6:13: platform.events[0].kind: expected one of "
                              "'fulfilment_centres', 'stores', found 'fulfillment_centres'; did you mean "
                              "'fulfilment_centres'?"},
  };
  for (const auto& [file, expected] : cases) {
    const std::string path = fixture_path("bad/" + file).string();
    EXPECT_TRUE(contains_all(input_error_message([&] { load_scenario(path); }), {expected})) << file;
  }
}

TEST(ScenarioLoader, TopLevelScalarAndCommentOnlyFilesAreRefused) {
  EXPECT_TRUE(contains_all(load_error("just text\n"), {"scenario.yaml:1:1: expected a map", "found 'just text'"}));
  EXPECT_TRUE(contains_all(load_error("# nothing but a comment\n"), {"scenario.yaml: the file is empty"}));
}

TEST(ScenarioLoader, MissingFileAndDirectoryAreRefused) {
  EXPECT_TRUE(contains_all(input_error_message([] { load_scenario("/no/such/scenario.yaml"); }),
                           {"/no/such/scenario.yaml: no such file"}));
  ScratchDirectory scratch;
  EXPECT_TRUE(contains_all(input_error_message([&] { load_scenario(scratch.path().string()); }), {"is a directory"}));
}

TEST(ScenarioLoader, DuplicateKeysAreRefused) {
  EXPECT_TRUE(contains_all(load_error("sellers:\n  count: 1\n  count: 2\n"),
                           {"scenario.yaml:3:3: sellers.count: duplicate key 'count' (first given at line 2, column 3)"}));
}

TEST(ScenarioLoader, AliasesWithinLimitsAreExpanded) {
  const Scenario scenario = load_text(
      "enforcement:\n  waves:\n    - &w {name: a, start: 2021-05-03, end: 2021-06-01, recall: 0.4}\n"
      "    - {name: b, start: 2021-07-03, end: 2021-08-01, recall: 0.4}\n");
  EXPECT_EQ(scenario.enforcement.waves.size(), 2u);
}

// --- Platform events: a second list of maps, handled like the waves ----------------------------

const char* const two_events = R"(
platform:
  delivery_days_saved_per_fulfilment_centre: 0.02
  store_preference_per_store: 0.003
  events:
    - name: converted-malls
      kind: fulfilment_centres
      start: 2021-03-01
      count: 10
      ramp_weeks: 26
    - name: stores-2021
      kind: stores
      start: 2021-06-07
      count: 40
)";

TEST(ScenarioLoader, ReadsPlatformEvents) {
  const Scenario scenario = load_text(two_events);
  EXPECT_DOUBLE_EQ(scenario.platform.delivery_days_saved_per_fulfilment_centre, 0.02);
  EXPECT_DOUBLE_EQ(scenario.platform.store_preference_per_store, 0.003);
  ASSERT_EQ(scenario.platform.events.size(), 2u);
  const PlatformEventSpec& malls = scenario.platform.events[0];
  EXPECT_EQ(malls.name, "converted-malls");
  EXPECT_EQ(malls.kind, kFulfilmentCentres);
  EXPECT_EQ(malls.start, Date::from_ymd(2021, 3, 1));
  EXPECT_EQ(malls.count, 10);
  EXPECT_EQ(malls.ramp_weeks, 26);
  EXPECT_EQ(scenario.platform.events[1].kind, kStores);
  EXPECT_EQ(scenario.platform.events[1].ramp_weeks, 0);  // the default
  EXPECT_TRUE(default_scenario("x").platform.events.empty());
}

TEST(ScenarioLoader, PlatformEventsRoundTripThroughToYaml) {
  const Scenario scenario = load_text(std::string(two_events) + one_wave);
  const std::string yaml = to_yaml(scenario);
  EXPECT_TRUE(contains_all(yaml, {"platform:", "kind: stores", "ramp_weeks: 26", "events:"}));
  EXPECT_EQ(load_scenario_from_text(yaml, "resolved.yaml"), scenario) << yaml;
  EXPECT_TRUE(contains_all(to_yaml(default_scenario("d")), {"events: []"}));
}

TEST(ScenarioLoader, OverridesReachPlatformEvents) {
  const Scenario scenario = load_text(two_events, {"platform.events[0].count=25", "platform.events[1].kind=fulfilment_centres",
                                                   "platform.store_preference_per_store=0.01"});
  EXPECT_EQ(scenario.platform.events[0].count, 25);
  EXPECT_EQ(scenario.platform.events[1].kind, kFulfilmentCentres);
  EXPECT_DOUBLE_EQ(scenario.platform.store_preference_per_store, 0.01);
  const Scenario created = load_text(
      "weeks: 3\n", {"platform.events=[{name: e, kind: stores, start: 2021-01-04, count: 3, ramp_weeks: 4}]"});
  ASSERT_EQ(created.platform.events.size(), 1u);
  EXPECT_EQ(created.platform.events[0].count, 3);
  EXPECT_TRUE(contains_all(input_error_message([] { load_text("weeks: 3\n", {"platform.events[0].count=5"}); }),
                           {"--set platform.events[0].count=5: platform.events[0]: index 0 is out of range: "
                            "'platform.events' has no elements"}));
  EXPECT_TRUE(contains_all(input_error_message([] { load_text(two_events, {"platform.events[0].count=-1"}); }),
                           {"--set platform.events[0].count=-1: platform.events[0].count: expected an integer in "
                            "[0, 100000], found '-1'"}));
}

TEST(ScenarioLoader, UnknownPlatformEventKeySuggestsTheNearest) {
  EXPECT_TRUE(contains_all(load_error(std::string(two_events) + "      cuont: 3\n"),
                           {"scenario.yaml:15:7: platform.events[1].cuont: unknown key 'cuont'; did you mean "
                            "'count'?"}));
  EXPECT_TRUE(contains_all(input_error_message([] { load_text(two_events, {"platform.events[0].ramp_week=3"}); }),
                           {"platform.events[0].ramp_week: unknown key 'ramp_week'; did you mean 'ramp_weeks'?"}));
  EXPECT_TRUE(contains_all(load_error("platfrom:\n  events: []\n"),
                           {"scenario.yaml:1:1: platfrom: unknown key 'platfrom'; did you mean 'platform'?"}));
}

TEST(ScenarioLoader, PlatformEventsAreValidated) {
  EXPECT_TRUE(contains_all(load_error("platform:\n  events:\n    - {name: e, kind: stores, start: 2021-03-01}\n"),
                           {"scenario.yaml:3:7: platform.events[0]: missing required key 'count' (an integer in "
                            "[0, 100000])"}));
  EXPECT_TRUE(contains_all(load_error("platform:\n  events:\n    - {name: e, start: 2021-03-01, count: 1}\n"),
                           {"platform.events[0]: missing required key 'kind' (one of 'fulfilment_centres', "
                            "'stores')"}));
  EXPECT_TRUE(contains_all(
      load_error("platform:\n  events:\n    - {name: e, kind: stores, start: 2021-03-01, count: 1}\n"
                 "    - {name: e, kind: stores, start: 2021-04-01, count: 2}\n"),
      {"scenario.yaml:4:14: platform.events[1].name: duplicate event name 'e' (also platform.events[0])"}));
  EXPECT_TRUE(contains_all(
      load_error("platform:\n  events:\n    - {name: e, kind: stores, start: 2021-03-01, count: 1, ramp_weeks: 1.5}\n"),
      {"scenario.yaml:3:72: platform.events[0].ramp_weeks: expected an integer in [0, 520], found '1.5'"}));
  EXPECT_TRUE(contains_all(load_error("platform: {delivery_days_saved_per_fulfilment_centre: -0.1}\n"),
                           {"platform.delivery_days_saved_per_fulfilment_centre: expected a number in [0, 365], "
                            "found '-0.1'"}));
  EXPECT_TRUE(contains_all(load_error("platform:\n  events: {name: e}\n"),
                           {"scenario.yaml:2:11: platform.events: expected a list of maps (write [] for none), "
                            "found a map"}));
}

TEST(ScenarioLoader, DescribeCoversPlatformEvents) {
  EXPECT_TRUE(contains_all(describe_parameters("platform.events[0].count"),
                           {"platform.events[].count\n", "expected: an integer in [0, 100000]", "default:  (required)"}));
  EXPECT_TRUE(contains_all(describe_parameters("platform"),
                           {"platform.delivery_days_saved_per_fulfilment_centre\n", "default:  0.01",
                            "platform.events[].ramp_weeks\n", "default:  0"}));
  EXPECT_TRUE(contains_all(input_error_message([] { describe_parameters("platform.event"); }),
                           {"did you mean 'platform.events'?"}));
}

}  // namespace
}  // namespace sellershock
