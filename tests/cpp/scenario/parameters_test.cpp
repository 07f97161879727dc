#include "scenario/parameters.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <type_traits>
#include <variant>

#include "scenario/loader.hpp"
#include "scenario_test_support.hpp"

namespace sellershock {
namespace {

using testing::contains_all;
using testing::input_error_message;

// Which bytes of a T its default constructor writes: T is built over two buffers filled with
// different bytes, and the bytes equal afterwards are the ones construction wrote. Padding and unused
// storage inside strings stay as they were. Every field has an initialiser (its default), so every
// field writes at least one of its bytes.
template <typename T>
std::vector<bool> bytes_written_by_construction() {
  alignas(T) unsigned char first[sizeof(T)];
  alignas(T) unsigned char second[sizeof(T)];
  std::memset(first, 0xA5, sizeof first);
  std::memset(second, 0x5A, sizeof second);
  T* first_object = new (first) T;
  T* second_object = new (second) T;
  std::vector<bool> written(sizeof(T));
  for (std::size_t i = 0; i < sizeof(T); ++i) written[i] = first[i] == second[i];
  first_object->~T();
  second_object->~T();
  return written;
}

template <typename T>
struct ListElement {
  using type = void;
};
template <typename Element>
struct ListElement<std::vector<Element>> {
  using type = Element;
};

// Marks the bytes of the field `field` points to, as offsets from `base`.
void mark_field(const FieldRef& field, const void* base, std::vector<bool>& covered) {
  std::visit(
      [&](auto pointer) {
        if constexpr (std::is_pointer_v<decltype(pointer)>) {
          const auto offset = static_cast<std::size_t>(reinterpret_cast<const unsigned char*>(pointer) -
                                                       static_cast<const unsigned char*>(base));
          for (std::size_t i = 0; i < sizeof(*pointer) && offset + i < covered.size(); ++i) covered[offset + i] = true;
        }
      },
      field);
}

// Every byte a constructor writes but no parameter reaches, as "offsets 8..15" text ("" if none).
std::string unreached_bytes(const std::vector<bool>& written, const std::vector<bool>& covered) {
  std::string out;
  for (std::size_t i = 0; i < written.size(); ++i) {
    if (!written[i] || covered[i]) continue;
    std::size_t end = i;
    while (end + 1 < written.size() && written[end + 1] && !covered[end + 1]) ++end;
    out += (out.empty() ? "offsets " : ", ") + std::to_string(i) + ".." + std::to_string(end);
    i = end;
  }
  return out;
}

// The struct itself against the table, with no list of keys kept by hand: every byte the Scenario's
// constructor writes lies in a field some parameter reads and writes, and so does every byte of an
// element of each list of maps (waves, platform events). A field added to scenario.hpp without its
// row in parameters.cpp fails here; a row without a field fails EveryEntryIsComplete and
// EveryScalarParameterRoundTripsThroughItsOwnField below.
TEST(ScenarioParameters, TableHasTheKeysOfTheScenarioStruct) {
  Scenario scenario;
  std::vector<bool> covered(sizeof(Scenario));
  for (const Parameter& parameter : parameter_table())
    if (parameter.scenario_field) mark_field(parameter.scenario_field(scenario), &scenario, covered);
  EXPECT_EQ(unreached_bytes(bytes_written_by_construction<Scenario>(), covered), "")
      << "a field of Scenario (scenario.hpp) that no parameter of the table (parameters.cpp) reaches";

  for (const Parameter& list : parameter_table()) {
    if (list.kind != ParameterKind::map_list) continue;
    SCOPED_TRACE(list.key);
    std::visit(
        [&](auto elements) {
          using Element = typename ListElement<std::remove_pointer_t<decltype(elements)>>::type;
          if constexpr (!std::is_pointer_v<decltype(elements)> || !std::is_class_v<Element> ||
                        std::is_same_v<Element, std::string>) {
            ADD_FAILURE() << "a list of maps must be a vector of element structs";
          } else {
            elements->resize(1);
            std::vector<bool> element_covered(sizeof(Element));
            for (const Parameter& member : parameter_table())
              if (member.element_field && member.key.rfind(list.key + "[].", 0) == 0)
                mark_field(member.element_field(scenario, 0), &elements->front(), element_covered);
            EXPECT_EQ(unreached_bytes(bytes_written_by_construction<Element>(), element_covered), "")
                << "a field of the list's element struct that no parameter '" << list.key << "[].*' reaches";
          }
        },
        list.scenario_field(scenario));
  }
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
