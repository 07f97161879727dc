// The HDF5 result file (layout documented in docs/FORMAT.md). Everything is written into a hidden
// temporary file next to the target and renamed onto it only in finish(), so a crashed or abandoned
// run never leaves a file under the final name that looks finished, and an existing file is only
// replaced when the user asked for it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "output/writer.hpp"

namespace sellershock {

// Checks, without creating anything, that a run may write its output to path: path must not be a
// directory, must not exist unless overwrite, and its nearest existing ancestor must be a writable
// directory (missing parents are created later by the writer). Call it before the run starts so
// bad output paths fail fast. Throws InputError.
void check_output_path(const std::string& path, bool overwrite);

// Throws from begin/add/finish: std::runtime_error for HDF5 and file-system failures,
// std::logic_error when the run breaks the ResultWriter contract (layout inconsistent with the
// results, a replication missing, duplicated or out of range), InputError when the path is unusable.
class Hdf5Writer final : public ResultWriter {
 public:
  // Throws InputError as check_output_path does; creates nothing yet.
  Hdf5Writer(std::string path, bool overwrite);
  ~Hdf5Writer() override;  // deletes the temporary file unless finish() succeeded
  Hdf5Writer(const Hdf5Writer&) = delete;
  Hdf5Writer& operator=(const Hdf5Writer&) = delete;

  // Creates missing parent directories and the temporary file, and writes the axes and scenario.
  void begin(const Layout& layout, std::int64_t replications, const std::string& resolved_scenario) override;
  // Writes the replication's time series straight to the file at its index: memory stays small and
  // the file does not depend on the order replications arrive in.
  void add(const ReplicationResult& result) override;
  // Writes summaries, their statistics and the provenance, then renames the file into place.
  void finish(const Provenance& provenance) override;
  void abandon() noexcept override;

  const std::string& path() const { return path_; }
  // Where the file lives until finish(): ".NAME.tmp-PID" in the target's directory.
  const std::string& temporary_path() const { return temporary_path_; }

 private:
  struct OpenFile;  // HDF5 handles, kept out of this header so users need no HDF5 includes

  void close_file() noexcept;
  void move_into_place();

  std::string path_;
  std::string temporary_path_;
  bool overwrite_;
  std::unique_ptr<OpenFile> file_;
  std::vector<std::size_t> series_element_counts_;     // per series, values per replication
  std::vector<std::size_t> summary_element_counts_;    // per summary entry, values per replication
  std::vector<std::vector<std::int64_t>> summary_values_;  // [summary entry][replication * count + element]
  std::vector<bool> received_;                          // [replication]
  bool finished_ = false;
  bool keep_temporary_ = false;
};

}  // namespace sellershock
