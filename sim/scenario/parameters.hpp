// The one parameter table: every scenario parameter with its key path, type, unit, default,
// valid range, description and source. The loader validates against it, to_yaml writes from it,
// and `sellershock describe` and docs/SCENARIOS.md are generated from it; nothing is written twice.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "scenario/scenario.hpp"

namespace sellershock {

enum class ParameterKind {
  integer,    // decimal integer within range
  seed,       // any unsigned 64-bit integer
  real,       // finite number within range
  text,       // any plain text
  date,       // ISO 8601 calendar date, YYYY-MM-DD
  choice,     // one of a fixed set of words (e.g. a distribution's family)
  text_list,  // list of text values
  share_map,  // map name -> share; shares in [0, 1] summing to 1
  map_list,   // list of maps whose members are the parameters under "key[]."
};

// Where a parameter lives in the typed Scenario. monostate: the parameter only selects among fixed
// choices and stores nothing (e.g. dist: lognormal); a choice that matters stores its word (std::string*).
// The vectors of specs are the map_list parameters (enforcement.waves, platform.events).
using FieldRef = std::variant<std::monostate, int*, std::int64_t*, std::uint64_t*, double*, std::string*, Date*,
                              std::vector<std::string>*, std::vector<RegionShare>*, std::vector<WaveSpec>*,
                              std::vector<PlatformEventSpec>*>;

// The number of elements of a map_list field, and replacing its elements by `size` default ones (the
// loader then fills them in place). Throw std::logic_error for a field that is not a list of maps.
std::size_t list_size(const FieldRef& list);
void reset_list(const FieldRef& list, std::size_t size);

struct NumericRange {
  double min = 0.0;
  double max = 0.0;
  bool min_open = false;  // min itself is excluded
  bool max_open = false;
  bool contains(double value) const;
};

struct Parameter {
  std::string key;  // full key path; "[]" marks the elements of a list: "enforcement.waves[].recall"
  ParameterKind kind = ParameterKind::real;
  std::string unit;                  // empty when it has none
  NumericRange range;                // integer and real kinds (also each share of a share_map)
  std::vector<std::string> choices;  // choice kind; the first is the default
  bool required = false;             // no default: must be given (members of list elements only)
  std::string default_note;          // shown instead of the default value when it is not a fixed value
  std::string description;
  std::string source;                // FACTS.md figure the default comes from, or "assumption"
  FieldRef (*scenario_field)(Scenario&) = nullptr;  // parameters outside lists
  // Members of the elements of a map_list ("enforcement.waves[].recall"): the field in element `index`
  // of that list, which must exist. One accessor per member, so every list works the same way.
  FieldRef (*element_field)(Scenario&, std::size_t index) = nullptr;
};

// Every parameter, in the order the resolved YAML and the reference list them.
const std::vector<Parameter>& parameter_table();

// The parameter with this key path (list indices written as "[]"), or nullptr.
const Parameter* find_parameter(std::string_view key);

// The scenario a file with no parameters at all describes: the struct's defaults, plus the
// default region shares (which the struct leaves empty) and the given name.
Scenario default_scenario(const std::string& name);

// Seller shares by home region when a scenario gives none (see parameters.cpp for sources).
std::vector<RegionShare> default_region_shares();

// The shortest text that parses back to exactly `value`, in plain decimals where that is short
// ("0.0002", "60000"), otherwise in exponent form ("1e-300").
std::string exact_number_text(double value);

// What a value must be, for errors and the reference: "a number in [0, 1]", "an ISO date (YYYY-MM-DD)".
std::string expected_value_text(const Parameter& parameter);

// The default as YAML text ("0.15", "2021-01-04", "[]"), or the parameter's default_note.
std::string default_value_text(const Parameter& parameter);

// Plain-text reference for `sellershock describe [KEY]`. key_prefix: "" for all, a full key path
// ("enforcement.hold_days", indices allowed: "enforcement.waves[0].recall") or a prefix ending at a
// segment boundary ("enforcement", "enforcement.waves"). Throws InputError (suggesting the nearest
// key) when no parameter matches.
std::string describe_parameters(const std::string& key_prefix = "");

// The same table as Markdown, the generated part of docs/SCENARIOS.md.
std::string parameter_reference_markdown();

}  // namespace sellershock
