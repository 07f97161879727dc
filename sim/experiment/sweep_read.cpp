#include "experiment/sweep_read.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <iterator>

#include "output/hdf5_reader.hpp"
#include "output/json_text.hpp"
#include "scenario/config_tree.hpp"
#include "scenario/error.hpp"
#include "scenario/parameters.hpp"

namespace sellershock {

namespace {

constexpr std::int64_t kReadableSweepFormat = 1;

[[noreturn]] void refuse(const std::string& path, const std::string& what) {
  throw InputError({path, 0, 0}, "", format_input_error({path, 0, 0}, "", what));
}

DesignKind design_kind(const std::string& path, const std::string& name) {
  for (const DesignKind kind : {DesignKind::grid, DesignKind::lhs, DesignKind::sobol, DesignKind::morris})
    if (name == design_name(kind)) return kind;
  refuse(path, "unknown design '" + name + "' in @design: not a sweep file this program reads");
}

// Seconds since the epoch of an ISO 8601 UTC time as utc_now_iso writes it; -1 if it is not one.
double epoch_seconds(const std::string& iso) {
  std::tm utc{};
  if (iso.size() != 20 || !strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%SZ", &utc)) return -1;
  return static_cast<double>(timegm(&utc));
}

// The outputs the sweep file analyses (its `outputs:` list, else the default), read from its stored
// text: grid and lhs files record them nowhere else.
std::vector<std::string> analysed_outputs_in_text(const std::string& text, const std::string& label) {
  std::vector<std::string> names;
  const ConfigNodePtr root = parse_config_text(text, label);
  if (root->kind == ConfigNode::Kind::map)
    if (const ConfigEntry* outputs = root->find("outputs"); outputs && outputs->value->kind == ConfigNode::Kind::list)
      for (const ConfigNodePtr& item : outputs->value->items)
        if (item->kind == ConfigNode::Kind::scalar) names.push_back(item->scalar);
  if (names.empty()) names.emplace_back(kDefaultSweepOutput);
  return names;
}

// Shape check of a (rows, columns) dataset.
void expect_shape(const std::string& path, const std::string& name, const std::vector<std::uint64_t>& shape,
                  std::size_t rows, std::size_t columns) {
  if (shape.size() != 2 || shape[0] != rows || shape[1] != columns)
    refuse(path, name + " does not have the shape (" + std::to_string(rows) + ", " + std::to_string(columns) +
                     ") of the sweep's design: the file is damaged or of another version");
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

bool has_sweep_kind(const Hdf5Reader& reader) {
  return reader.has_attribute("kind") && reader.string_attribute("kind") == "sweep";
}

}  // namespace

bool is_sweep_file(const std::string& path) { return has_sweep_kind(Hdf5Reader(path)); }

SweepResults read_sweep_file(const std::string& path, std::string* note) {
  const Hdf5Reader reader(path);
  if (!has_sweep_kind(reader))
    refuse(path, "not a sweep file (no @kind \"sweep\": written by `sellershock sweep`)");
  if (reader.integer_attribute("format_version") > kReadableSweepFormat)
    refuse(path, "sweep format version " + std::to_string(reader.integer_attribute("format_version")) +
                     " is newer than this program reads (" + std::to_string(kReadableSweepFormat) + ")");
  if (!reader.has("design") || !reader.has("summary"))
    refuse(path, "an incomplete sweep file (no /design or /summary)");

  SweepResults results;
  SweepSpec& spec = results.spec;
  spec.file = reader.string_attribute("sweep_file");
  spec.text = reader.string_dataset("sweep");
  spec.scenario_path = reader.string_attribute("scenario_file");
  spec.design = design_kind(path, reader.string_attribute("design"));
  spec.samples = static_cast<std::size_t>(reader.integer_attribute("samples"));
  spec.replications = static_cast<int>(reader.integer_attribute("replications"));
  spec.seed = reader.unsigned_attribute("seed");
  results.resolved_scenario = reader.string_dataset("scenario");
  results.threads = static_cast<int>(reader.integer_attribute("threads"));
  results.ranks = static_cast<int>(reader.integer_attribute("ranks"));
  results.start_time = reader.string_attribute("start_time");
  results.end_time = reader.string_attribute("end_time");
  if (reader.has_attribute("wall_seconds")) {
    results.wall_seconds = reader.double_attribute("wall_seconds");
  } else {
    const double start = epoch_seconds(results.start_time), end = epoch_seconds(results.end_time);
    results.wall_seconds = start >= 0 && end >= start ? end - start : 0.0;
    if (note)
      *note = "the file has no @wall_seconds (written by an older version): the time printed is its end time "
              "minus its start time, to the second";
  }

  const std::vector<std::string> keys = reader.string_list("design/factor");
  const std::vector<double> lows = reader.double_dataset("design/low");
  const std::vector<double> highs = reader.double_dataset("design/high");
  const std::vector<std::int64_t> logs = reader.int64_dataset("design/log");
  const std::size_t k = keys.size();
  if (k == 0 || lows.size() != k || highs.size() != k || logs.size() != k)
    refuse(path, "the design's factors (design/factor, low, high, log) do not match");
  for (std::size_t j = 0; j < k; ++j) {
    Factor factor;
    factor.key = keys[j];
    factor.low = lows[j];
    factor.high = highs[j];
    factor.log = logs[j] != 0;
    spec.factors.push_back(factor);
  }
  std::vector<std::uint64_t> shape;
  results.factor_values = reader.double_dataset("design/values", &shape);
  if (shape.size() != 2) refuse(path, "design/values is not a (point, factor) table");
  results.points = static_cast<std::size_t>(shape[0]);
  expect_shape(path, "design/values", shape, results.points, k);
  results.unit_design.factors = k;
  results.unit_design.coordinates = reader.double_dataset("design/unit_values", &shape);
  expect_shape(path, "design/unit_values", shape, results.points, k);

  const auto replications = static_cast<std::size_t>(spec.replications);
  std::vector<std::string> analysed;
  if (reader.has("sensitivity/output"))
    analysed = reader.string_list("sensitivity/output");
  else
    analysed = analysed_outputs_in_text(spec.text, path + ":/sweep");
  spec.outputs = analysed;
  const std::vector<std::string> members = reader.members("summary");
  const auto is_member = [&](const std::string& name) {
    return std::find(members.begin(), members.end(), name) != members.end();
  };
  for (const std::string& name : members) {
    if (name == "point" || name == "replication" || name == "statistic") continue;
    if (name.size() > 11 && name.ends_with("_statistics") && is_member(name.substr(0, name.size() - 11))) continue;
    const std::string dataset = "summary/" + name;
    SweepOutput output;
    output.spec.name = name;
    output.spec.unit = reader.string_attribute_of(dataset, "units");
    output.spec.description = reader.string_attribute_of(dataset, "description");
    output.spec.long_name = reader.string_attribute_of(dataset, "long_name");
    output.spec.measure = reader.string_attribute_of(dataset, "measure");
    output.values = reader.int64_dataset(dataset, &shape);
    expect_shape(path, dataset, shape, results.points, replications);
    output.statistics = reader.double_dataset(dataset + "_statistics", &shape);
    expect_shape(path, dataset + "_statistics", shape, results.points, kSweepStatisticCount);
    output.analysed = std::find(analysed.begin(), analysed.end(), name) != analysed.end();
    results.outputs.push_back(std::move(output));
  }
  for (const std::string& name : analysed)
    if (!is_member(name)) refuse(path, "the analysed output '" + name + "' is not in /summary");

  if (spec.design == DesignKind::sobol || spec.design == DesignKind::morris) {
    if (!reader.has("sensitivity")) refuse(path, "a " + std::string(design_name(spec.design)) + " sweep without /sensitivity");
    const auto table = [&](const std::string& name) {
      std::vector<double> values = reader.double_dataset("sensitivity/" + name, &shape);
      expect_shape(path, "sensitivity/" + name, shape, analysed.size(), k);
      return values;
    };
    std::size_t row = 0;
    if (spec.design == DesignKind::sobol) {
      spec.bootstrap_samples =
          static_cast<std::size_t>(std::max<std::int64_t>(0, reader.integer_attribute_of("sensitivity", "bootstrap_samples")));
      const std::vector<double> s1 = table("S1"), s1_low = table("S1_low"), s1_high = table("S1_high");
      const std::vector<double> st = table("ST"), st_low = table("ST_low"), st_high = table("ST_high");
      for (const std::string& name : analysed) {
        SweepOutput& output = *std::find_if(results.outputs.begin(), results.outputs.end(),
                                            [&](const SweepOutput& o) { return o.spec.name == name; });
        for (std::size_t j = 0; j < k; ++j) {
          const std::size_t at = row * k + j;
          output.sobol.first_order.push_back({s1[at], s1_low[at], s1_high[at]});
          output.sobol.total.push_back({st[at], st_low[at], st_high[at]});
        }
        ++row;
      }
    } else {
      const std::vector<double> mu_star = table("mu_star"), mu = table("mu"), sigma = table("sigma");
      for (const std::string& name : analysed) {
        SweepOutput& output = *std::find_if(results.outputs.begin(), results.outputs.end(),
                                            [&](const SweepOutput& o) { return o.spec.name == name; });
        output.morris.mu_star.assign(mu_star.begin() + static_cast<std::ptrdiff_t>(row * k),
                                     mu_star.begin() + static_cast<std::ptrdiff_t>((row + 1) * k));
        output.morris.mu.assign(mu.begin() + static_cast<std::ptrdiff_t>(row * k),
                                mu.begin() + static_cast<std::ptrdiff_t>((row + 1) * k));
        output.morris.sigma.assign(sigma.begin() + static_cast<std::ptrdiff_t>(row * k),
                                   sigma.begin() + static_cast<std::ptrdiff_t>((row + 1) * k));
        ++row;
      }
    }
  }
  results.complete = true;
  return results;
}

}  // namespace sellershock

namespace sellershock {

std::string format_sweep_json(const SweepResults& results, const std::string& path) {
  const SweepSpec& spec = results.spec;
  const std::size_t k = spec.factors.size();
  const auto replications = static_cast<std::size_t>(spec.replications);
  const auto numbers = [](auto begin, auto end) {
    std::string out = "[";
    for (auto it = begin; it != end; ++it) out += (it == begin ? "" : ", ") + json_number(static_cast<double>(*it));
    return out + "]";
  };
  const auto integers = [](auto begin, auto end) {
    std::string out = "[";
    for (auto it = begin; it != end; ++it) out += (it == begin ? "" : ", ") + std::to_string(*it);
    return out + "]";
  };
  std::string out = "{\n  \"file\": " + json_string(path) + ",\n  \"kind\": \"sweep\",\n  \"sweep_file\": " +
                    json_string(spec.file) + ",\n  \"scenario_file\": " + json_string(spec.scenario_path) +
                    ",\n  \"design\": " + json_string(design_name(spec.design)) +
                    ",\n  \"samples\": " + std::to_string(spec.samples) + ",\n  \"points\": " +
                    std::to_string(results.points) + ",\n  \"replications\": " + std::to_string(spec.replications) +
                    ",\n  \"seed\": " + std::to_string(spec.seed) + ",\n  \"wall_seconds\": " +
                    json_number(results.wall_seconds) + ",\n  \"factors\": [";
  for (std::size_t j = 0; j < k; ++j) {
    const Factor& f = spec.factors[j];
    std::vector<double> column;
    for (std::size_t p = 0; p < results.points; ++p) column.push_back(results.factor_values[p * k + j]);
    out += std::string(j ? "," : "") + "\n    {\"key\": " + json_string(f.key) + ", \"low\": " + json_number(f.low) +
           ", \"high\": " + json_number(f.high) + ", \"log\": " + (f.log ? "true" : "false") +
           ", \"values\": " + numbers(column.begin(), column.end()) + "}";
  }
  out += "\n  ],\n  \"statistics\": [";
  for (std::size_t s = 0; s < kSweepStatisticCount; ++s) out += (s ? ", " : "") + json_string(kSweepStatistics[s]);
  out += "],\n  \"summary\": {";
  bool first = true;
  for (const SweepOutput& output : results.outputs) {
    out += std::string(first ? "" : ",") + "\n    " + json_string(output.spec.name) +
           ": {\"unit\": " + json_string(output.spec.unit) + ", \"measure\": " + json_string(output.spec.measure) +
           ", \"description\": " + json_string(output.spec.description) +
           ", \"analysed\": " + (output.analysed ? "true" : "false") + ", \"points\": [";
    first = false;
    for (std::size_t p = 0; p < results.points; ++p) {
      const auto values = output.values.begin() + static_cast<std::ptrdiff_t>(p * replications);
      out += std::string(p ? "," : "") + "\n      {\"values\": " + integers(values, values + spec.replications);
      for (std::size_t s = 0; s < kSweepStatisticCount && !output.statistics.empty(); ++s)
        out += ", " + json_string(kSweepStatistics[s]) + ": " +
               json_number(output.statistics[p * kSweepStatisticCount + s]);
      out += "}";
    }
    out += "]}";
  }
  out += "\n  }";
  if (spec.design == DesignKind::sobol || spec.design == DesignKind::morris) {
    out += ",\n  \"sensitivity\": {";
    first = true;
    for (const SweepOutput& output : results.outputs) {
      if (!output.analysed) continue;
      out += std::string(first ? "" : ",") + "\n    " + json_string(output.spec.name) + ": [";
      first = false;
      for (std::size_t j = 0; j < k; ++j) {
        out += std::string(j ? "," : "") + "\n      {\"factor\": " + json_string(spec.factors[j].key);
        // The design's tables as the file's /sensitivity names them (S1 ... ST_high, or mu_star, mu, sigma).
        for (const SensitivityTable& table : sensitivity_tables(spec.design))
          out += ", " + json_string(table.name) + ": " + json_number(table.value(output, j));
        out += "}";
      }
      out += "\n    ]";
    }
    out += "\n  }";
  }
  return out + "\n}\n";
}

std::string format_sweep_csv(const SweepResults& results) {
  const SweepSpec& spec = results.spec;
  const std::size_t k = spec.factors.size();
  const auto replications = static_cast<std::size_t>(spec.replications);
  std::string out = "entry,unit,point";
  for (const Factor& f : spec.factors) out += "," + csv_field(f.key);
  out += ",replication,value\n";
  // The factor columns of each point, once: the values exactly as passed to --set.
  std::vector<std::string> point_columns(results.points);
  for (std::size_t p = 0; p < results.points; ++p)
    for (std::size_t j = 0; j < k; ++j) point_columns[p] += "," + exact_number_text(results.factor_values[p * k + j]);
  for (const SweepOutput& output : results.outputs) {
    const std::string prefix = csv_field(output.spec.name) + "," + csv_field(output.spec.unit) + ",";
    for (std::size_t p = 0; p < results.points; ++p)
      for (std::size_t r = 0; r < replications; ++r)
        out += prefix + std::to_string(p) + point_columns[p] + "," + std::to_string(r) + "," +
               std::to_string(output.values[p * replications + r]) + "\n";
  }
  return out;
}

}  // namespace sellershock
