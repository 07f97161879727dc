// Sweeps over MPI ranks (`mpirun -np N sellershock sweep ...`): rank 0 coordinates (journal, file,
// progress) and hands (point, replication) runs to the other ranks one at a time, so a rank that
// finishes early takes the next run; a run and its counterfactual stay on one rank. The file is the
// one a single process writes (only @ranks differs). Built only when CMake finds MPI; without it the
// session is always rank 0 of 1 and the other functions throw.
#pragma once

#include <cstddef>
#include <vector>

#include "experiment/sweep.hpp"

namespace sellershock {

// Initialises MPI when the process was started by mpirun with more than one rank, and finalises it
// at the end of its scope; if the scope is left by an exception, aborts every rank (so that no rank
// waits forever for a coordinator or worker that failed).
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  int rank_ = 0;
  int size_ = 1;
  bool active_ = false;
};

// Rank 0: hands the pending runs to ranks 1..size-1 and records their values as they come back.
void distribute_over_ranks(const std::vector<std::size_t>& pending, const SweepOptions::Record& record,
                           std::size_t values_per_run, int ranks);

// Ranks other than 0: runs what rank 0 hands out until it says stop, each run on `threads` threads
// (0: every core).
void serve_sweep_runs(const SweepSpec& spec, int threads);

}  // namespace sellershock
