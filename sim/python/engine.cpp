// sellershock._engine: the run plan of the library (run/plan.hpp) and its sweeps (experiment/sweep.hpp)
// for Python. analysis/sellershock/api.py wraps them as sellershock.run and sellershock.sweep, and builds
// the same Results as sellershock.load, or the same Dataset as sellershock.load_sweep, from what they return.
//
// The engine runs on a worker thread with the GIL released; the calling thread waits for it and, every
// kSignalPollInterval, takes the GIL to let Python run its signal handlers (PyErr_CheckSignals). When one
// raises (Ctrl-C: KeyboardInterrupt) the run is asked to stop through RunProgress::cancel_requested, the
// worker is joined and the handler's exception propagates: the interpreter is left as it was.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "experiment/sweep.hpp"
#include "experiment/sweep_file.hpp"
#include "output/hdf5_writer.hpp"
#include "output/writer.hpp"
#include "run/plan.hpp"
#include "scenario/error.hpp"
#include "sellershock/version.hpp"

namespace py = pybind11;

namespace sellershock {
namespace {

// How often the waiting thread checks for Ctrl-C: short enough to feel immediate, long enough to cost
// nothing next to a week of simulation.
constexpr auto kSignalPollInterval = std::chrono::milliseconds(50);

// The statistic axis of the summaries, as the HDF5 writer (output/hdf5_writer.cpp) stores it: labels in
// the order summarize() reports them, and the axis's description.
const std::vector<std::string> kStatisticLabels(kSummaryStatisticLabels.begin(), kSummaryStatisticLabels.end());
constexpr const char* kStatisticDescription = kSummaryStatisticDescription;

// Runs `work` on a worker thread while the calling thread (which holds the GIL on entry and on exit)
// waits with the GIL released and polls for Python signals. A signal handler that raises cancels the
// run and its exception (e.g. KeyboardInterrupt) is rethrown once the worker has stopped; otherwise
// the worker's own exception, if any, is rethrown.
template <typename Work>
void run_interruptibly(RunProgress& progress, Work work) {
  std::mutex mutex;
  std::condition_variable finished_condition;
  bool finished = false;
  std::exception_ptr failure;
  bool interrupted = false;
  {
    py::gil_scoped_release without_gil;
    std::thread worker([&] {
      try {
        work();
      } catch (...) {
        failure = std::current_exception();
      }
      const std::lock_guard lock(mutex);
      finished = true;
      finished_condition.notify_all();
    });
    std::unique_lock lock(mutex);
    while (!finished) {
      if (finished_condition.wait_for(lock, kSignalPollInterval, [&] { return finished; })) break;
      lock.unlock();
      {
        py::gil_scoped_acquire with_gil;
        // Runs the Python handlers of signals that arrived; -1 means one raised, its error is set.
        if (PyErr_CheckSignals() != 0) interrupted = true;
      }
      if (interrupted) progress.cancel_requested.store(true);
      lock.lock();
      if (interrupted) break;
    }
    lock.unlock();
    worker.join();
  }
  // With the GIL again: the handler's exception is still the current Python error.
  if (interrupted) throw py::error_already_set();
  if (failure) std::rethrow_exception(failure);
}

py::array_t<std::int64_t> int64_array(const std::vector<py::ssize_t>& shape) { return py::array_t<std::int64_t>(shape); }

std::vector<py::ssize_t> shape_of(const Layout& layout, std::size_t leading, const std::vector<std::string>& dims) {
  std::vector<py::ssize_t> shape = {static_cast<py::ssize_t>(leading)};
  for (const std::string& d : dims) shape.push_back(static_cast<py::ssize_t>(layout.axis(d).size()));
  return shape;
}

// The axes as the Python side reads them: name, description, and integer values or labels.
py::list axes_list(const std::vector<Axis>& all) {
  py::list axes;
  for (const Axis& axis : all) {
    py::dict entry;
    entry["name"] = axis.name;
    entry["description"] = axis.description;
    if (axis.labels.empty())
      entry["values"] = py::array_t<std::int64_t>(static_cast<py::ssize_t>(axis.values.size()), axis.values.data());
    else
      entry["labels"] = axis.labels;
    axes.append(entry);
  }
  return axes;
}

// What describes a catalogue entry (a SeriesSpec or a SummarySpec) to the Python side.
template <typename Spec>
py::dict described(const Spec& spec) {
  py::dict entry;
  entry["name"] = spec.name;
  entry["unit"] = spec.unit;
  entry["description"] = spec.description;
  entry["long_name"] = spec.long_name;
  entry["measure"] = spec.measure;
  return entry;
}

// described() with the entry's dimensions.
template <typename Spec>
py::dict described_with_dims(const Spec& spec) {
  py::dict entry = described(spec);
  entry["dims"] = spec.dims;
  return entry;
}

py::dict layout_dict(const Layout& layout) {
  py::list axes = axes_list(layout.axes);
  py::list series, summary;
  for (const SeriesSpec& s : layout.series) series.append(described_with_dims(s));
  for (const SummarySpec& s : layout.summary) summary.append(described_with_dims(s));
  py::dict result;
  result["axes"] = axes;
  result["series"] = series;
  result["summary"] = summary;
  result["start_date"] = layout.start_date;
  return result;
}

py::dict provenance_dict(const Provenance& provenance) {
  py::dict result;
  result["format_version"] = provenance.format_version;
  result["program_version"] = provenance.program_version;
  result["git_revision"] = provenance.git_revision;
  result["command_line"] = provenance.command_line;
  result["seed"] = provenance.seed;
  result["threads"] = provenance.threads;
  result["ranks"] = provenance.ranks;
  result["start_time"] = provenance.start_time;
  result["end_time"] = provenance.end_time;
  result["scenario_name"] = provenance.scenario_name;
  result["scenario_file"] = provenance.scenario_file;
  return result;
}

// Everything the MemoryWriter kept, as numpy arrays: series and summary values over (replication,
// dims...), and each summary entry's statistics over (statistic, dims...) computed by summarize() as
// the HDF5 writer computes them.
py::dict results_dict(const MemoryWriter& memory, const RunTimes& times) {
  const Layout& layout = memory.layout();
  const std::vector<ReplicationResult>& replications = memory.replications();
  const std::size_t replication_count = replications.size();

  py::dict series;
  for (std::size_t s = 0; s < layout.series.size(); ++s) {
    const SeriesSpec& spec = layout.series[s];
    const std::vector<std::string> inner(spec.dims.begin() + 1, spec.dims.end());
    const std::size_t count = layout.element_count(inner);
    auto values = int64_array(shape_of(layout, replication_count, inner));
    std::int64_t* out = values.mutable_data();
    for (std::size_t r = 0; r < replication_count; ++r)
      std::copy(replications[r].series[s].begin(), replications[r].series[s].end(), out + r * count);
    series[py::str(spec.name)] = values;
  }

  py::dict summary, statistics;
  for (std::size_t k = 0; k < layout.summary.size(); ++k) {
    const SummarySpec& spec = layout.summary[k];
    const std::size_t count = layout.element_count(spec.dims);
    auto values = int64_array(shape_of(layout, replication_count, spec.dims));
    std::int64_t* out = values.mutable_data();
    for (std::size_t r = 0; r < replication_count; ++r)
      std::copy(replications[r].summary[k].begin(), replications[r].summary[k].end(), out + r * count);
    py::array_t<double> stats(shape_of(layout, kStatisticLabels.size(), spec.dims));
    double* stats_out = stats.mutable_data();
    std::vector<std::int64_t> column(replication_count);
    for (std::size_t e = 0; e < count; ++e) {
      for (std::size_t r = 0; r < replication_count; ++r) column[r] = out[r * count + e];
      const SummaryStatistics s = summarize(column);
      const auto row = statistic_values(s);
      for (std::size_t j = 0; j < row.size(); ++j) stats_out[j * count + e] = row[j];
    }
    summary[py::str(spec.name)] = values;
    statistics[py::str(spec.name)] = stats;
  }

  py::dict result;
  result["layout"] = layout_dict(layout);
  result["series"] = series;
  result["summary"] = summary;
  result["statistics"] = statistics;
  result["statistic_labels"] = kStatisticLabels;
  result["statistic_description"] = kStatisticDescription;
  result["scenario"] = memory.resolved_scenario();
  result["provenance"] = provenance_dict(memory.provenance());
  result["wall_seconds"] = times.wall_seconds;
  return result;
}

RunPlan plan_of(const std::string& scenario_path, const std::vector<std::string>& overrides,
                const std::optional<std::string>& replications, const std::optional<std::string>& seed, int threads,
                bool with_counterfactual) {
  // Named as the Python argument, not as the command line's -j.
  check_threads(threads, "threads");
  RunPlan plan;
  plan.scenario_path = scenario_path;
  plan.overrides = overrides;
  plan.replications = replications;
  plan.seed = seed;
  plan.threads = threads;
  plan.with_counterfactual = with_counterfactual;
  return plan;
}

// Runs into memory and returns the arrays (see results_dict).
py::dict run_in_memory(const std::string& scenario_path, const std::vector<std::string>& overrides,
             const std::optional<std::string>& replications, const std::optional<std::string>& seed, int threads,
             bool with_counterfactual, const std::string& command_line) {
  const PreparedRun prepared =
      prepare_run(plan_of(scenario_path, overrides, replications, seed, threads, with_counterfactual));
  MemoryWriter memory;
  RunProgress progress;
  RunTimes times;
  run_interruptibly(progress, [&] { times = execute(prepared, memory, provenance_of(prepared, command_line), &progress); });
  return results_dict(memory, times);
}

// Runs into an HDF5 file (as `sellershock run -o`) and returns the text report the command line prints.
std::string run_into_file(const std::string& scenario_path, const std::vector<std::string>& overrides,
                        const std::optional<std::string>& replications, const std::optional<std::string>& seed,
                        int threads, bool with_counterfactual, const std::string& command_line,
                        const std::string& output_path, bool overwrite) {
  const PreparedRun prepared =
      prepare_run(plan_of(scenario_path, overrides, replications, seed, threads, with_counterfactual));
  RunProgress progress;
  RunOutcome outcome;
  run_interruptibly(progress, [&] {
    outcome = sellershock::run_to_file(prepared, output_path, overwrite, provenance_of(prepared, command_line),
                                       &progress);
  });
  return outcome.report;
}

// --- Sweeps -------------------------------------------------------------------------------------------

// The text of an optional whole-number argument parsed into `value`; InputError naming the argument if
// it is not a whole number in [low, high].
template <typename Number>
void parse_whole(const std::string& name, const std::string& text, Number low, Number high, Number& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < low || value > high)
    throw InputError({name, 0, 0}, name,
                     name + ": expected a whole number from " + std::to_string(low) + " to " + std::to_string(high) +
                         ", found " + (text.empty() ? std::string("nothing") : text));
}

py::array_t<double> double_table(const std::vector<double>& values, std::size_t rows, std::size_t columns) {
  py::array_t<double> array({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(columns)});
  std::copy(values.begin(), values.end(), array.mutable_data());
  return array;
}

// One analysed quantity per row, one factor per column: a /sensitivity table as sweep_hdf5.cpp writes it
// (its description, units "1").
py::dict index_table(const std::string& description, std::vector<double> values, std::size_t rows, std::size_t k) {
  py::dict table;
  table["description"] = description;
  table["values"] = double_table(values, rows, k);
  return table;
}

// Everything a sweep's file holds, as the file holds it (docs/SWEEPS.md, "Output file"): the root
// attributes, the sweep's and the scenario's text, the design, every scalar summary entry over (point,
// replication) with its statistics over (point, statistic), the indices and the kept series. The
// attributes and descriptions are those write_sweep_file (sweep_hdf5.cpp) gives the file, so that
// sellershock.sweep returns what sellershock.load_sweep reads (tests/python/test_python_api.py checks it).
py::dict sweep_dict(const SweepResults& results, const std::string& command_line) {
  const SweepSpec& spec = results.spec;
  const std::size_t points = results.points, k = spec.factors.size();
  const auto replications = static_cast<std::size_t>(spec.replications);

  py::dict attributes;
  attributes["format_version"] = 1;
  attributes["kind"] = "sweep";
  attributes["program_version"] = kProgramVersion;
  attributes["git_revision"] = kGitRevision;
  attributes["command_line"] = command_line;
  attributes["seed"] = spec.seed;
  attributes["threads"] = results.threads;
  attributes["ranks"] = results.ranks;
  attributes["start_time"] = results.start_time;
  attributes["end_time"] = results.end_time;
  attributes["wall_seconds"] = results.wall_seconds;
  attributes["sweep_file"] = spec.file;
  attributes["scenario_file"] = spec.scenario_path;
  attributes["design"] = design_name(spec.design);
  attributes["samples"] = static_cast<std::int64_t>(spec.samples);
  attributes["replications"] = spec.replications;

  const FactorTable factors = factor_table(spec);  // as the file's /design
  py::dict design;
  design["factor"] = factors.keys;
  design["values"] = double_table(results.factor_values, points, k);
  design["unit_values"] = double_table(results.unit_design.coordinates, points, k);
  design["low"] = py::array_t<double>(static_cast<py::ssize_t>(k), factors.lows.data());
  design["high"] = py::array_t<double>(static_cast<py::ssize_t>(k), factors.highs.data());
  design["log"] = py::array_t<std::int8_t>(static_cast<py::ssize_t>(k), factors.logs.data());

  py::list outputs;
  std::vector<std::string> analysed;
  for (const SweepOutput& output : results.outputs) {
    py::dict entry = described(output.spec);
    auto values = int64_array({static_cast<py::ssize_t>(points), static_cast<py::ssize_t>(replications)});
    std::copy(output.values.begin(), output.values.end(), values.mutable_data());
    entry["values"] = values;
    entry["statistics"] = double_table(output.statistics, points, kSweepStatisticCount);
    outputs.append(entry);
    if (output.analysed) analysed.push_back(output.spec.name);
  }

  py::object sensitivity = py::none();
  if (spec.design == DesignKind::sobol || spec.design == DesignKind::morris) {
    py::dict group;
    group["output"] = analysed;
    py::dict tables, group_attributes;
    if (spec.design == DesignKind::sobol)
      group_attributes["bootstrap_samples"] = static_cast<std::int64_t>(spec.bootstrap_samples);
    group_attributes["estimators"] = sensitivity_estimators(spec.design);
    for (const SensitivityTable& table : sensitivity_tables(spec.design))
      tables[table.name] = index_table(table.description, sensitivity_values(results, table), analysed.size(), k);
    group["tables"] = tables;
    group["attributes"] = group_attributes;
    sensitivity = group;
  }

  py::list series;
  for (const SweepSeries& kept : results.series) {
    py::dict entry = described_with_dims(kept.spec);  // dims: (replication, run, week, CATEGORY...)
    std::vector<py::ssize_t> shape = {static_cast<py::ssize_t>(points)};
    for (const std::string& d : kept.spec.dims)
      shape.push_back(d == "replication" ? static_cast<py::ssize_t>(replications)
                                         : static_cast<py::ssize_t>(std::find_if(results.axes.begin(), results.axes.end(),
                                                                                 [&](const Axis& a) { return a.name == d; })
                                                                        ->size()));
    auto values = int64_array(shape);
    std::copy(kept.values.begin(), kept.values.end(), values.mutable_data());
    entry["values"] = values;
    series.append(entry);
  }
  py::list axes = axes_list(results.axes);

  py::dict result;
  result["attributes"] = attributes;
  result["sweep"] = spec.text;
  result["scenario"] = results.resolved_scenario;
  result["design"] = design;
  result["outputs"] = outputs;
  result["statistic_labels"] = std::vector<std::string>(std::begin(kSweepStatistics), std::end(kSweepStatistics));
  result["sensitivity"] = sensitivity;
  result["series"] = series;
  result["axes"] = axes;
  return result;
}

// Runs a sweep file into memory (and, with an output path, also writes its file as `sellershock sweep -o`
// does, without a journal) and returns it as sweep_dict does. replications and seed, when given, replace
// the sweep file's.
py::dict run_sweep_in_memory(const std::string& sweep_path, const std::optional<std::string>& replications,
                             const std::optional<std::string>& seed, int threads, const std::string& command_line,
                             const std::optional<std::string>& output_path, bool overwrite) {
  check_threads(threads, "threads");
  SweepSpec spec = load_sweep_file(sweep_path);
  if (replications) parse_whole<int>("replications", *replications, 1, 100'000, spec.replications);
  if (seed)
    parse_whole<std::uint64_t>("seed", *seed, 0, std::numeric_limits<std::uint64_t>::max(), spec.seed);
  if (output_path) check_output_path(*output_path, overwrite);
  RunProgress progress;
  SweepOptions options;
  options.threads = threads;
  options.quiet = true;
  options.progress = &progress;
  SweepResults results;
  run_interruptibly(progress, [&] {
    results = run_sweep(spec, options);
    if (progress.cancel_requested.load()) throw RunCancelled();  // interrupted as the last run ended: no file
    if (output_path)  // a stop requested while the file was written: no file either
      write_sweep_file(*output_path, results, command_line, overwrite, [&] { throw_if_cancelled(&progress); });
  });
  return sweep_dict(results, command_line);
}

}  // namespace
}  // namespace sellershock

PYBIND11_MODULE(_engine, module) {
  using namespace sellershock;
  module.doc() = "The sellershock engine (C++ library) for sellershock.run; use that, not this module.";
  module.attr("program_version") = kProgramVersion;
  module.attr("git_revision") = kGitRevision;
  // Bad input (scenario files, overrides, arguments): the message is the command line's, file:line:column
  // and key first. A ValueError, so that code catching ValueError for bad arguments catches it too.
  py::register_exception<InputError>(module, "InputError", PyExc_ValueError);
  py::register_exception<RunCancelled>(module, "RunCancelled", PyExc_RuntimeError);
  module.def("run", &run_in_memory, py::arg("scenario_path"), py::arg("overrides"), py::arg("replications"), py::arg("seed"),
             py::arg("threads"), py::arg("with_counterfactual"), py::arg("command_line"),
             "Run a scenario into memory; returns layout, series, summary and statistics as numpy arrays.");
  module.def("run_to_file", &run_into_file, py::arg("scenario_path"), py::arg("overrides"), py::arg("replications"),
             py::arg("seed"), py::arg("threads"), py::arg("with_counterfactual"), py::arg("command_line"),
             py::arg("output_path"), py::arg("overwrite"),
             "Run a scenario into an HDF5 file; returns the text report the command line prints.");
  module.def("sweep", &run_sweep_in_memory, py::arg("sweep_path"), py::arg("replications"), py::arg("seed"),
             py::arg("threads"), py::arg("command_line"), py::arg("output_path"), py::arg("overwrite"),
             "Run a sweep file into memory (and into output_path if given); returns its design, summaries, "
             "statistics, indices and kept series as numpy arrays.");
}
