// Reads back what Hdf5Writer (a run) and write_sweep_file (a sweep) wrote: stored text, root attributes,
// int64 and float64 datasets, the members of a group and the attributes of a dataset. Used by
// `sellershock summarize` to reprint a run's or a sweep's tables from its file. Errors (a missing file, not
// an HDF5 file, a file of another layout) throw InputError naming the file and what was expected.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sellershock {

class Hdf5Reader {
 public:
  explicit Hdf5Reader(const std::string& path);
  ~Hdf5Reader();
  Hdf5Reader(const Hdf5Reader&) = delete;
  Hdf5Reader& operator=(const Hdf5Reader&) = delete;

  // A scalar UTF-8 string dataset, e.g. "scenario".
  std::string string_dataset(const std::string& name) const;
  // A root attribute, as text (strings) or as a number.
  std::string string_attribute(const std::string& name) const;
  std::int64_t integer_attribute(const std::string& name) const;
  std::uint64_t unsigned_attribute(const std::string& name) const;  // e.g. a seed (all of uint64)
  double double_attribute(const std::string& name) const;
  bool has_attribute(const std::string& name) const;  // a root attribute
  // A text attribute of a dataset or group, e.g. ("summary/sales_cents", "units"); empty if absent.
  std::string string_attribute_of(const std::string& object, const std::string& name) const;
  // A numeric attribute of a dataset or group; throws InputError if absent.
  std::int64_t integer_attribute_of(const std::string& object, const std::string& name) const;
  bool has(const std::string& name) const;
  // The names of a group's members in the order they were created.
  std::vector<std::string> members(const std::string& group) const;
  // An int64 dataset's values (row-major) and its shape.
  std::vector<std::int64_t> int64_dataset(const std::string& name, std::vector<std::uint64_t>* shape = nullptr) const;
  // A float64 dataset's values (row-major) and its shape.
  std::vector<double> double_dataset(const std::string& name, std::vector<std::uint64_t>* shape = nullptr) const;
  // A 1-d string dataset (an axis's labels).
  std::vector<std::string> string_list(const std::string& name) const;
  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void fail(const std::string& what) const;
  std::string path_;
  std::int64_t file_ = -1;  // hid_t
};

}  // namespace sellershock
