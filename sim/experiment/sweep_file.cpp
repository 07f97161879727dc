#include "experiment/sweep_file.hpp"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <regex>
#include <stdexcept>

#include "run/catalogue.hpp"
#include "scenario/config_tree.hpp"
#include "scenario/error.hpp"
#include "scenario/input_file.hpp"
#include "scenario/loader.hpp"
#include "scenario/parameters.hpp"
#include "scenario/suggest.hpp"

namespace sellershock {

namespace {

const std::vector<std::string> kTopKeys = {"scenario", "fixed",   "factors",       "design",           "samples",
                                           "replications", "seed", "outputs", "series", "morris_levels",
                                           "bootstrap_samples"};
const std::vector<std::string> kFactorKeys = {"key", "low", "high", "log", "values"};
const std::vector<std::string> kDesigns = {"grid", "lhs", "sobol", "morris"};

// A sweep would take longer than anyone waits for far below these; they catch typos (1e9 samples).
constexpr double kMaxSamples = 1'000'000;
constexpr double kMaxReplications = 100'000;

std::string did_you_mean(const std::string& wanted, const std::vector<std::string>& candidates) {
  const std::string nearest = nearest_candidate(wanted, candidates);
  return nearest.empty() ? "" : " (did you mean '" + nearest + "'?)";
}

std::string join(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& w : words) text += (text.empty() ? "" : ", ") + w;
  return text;
}

bool parse_double(const std::string& text, double& value) {
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  return error == std::errc() && stop == end && std::isfinite(value);
}

// Reads the problems of one file into `problems`, each at the node it concerns.
class Reader {
 public:
  explicit Reader(InputProblems& problems) : problems_(problems) {}

  void problem(const ConfigNode& node, const std::string& key, const std::string& what) {
    problems_.add(node.where, key, what);
  }

  bool number(const ConfigNode& node, const std::string& key, double& value) {
    if (node.kind != ConfigNode::Kind::scalar || !parse_double(node.scalar, value)) {
      problem(node, key, "expected a number, found " + describe_found(node));
      return false;
    }
    return true;
  }

  // A whole number in [min, max].
  bool count(const ConfigNode& node, const std::string& key, double min, double max, double& value) {
    if (!number(node, key, value)) return false;
    if (value != std::floor(value) || value < min || value > max) {
      problem(node, key, "expected a whole number from " + exact_number_text(min) + " to " + exact_number_text(max) +
                             ", found " + node.scalar);
      return false;
    }
    return true;
  }

  bool text(const ConfigNode& node, const std::string& key, std::string& value) {
    if (node.kind != ConfigNode::Kind::scalar || node.scalar.empty()) {
      problem(node, key, "expected text, found " + describe_found(node));
      return false;
    }
    value = node.scalar;
    return true;
  }

  bool boolean(const ConfigNode& node, const std::string& key, bool& value) {
    if (node.kind == ConfigNode::Kind::scalar && (node.scalar == "true" || node.scalar == "false")) {
      value = node.scalar == "true";
      return true;
    }
    problem(node, key, "expected true or false, found " + describe_found(node));
    return false;
  }

  bool list(const ConfigNode& node, const std::string& key) {
    if (node.kind == ConfigNode::Kind::list) return true;
    problem(node, key, "expected a list, found " + describe_found(node));
    return false;
  }

  bool map(const ConfigNode& node, const std::string& key) {
    if (node.kind == ConfigNode::Kind::map) return true;
    problem(node, key, "expected a map, found " + describe_found(node));
    return false;
  }

  // Unknown keys of a map, with the nearest known one.
  void known_keys(const ConfigNode& node, const std::string& prefix, const std::vector<std::string>& known) {
    for (const ConfigEntry& entry : node.entries)
      if (std::find(known.begin(), known.end(), entry.key) == known.end())
        problems_.add(entry.key_where, prefix + entry.key,
                      "unknown key '" + entry.key + "'" + did_you_mean(entry.key, known) + "; expected one of " +
                          join(known));
  }

 private:
  InputProblems& problems_;
};

// The parameter-table form of a --set key: list indices become "[]".
std::string table_key(const std::string& key) { return std::regex_replace(key, std::regex(R"(\[[0-9]+\])"), "[]"); }

std::vector<std::string> scalar_summary_names() {
  std::vector<std::string> names;
  for (const SummaryEntry& entry : kSummaries)
    if (entry.dims == SummaryDims::none) names.emplace_back(entry.name);
  return names;
}

void read_factor(Reader& reader, const ConfigNode& node, const std::string& prefix, SweepSpec& spec,
                 std::vector<SourceLocation>& factor_where) {
  if (!reader.map(node, prefix)) return;
  reader.known_keys(node, prefix + ".", kFactorKeys);
  Factor factor;
  bool ok = true;
  const ConfigEntry* key = nullptr;
  for (const ConfigEntry& e : node.entries)
    if (e.key == "key") key = &e;
  if (key == nullptr) {
    reader.problem(node, prefix + ".key", "missing: the scenario key this factor sets, e.g. enforcement.hold_days");
    ok = false;
  } else if (reader.text(*key->value, prefix + ".key", factor.key)) {
    const Parameter* parameter = find_parameter(table_key(factor.key));
    if (parameter != nullptr && parameter->kind != ParameterKind::integer && parameter->kind != ParameterKind::real &&
        parameter->kind != ParameterKind::seed) {
      reader.problem(*key->value, prefix + ".key", "'" + factor.key + "' is not a number: a factor must be numeric");
      ok = false;
    }
    factor.integer = parameter != nullptr && parameter->kind != ParameterKind::real;
  } else {
    ok = false;
  }
  const ConfigNode* low = nullptr;
  const ConfigNode* high = nullptr;
  const ConfigNode* values = nullptr;
  for (const ConfigEntry& e : node.entries) {
    if (e.key == "low") low = e.value.get();
    if (e.key == "high") high = e.value.get();
    if (e.key == "values") values = e.value.get();
    if (e.key == "log") ok = reader.boolean(*e.value, prefix + ".log", factor.log) && ok;
  }
  if (values != nullptr) {
    if (low != nullptr || high != nullptr) {
      reader.problem(*values, prefix + ".values", "give either values or low and high, not both");
      ok = false;
    }
    if (reader.list(*values, prefix + ".values")) {
      for (std::size_t k = 0; k < values->items.size(); ++k) {
        double v = 0;
        if (reader.number(*values->items[k], prefix + ".values[" + std::to_string(k) + "]", v))
          factor.values.push_back(v);
        else
          ok = false;
      }
      if (values->items.empty()) {
        reader.problem(*values, prefix + ".values", "expected at least one value");
        ok = false;
      }
    } else {
      ok = false;
    }
  } else if (low == nullptr || high == nullptr) {
    reader.problem(node, prefix, "expected low and high (a range) or values (a list)");
    ok = false;
  } else {
    ok = reader.number(*low, prefix + ".low", factor.low) && ok;
    ok = reader.number(*high, prefix + ".high", factor.high) && ok;
    if (ok && !(factor.low < factor.high)) {
      reader.problem(*high, prefix + ".high", "expected a value above low (" + exact_number_text(factor.low) + ")");
      ok = false;
    }
    if (ok && factor.log && !(factor.low > 0)) {
      reader.problem(*low, prefix + ".low", "a logarithmic factor needs low above 0");
      ok = false;
    }
  }
  if (ok) {
    spec.factors.push_back(factor);
    factor_where.push_back(key->value->where);
  }
}

// Loads the scenario with every factor at both ends (or at each value), so that a bad key or bound is
// reported now, at the factor's line, and never half-way through a sweep.
void check_factors_against_scenario(const SweepSpec& spec, const std::vector<SourceLocation>& factor_where,
                                    InputProblems& problems) {
  std::vector<std::string> base = spec.fixed;
  try {
    load_scenario(spec.scenario_path, base);
  } catch (const InputError& error) {
    problems.add({spec.file, 0, 0}, "scenario", std::string("the base scenario with the fixed overrides: ") + error.what());
    return;
  }
  for (std::size_t j = 0; j < spec.factors.size(); ++j) {
    const Factor& factor = spec.factors[j];
    std::vector<double> ends = {0.0, 1.0};
    if (!factor.values.empty()) {
      ends.clear();
      for (std::size_t k = 0; k < factor.values.size(); ++k)
        ends.push_back((static_cast<double>(k) + 0.5) / static_cast<double>(factor.values.size()));
    }
    for (double u : ends) {
      std::vector<std::string> overrides = base;
      overrides.push_back(factor.key + "=" + factor.text_at(u));
      try {
        load_scenario(spec.scenario_path, overrides);
      } catch (const InputError& error) {
        problems.add(factor_where[j], "factors[" + std::to_string(j) + "]",
                     "factor '" + factor.key + "' at " + factor.text_at(u) + " is not valid for scenario " +
                         spec.scenario_path + ": " + error.what());
        break;
      }
    }
  }
}

}  // namespace

const char* design_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::grid: return "grid";
    case DesignKind::lhs: return "lhs";
    case DesignKind::sobol: return "sobol";
    case DesignKind::morris: return "morris";
  }
  return "?";
}

SweepSpec load_sweep_file(const std::string& path) {
  SweepSpec spec;
  spec.file = path;
  spec.text = read_input_file(path, "sweep file");
  const ConfigNodePtr root = parse_config_text(spec.text, path);
  InputProblems problems;
  Reader reader(problems);
  if (!reader.map(*root, "")) problems.throw_if_any({path});
  reader.known_keys(*root, "", kTopKeys);
  std::vector<SourceLocation> factor_where;
  bool have_seed = false, have_scenario = false, have_factors = false, have_samples = false, have_design = false;
  for (const ConfigEntry& entry : root->entries) {
    const ConfigNode& node = *entry.value;
    const std::string& key = entry.key;
    double number = 0;
    if (key == "scenario") {
      std::string relative;
      if (reader.text(node, key, relative)) {
        have_scenario = true;
        spec.scenario_path = (std::filesystem::path(path).parent_path() / relative).lexically_normal().string();
      }
    } else if (key == "fixed") {
      if (reader.map(node, key))
        for (const ConfigEntry& e : node.entries) {
          std::string value;
          if (reader.text(*e.value, "fixed." + e.key, value)) spec.fixed.push_back(e.key + "=" + value);
        }
    } else if (key == "factors") {
      if (reader.list(node, key)) {
        for (std::size_t k = 0; k < node.items.size(); ++k)
          read_factor(reader, *node.items[k], "factors[" + std::to_string(k) + "]", spec, factor_where);
        have_factors = !node.items.empty();
        if (node.items.empty()) reader.problem(node, key, "expected at least one factor");
      }
    } else if (key == "design") {
      std::string word;
      if (reader.text(node, key, word)) {
        const auto found = std::find(kDesigns.begin(), kDesigns.end(), word);
        if (found == kDesigns.end())
          reader.problem(node, key, "unknown design '" + word + "'" + did_you_mean(word, kDesigns) +
                                        "; expected one of " + join(kDesigns));
        else {
          spec.design = static_cast<DesignKind>(found - kDesigns.begin());
          have_design = true;
        }
      }
    } else if (key == "samples") {
      if (reader.count(node, key, 1, kMaxSamples, number)) {
        spec.samples = static_cast<std::size_t>(number);
        have_samples = true;
      }
    } else if (key == "replications") {
      if (reader.count(node, key, 1, kMaxReplications, number)) spec.replications = static_cast<int>(number);
    } else if (key == "seed") {
      have_seed = true;
      if (node.kind != ConfigNode::Kind::scalar ||
          std::from_chars(node.scalar.data(), node.scalar.data() + node.scalar.size(), spec.seed).ptr !=
              node.scalar.data() + node.scalar.size() ||
          node.scalar.empty())
        reader.problem(node, key, "expected a whole number from 0 to 18446744073709551615, found " + describe_found(node));
    } else if (key == "outputs") {
      const std::vector<std::string> names = scalar_summary_names();
      if (reader.list(node, key))
        for (std::size_t k = 0; k < node.items.size(); ++k) {
          std::string name;
          const std::string item_key = "outputs[" + std::to_string(k) + "]";
          if (!reader.text(*node.items[k], item_key, name)) continue;
          if (std::find(names.begin(), names.end(), name) == names.end())
            reader.problem(*node.items[k], item_key,
                           "'" + name + "' is no scalar summary entry" + did_you_mean(name, names) +
                               " (sellershock describe --outputs lists them)");
          else
            spec.outputs.push_back(name);
        }
    } else if (key == "series") {
      std::vector<std::string> names;
      for (const SeriesEntry& entry : kSeries) names.emplace_back(entry.name);
      if (reader.list(node, key))
        for (std::size_t k = 0; k < node.items.size(); ++k) {
          std::string name;
          const std::string item_key = "series[" + std::to_string(k) + "]";
          if (!reader.text(*node.items[k], item_key, name)) continue;
          if (std::find(names.begin(), names.end(), name) == names.end())
            reader.problem(*node.items[k], item_key,
                           "'" + name + "' is no weekly series" + did_you_mean(name, names) +
                               " (sellershock describe --outputs lists them)");
          else if (std::find(spec.series.begin(), spec.series.end(), name) == spec.series.end())
            spec.series.push_back(name);
        }
    } else if (key == "morris_levels") {
      if (reader.count(node, key, 2, 100, number)) {
        spec.morris_levels = static_cast<std::size_t>(number);
        if (spec.morris_levels % 2 != 0) reader.problem(node, key, "expected an even number of levels");
      }
    } else if (key == "bootstrap_samples") {
      if (reader.count(node, key, 0, 100'000, number)) spec.bootstrap_samples = static_cast<std::size_t>(number);
    }
  }
  if (!have_scenario) reader.problem(*root, "scenario", "missing: the base scenario file, relative to this file");
  if (!have_factors && root->find("factors") == nullptr) reader.problem(*root, "factors", "missing: the factors to vary");
  if (!have_design && root->find("design") == nullptr)
    reader.problem(*root, "design", "missing: one of " + join(kDesigns));
  if (!have_samples && root->find("samples") == nullptr && !(have_design && spec.design == DesignKind::grid))
    reader.problem(*root, "samples", "missing: the number of points (lhs), base samples (sobol) or trajectories (morris)");
  if (have_design && spec.design == DesignKind::grid && !have_samples) spec.samples = 3;
  if (spec.outputs.empty()) spec.outputs = {kDefaultSweepOutput};
  problems.throw_if_any({path});
  if (!have_seed) {  // the base scenario's seed (a missing or invalid scenario is reported just below)
    try {
      spec.seed = load_scenario(spec.scenario_path, spec.fixed).seed;
    } catch (const InputError&) {
    }
  }
  check_factors_against_scenario(spec, factor_where, problems);
  problems.throw_if_any({path});
  return spec;
}

UnitDesign make_design(const SweepSpec& spec) {
  const std::size_t k = spec.factors.size();
  switch (spec.design) {
    case DesignKind::grid: {
      std::vector<std::size_t> levels;
      for (const Factor& f : spec.factors) levels.push_back(f.values.empty() ? spec.samples : f.values.size());
      UnitDesign design = grid_design(levels);
      // A values factor's level i sits in the middle of its share of [0, 1).
      for (std::size_t j = 0; j < k; ++j)
        if (!spec.factors[j].values.empty() && levels[j] > 1)
          for (std::size_t p = 0; p < design.size(); ++p) {
            double& u = design.coordinates[p * k + j];
            const double level = std::round(u * static_cast<double>(levels[j] - 1));
            u = (level + 0.5) / static_cast<double>(levels[j]);
          }
      return design;
    }
    case DesignKind::lhs: return latin_hypercube(spec.samples, k, spec.seed);
    case DesignKind::sobol: return saltelli_design(spec.samples, k);
    case DesignKind::morris: return morris_design(spec.samples, k, spec.morris_levels, spec.seed);
  }
  throw std::logic_error("make_design: unknown design");
}

std::vector<std::string> point_overrides(const SweepSpec& spec, const UnitDesign& design, std::size_t point) {
  std::vector<std::string> overrides = spec.fixed;
  for (std::size_t j = 0; j < spec.factors.size(); ++j)
    overrides.push_back(spec.factors[j].key + "=" + spec.factors[j].text_at(design.at(point, j)));
  overrides.push_back("seed=" + std::to_string(spec.seed));
  overrides.push_back("replications=" + std::to_string(spec.replications));
  return overrides;
}

Scenario point_scenario(const SweepSpec& spec, const UnitDesign& design, std::size_t point) {
  return load_scenario(spec.scenario_path, point_overrides(spec, design, point));
}

}  // namespace sellershock
