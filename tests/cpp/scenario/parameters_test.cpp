#include "scenario/parameters.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "scenario/loader.hpp"
#include "scenario_test_support.hpp"

namespace sellershock {
namespace {

using testing::contains_all;
using testing::input_error_message;

TEST(ScenarioParameters, TableHasTheKeysOfTheScenarioStruct) {
  // The contract with the model code (scenario.hpp) and the brief, spelt out once more on purpose.
  const std::vector<std::string> expected = {
      "name", "start_date", "weeks", "replications", "seed", "sellers.count", "sellers.region_shares",
      "sellers.annual_sales_usd.dist", "sellers.annual_sales_usd.median", "sellers.annual_sales_usd.sigma",
      "sellers.categories", "sellers.accounts_per_million_usd", "sellers.max_accounts", "sellers.inventory_weeks",
      "sellers.alternative_share", "sellers.own_store_share", "sellers.off_platform_sales_share", "sellers.scale",
      "sellers.rule_breaker_share", "sellers.gross_margin", "sellers.fixed_cost_share",
      "sellers.cash_buffer_weeks", "sellers.credit_line_weeks", "sellers.insolvency_weeks",
      "sellers.gross_margin_sd", "sellers.fixed_cost_sigma", "sellers.cash_buffer_sigma", "sellers.credit_kept_while_frozen",
      "buyers.count", "buyers.purchases_per_week", "buyers.spend_sigma", "buyers.loyalty_member_share",
      "buyers.follow_probability", "buyers.follow_across_channels_probability", "buyers.price_coefficient", "buyers.delivery_coefficient_per_day",
      "buyers.assortment_coefficient", "buyers.habit_coefficient", "buyers.membership_coefficient",
      "buyers.trust_coefficient", "buyers.bad_purchase_probability", "buyers.trust_loss_per_bad_purchase",
      "buyers.trust_recovery_per_week",
      "channels.dominant.preference", "channels.dominant.price_index", "channels.dominant.delivery_days",
      "channels.dominant.referral_fee", "channels.dominant.payout_cycle_days", "channels.dominant.reserve_days",
      "channels.alternative.preference", "channels.alternative.price_index", "channels.alternative.delivery_days",
      "channels.alternative.referral_fee", "channels.alternative.payout_cycle_days",
      "channels.alternative.reserve_days",
      "channels.own_store.preference", "channels.own_store.price_index", "channels.own_store.delivery_days",
      "channels.own_store.payment_fee", "channels.own_store.acquisition_cost_share",
      "channels.physical_store.preference", "channels.physical_store.price_index",
      "channels.physical_store.delivery_days", "channels.dominant.seller_delivery_days",
      "platform.delivery_days_saved_per_fulfilment_centre", "platform.store_preference_per_store",
      "platform.events", "platform.events[].name", "platform.events[].kind", "platform.events[].start",
      "platform.events[].count", "platform.events[].ramp_weeks",
      "enforcement.background_hazard_honest_per_week", "enforcement.background_hazard_rule_breaker_per_week",
      "enforcement.waves", "enforcement.waves[].name", "enforcement.waves[].channel", "enforcement.waves[].start",
      "enforcement.waves[].end", "enforcement.waves[].target.regions", "enforcement.waves[].target.size_classes",
      "enforcement.waves[].recall",
      "enforcement.waves[].false_positive_rate", "enforcement.hold_days", "enforcement.appeal_weeks",
      "enforcement.appeal_success_probability_honest", "enforcement.appeal_success_probability_rule_breaker",
      "enforcement.forfeit_probability_honest", "enforcement.forfeit_probability_rule_breaker",
      "enforcement.later_hold_from", "enforcement.later_hold_days", "enforcement.reinstated_wave_exposure",
      "legal.arbitration_filing_fee_usd", "legal.arbitration_counsel_cost_usd", "legal.arbitration_duration_weeks",
      "legal.win_probability", "legal.award_interest_per_year", "legal.collective_min_members",
      "legal.collective_cost_per_member_usd", "legal.collective_duration_weeks", "legal.collective_join_probability",
      "legal.precedent_effect", "diversification.review_weeks", "diversification.risk_learning_rate",
      "diversification.ramp_weeks", "diversification.horizon_weeks", "diversification.own_store_setup_cost_usd",
      "diversification.own_store_running_cost_usd_per_week", "diversification.alternative_setup_cost_usd",
      "diversification.alternative_running_cost_usd_per_week", "counterfactual.remove", "calibration.targets_file", "calibration.targets"};
  std::vector<std::string> keys;
  for (const Parameter& parameter : parameter_table()) keys.push_back(parameter.key);
  EXPECT_EQ(keys, expected);
}

TEST(ScenarioParameters, EveryEntryIsComplete) {
  std::set<std::string> keys;
  for (const Parameter& parameter : parameter_table()) {
    SCOPED_TRACE(parameter.key);
    EXPECT_TRUE(keys.insert(parameter.key).second) << "duplicate key";
    EXPECT_FALSE(parameter.description.empty());
    EXPECT_FALSE(parameter.source.empty());
    EXPECT_FALSE(default_value_text(parameter).empty());
    // One accessor, of the kind its place calls for; only a choice may store nothing.
    const bool in_list = parameter.key.find("[]") != std::string::npos;
    if (in_list) {
      EXPECT_EQ(parameter.scenario_field, nullptr);
    } else {
      EXPECT_EQ(parameter.element_field, nullptr);
    }
    const bool stores_nothing = parameter.scenario_field == nullptr && parameter.element_field == nullptr;
    if (stores_nothing) {
      EXPECT_EQ(parameter.kind, ParameterKind::choice);
    }
    if (parameter.kind == ParameterKind::choice) {
      EXPECT_FALSE(parameter.choices.empty());
    }
    if (parameter.kind == ParameterKind::integer || parameter.kind == ParameterKind::real) {
      EXPECT_LT(parameter.range.min, parameter.range.max);
    }
  }
}

TEST(ScenarioParameters, UnitsAreInTheKeyNames) {
  for (const Parameter& parameter : parameter_table()) {
    const std::string last = parameter.key.substr(parameter.key.rfind('.') + 1);
    auto ends_with = [&](const std::string& suffix) {
      return last.size() >= suffix.size() && last.compare(last.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    SCOPED_TRACE(parameter.key);
    if (parameter.unit == "weeks") {
      EXPECT_TRUE(ends_with("weeks"));
    } else if (parameter.unit == "days") {
      EXPECT_TRUE(ends_with("_days"));
    } else if (parameter.unit == "probability per week") {
      EXPECT_TRUE(ends_with("_per_week"));
    } else if (parameter.unit.find("USD") != std::string::npos) {
      EXPECT_NE(parameter.key.find("_usd"), std::string::npos);
    }
  }
}

TEST(ScenarioParameters, DefaultsAreValid) {
  const Scenario defaults = default_scenario("defaults");
  EXPECT_EQ(load_scenario_from_text(to_yaml(defaults), "defaults.yaml"), defaults);
  double sum = 0.0;
  for (const RegionShare& share : default_region_shares()) sum += share.share;
  EXPECT_NEAR(sum, 1.0, 1e-12);
}

// Sets one scalar parameter of `scenario` (through the table's accessor) to a valid value that is
// not its default; false for kinds without a single scalar field.
bool set_to_other_valid_value(const Parameter& parameter, Scenario& scenario) {
  if (!parameter.scenario_field) return false;
  const FieldRef field = parameter.scenario_field(scenario);
  const NumericRange& range = parameter.range;
  const double inside = std::min(range.min + (std::min(range.max, 1e6) - range.min) * 0.37, range.max);
  switch (parameter.kind) {
    case ParameterKind::integer:
      if (auto* narrow = std::get_if<int*>(&field)) **narrow = static_cast<int>(inside) == **narrow ? **narrow + 1 : static_cast<int>(inside);
      else *std::get<std::int64_t*>(field) = static_cast<std::int64_t>(inside) + 1;
      return true;
    case ParameterKind::seed: *std::get<std::uint64_t*>(field) = 987654321987654321u; return true;
    case ParameterKind::real: *std::get<double*>(field) = inside == range.min ? range.max : inside; return true;
    case ParameterKind::text: *std::get<std::string*>(field) = "other: name"; return true;
    case ParameterKind::date: *std::get<Date*>(field) = Date::from_ymd(1999, 12, 31); return true;
    default: return false;
  }
}

TEST(ScenarioParameters, EveryScalarParameterRoundTripsThroughItsOwnField) {
  const Scenario defaults = default_scenario("defaults");
  for (const Parameter& parameter : parameter_table()) {
    Scenario changed = defaults;
    if (!set_to_other_valid_value(parameter, changed)) continue;
    SCOPED_TRACE(parameter.key);
    EXPECT_NE(changed, defaults);  // the accessor reaches a real field
    EXPECT_EQ(load_scenario_from_text(to_yaml(changed), "changed.yaml"), changed) << to_yaml(changed);
  }
}

TEST(ScenarioParameters, DefaultTextComesFromTheStruct) {
  EXPECT_EQ(default_value_text(*find_parameter("weeks")), std::to_string(Scenario{}.weeks));
  EXPECT_EQ(default_value_text(*find_parameter("channels.dominant.referral_fee")), "0.15");
  EXPECT_EQ(default_value_text(*find_parameter("start_date")), "2021-01-04");
  EXPECT_EQ(default_value_text(*find_parameter("enforcement.waves[].recall")), "0.5");
  EXPECT_EQ(default_value_text(*find_parameter("enforcement.waves[].start")), "(required)");
  EXPECT_EQ(default_value_text(*find_parameter("counterfactual.remove")), "[]");
  EXPECT_EQ(default_value_text(*find_parameter("sellers.region_shares")).rfind("{CN-Shenzhen: 0.17, ", 0), 0u);
}

TEST(ScenarioParameters, ExpectedValueText) {
  EXPECT_EQ(expected_value_text(*find_parameter("weeks")), "an integer in [1, 5200]");
  EXPECT_EQ(expected_value_text(*find_parameter("enforcement.waves[].recall")), "a number in [0, 1]");
  EXPECT_EQ(expected_value_text(*find_parameter("sellers.annual_sales_usd.median")), "a number in (0, 1000000000000]");
  EXPECT_EQ(expected_value_text(*find_parameter("start_date")), "an ISO date (YYYY-MM-DD)");
  EXPECT_EQ(find_parameter("no.such.key"), nullptr);
}

TEST(ScenarioParameters, DescribeAllOrByPrefix) {
  const std::string all = describe_parameters();
  for (const Parameter& parameter : parameter_table()) EXPECT_NE(all.find(parameter.key + "\n"), std::string::npos);

  const std::string enforcement = describe_parameters("enforcement");
  EXPECT_TRUE(contains_all(enforcement, {"enforcement.hold_days\n", "enforcement.waves[].recall\n", "FACTS.md"}));
  EXPECT_EQ(enforcement.find("sellers.count"), std::string::npos);

  const std::string recall = describe_parameters("enforcement.waves[0].recall");
  EXPECT_TRUE(contains_all(recall, {"enforcement.waves[].recall\n", "expected: a number in [0, 1]", "default:  0.5",
                                    "unit:     share", "source:   assumption"}));
  EXPECT_EQ(recall.find("false_positive_rate"), std::string::npos);
  EXPECT_NE(describe_parameters("sellers.annual_sales_usd").find("sellers.annual_sales_usd.sigma"), std::string::npos);
}

TEST(ScenarioParameters, DescribeUnknownKeySuggestsTheNearest) {
  EXPECT_TRUE(contains_all(input_error_message([] { describe_parameters("enforcement.hold_dayz"); }),
                           {"enforcement.hold_dayz: no parameter matches; did you mean 'enforcement.hold_days'?"}));
  EXPECT_TRUE(contains_all(input_error_message([] { describe_parameters("enforcment"); }),
                           {"did you mean 'enforcement'?"}));
  EXPECT_TRUE(contains_all(input_error_message([] { describe_parameters("enforcement.wave"); }),
                           {"did you mean 'enforcement.waves'?"}));
  EXPECT_TRUE(contains_all(input_error_message([] { describe_parameters("qqqqqqqqqqqq"); }), {"sellershock describe"}));
}

TEST(ScenarioParameters, MarkdownReferenceHasOneRowPerParameter) {
  const std::string markdown = parameter_reference_markdown();
  for (const Parameter& parameter : parameter_table())
    EXPECT_NE(markdown.find("| `" + parameter.key + "` |"), std::string::npos) << parameter.key;
}

TEST(ScenarioParameters, DocsContainTheGeneratedReference) {
  const std::string path = std::string(SELLERSHOCK_SOURCE_DIR) + "/docs/SCENARIOS.md";
  std::ifstream file(path);
  ASSERT_TRUE(file) << path;
  std::stringstream text;
  text << file.rdbuf();
  const std::string docs = text.str();
  const std::string begin_marker = "<!-- BEGIN GENERATED PARAMETERS -->\n";
  const std::string end_marker = "<!-- END GENERATED PARAMETERS -->";
  const std::size_t begin = docs.find(begin_marker);
  const std::size_t end = docs.find(end_marker);
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  const std::string generated = docs.substr(begin + begin_marker.size(), end - begin - begin_marker.size());
  EXPECT_EQ(generated, "\n" + parameter_reference_markdown() + "\n")
      << "docs/SCENARIOS.md is out of date: replace the text between the markers with parameter_reference_markdown()";
}

}  // namespace
}  // namespace sellershock
