#include "experiment/mpi.hpp"

#include <cstdint>
#include <cstdlib>
#include <exception>
#include <stdexcept>

#include <tbb/task_arena.h>

#include "run/runner.hpp"

#ifdef SELLERSHOCK_WITH_MPI
// The C API only: OpenMPI's deprecated C++ bindings would need libmpi_cxx.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace sellershock {

#ifdef SELLERSHOCK_WITH_MPI

namespace {

constexpr int kResultTag = 1;  // worker -> rank 0: {run, values...}, or nothing (the first request)
constexpr int kTaskTag = 2;    // rank 0 -> worker: the run to do, or -1 to stop

// Launched by mpirun with more than one rank (OpenMPI, or a PMI-based launcher such as Slurm's srun).
bool launched_with_several_ranks() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"})
    if (const char* value = std::getenv(variable)) return std::atoi(value) > 1;
  return false;
}

}  // namespace

MpiSession::MpiSession() {
  if (!launched_with_several_ranks()) return;
  int provided = 0;
  // Only the main thread calls MPI; TBB's workers never do.
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  active_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  if (!active_) return;
  if (std::uncaught_exceptions() > 0) MPI_Abort(MPI_COMM_WORLD, 1);
  MPI_Finalize();
}

void distribute_over_ranks(const std::vector<std::size_t>& pending, const SweepOptions::Record& record,
                           std::size_t values_per_run, int ranks) {
  std::vector<std::int64_t> message;
  std::vector<std::int64_t> values;
  std::size_t next = 0;
  int working = ranks - 1;
  while (working > 0) {
    MPI_Status status;
    MPI_Probe(MPI_ANY_SOURCE, kResultTag, MPI_COMM_WORLD, &status);
    int count = 0;
    MPI_Get_count(&status, MPI_INT64_T, &count);
    message.resize(static_cast<std::size_t>(count));
    MPI_Recv(message.data(), count, MPI_INT64_T, status.MPI_SOURCE, kResultTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (count == static_cast<int>(1 + values_per_run)) {
      values.assign(message.begin() + 1, message.end());
      record(static_cast<std::size_t>(message[0]), values);
    } else if (count != 0) {
      throw std::runtime_error("MPI sweep: a worker sent a result of the wrong size");
    }
    std::int64_t task = -1;
    if (next < pending.size()) task = static_cast<std::int64_t>(pending[next++]);
    else --working;
    MPI_Send(&task, 1, MPI_INT64_T, status.MPI_SOURCE, kTaskTag, MPI_COMM_WORLD);
  }
}

void serve_sweep_runs(const SweepSpec& spec, int threads) {
  const SweepPoints points(spec);
  tbb::task_arena arena(effective_threads(threads));
  std::vector<std::int64_t> message;
  MPI_Send(message.data(), 0, MPI_INT64_T, 0, kResultTag, MPI_COMM_WORLD);  // ready
  while (true) {
    std::int64_t task = -1;
    MPI_Recv(&task, 1, MPI_INT64_T, 0, kTaskTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (task < 0) return;
    const std::vector<std::int64_t> values =
        arena.execute([&] { return points.run(static_cast<std::size_t>(task)); });
    message.assign(1, task);
    message.insert(message.end(), values.begin(), values.end());
    MPI_Send(message.data(), static_cast<int>(message.size()), MPI_INT64_T, 0, kResultTag, MPI_COMM_WORLD);
  }
}

#else  // built without MPI: one process

MpiSession::MpiSession() = default;
MpiSession::~MpiSession() = default;

void distribute_over_ranks(const std::vector<std::size_t>&, const SweepOptions::Record&, std::size_t, int) {
  throw std::logic_error("distribute_over_ranks: this sellershock was built without MPI");
}

void serve_sweep_runs(const SweepSpec&, int) {
  throw std::logic_error("serve_sweep_runs: this sellershock was built without MPI");
}

#endif

}  // namespace sellershock
