// The journal of a sweep in progress: one line per finished (point, replication) with its scalar
// summary values, appended and flushed to disk as each run finishes, beside the output file
// (OUT.h5.journal). A sweep killed at any moment (Ctrl-C, kill -9, power loss) loses at most the runs
// in flight; `sellershock sweep --resume` reads the journal, skips what it holds and builds the final
// file from it, identical to an uninterrupted run's. The journal is removed once the file is complete.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace sellershock {

struct JournalRecord {
  std::size_t point = 0;
  std::size_t replication = 0;
  std::vector<std::int64_t> values;  // the scalar summary entries, in catalogue order
};

class SweepJournal {
 public:
  // Opens the journal at `path` for a sweep identified by `fingerprint` (a hash of everything that
  // determines its results) with `values_per_record` values per run and the given extent.
  // resume = false: starts a new journal (replacing any file at path).
  // resume = true: reads the records of an existing journal (a missing one is an empty start); a torn
  // last line (the process died while writing it) is dropped. Throws InputError if the journal
  // belongs to another sweep (different fingerprint) or is not a journal; std::runtime_error if it
  // cannot be written.
  SweepJournal(std::string path, const std::string& fingerprint, std::size_t values_per_record, std::size_t points,
               std::size_t replications, bool resume);
  ~SweepJournal();
  SweepJournal(const SweepJournal&) = delete;
  SweepJournal& operator=(const SweepJournal&) = delete;

  // The records read when resuming.
  const std::vector<JournalRecord>& recovered() const { return recovered_; }
  // The records read when resuming, moved out (the journal no longer holds them).
  std::vector<JournalRecord> take_recovered() { return std::move(recovered_); }
  // Appends one run's record and flushes it to disk. Thread-safe.
  void append(std::size_t point, std::size_t replication, const std::vector<std::int64_t>& values);
  // Deletes the journal (the sweep's file is complete).
  void remove();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int descriptor_ = -1;
  std::mutex mutex_;
  std::vector<JournalRecord> recovered_;
};

// The records of a finished or interrupted journal at `path` (a slice of a sweep, for merge), read
// without changing it; a torn last line is dropped. Throws InputError as SweepJournal does, and if the
// file does not exist.
std::vector<JournalRecord> read_sweep_journal(const std::string& path, const std::string& fingerprint,
                                              std::size_t values_per_record, std::size_t points,
                                              std::size_t replications);

// The journal path of an output file: OUT.h5 -> OUT.h5.journal.
std::string journal_path_for(const std::string& output_path);

// A hex digest (FNV-1a, 64 bits) of the text: the journal's fingerprint of a sweep.
std::string fingerprint_of(const std::string& text);

}  // namespace sellershock
