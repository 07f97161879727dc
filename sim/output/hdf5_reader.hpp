// Reads back what Hdf5Writer wrote: the stored scenario, root attributes and the int64 summary datasets.
// Used by `sellershock summarize` to reprint a run's tables from its file. Errors (a missing file, not an
// HDF5 file, a file of another layout) throw InputError naming the file and what was expected.
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
  bool has(const std::string& name) const;
  // An int64 dataset's values (row-major) and its shape.
  std::vector<std::int64_t> int64_dataset(const std::string& name, std::vector<std::uint64_t>* shape = nullptr) const;
  // A 1-d string dataset (an axis's labels).
  std::vector<std::string> string_list(const std::string& name) const;
  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void fail(const std::string& what) const;
  std::string path_;
  std::int64_t file_ = -1;  // hid_t
};

}  // namespace sellershock
