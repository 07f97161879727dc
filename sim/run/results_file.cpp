#include "run/results_file.hpp"

#include <cmath>
#include <cstdio>

#include "output/hdf5_reader.hpp"
#include "output/json_text.hpp"
#include "run/dose_response.hpp"
#include "run/replication.hpp"
#include "scenario/error.hpp"
#include "scenario/loader.hpp"

namespace sellershock {

RunFile read_run_file(const std::string& path) {
  Hdf5Reader reader(path);
  RunFile file;
  file.path = path;
  if (!reader.has("scenario") || !reader.has("summary"))
    throw InputError({path, 0, 0}, "", format_input_error({path, 0, 0}, "", "not a sellershock run file (no /scenario or /summary)"));
  if (reader.integer_attribute("format_version") != 1)
    throw InputError({path, 0, 0}, "", format_input_error({path, 0, 0}, "", "written in a format version this program does not read"));
  file.resolved_scenario = reader.string_dataset("scenario");
  file.scenario = load_scenario_from_text(file.resolved_scenario, path + ":/scenario");
  file.scenario_file = reader.string_attribute("scenario_file");

  Layout layout;
  if (reader.has("summary/off_platform_share")) {
    file.dose_response = true;
    for (const std::string& label : reader.string_list("summary/off_platform_share"))
      file.dose_levels.push_back(std::stod(label));
    layout = dose_response_layout(file.scenario, file.dose_levels);
  } else {
    file.with_counterfactual = reader.string_list("timeseries/run").size() == 2;
    layout = make_layout(file.scenario, file.with_counterfactual);
  }
  const std::size_t replications = static_cast<std::size_t>(file.scenario.replications);
  file.collected.begin(layout, file.scenario.replications, file.resolved_scenario);
  std::vector<ReplicationResult> results(replications);
  for (std::size_t r = 0; r < replications; ++r) results[r].replication = static_cast<std::int64_t>(r);
  for (const SummarySpec& spec : layout.summary) {
    std::vector<std::uint64_t> shape;
    const std::vector<std::int64_t> values = reader.int64_dataset("summary/" + spec.name, &shape);
    const std::size_t elements = layout.element_count(spec.dims);
    if (shape.empty() || shape[0] != replications || values.size() != replications * elements)
      throw InputError({path, 0, 0}, "",
                       format_input_error({path, 0, 0}, "", "summary/" + spec.name +
                                                                " does not have the shape its scenario implies: "
                                                                "the file was not written by this version"));
    for (std::size_t r = 0; r < replications; ++r)
      results[r].summary.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(r * elements),
                                      values.begin() + static_cast<std::ptrdiff_t>((r + 1) * elements));
  }
  for (const ReplicationResult& result : results) file.collected.add(result);
  return file;
}

namespace {

// The labels of element e of an entry over dims (row-major), e.g. {"frozen_not_recovered", "US", "over-10M"}.
std::vector<std::string> element_labels(const Layout& layout, const std::vector<std::string>& dims, std::size_t e) {
  std::vector<std::string> labels(dims.size());
  for (std::size_t k = dims.size(); k-- > 0;) {
    const Axis& axis = layout.axis(dims[k]);
    const std::size_t i = e % axis.size();
    e /= axis.size();
    labels[k] = axis.labels.empty() ? std::to_string(axis.values[i]) : axis.labels[i];
  }
  return labels;
}

}  // namespace

std::string format_summaries_json(const RunFile& file) {
  const Layout& layout = file.collected.layout();
  std::string out = "{\n  \"file\": " + json_string(file.path) + ",\n  \"scenario\": " +
                    json_string(file.scenario.name) + ",\n  \"replications\": " +
                    std::to_string(file.scenario.replications) + ",\n  \"weeks\": " +
                    std::to_string(file.scenario.weeks) + ",\n  \"seed\": " + std::to_string(file.scenario.seed) +
                    ",\n  \"summary\": {";
  const auto& specs = file.collected.summary();
  for (std::size_t k = 0; k < specs.size(); ++k) {
    const SummarySpec& spec = specs[k];
    out += std::string(k ? "," : "") + "\n    " + json_string(spec.name) + ": {\"unit\": " + json_string(spec.unit) +
           ", \"measure\": " + json_string(spec.measure) + ", \"description\": " + json_string(spec.description) +
           ", \"dims\": [";
    for (std::size_t d = 0; d < spec.dims.size(); ++d) out += (d ? ", " : "") + json_string(spec.dims[d]);
    out += "], \"elements\": [";
    const std::size_t elements = layout.element_count(spec.dims);
    for (std::size_t e = 0; e < elements; ++e) {
      out += std::string(e ? ", " : "") + "{\"labels\": [";
      const std::vector<std::string> labels = element_labels(layout, spec.dims, e);
      for (std::size_t l = 0; l < labels.size(); ++l) out += (l ? ", " : "") + json_string(labels[l]);
      out += "], \"values\": [";
      const std::vector<std::int64_t>& values = file.collected.values(k, e);
      for (std::size_t r = 0; r < values.size(); ++r) out += (r ? ", " : "") + std::to_string(values[r]);
      const SummaryStatistics s = summarize(values);
      out += "], \"mean\": " + json_number(s.mean) + ", \"q05\": " + json_number(s.q05) + ", \"q50\": " +
             json_number(s.q50) + ", \"q95\": " + json_number(s.q95) + ", \"standard_error\": " +
             json_number(s.standard_error) + "}";
    }
    out += "]}";
  }
  return out + "\n  }\n}\n";
}

std::string format_summaries_csv(const RunFile& file) {
  const Layout& layout = file.collected.layout();
  std::string out = "entry,unit,measure,element,replication,value\n";
  const auto& specs = file.collected.summary();
  for (std::size_t k = 0; k < specs.size(); ++k) {
    const std::size_t elements = layout.element_count(specs[k].dims);
    for (std::size_t e = 0; e < elements; ++e) {
      std::string element;
      for (const std::string& label : element_labels(layout, specs[k].dims, e))
        element += (element.empty() ? "" : "/") + label;
      const std::vector<std::int64_t>& values = file.collected.values(k, e);
      for (std::size_t r = 0; r < values.size(); ++r)
        out += specs[k].name + "," + specs[k].unit + "," + specs[k].measure + "," + element + "," + std::to_string(r) +
               "," + std::to_string(values[r]) + "\n";
    }
  }
  return out;
}

}  // namespace sellershock
