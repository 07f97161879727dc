// The sweep's HDF5 file (docs/SWEEPS.md, "Output file"; conventions as docs/FORMAT.md), through the HDF5 C API. A writer of its own
// rather than an extension of sim/output/hdf5_writer.cpp: a sweep's layout (point x replication, the
// design, indices) shares nothing with a run's but the conventions, which are repeated here: UTF-8
// variable-length strings, dimension scales, units/long_name/description attributes, creation order,
// a temporary name renamed when complete.
#include <fcntl.h>
#include <signal.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <cerrno>
#include <cstdlib>
#include <optional>
#include <deque>
#include <filesystem>
#include <stdexcept>
#include <utility>

#include "output/hdf5_quiet.hpp"

#include "experiment/sweep.hpp"
#include "output/hdf5_writer.hpp"
#include "scenario/error.hpp"
#include "sellershock/version.hpp"

namespace sellershock {

namespace fs = std::filesystem;

namespace {

constexpr int kSweepFormatVersion = 1;

[[noreturn]] void fail(const std::string& what) {
  H5Eclear2(H5E_DEFAULT);
  throw std::runtime_error("HDF5: " + what);
}
hid_t checked(hid_t id, const std::string& what) {
  if (id < 0) fail(what);
  return id;
}
void checked_status(herr_t status, const std::string& what) {
  if (status < 0) fail(what);
}

class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle& operator=(Handle&&) = delete;
  ~Handle() {
    if (id_ >= 0) closer_(id_);
  }
  hid_t get() const { return id_; }
  herr_t close() { return id_ >= 0 ? closer_(std::exchange(id_, H5I_INVALID_HID)) : 0; }

 private:
  hid_t id_;
  Closer closer_;
};


Handle string_type() {
  Handle type{checked(H5Tcopy(H5T_C_S1), "string type"), H5Tclose};
  checked_status(H5Tset_size(type.get(), H5T_VARIABLE), "string type");
  checked_status(H5Tset_cset(type.get(), H5T_CSET_UTF8), "string type");
  return type;
}

Handle ordered_group(hid_t parent, const std::string& name) {
  Handle properties{checked(H5Pcreate(H5P_GROUP_CREATE), "group properties"), H5Pclose};
  checked_status(H5Pset_link_creation_order(properties.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
                 "group creation order");
  checked_status(H5Pset_attr_creation_order(properties.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
                 "group attribute order");
  return {checked(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, properties.get(), H5P_DEFAULT),
                  "cannot create group " + name),
          H5Gclose};
}

void string_attribute(hid_t object, const std::string& name, const std::string& value) {
  Handle type = string_type();
  Handle space{checked(H5Screate(H5S_SCALAR), "dataspace"), H5Sclose};
  Handle attribute{checked(H5Acreate2(object, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                           "attribute " + name),
                   H5Aclose};
  const char* text = value.c_str();
  checked_status(H5Awrite(attribute.get(), type.get(), &text), "attribute " + name);
}

template <typename T>
void number_attribute(hid_t object, const std::string& name, hid_t file_type, hid_t memory_type, T value) {
  Handle space{checked(H5Screate(H5S_SCALAR), "dataspace"), H5Sclose};
  Handle attribute{checked(H5Acreate2(object, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                           "attribute " + name),
                   H5Aclose};
  checked_status(H5Awrite(attribute.get(), memory_type, &value), "attribute " + name);
}

void describe(hid_t object, const std::string& description, const std::string& unit, const std::string& long_name = "") {
  if (!unit.empty()) string_attribute(object, "units", unit);
  string_attribute(object, "long_name", long_name.empty() ? description : long_name);
  string_attribute(object, "description", description);
}

Handle dataset(hid_t group, const std::string& name, hid_t file_type, const std::vector<hsize_t>& dims) {
  Handle space{checked(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), "dataspace"), H5Sclose};
  Handle properties{checked(H5Pcreate(H5P_DATASET_CREATE), "dataset properties"), H5Pclose};
  bool chunkable = true;
  hsize_t elements = 1;
  for (hsize_t d : dims) {
    chunkable = chunkable && d > 0;
    elements *= d;
  }
  if (chunkable && elements > 1024) {  // large tables compressed; small ones stay contiguous
    std::vector<hsize_t> chunk = dims;
    // Tables of points: 1,024 points a chunk; series: one point a chunk (all its replications and weeks).
    chunk[0] = dims.size() > 2 ? 1 : std::min<hsize_t>(dims[0], 1024);
    checked_status(H5Pset_chunk(properties.get(), static_cast<int>(chunk.size()), chunk.data()), "chunk");
    checked_status(H5Pset_shuffle(properties.get()), "shuffle");
    checked_status(H5Pset_deflate(properties.get(), 4), "deflate");
  }
  return {checked(H5Dcreate2(group, name.c_str(), file_type, space.get(), H5P_DEFAULT, properties.get(), H5P_DEFAULT),
                  "cannot create dataset " + name),
          H5Dclose};
}

Handle doubles(hid_t group, const std::string& name, const std::vector<hsize_t>& dims, const std::vector<double>& values) {
  Handle d = dataset(group, name, H5T_IEEE_F64LE, dims);
  if (!values.empty())
    checked_status(H5Dwrite(d.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write " + name);
  return d;
}

Handle int64s(hid_t group, const std::string& name, const std::vector<hsize_t>& dims,
              const std::vector<std::int64_t>& values) {
  Handle d = dataset(group, name, H5T_STD_I64LE, dims);
  if (!values.empty())
    checked_status(H5Dwrite(d.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write " + name);
  return d;
}

Handle strings(hid_t group, const std::string& name, const std::vector<std::string>& values) {
  Handle type = string_type();
  Handle d = dataset(group, name, type.get(), {values.size()});
  std::vector<const char*> pointers;
  for (const std::string& v : values) pointers.push_back(v.c_str());
  if (!pointers.empty())
    checked_status(H5Dwrite(d.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), "write " + name);
  return d;
}

void scalar_string(hid_t group, const std::string& name, const std::string& value, const std::string& description) {
  Handle type = string_type();
  Handle space{checked(H5Screate(H5S_SCALAR), "dataspace"), H5Sclose};
  Handle d{checked(H5Dcreate2(group, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                   "dataset " + name),
           H5Dclose};
  const char* text = value.c_str();
  checked_status(H5Dwrite(d.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &text), "write " + name);
  describe(d.get(), description, "");
}

Handle scale(Handle d, const std::string& name, const std::string& description) {
  checked_status(H5DSset_scale(d.get(), name.c_str()), "dimension scale " + name);
  describe(d.get(), description, "");
  return d;
}

void attach(const Handle& d, const std::vector<const Handle*>& scales) {
  for (unsigned k = 0; k < scales.size(); ++k)
    checked_status(H5DSattach_scale(d.get(), scales[k]->get(), k), "attach dimension scale");
}

std::vector<std::int64_t> iota(std::size_t n) {
  std::vector<std::int64_t> v(n);
  for (std::size_t k = 0; k < n; ++k) v[k] = static_cast<std::int64_t>(k);
  return v;
}

void sync_to_disk(const std::string& path, bool directory) {
  const int descriptor = ::open(path.c_str(), O_RDONLY | (directory ? O_DIRECTORY : 0));
  if (descriptor < 0) return;
  (void)::fsync(descriptor);
  ::close(descriptor);
}

// Writes `values` into rows [row, row + 1) of the first dimension of a dataset.
void write_row(hid_t d, std::size_t row, hid_t memory_type, const void* values, const std::string& name) {
  Handle space{checked(H5Dget_space(d), "dataspace of " + name), H5Sclose};
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  checked_status(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), "dims of " + name);
  std::vector<hsize_t> start(dims.size(), 0), count = dims;
  start[0] = row;
  count[0] = 1;
  hsize_t elements = 1;
  for (std::size_t k = 1; k < count.size(); ++k) elements *= count[k];
  if (elements == 0) return;
  checked_status(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
                 "select a row of " + name);
  Handle memory{checked(H5Screate_simple(1, &elements, nullptr), "dataspace"), H5Sclose};
  checked_status(H5Dwrite(d, memory_type, memory.get(), space.get(), H5P_DEFAULT, values), "write " + name);
}

// The provenance attributes of the root, written when the sweep is complete (their order is the
// file's attribute order).
void write_root_attributes(hid_t file, const SweepResults& results, const std::string& command_line) {
  const SweepSpec& spec = results.spec;
  number_attribute(file, "format_version", H5T_STD_I32LE, H5T_NATIVE_INT, kSweepFormatVersion);
  string_attribute(file, "kind", "sweep");
  string_attribute(file, "program_version", kProgramVersion);
  string_attribute(file, "git_revision", kGitRevision);
  string_attribute(file, "command_line", command_line);
  number_attribute(file, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, static_cast<std::uint64_t>(spec.seed));
  number_attribute(file, "threads", H5T_STD_I32LE, H5T_NATIVE_INT, results.threads);
  number_attribute(file, "ranks", H5T_STD_I32LE, H5T_NATIVE_INT, results.ranks);
  string_attribute(file, "start_time", results.start_time);
  string_attribute(file, "end_time", results.end_time);
  number_attribute(file, "wall_seconds", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, results.wall_seconds);  // summarize
  string_attribute(file, "sweep_file", spec.file);
  string_attribute(file, "scenario_file", spec.scenario_path);
  string_attribute(file, "design", design_name(spec.design));
  number_attribute(file, "samples", H5T_STD_I64LE, H5T_NATIVE_INT64, static_cast<std::int64_t>(spec.samples));
  number_attribute(file, "replications", H5T_STD_I32LE, H5T_NATIVE_INT, spec.replications);
}

void write_sensitivity(hid_t file, const SweepResults& results) {
  const SweepSpec& spec = results.spec;
  const std::size_t k = spec.factors.size();
  if (spec.design != DesignKind::sobol && spec.design != DesignKind::morris) return;
  const FactorTable factors = factor_table(spec);
  Handle group = ordered_group(file, "sensitivity");
  std::vector<std::string> names;
  for (const SweepOutput& o : results.outputs)
    if (o.analysed) names.push_back(o.spec.name);
  Handle output_axis = scale(strings(group.get(), "output", names), "output", "summary entry analysed");
  Handle factor = scale(strings(group.get(), "factor", factors.keys), "factor", "scenario key the factor sets");
  if (spec.design == DesignKind::sobol)
    number_attribute(group.get(), "bootstrap_samples", H5T_STD_I64LE, H5T_NATIVE_INT64,
                     static_cast<std::int64_t>(spec.bootstrap_samples));
  string_attribute(group.get(), "estimators", sensitivity_estimators(spec.design));
  for (const SensitivityTable& table : sensitivity_tables(spec.design)) {
    Handle d = doubles(group.get(), table.name, {names.size(), k}, sensitivity_values(results, table));
    describe(d.get(), table.description, "1");
    attach(d, {&output_axis, &factor});
  }
}

// ".NAME.tmp-" : the prefix of the target's temporary files, followed by the writing process's id.
std::string temporary_prefix(const fs::path& target) { return "." + target.filename().string() + ".tmp-"; }

// Removes temporary files of `target` whose writing process no longer exists (killed mid-sweep).
void remove_stale_temporaries(const fs::path& target) {
  const fs::path directory = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const std::string prefix = temporary_prefix(target);
  std::error_code error;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::strtol(digits.c_str(), nullptr, 10);
    if (pid <= 0 || pid == static_cast<long>(::getpid())) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // its writer may still run
    std::error_code ignored;
    fs::remove(it->path(), ignored);
  }
}

}  // namespace

struct SweepFileWriter::State {
  std::string path, temporary;
  std::size_t points = 0, replications = 0, values_per_run = 0;
  std::vector<std::size_t> series_elements;
  std::optional<Handle> file;
  std::vector<Handle> values, statistics, series;  // datasets, in the results' order
  std::vector<std::int64_t> row;                   // a point's row of one dataset
  bool finished = false;
  double flush_seconds = 1.0;
  std::chrono::steady_clock::time_point last_flush;
};

SweepFileWriter::SweepFileWriter(const std::string& path, const SweepResults& header, bool overwrite,
                                 double flush_seconds)
    : state_(std::make_unique<State>()) {
  state_->flush_seconds = flush_seconds;
  state_->last_flush = std::chrono::steady_clock::now();
  check_output_path(path, overwrite);
  const fs::path target(path);
  if (!target.parent_path().empty()) {
    std::error_code error;
    fs::create_directories(target.parent_path(), error);
    if (error)
      throw InputError({}, "output", "cannot create directory '" + target.parent_path().string() + "': " + error.message());
  }
  remove_stale_temporaries(target);
  State& s = *state_;
  s.path = path;
  s.temporary = (target.parent_path() / (temporary_prefix(target) + std::to_string(::getpid()))).string();
  const SweepSpec& spec = header.spec;
  s.points = header.points;
  s.replications = static_cast<std::size_t>(spec.replications);
  s.values_per_run = header.outputs.size();
  for (const SweepSeries& kept : header.series) {
    s.series_elements.push_back(kept.elements);
    s.values_per_run += kept.elements;
  }
  const std::size_t points = s.points, k = spec.factors.size(), replications = s.replications;
  const QuietHdf5Errors quiet;
  try {
    Handle creation{checked(H5Pcreate(H5P_FILE_CREATE), "file properties"), H5Pclose};
    checked_status(H5Pset_link_creation_order(creation.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "order");
    checked_status(H5Pset_attr_creation_order(creation.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "order");
    Handle access{checked(H5Pcreate(H5P_FILE_ACCESS), "file properties"), H5Pclose};
    checked_status(H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG), "close degree");
    s.file.emplace(checked(H5Fcreate(s.temporary.c_str(), H5F_ACC_TRUNC, creation.get(), access.get()),
                           "cannot create '" + s.temporary + "'"),
                   H5Fclose);
    const hid_t file = s.file->get();
    scalar_string(file, "sweep", spec.text, "the sweep file's text");
    scalar_string(file, "scenario", header.resolved_scenario,
                  "the base scenario with the sweep's fixed overrides, resolved (each point adds its factor values and "
                  "the sweep's seed)");
    const FactorTable factors = factor_table(spec);
    {
      Handle group = ordered_group(file, "design");
      Handle point = scale(int64s(group.get(), "point", {points}, iota(points)), "point", "index of the design point");
      Handle factor = scale(strings(group.get(), "factor", factors.keys), "factor", "scenario key the factor sets (--set key)");
      Handle values = doubles(group.get(), "values", {points, k}, header.factor_values);
      describe(values.get(), "value of each factor at each point, as passed to --set", "", "factor value");
      attach(values, {&point, &factor});
      Handle unit = doubles(group.get(), "unit_values", {points, k}, header.unit_design.coordinates);
      describe(unit.get(), "the point's coordinate in the unit cube of the design (0 = low, 1 = high)", "");
      attach(unit, {&point, &factor});
      Handle low = doubles(group.get(), "low", {k}, factors.lows);
      describe(low.get(), "lower bound of each factor (smallest value of a values list)", "");
      attach(low, {&factor});
      Handle high = doubles(group.get(), "high", {k}, factors.highs);
      describe(high.get(), "upper bound of each factor (largest value of a values list)", "");
      attach(high, {&factor});
      Handle log = dataset(group.get(), "log", H5T_STD_I8LE, {k});
      if (k)
        checked_status(H5Dwrite(log.get(), H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, factors.logs.data()),
                       "write log");
      describe(log.get(), "1 if the factor is spread logarithmically between low and high", "");
      attach(log, {&factor});
    }
    {
      Handle group = ordered_group(file, "summary");
      Handle point = scale(int64s(group.get(), "point", {points}, iota(points)), "point", "index of the design point");
      Handle replication = scale(int64s(group.get(), "replication", {replications}, iota(replications)), "replication",
                                 "replication index (the same random streams at every point)");
      std::vector<std::string> statistic_labels(std::begin(kSweepStatistics), std::end(kSweepStatistics));
      Handle statistic = scale(strings(group.get(), "statistic", statistic_labels), "statistic",
                               "statistic over the replications of a point");
      for (const SweepOutput& output : header.outputs) {
        Handle values = int64s(group.get(), output.spec.name, {points, replications}, {});
        describe(values.get(), output.spec.description, output.spec.unit, output.spec.long_name);
        if (!output.spec.measure.empty()) string_attribute(values.get(), "measure", output.spec.measure);
        attach(values, {&point, &replication});
        Handle stats = doubles(group.get(), output.spec.name + "_statistics", {points, kSweepStatisticCount}, {});
        describe(stats.get(), output.spec.description + " (statistics over replications)", output.spec.unit,
                 output.spec.long_name);
        attach(stats, {&point, &statistic});
        s.values.push_back(std::move(values));
        s.statistics.push_back(std::move(stats));
      }
    }
    if (!header.series.empty()) {
      // The weekly series the sweep file keeps: a run's /timeseries with point in front.
      Handle group = ordered_group(file, "timeseries");
      std::deque<Handle> scales;  // a deque: references to its elements stay valid as it grows
      std::vector<std::string> scale_names;
      const auto scale_of = [&](const std::string& name) -> const Handle& {
        for (std::size_t n = 0; n < scale_names.size(); ++n)
          if (scale_names[n] == name) return scales[n];
        if (name == "point") {
          scales.push_back(scale(int64s(group.get(), "point", {points}, iota(points)), "point", "index of the design point"));
        } else if (name == "replication") {
          scales.push_back(scale(int64s(group.get(), "replication", {replications}, iota(replications)), "replication",
                                 "replication index (the same random streams at every point)"));
        } else {
          const auto axis = std::find_if(header.axes.begin(), header.axes.end(),
                                         [&](const Axis& a) { return a.name == name; });
          if (axis == header.axes.end()) throw std::logic_error("SweepFileWriter: no axis '" + name + "'");
          scales.push_back(scale(axis->labels.empty() ? int64s(group.get(), name, {axis->values.size()}, axis->values)
                                                      : strings(group.get(), name, axis->labels),
                                 name, axis->description));
        }
        scale_names.push_back(name);
        return scales.back();
      };
      for (const SweepSeries& kept : header.series) {
        std::vector<hsize_t> dims = {points};
        std::vector<const Handle*> attached = {&scale_of("point")};
        for (const std::string& d : kept.spec.dims) {
          const Handle& h = scale_of(d);
          attached.push_back(&h);
          dims.push_back(d == "replication" ? replications
                                            : std::find_if(header.axes.begin(), header.axes.end(),
                                                           [&](const Axis& a) { return a.name == d; })->size());
        }
        Handle values = int64s(group.get(), kept.spec.name, dims, {});
        describe(values.get(), kept.spec.description, kept.spec.unit, kept.spec.long_name);
        if (!kept.spec.measure.empty()) string_attribute(values.get(), "measure", kept.spec.measure);
        attach(values, attached);
        s.series.push_back(std::move(values));
      }
    }
    checked_status(H5Fflush(file, H5F_SCOPE_LOCAL), "flush '" + s.temporary + "'");
  } catch (...) {
    s.values.clear();
    s.statistics.clear();
    s.series.clear();
    s.file.reset();
    std::error_code ignored;
    fs::remove(s.temporary, ignored);
    throw;
  }
}

SweepFileWriter::~SweepFileWriter() {
  if (!state_ || state_->finished) return;
  const QuietHdf5Errors quiet;
  state_->values.clear();
  state_->statistics.clear();
  state_->series.clear();
  state_->file.reset();
  std::error_code ignored;
  fs::remove(state_->temporary, ignored);
}

const std::string& SweepFileWriter::temporary_path() const { return state_->temporary; }

void SweepFileWriter::write_point(const SweepPointRows& rows) {
  State& s = *state_;
  if (s.finished || !s.file) throw std::logic_error("SweepFileWriter::write_point after finish");
  if (rows.point >= s.points) throw std::logic_error("SweepFileWriter::write_point: point out of range");
  const QuietHdf5Errors quiet;
  const std::size_t r_count = s.replications, stride = s.values_per_run;
  for (std::size_t o = 0; o < s.values.size(); ++o) {
    s.row.resize(r_count);
    for (std::size_t r = 0; r < r_count; ++r) s.row[r] = rows.runs[r * stride + o];
    write_row(s.values[o].get(), rows.point, H5T_NATIVE_INT64, s.row.data(), "summary");
    write_row(s.statistics[o].get(), rows.point, H5T_NATIVE_DOUBLE, rows.statistics + o * kSweepStatisticCount,
              "summary statistics");
  }
  std::size_t at = s.values.size();
  for (std::size_t k = 0; k < s.series.size(); ++k) {
    const std::size_t elements = s.series_elements[k];
    s.row.resize(r_count * elements);
    for (std::size_t r = 0; r < r_count; ++r)
      std::copy(rows.runs + r * stride + at, rows.runs + r * stride + at + elements,
                s.row.begin() + static_cast<std::ptrdiff_t>(r * elements));
    write_row(s.series[k].get(), rows.point, H5T_NATIVE_INT64, s.row.data(), "timeseries");
    at += elements;
  }
  // The rows reach the file now, not when it is closed (a reader of the temporary file sees them); at
  // most every flush_seconds, since a flush recompresses the chunks touched since the last.
  const auto now = std::chrono::steady_clock::now();
  if (std::chrono::duration<double>(now - s.last_flush).count() >= s.flush_seconds) {
    checked_status(H5Fflush(s.file->get(), H5F_SCOPE_LOCAL), "flush '" + s.temporary + "'");
    s.last_flush = now;
  }
}

void SweepFileWriter::finish(const SweepResults& results, const std::string& command_line,
                             const std::function<void()>& before_commit) {
  State& s = *state_;
  if (s.finished || !s.file) throw std::logic_error("SweepFileWriter::finish twice");
  const QuietHdf5Errors quiet;
  write_sensitivity(s.file->get(), results);
  write_root_attributes(s.file->get(), results, command_line);
  s.values.clear();
  s.statistics.clear();
  s.series.clear();
  checked_status(s.file->close(), "cannot close '" + s.temporary + "'");
  s.file.reset();
  sync_to_disk(s.temporary, false);
  if (before_commit) before_commit();  // may throw: the destructor removes the temporary file
  std::error_code error;
  fs::rename(s.temporary, s.path, error);
  if (error) throw std::runtime_error("cannot rename '" + s.temporary + "' to '" + s.path + "': " + error.message());
  s.finished = true;
  const fs::path target(s.path);
  sync_to_disk(target.parent_path().empty() ? "." : target.parent_path().string(), true);
}

void write_sweep_file(const std::string& path, const SweepResults& results, const std::string& command_line,
                      bool overwrite, const std::function<void()>& before_commit) {
  SweepFileWriter writer(path, results, overwrite, std::numeric_limits<double>::infinity());  // all at once: no flushes
  const std::size_t replications = static_cast<std::size_t>(results.spec.replications);
  std::size_t values_per_run = results.outputs.size();
  for (const SweepSeries& kept : results.series) values_per_run += kept.elements;
  std::vector<std::int64_t> runs(replications * values_per_run);
  std::vector<double> statistics(results.outputs.size() * kSweepStatisticCount);
  for (std::size_t p = 0; p < results.points; ++p) {
    for (std::size_t r = 0; r < replications; ++r) {
      std::int64_t* run = &runs[r * values_per_run];
      for (std::size_t o = 0; o < results.outputs.size(); ++o) run[o] = results.outputs[o].values[p * replications + r];
      std::size_t at = results.outputs.size();
      for (const SweepSeries& kept : results.series) {
        std::copy_n(kept.values.begin() + static_cast<std::ptrdiff_t>((p * replications + r) * kept.elements),
                    kept.elements, run + at);
        at += kept.elements;
      }
    }
    for (std::size_t o = 0; o < results.outputs.size(); ++o)
      std::copy_n(results.outputs[o].statistics.begin() + static_cast<std::ptrdiff_t>(p * kSweepStatisticCount),
                  kSweepStatisticCount, statistics.begin() + static_cast<std::ptrdiff_t>(o * kSweepStatisticCount));
    writer.write_point({p, runs.data(), statistics.data()});
  }
  writer.finish(results, command_line, before_commit);
}

}  // namespace sellershock
