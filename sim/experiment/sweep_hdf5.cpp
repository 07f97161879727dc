// The sweep's HDF5 file (docs/SWEEPS.md, "Output file"; conventions as docs/FORMAT.md), through the HDF5 C API. A writer of its own
// rather than an extension of sim/output/hdf5_writer.cpp: a sweep's layout (point x replication, the
// design, indices) shares nothing with a run's but the conventions, which are repeated here: UTF-8
// variable-length strings, dimension scales, units/long_name/description attributes, creation order,
// a temporary name renamed when complete.
#include <fcntl.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
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

void write_contents(hid_t file, const SweepResults& results, const std::string& command_line) {
  const SweepSpec& spec = results.spec;
  const std::size_t points = results.points, k = spec.factors.size();
  const auto replications = static_cast<std::size_t>(spec.replications);

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
  scalar_string(file, "sweep", spec.text, "the sweep file's text");
  scalar_string(file, "scenario", results.resolved_scenario,
                "the base scenario with the sweep's fixed overrides, resolved (each point adds its factor values and "
                "the sweep's seed)");

  std::vector<std::string> keys;
  std::vector<double> lows, highs;
  std::vector<std::int8_t> logs;
  for (const Factor& f : spec.factors) {
    keys.push_back(f.key);
    lows.push_back(f.values.empty() ? f.low : *std::min_element(f.values.begin(), f.values.end()));
    highs.push_back(f.values.empty() ? f.high : *std::max_element(f.values.begin(), f.values.end()));
    logs.push_back(f.log ? 1 : 0);
  }

  {
    Handle group = ordered_group(file, "design");
    Handle point = scale(int64s(group.get(), "point", {points}, iota(points)), "point", "index of the design point");
    Handle factor = scale(strings(group.get(), "factor", keys), "factor", "scenario key the factor sets (--set key)");
    Handle values = doubles(group.get(), "values", {points, k}, results.factor_values);
    describe(values.get(), "value of each factor at each point, as passed to --set", "", "factor value");
    attach(values, {&point, &factor});
    Handle unit = doubles(group.get(), "unit_values", {points, k}, results.unit_design.coordinates);
    describe(unit.get(), "the point's coordinate in the unit cube of the design (0 = low, 1 = high)", "");
    attach(unit, {&point, &factor});
    Handle low = doubles(group.get(), "low", {k}, lows);
    describe(low.get(), "lower bound of each factor (smallest value of a values list)", "");
    attach(low, {&factor});
    Handle high = doubles(group.get(), "high", {k}, highs);
    describe(high.get(), "upper bound of each factor (largest value of a values list)", "");
    attach(high, {&factor});
    Handle log = dataset(group.get(), "log", H5T_STD_I8LE, {k});
    if (k) checked_status(H5Dwrite(log.get(), H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, logs.data()), "write log");
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
    for (const SweepOutput& output : results.outputs) {
      Handle values = int64s(group.get(), output.spec.name, {points, replications}, output.values);
      describe(values.get(), output.spec.description, output.spec.unit, output.spec.long_name);
      if (!output.spec.measure.empty()) string_attribute(values.get(), "measure", output.spec.measure);
      attach(values, {&point, &replication});
      Handle stats = doubles(group.get(), output.spec.name + "_statistics", {points, kSweepStatisticCount},
                             output.statistics);
      describe(stats.get(), output.spec.description + " (statistics over replications)", output.spec.unit,
               output.spec.long_name);
      attach(stats, {&point, &statistic});
    }
  }

  if (!results.series.empty()) {
    // The weekly series the sweep file keeps: a run's /timeseries with point in front.
    Handle group = ordered_group(file, "timeseries");
    std::deque<Handle> scales;  // a deque: references to its elements stay valid as it grows
    std::vector<std::string> scale_names;
    const auto scale_of = [&](const std::string& name) -> const Handle& {
      for (std::size_t s = 0; s < scale_names.size(); ++s)
        if (scale_names[s] == name) return scales[s];
      if (name == "point") {
        scales.push_back(scale(int64s(group.get(), "point", {points}, iota(points)), "point", "index of the design point"));
      } else if (name == "replication") {
        scales.push_back(scale(int64s(group.get(), "replication", {replications}, iota(replications)), "replication",
                               "replication index (the same random streams at every point)"));
      } else {
        const auto axis = std::find_if(results.axes.begin(), results.axes.end(),
                                       [&](const Axis& a) { return a.name == name; });
        if (axis == results.axes.end()) throw std::logic_error("write_sweep_file: no axis '" + name + "'");
        scales.push_back(scale(axis->labels.empty() ? int64s(group.get(), name, {axis->values.size()}, axis->values)
                                                    : strings(group.get(), name, axis->labels),
                               name, axis->description));
      }
      scale_names.push_back(name);
      return scales.back();
    };
    for (const SweepSeries& kept : results.series) {
      std::vector<hsize_t> dims = {points};
      std::vector<const Handle*> attached = {&scale_of("point")};
      for (const std::string& d : kept.spec.dims) {
        const Handle& h = scale_of(d);
        attached.push_back(&h);
        dims.push_back(d == "replication" ? replications
                                          : std::find_if(results.axes.begin(), results.axes.end(),
                                                         [&](const Axis& a) { return a.name == d; })->size());
      }
      Handle values = int64s(group.get(), kept.spec.name, dims, kept.values);
      describe(values.get(), kept.spec.description, kept.spec.unit, kept.spec.long_name);
      if (!kept.spec.measure.empty()) string_attribute(values.get(), "measure", kept.spec.measure);
      attach(values, attached);
    }
  }

  if (spec.design == DesignKind::sobol || spec.design == DesignKind::morris) {
    Handle group = ordered_group(file, "sensitivity");
    std::vector<std::string> names;
    for (const SweepOutput& o : results.outputs)
      if (o.analysed) names.push_back(o.spec.name);
    Handle output_axis = scale(strings(group.get(), "output", names), "output", "summary entry analysed");
    Handle factor = scale(strings(group.get(), "factor", keys), "factor", "scenario key the factor sets");
    auto table = [&](const std::string& name, const std::string& description, auto value_of) {
      std::vector<double> values;
      for (const SweepOutput& o : results.outputs)
        if (o.analysed)
          for (std::size_t j = 0; j < k; ++j) values.push_back(value_of(o, j));
      Handle d = doubles(group.get(), name, {names.size(), k}, values);
      describe(d.get(), description, "1");
      attach(d, {&output_axis, &factor});
    };
    if (spec.design == DesignKind::sobol) {
      number_attribute(group.get(), "bootstrap_samples", H5T_STD_I64LE, H5T_NATIVE_INT64,
                       static_cast<std::int64_t>(spec.bootstrap_samples));
      string_attribute(group.get(), "estimators", "first order: Saltelli et al. (2010); total: Jansen (1999); "
                                                  "of the replication means; 95% bootstrap percentile intervals");
      table("S1", "first-order Sobol index", [](const SweepOutput& o, std::size_t j) { return o.sobol.first_order[j].value; });
      table("S1_low", "first-order index, lower end of the 95% bootstrap interval",
            [](const SweepOutput& o, std::size_t j) { return o.sobol.first_order[j].low; });
      table("S1_high", "first-order index, upper end of the 95% bootstrap interval",
            [](const SweepOutput& o, std::size_t j) { return o.sobol.first_order[j].high; });
      table("ST", "total Sobol index", [](const SweepOutput& o, std::size_t j) { return o.sobol.total[j].value; });
      table("ST_low", "total index, lower end of the 95% bootstrap interval",
            [](const SweepOutput& o, std::size_t j) { return o.sobol.total[j].low; });
      table("ST_high", "total index, upper end of the 95% bootstrap interval",
            [](const SweepOutput& o, std::size_t j) { return o.sobol.total[j].high; });
    } else {
      string_attribute(group.get(), "estimators", "Morris elementary effects of the replication means, per unit of "
                                                  "the factor's range scaled to [0, 1]");
      table("mu_star", "mean absolute elementary effect (mu*)",
            [](const SweepOutput& o, std::size_t j) { return o.morris.mu_star[j]; });
      table("mu", "mean elementary effect", [](const SweepOutput& o, std::size_t j) { return o.morris.mu[j]; });
      table("sigma", "standard deviation of the elementary effects",
            [](const SweepOutput& o, std::size_t j) { return o.morris.sigma[j]; });
    }
  }
}

}  // namespace

void write_sweep_file(const std::string& path, const SweepResults& results, const std::string& command_line,
                      bool overwrite) {
  check_output_path(path, overwrite);
  const fs::path target(path);
  if (!target.parent_path().empty()) {
    std::error_code error;
    fs::create_directories(target.parent_path(), error);
    if (error)
      throw InputError({}, "output", "cannot create directory '" + target.parent_path().string() + "': " + error.message());
  }
  std::string temporary_name = ".";
  temporary_name.append(target.filename().string()).append(".tmp-").append(std::to_string(::getpid()));
  const std::string temporary = (target.parent_path() / temporary_name).string();
  const QuietHdf5Errors quiet;
  try {
    Handle creation{checked(H5Pcreate(H5P_FILE_CREATE), "file properties"), H5Pclose};
    checked_status(H5Pset_link_creation_order(creation.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "order");
    checked_status(H5Pset_attr_creation_order(creation.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "order");
    Handle access{checked(H5Pcreate(H5P_FILE_ACCESS), "file properties"), H5Pclose};
    checked_status(H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG), "close degree");
    Handle file{checked(H5Fcreate(temporary.c_str(), H5F_ACC_TRUNC, creation.get(), access.get()),
                        "cannot create '" + temporary + "'"),
                H5Fclose};
    write_contents(file.get(), results, command_line);
    checked_status(file.close(), "cannot close '" + temporary + "'");
    sync_to_disk(temporary, false);
    std::error_code error;
    fs::rename(temporary, path, error);
    if (error) throw std::runtime_error("cannot rename '" + temporary + "' to '" + path + "': " + error.message());
    sync_to_disk(target.parent_path().empty() ? "." : target.parent_path().string(), true);
  } catch (...) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw;
  }
}

}  // namespace sellershock
