// The HDF5 result file (layout documented in docs/FORMAT.md). HDF5 builds the file in memory; finish()
// writes it into a hidden temporary file next to the target, created exclusively with an unpredictable
// name when the run begins, and renames that onto the target. So a crashed or abandoned run never leaves
// a file under the final name that looks finished, an existing file is only replaced when the user asked
// for it, nothing planted at the temporary name is followed, and a full disk is a clean error.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "output/writer.hpp"

namespace sellershock {

// Checks, without creating anything, that a run may write its output to path: path must not be empty
// or a directory, must not exist unless overwrite (a symbolic link, even a dangling one, exists: with
// overwrite the link itself is replaced, never written through), its names must fit the file system,
// and its nearest existing ancestor must be a writable directory (missing parents are created later by
// the writer). Call it before the run starts so bad output paths fail fast. Throws InputError.
void check_output_path(const std::string& path, bool overwrite);

// Throws from begin/add/finish: InputError when the path is unusable (the temporary file cannot be
// created there, e.g. a read-only or pseudo file system) or the disk is full (also over quota or over
// the file-size limit), naming the path; std::runtime_error for HDF5 failures and faults of the machine
// (I/O error, out of memory or descriptors); std::logic_error when the run breaks the ResultWriter
// contract (layout inconsistent with the results, a replication missing, duplicated or out of range).
// Whatever is thrown, no temporary file is left behind (except the finished one kept aside when the
// target appeared during the run, which the message names).
class Hdf5Writer final : public ResultWriter {
 public:
  // Throws InputError as check_output_path does; creates nothing yet.
  Hdf5Writer(std::string path, bool overwrite);
  ~Hdf5Writer() override;  // deletes the temporary file unless finish() succeeded
  Hdf5Writer(const Hdf5Writer&) = delete;
  Hdf5Writer& operator=(const Hdf5Writer&) = delete;

  // Creates missing parent directories and the temporary file, and writes the axes and scenario.
  void begin(const Layout& layout, std::int64_t replications, const std::string& resolved_scenario) override;
  // Writes the replication's time series (compressed, in memory) at its index: the file does not
  // depend on the order replications arrive in.
  void add(const ReplicationResult& result) override;
  // Writes summaries, their statistics and the provenance, writes the file to the temporary file and
  // renames that into place.
  void finish(const Provenance& provenance) override;
  void abandon() noexcept override;
  // Called by finish() when the file is complete, just before it takes its final name: if it throws,
  // the file is not put in place, the temporary file is removed and the exception propagates (a run
  // interrupted while its file was being written leaves no file).
  void set_commit_check(std::function<void()> check) { commit_check_ = std::move(check); }

  const std::string& path() const { return path_; }
  // Where the file lives until finish(): ".NAME.tmp-XXXXXXXXXX" in the target's directory (NAME cut to
  // 200 bytes); empty before begin().
  const std::string& temporary_path() const { return temporary_path_; }

 private:
  struct OpenFile;  // HDF5 handles, kept out of this header so users need no HDF5 includes

  void close_file() noexcept;
  void move_into_place();

  std::string path_;
  std::string temporary_path_;
  bool overwrite_;
  int temporary_descriptor_ = -1;  // open from begin() until finish() writes and closes it
  std::unique_ptr<OpenFile> file_;
  std::vector<std::size_t> series_element_counts_;     // per series, values per replication
  std::vector<std::size_t> summary_element_counts_;    // per summary entry, values per replication
  std::vector<std::vector<std::int64_t>> summary_values_;  // [summary entry][replication * count + element]
  std::vector<bool> received_;                          // [replication]
  bool finished_ = false;
  bool keep_temporary_ = false;
  std::function<void()> commit_check_;
};

}  // namespace sellershock
