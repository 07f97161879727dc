#include "output/hdf5_writer.hpp"

#include <fcntl.h>
#include <hdf5.h>

#include "output/hdf5_quiet.hpp"
#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <random>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "scenario/date.hpp"
#include "scenario/error.hpp"

namespace sellershock {

namespace fs = std::filesystem;

namespace {

// Labels of the statistic axis of /summary, in the order summarize() reports them.
constexpr const auto& kStatisticLabels = kSummaryStatisticLabels;

// Chunks hold one replication and the whole of the other dimensions, halved (outermost first)
// until they fit this size: large enough to compress well, small enough for HDF5's default
// 1 MiB chunk cache and for readers that want one region's series.
constexpr std::size_t kMaxChunkBytes = 1 << 20;
constexpr unsigned kDeflateLevel = 4;
// The in-memory file grows by this much at a time.
constexpr std::size_t kCoreIncrementBytes = 1 << 20;

InputError output_error(const std::string& message) { return InputError(SourceLocation{}, "output", message); }

// Collects the HDF5 error stack (most specific first) into one line, then clears it.
std::string hdf5_error_detail() {
  std::vector<std::string> descriptions;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned, const H5E_error2_t* error, void* client) -> herr_t {
        auto& out = *static_cast<std::vector<std::string>*>(client);
        if (error->desc != nullptr && out.size() < 3) {
          std::string text = error->desc;
          if (!text.empty() && std::find(out.begin(), out.end(), text) == out.end()) out.push_back(text);
        }
        return 0;
      },
      &descriptions);
  H5Eclear2(H5E_DEFAULT);
  std::string joined;
  for (const std::string& d : descriptions) joined += (joined.empty() ? "" : "; ") + d;
  return joined.empty() ? std::string("unknown HDF5 error") : joined;
}

[[noreturn]] void throw_hdf5(const std::string& what) {
  throw std::runtime_error("HDF5: " + what + ": " + hdf5_error_detail());
}

hid_t checked(hid_t id, const std::string& what) {
  if (id < 0) throw_hdf5(what);
  return id;
}

void checked(herr_t status, const std::string& what) {
  if (status < 0) throw_hdf5(what);
}

// Owns one HDF5 identifier and closes it with the matching H5?close.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
      closer_ = other.closer_;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  hid_t get() const { return id_; }
  // Closes now, reporting failure (a file's close is where buffered data reaches the disk).
  herr_t close() { return closer_ != nullptr && id_ >= 0 ? closer_(std::exchange(id_, H5I_INVALID_HID)) : 0; }
  void reset() noexcept {
    if (closer_ != nullptr && id_ >= 0) closer_(id_);
    id_ = H5I_INVALID_HID;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

Handle property_list(hid_t cls) { return {checked(H5Pcreate(cls), "cannot create property list"), H5Pclose}; }

Handle simple_space(const std::vector<hsize_t>& dims) {
  return {checked(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), "cannot create dataspace"),
          H5Sclose};
}

Handle scalar_space() { return {checked(H5Screate(H5S_SCALAR), "cannot create dataspace"), H5Sclose}; }

// Variable-length UTF-8 strings: h5py and h5netcdf read them as str.
Handle utf8_string_type() {
  Handle type{checked(H5Tcopy(H5T_C_S1), "cannot create string type"), H5Tclose};
  checked(H5Tset_size(type.get(), H5T_VARIABLE), "cannot create string type");
  checked(H5Tset_cset(type.get(), H5T_CSET_UTF8), "cannot create string type");
  return type;
}

// Groups remember the order their members were created in, so readers list variables in the
// order of the layout (netCDF-4 files do the same).
Handle ordered_group_properties() {
  Handle properties = property_list(H5P_GROUP_CREATE);
  checked(H5Pset_link_creation_order(properties.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
          "cannot set group creation order");
  checked(H5Pset_attr_creation_order(properties.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
          "cannot set attribute creation order");
  return properties;
}

Handle create_group(hid_t parent, const std::string& name) {
  Handle properties = ordered_group_properties();
  return {checked(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, properties.get(), H5P_DEFAULT),
                  "cannot create group '" + name + "'"),
          H5Gclose};
}

void write_string_attribute(hid_t object, const std::string& name, const std::string& value) {
  Handle type = utf8_string_type();
  Handle space = scalar_space();
  Handle attribute{checked(H5Acreate2(object, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                           "cannot create attribute '" + name + "'"),
                   H5Aclose};
  const char* text = value.c_str();
  checked(H5Awrite(attribute.get(), type.get(), &text), "cannot write attribute '" + name + "'");
}

template <typename Value>
void write_number_attribute(hid_t object, const std::string& name, hid_t file_type, hid_t memory_type,
                            Value value) {
  Handle space = scalar_space();
  Handle attribute{checked(H5Acreate2(object, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                           "cannot create attribute '" + name + "'"),
                   H5Aclose};
  checked(H5Awrite(attribute.get(), memory_type, &value), "cannot write attribute '" + name + "'");
}

// long_name is what xarray and matplotlib label plots with; description is the documented attribute.
void write_description(hid_t object, const std::string& description, const std::string& unit,
                       const std::string& long_name = "") {
  if (!unit.empty()) write_string_attribute(object, "units", unit);
  write_string_attribute(object, "long_name", long_name.empty() ? description : long_name);
  write_string_attribute(object, "description", description);
}

// Whether a quantity is a stock or a flow, as an attribute of its own and as CF's cell_methods over the
// given time dimension ("week: point" for a level at the end of the week, "week: sum" for a flow).
void write_measure(hid_t object, const std::string& measure, const std::string& time_dim) {
  if (measure.empty()) return;
  write_string_attribute(object, "measure", measure);
  write_string_attribute(object, "cell_methods", time_dim + (measure == "stock" ? ": point" : ": sum"));
}

Handle create_dataset(hid_t group, const std::string& name, hid_t type, const std::vector<hsize_t>& dims,
                      hid_t creation_properties = H5P_DEFAULT) {
  Handle space = simple_space(dims);
  return {checked(H5Dcreate2(group, name.c_str(), type, space.get(), H5P_DEFAULT, creation_properties, H5P_DEFAULT),
                  "cannot create dataset '" + name + "'"),
          H5Dclose};
}

Handle write_strings(hid_t group, const std::string& name, const std::vector<std::string>& values) {
  Handle type = utf8_string_type();
  Handle dataset = create_dataset(group, name, type.get(), {values.size()});
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const std::string& v : values) pointers.push_back(v.c_str());
  if (!pointers.empty())
    checked(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
            "cannot write dataset '" + name + "'");
  return dataset;
}

Handle write_int64s(hid_t group, const std::string& name, const std::vector<std::int64_t>& values) {
  Handle dataset = create_dataset(group, name, H5T_STD_I64LE, {values.size()});
  if (!values.empty())
    checked(H5Dwrite(dataset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
            "cannot write dataset '" + name + "'");
  return dataset;
}

Handle write_axis(hid_t group, const Axis& axis) {
  Handle dataset = axis.labels.empty() ? write_int64s(group, axis.name, axis.values)
                                       : write_strings(group, axis.name, axis.labels);
  checked(H5DSset_scale(dataset.get(), axis.name.c_str()), "cannot make '" + axis.name + "' a dimension scale");
  write_description(dataset.get(), axis.description, "");
  return dataset;
}

void attach(hid_t dataset, hid_t scale, unsigned dimension, const std::string& what) {
  checked(H5DSattach_scale(dataset, scale, dimension), "cannot attach dimension scale to '" + what + "'");
}

std::vector<hsize_t> chunk_dims(const std::vector<hsize_t>& dims) {
  std::vector<hsize_t> chunk = dims;
  chunk[0] = 1;
  auto bytes = [&] {
    hsize_t n = sizeof(std::int64_t);
    for (hsize_t c : chunk) n *= c;
    return n;
  };
  for (std::size_t d = 1; d < chunk.size(); ++d)
    while (bytes() > kMaxChunkBytes && chunk[d] > 1) chunk[d] = (chunk[d] + 1) / 2;
  return chunk;
}

// Chunked and compressed (shuffle puts the bytes of similar int64 values side by side, which
// deflate then squeezes); datasets with an empty dimension cannot be chunked and stay contiguous.
Handle series_creation_properties(const std::vector<hsize_t>& dims) {
  Handle properties = property_list(H5P_DATASET_CREATE);
  if (std::find(dims.begin(), dims.end(), hsize_t{0}) != dims.end()) return properties;
  const std::vector<hsize_t> chunk = chunk_dims(dims);
  checked(H5Pset_chunk(properties.get(), static_cast<int>(chunk.size()), chunk.data()), "cannot set chunk size");
  checked(H5Pset_shuffle(properties.get()), "cannot enable the shuffle filter");
  checked(H5Pset_deflate(properties.get(), kDeflateLevel), "cannot enable deflate compression");
  return properties;
}

// The run layer builds replication and week axes from the scenario; a replication axis it leaves
// out is the plain index 0..replications-1.
Axis replication_axis(const Layout& layout, std::int64_t replications) {
  for (const Axis& a : layout.axes)
    if (a.name == "replication") {
      if (static_cast<std::int64_t>(a.size()) != replications)
        throw std::logic_error("Hdf5Writer: the replication axis has " + std::to_string(a.size()) +
                               " entries but " + std::to_string(replications) + " replications were announced");
      return a;
    }
  Axis axis{"replication", "replication index", {}, {}};
  for (std::int64_t r = 0; r < replications; ++r) axis.values.push_back(r);
  return axis;
}

bool has_axis(const Layout& layout, const std::string& name) {
  return std::any_of(layout.axes.begin(), layout.axes.end(), [&](const Axis& a) { return a.name == name; });
}

void validate_layout(const Layout& layout) {
  std::set<std::string> names;
  auto claim = [&](const std::string& name, const char* kind) {
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
      throw std::logic_error(std::string("Hdf5Writer: invalid ") + kind + " name '" + name + "'");
    if (!names.insert(name).second)
      throw std::logic_error(std::string("Hdf5Writer: ") + kind + " name '" + name + "' is used twice");
  };
  names.insert("date");  // the calendar variable of /timeseries
  for (const Axis& a : layout.axes) {
    claim(a.name, "axis");
    if (!a.labels.empty() && !a.values.empty())
      throw std::logic_error("Hdf5Writer: axis '" + a.name + "' has both labels and values");
  }
  for (const SeriesSpec& s : layout.series) {
    claim(s.name, "series");
    // The only fixed dimension is the first; the others (week, run, region, ...) come in any order.
    if (s.dims.empty() || s.dims[0] != "replication")
      throw std::logic_error("Hdf5Writer: series '" + s.name + "' must have replication as its first dimension");
    std::set<std::string> seen;
    for (const std::string& d : s.dims) {
      if (!seen.insert(d).second)
        throw std::logic_error("Hdf5Writer: series '" + s.name + "' repeats dimension '" + d + "'");
      if (d != "replication" && !has_axis(layout, d))
        throw std::logic_error("Hdf5Writer: series '" + s.name + "' has dimension '" + d + "', which is no axis");
    }
  }
  // Summaries live in their own group, next to its axes (replication, statistic and those the
  // entries use) and each other's statistics. Axis names are reserved whether an entry uses the
  // axis or not, so that adding a dimension to one entry cannot make another entry's name clash.
  std::set<std::string> summary_names = {"replication", "statistic"};
  for (const Axis& a : layout.axes) summary_names.insert(a.name);
  for (const SummarySpec& s : layout.summary) {
    if (s.name.empty() || s.name.find('/') != std::string::npos || s.name == "." || s.name == "..")
      throw std::logic_error("Hdf5Writer: invalid summary name '" + s.name + "'");
    if (!summary_names.insert(s.name).second || !summary_names.insert(s.name + "_statistics").second)
      throw std::logic_error("Hdf5Writer: summary name '" + s.name + "' clashes with another name in /summary");
    std::set<std::string> seen;
    for (const std::string& d : s.dims) {
      if (d == "replication" || d == "statistic")
        throw std::logic_error("Hdf5Writer: summary '" + s.name + "' cannot have dimension '" + d +
                               "': /summary adds it itself");
      if (!seen.insert(d).second)
        throw std::logic_error("Hdf5Writer: summary '" + s.name + "' repeats dimension '" + d + "'");
      if (!has_axis(layout, d))
        throw std::logic_error("Hdf5Writer: summary '" + s.name + "' has dimension '" + d + "', which is no axis");
    }
  }
}


// Makes a directory's entries (the renamed file) durable.
void sync_to_disk(const std::string& path, bool directory) {
  const int descriptor = ::open(path.c_str(), O_RDONLY | (directory ? O_DIRECTORY : 0));
  if (descriptor < 0) return;  // best effort: the rename below still orders the visible states
  (void)::fsync(descriptor);
  ::close(descriptor);
}

// Out of space, over quota or over the file-size limit: the user can act on it (free space, write
// elsewhere), so it is bad input (exit 2), not an internal fault.
bool is_out_of_space(int error_number) {
  return error_number == ENOSPC || error_number == EDQUOT || error_number == EFBIG;
}

// Failures of the machine rather than of the path the user gave.
bool is_system_fault(int error_number) {
  return error_number == EIO || error_number == ENOMEM || error_number == EMFILE || error_number == ENFILE;
}

[[noreturn]] void throw_file_error(const std::string& what, const std::string& path, int error_number) {
  const std::string message = what + " '" + path + "': " + std::strerror(error_number);
  if (is_system_fault(error_number)) throw std::runtime_error(message);
  throw output_error(message);
}

// The bytes of the target's name kept in the temporary file's name, so that the temporary name fits in
// NAME_MAX (255) whenever the target's name does.
constexpr std::size_t kTemporaryNamePrefixBytes = 200;

// Creates ".NAME.tmp-XXXXXXXX" in `directory` with O_EXCL and O_NOFOLLOW and an unpredictable suffix,
// so that nothing planted in advance (a symlink, a file) is ever opened or overwritten.
// Returns the descriptor and sets `path`. Throws as throw_file_error.
int create_temporary_file(const fs::path& directory, const std::string& target_name, std::string& path) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::random_device entropy;
  std::uniform_int_distribution<std::size_t> pick(0, sizeof kAlphabet - 2);
  const std::string prefix = "." + target_name.substr(0, kTemporaryNamePrefixBytes) + ".tmp-";
  int last_error = EEXIST;
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string name = prefix;
    for (int k = 0; k < 10; ++k) name += kAlphabet[pick(entropy)];
    const std::string candidate = (directory / name).string();
    const int descriptor = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (descriptor >= 0) {
      path = candidate;
      return descriptor;
    }
    last_error = errno;
    if (last_error != EEXIST && last_error != EINTR) break;
  }
  throw_file_error("cannot create a temporary file for the output in",
                   directory.empty() ? std::string(".") : directory.string(), last_error);
}

// Writes all of `bytes` at the descriptor's position, retrying short writes.
void write_all(int descriptor, const std::vector<char>& bytes, const std::string& path) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(descriptor, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error_number = errno;
      if (is_out_of_space(error_number))
        throw output_error("cannot write the results (" + std::to_string(bytes.size()) + " bytes) to '" + path +
                           "': " + std::strerror(error_number) + "; free some space or choose another output path");
      throw_file_error("cannot write", path, error_number);
    }
    written += static_cast<std::size_t>(n);
  }
}

}  // namespace

struct Hdf5Writer::OpenFile {
  Handle file;
  Handle summary_group;
  std::vector<Handle> series;             // per SeriesSpec
  std::vector<Handle> summaries;          // per SummarySpec, over replication
  std::vector<Handle> summary_statistics; // per SummarySpec, over statistic
};

void check_output_path(const std::string& path, bool overwrite) {
  if (path.empty()) throw output_error("the output path is empty; give a file name such as results.h5");
  const fs::path target(path);
  if (!target.has_filename())
    throw output_error("output '" + path + "' names a directory; give a file name such as results.h5");
  std::error_code error;
  const fs::file_status status = fs::status(target, error);  // follows a symbolic link
  if (fs::is_directory(status))
    throw output_error("output '" + path + "' is a directory; give a file name such as " +
                       (target / "results.h5").string());
  // The entry itself, not what it points to: a dangling symbolic link is still something to replace.
  const fs::file_status entry = fs::symlink_status(target, error);
  if (fs::exists(entry)) {
    std::string what = "output '" + path + "' exists";
    if (fs::is_symlink(entry)) {
      const fs::path link_target = fs::read_symlink(target, error);
      what += " (a symbolic link to '" + link_target.string() + "'" +
              (fs::exists(status) ? std::string(")") : std::string(", which does not exist)"));
    }
    if (!overwrite) throw output_error(what + "; pass --force to overwrite");
    // --force replaces the link itself with the file; it never writes through it.
    if (!fs::is_symlink(entry) && !fs::is_regular_file(entry))
      throw output_error(what + " and is not a regular file; refusing to replace it");
  }
  // Missing parents are created by the writer; the nearest existing one must let us do that.
  fs::path ancestor = fs::absolute(target, error).parent_path();
  if (error) throw output_error("cannot resolve output path '" + path + "': " + error.message());
  while (!fs::exists(fs::status(ancestor, error)) && ancestor.has_relative_path()) ancestor = ancestor.parent_path();
  if (!fs::is_directory(fs::status(ancestor, error)))
    throw output_error("cannot create the directory for output '" + path + "': '" + ancestor.string() +
                       "' is not a directory");
  if (::access(ancestor.c_str(), W_OK | X_OK) != 0)
    throw output_error("cannot write output '" + path + "': directory '" + ancestor.string() +
                       "' is not writable");
  // Names the file system cannot hold fail here, not at the rename after the whole run.
  long name_max = ::pathconf(ancestor.c_str(), _PC_NAME_MAX);
  if (name_max <= 0) name_max = NAME_MAX;
  for (const fs::path& part : fs::absolute(target, error))
    if (part.native().size() > static_cast<std::size_t>(name_max))
      throw output_error("output '" + path + "': the name '" + part.string() + "' is " +
                         std::to_string(part.native().size()) + " bytes long; this file system allows at most " +
                         std::to_string(name_max));
  if (fs::absolute(target, error).native().size() >= PATH_MAX)
    throw output_error("output '" + path + "': the path is longer than the system allows (" +
                       std::to_string(PATH_MAX - 1) + " bytes)");
}

Hdf5Writer::Hdf5Writer(std::string path, bool overwrite) : path_(std::move(path)), overwrite_(overwrite) {
  check_output_path(path_, overwrite_);
}

Hdf5Writer::~Hdf5Writer() {
  if (!finished_) abandon();
}

void Hdf5Writer::close_file() noexcept {
  const QuietHdf5Errors quiet;
  file_.reset();  // Handles close datasets and groups before the file; in memory, so nothing reaches the disk
  H5Eclear2(H5E_DEFAULT);
  if (temporary_descriptor_ >= 0) {
    ::close(temporary_descriptor_);
    temporary_descriptor_ = -1;
  }
}

void Hdf5Writer::abandon() noexcept {
  close_file();
  if (!keep_temporary_ && !temporary_path_.empty()) {
    std::error_code ignored;
    fs::remove(temporary_path_, ignored);
  }
}

void Hdf5Writer::begin(const Layout& layout, std::int64_t replications, const std::string& resolved_scenario) {
  if (file_ || finished_) throw std::logic_error("Hdf5Writer::begin called twice");
  if (replications < 0) throw std::logic_error("Hdf5Writer::begin: negative replication count");
  validate_layout(layout);
  const QuietHdf5Errors quiet;

  const fs::path parent = fs::path(path_).parent_path();
  if (!parent.empty()) {
    std::error_code error;
    fs::create_directories(parent, error);
    if (error) throw output_error("cannot create directory '" + parent.string() + "': " + error.message());
  }

  // The temporary file is ours alone from here on: abandon() and the destructor delete it.
  temporary_descriptor_ = create_temporary_file(parent, fs::path(path_).filename().string(), temporary_path_);

  auto open = std::make_unique<OpenFile>();
  {
    Handle creation = property_list(H5P_FILE_CREATE);
    checked(H5Pset_link_creation_order(creation.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
            "cannot set creation order");
    checked(H5Pset_attr_creation_order(creation.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
            "cannot set attribute creation order");
    Handle access = property_list(H5P_FILE_ACCESS);
    // Closing the file closes anything still open in it.
    checked(H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG), "cannot set close degree");
    // HDF5 builds the file in memory and never opens a path itself: finish() writes the image through the
    // descriptor created above. So it cannot follow a symbolic link planted at the temporary name, and a
    // full disk is an error of our own write, never of HDF5's close (HDF5 1.10 frees the file but keeps its
    // identifier when a close fails, and then crashes at exit closing it again).
    checked(H5Pset_fapl_core(access.get(), kCoreIncrementBytes, /*backing_store=*/0), "cannot select the core driver");
    open->file = Handle{checked(H5Fcreate(temporary_path_.c_str(), H5F_ACC_TRUNC, creation.get(), access.get()),
                                "cannot create '" + temporary_path_ + "'"),
                        H5Fclose};
  }
  file_ = std::move(open);  // from here on abandon() and the destructor delete the temporary file
  const hid_t file = file_->file.get();

  {
    Handle type = utf8_string_type();
    Handle space = scalar_space();
    Handle scenario{checked(H5Dcreate2(file, "scenario", type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT,
                                       H5P_DEFAULT),
                            "cannot create dataset 'scenario'"),
                    H5Dclose};
    const char* text = resolved_scenario.c_str();
    checked(H5Dwrite(scenario.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &text),
            "cannot write dataset 'scenario'");
    write_string_attribute(scenario.get(), "description", "the resolved scenario (extends and --set applied) as YAML");
  }

  const Axis replication = replication_axis(layout, replications);
  {
    Handle timeseries = create_group(file, "timeseries");
    if (!layout.start_date.empty()) write_string_attribute(timeseries.get(), "start_date", layout.start_date);

    std::vector<std::pair<std::string, Handle>> scales;
    scales.emplace_back("replication", write_axis(timeseries.get(), replication));
    for (const Axis& axis : layout.axes)
      if (axis.name != "replication") scales.emplace_back(axis.name, write_axis(timeseries.get(), axis));
    auto scale = [&](const std::string& name) -> hid_t {
      for (const auto& [scale_name, handle] : scales)
        if (scale_name == name) return handle.get();
      throw std::logic_error("Hdf5Writer: no axis named '" + name + "'");
    };

    // The calendar date of each week, as a coordinate along week.
    bool has_date = false;
    if (!layout.start_date.empty() && has_axis(layout, "week")) {
      const auto start = Date::parse_iso(layout.start_date);
      if (!start) throw std::logic_error("Hdf5Writer: start date '" + layout.start_date + "' is not YYYY-MM-DD");
      std::vector<std::string> dates;
      for (std::int64_t week : layout.axis("week").values)
        dates.push_back(start->plus_days(static_cast<int>(7 * week)).iso());
      Handle date = write_strings(timeseries.get(), "date", dates);
      attach(date.get(), scale("week"), 0, "date");
      write_description(date.get(), "calendar date (ISO 8601) of the first day of the week", "");
      has_date = true;
    }

    for (const SeriesSpec& spec : layout.series) {
      std::vector<hsize_t> dims = {replication.size()};
      for (std::size_t k = 1; k < spec.dims.size(); ++k) dims.push_back(layout.axis(spec.dims[k]).size());
      const std::size_t per_replication =
          layout.element_count(std::vector<std::string>(spec.dims.begin() + 1, spec.dims.end()));
      Handle properties = series_creation_properties(dims);
      Handle dataset = create_dataset(timeseries.get(), spec.name, H5T_STD_I64LE, dims, properties.get());
      for (std::size_t k = 0; k < spec.dims.size(); ++k)
        attach(dataset.get(), scale(spec.dims[k]), static_cast<unsigned>(k), spec.name);
      write_description(dataset.get(), spec.description, spec.unit, spec.long_name);
      write_measure(dataset.get(), spec.measure, "week");
      // CF: xarray makes date a coordinate of the series (wherever week is among its dims).
      if (has_date && std::find(spec.dims.begin(), spec.dims.end(), "week") != spec.dims.end())
        write_string_attribute(dataset.get(), "coordinates", "date");
      file_->series.push_back(std::move(dataset));
      series_element_counts_.push_back(per_replication);
    }
  }

  {
    file_->summary_group = create_group(file, "summary");
    const hid_t summary = file_->summary_group.get();
    std::vector<std::pair<std::string, Handle>> scales;
    scales.emplace_back("replication", write_axis(summary, replication));
    Axis statistic{"statistic", kSummaryStatisticDescription, {}, {}};
    for (const char* label : kStatisticLabels) statistic.labels.emplace_back(label);
    scales.emplace_back("statistic", write_axis(summary, statistic));
    // Each axis a summary entry uses, once, in layout order.
    for (const Axis& axis : layout.axes) {
      const bool used = std::any_of(layout.summary.begin(), layout.summary.end(), [&](const SummarySpec& spec) {
        return std::find(spec.dims.begin(), spec.dims.end(), axis.name) != spec.dims.end();
      });
      if (used) scales.emplace_back(axis.name, write_axis(summary, axis));
    }
    auto scale = [&](const std::string& name) -> hid_t {
      for (const auto& [scale_name, handle] : scales)
        if (scale_name == name) return handle.get();
      throw std::logic_error("Hdf5Writer: no axis named '" + name + "'");
    };

    // Small, so contiguous: (replication, dims...) values and (statistic, dims...) statistics.
    for (const SummarySpec& spec : layout.summary) {
      std::vector<hsize_t> value_dims = {replication.size()};
      std::vector<hsize_t> statistic_dims = {kStatisticLabels.size()};
      for (const std::string& d : spec.dims) {
        value_dims.push_back(layout.axis(d).size());
        statistic_dims.push_back(layout.axis(d).size());
      }
      Handle values = create_dataset(summary, spec.name, H5T_STD_I64LE, value_dims);
      attach(values.get(), scale("replication"), 0, spec.name);
      Handle statistics = create_dataset(summary, spec.name + "_statistics", H5T_IEEE_F64LE, statistic_dims);
      attach(statistics.get(), scale("statistic"), 0, spec.name + "_statistics");
      for (std::size_t k = 0; k < spec.dims.size(); ++k) {
        attach(values.get(), scale(spec.dims[k]), static_cast<unsigned>(k + 1), spec.name);
        attach(statistics.get(), scale(spec.dims[k]), static_cast<unsigned>(k + 1), spec.name + "_statistics");
      }
      write_description(values.get(), spec.description, spec.unit, spec.long_name);
      write_measure(values.get(), spec.measure, "run");
      write_description(statistics.get(), spec.description + " (statistics over replications)", spec.unit,
                        spec.long_name);
      file_->summaries.push_back(std::move(values));
      file_->summary_statistics.push_back(std::move(statistics));
      summary_element_counts_.push_back(layout.element_count(spec.dims));
    }
  }

  summary_values_.clear();
  for (std::size_t count : summary_element_counts_)
    summary_values_.emplace_back(static_cast<std::size_t>(replications) * count);
  received_.assign(static_cast<std::size_t>(replications), false);
}

void Hdf5Writer::add(const ReplicationResult& result) {
  if (!file_) throw std::logic_error("Hdf5Writer::add called before begin() or after finish()");
  if (result.replication < 0 || static_cast<std::size_t>(result.replication) >= received_.size())
    throw std::logic_error("Hdf5Writer::add: replication " + std::to_string(result.replication) + " out of range");
  const auto index = static_cast<std::size_t>(result.replication);
  if (received_[index])
    throw std::logic_error("Hdf5Writer::add: replication " + std::to_string(result.replication) + " added twice");
  if (result.series.size() != series_element_counts_.size() || result.summary.size() != summary_values_.size())
    throw std::logic_error("Hdf5Writer::add: replication " + std::to_string(result.replication) +
                           " does not match the layout's series and summary count");
  for (std::size_t s = 0; s < result.series.size(); ++s)
    if (result.series[s].size() != series_element_counts_[s])
      throw std::logic_error("Hdf5Writer::add: series " + std::to_string(s) + " of replication " +
                             std::to_string(result.replication) + " has " + std::to_string(result.series[s].size()) +
                             " values, expected " + std::to_string(series_element_counts_[s]));
  for (std::size_t k = 0; k < result.summary.size(); ++k)
    if (result.summary[k].size() != summary_element_counts_[k])
      throw std::logic_error("Hdf5Writer::add: summary entry " + std::to_string(k) + " of replication " +
                             std::to_string(result.replication) + " has " + std::to_string(result.summary[k].size()) +
                             " values, expected " + std::to_string(summary_element_counts_[k]));

  const QuietHdf5Errors quiet;
  // One hyperslab write per series: the replication's whole slice in one call.
  for (std::size_t s = 0; s < result.series.size(); ++s) {
    if (series_element_counts_[s] == 0) continue;
    const hid_t dataset = file_->series[s].get();
    Handle file_space{checked(H5Dget_space(dataset), "cannot get dataspace"), H5Sclose};
    const int rank = H5Sget_simple_extent_ndims(file_space.get());
    std::vector<hsize_t> start(static_cast<std::size_t>(rank), 0), count(static_cast<std::size_t>(rank));
    checked(H5Sget_simple_extent_dims(file_space.get(), count.data(), nullptr), "cannot get dataset shape");
    start[0] = index;
    count[0] = 1;
    checked(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
            "cannot select replication " + std::to_string(index));
    // The memory space has the selection's shape: with a flat one HDF5 maps every element to its
    // chunk one at a time, which made writing ten times slower.
    Handle memory_space = simple_space(count);
    checked(H5Dwrite(dataset, H5T_NATIVE_INT64, memory_space.get(), file_space.get(), H5P_DEFAULT,
                     result.series[s].data()),
            "cannot write replication " + std::to_string(index) + " of series " + std::to_string(s) + " to '" +
                temporary_path_ + "'");
  }
  // Kept until finish(): the statistics need every replication.
  for (std::size_t k = 0; k < result.summary.size(); ++k)
    std::copy(result.summary[k].begin(), result.summary[k].end(),
              summary_values_[k].begin() + static_cast<std::ptrdiff_t>(index * summary_element_counts_[k]));
  received_[index] = true;
}

void Hdf5Writer::finish(const Provenance& provenance) {
  if (!file_) throw std::logic_error("Hdf5Writer::finish called before begin() or twice");
  const auto missing = std::find(received_.begin(), received_.end(), false);
  if (missing != received_.end())
    throw std::logic_error("Hdf5Writer::finish: replication " + std::to_string(missing - received_.begin()) +
                           " was never added");

  const QuietHdf5Errors quiet;
  for (std::size_t k = 0; k < summary_values_.size(); ++k) {
    const std::vector<std::int64_t>& values = summary_values_[k];  // (replication, dims...) row-major
    const std::size_t count = summary_element_counts_[k];
    if (!values.empty())
      checked(H5Dwrite(file_->summaries[k].get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
              "cannot write summary " + std::to_string(k));
    // (statistic, dims...) row-major: each element summarized over replications on its own.
    std::vector<double> statistics(kStatisticLabels.size() * count);
    std::vector<std::int64_t> column(received_.size());
    for (std::size_t e = 0; e < count; ++e) {
      for (std::size_t r = 0; r < column.size(); ++r) column[r] = values[r * count + e];
      const SummaryStatistics s = summarize(column);
      const auto row = statistic_values(s);
      for (std::size_t k = 0; k < row.size(); ++k) statistics[k * count + e] = row[k];
    }
    if (!statistics.empty())
      checked(H5Dwrite(file_->summary_statistics[k].get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                       statistics.data()),
              "cannot write summary statistics " + std::to_string(k));
  }

  const hid_t root = file_->file.get();
  write_number_attribute(root, "format_version", H5T_STD_I32LE, H5T_NATIVE_INT, provenance.format_version);
  write_string_attribute(root, "program_version", provenance.program_version);
  write_string_attribute(root, "git_revision", provenance.git_revision);
  write_string_attribute(root, "command_line", provenance.command_line);
  write_number_attribute(root, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, provenance.seed);
  write_number_attribute(root, "threads", H5T_STD_I32LE, H5T_NATIVE_INT, provenance.threads);
  write_number_attribute(root, "ranks", H5T_STD_I32LE, H5T_NATIVE_INT, provenance.ranks);
  write_string_attribute(root, "start_time", provenance.start_time);
  write_string_attribute(root, "end_time", provenance.end_time);
  write_string_attribute(root, "scenario_name", provenance.scenario_name);
  write_string_attribute(root, "scenario_file", provenance.scenario_file);

  // Close everything but the file, take the file's image and close the file (all in memory), then write
  // the image to the temporary file: the one step that can meet a full disk.
  file_->series.clear();
  file_->summaries.clear();
  file_->summary_statistics.clear();
  file_->summary_group.reset();
  checked(H5Fflush(root, H5F_SCOPE_GLOBAL), "cannot flush '" + temporary_path_ + "'");
  const ssize_t image_bytes = H5Fget_file_image(root, nullptr, 0);
  if (image_bytes < 0) throw_hdf5("cannot get the image of '" + temporary_path_ + "'");
  std::vector<char> image(static_cast<std::size_t>(image_bytes));
  if (H5Fget_file_image(root, image.data(), image.size()) != image_bytes)
    throw_hdf5("cannot get the image of '" + temporary_path_ + "'");
  checked(file_->file.close(), "cannot close '" + temporary_path_ + "'");
  file_.reset();

  write_all(temporary_descriptor_, image, temporary_path_);
  image = {};
  // Durable before it gets its final name, so a power cut cannot leave a renamed but partial file.
  if (::fsync(temporary_descriptor_) != 0 && errno != EINVAL && errno != EROFS) {
    const int error_number = errno;
    if (is_out_of_space(error_number))
      throw output_error("cannot write the results to '" + temporary_path_ + "': " + std::strerror(error_number));
    throw_file_error("cannot write", temporary_path_, error_number);
  }
  const int descriptor = std::exchange(temporary_descriptor_, -1);
  if (::close(descriptor) != 0 && errno != EINTR) throw_file_error("cannot write", temporary_path_, errno);
  if (commit_check_) commit_check_();  // may throw: the destructor or abandon() removes the temporary file
  move_into_place();
  finished_ = true;
}

void Hdf5Writer::move_into_place() {
  std::error_code error;
  if (!overwrite_) {
    // A hard link fails if the target appeared during the run, where a rename would replace it.
    fs::create_hard_link(temporary_path_, path_, error);
    if (!error) {
      fs::remove(temporary_path_, error);
      sync_to_disk(fs::path(path_).parent_path().empty() ? "." : fs::path(path_).parent_path().string(), true);
      return;
    }
    if (error == std::errc::file_exists || fs::exists(path_)) {
      keep_temporary_ = true;  // a finished run's results are too costly to throw away
      throw output_error("output '" + path_ + "' was created by something else during the run; not replacing it. "
                         "The results are in '" + temporary_path_ + "'");
    }
    // The file system has no hard links: fall back to a rename, having just checked the target is absent.
  }
  fs::rename(temporary_path_, path_, error);
  if (error) throw_file_error("cannot rename '" + temporary_path_ + "' to", path_, error.value());
  sync_to_disk(fs::path(path_).parent_path().empty() ? "." : fs::path(path_).parent_path().string(), true);
}

}  // namespace sellershock
