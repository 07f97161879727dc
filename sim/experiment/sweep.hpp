// Running a sweep: every point of the design times every replication, each replication with its
// counterfactual (simulate_replication), in parallel with TBB; then statistics per point and
// sensitivity indices per analysed output. Documented for users in docs/SWEEPS.md.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "experiment/design.hpp"
#include "experiment/sensitivity.hpp"
#include "experiment/sweep_file.hpp"
#include "output/results.hpp"
#include "run/replication.hpp"

namespace sellershock {

// Statistics over the replications of one point, in this order on the statistic axis.
inline constexpr const char* kSweepStatistics[] = {"mean", "q05", "q50", "q95", "standard_error"};
inline constexpr std::size_t kSweepStatisticCount = std::size(kSweepStatistics);

struct SweepOutput {
  SummarySpec spec;                     // a scalar summary entry of the catalogue
  std::vector<std::int64_t> values;     // (point, replication) row-major; empty unless SweepOptions::keep_values
  std::vector<double> statistics;       // (point, statistic) row-major; without keep_values, analysed outputs only
  bool analysed = false;                // named in the sweep file's outputs
  SobolIndices sobol;                   // sobol designs, analysed outputs
  MorrisIndices morris;                 // morris designs, analysed outputs
};

// A weekly series the sweep file asked to keep.
struct SweepSeries {
  SeriesSpec spec;                  // dims (replication, run, week, CATEGORY) as in a run's file
  std::size_t elements = 0;         // values per run: run x week x category
  std::vector<std::int64_t> values; // (point, replication, run, week, category) row-major; empty unless keep_values
};

struct SweepResults {
  SweepSpec spec;
  UnitDesign unit_design;
  std::vector<double> factor_values;  // (point, factor) row-major: the values the points ran with
  std::size_t points = 0;
  std::string resolved_scenario;      // the base scenario (with the fixed overrides) as YAML
  std::vector<SweepOutput> outputs;   // every scalar summary entry, in catalogue order
  std::vector<SweepSeries> series;    // the series the sweep file keeps, in catalogue order
  std::vector<Axis> axes;             // the run layout's axes (for the series' dimensions)
  double wall_seconds = 0;
  int threads = 1;
  bool complete = false;              // every (point, replication) is in; else no statistics or indices
  int ranks = 1;                      // MPI ranks that ran it
  std::string start_time, end_time;
  std::string memory_estimate;        // the estimate checked before the start, as printed in the preamble
};

// One point whose replications are all in, as run_sweep hands it to SweepOptions::on_point.
struct SweepPointRows {
  std::size_t point = 0;
  // replications x values per run, row-major: each run's scalar summary values (SweepResults::outputs'
  // order), then each kept series' values (SweepResults::series' order), as a journal line holds them.
  const std::int64_t* runs = nullptr;
  const double* statistics = nullptr;  // outputs x kSweepStatisticCount: every output's statistics
};

struct SweepOptions {
  int threads = 0;                   // 0: every core
  bool quiet = false;                // no progress on stderr
  RunProgress* progress = nullptr;   // cancellation (cancel_requested) and counters, optional
  // Where to journal finished runs (journal.hpp); empty: no journal. With resume, the runs the journal
  // holds are taken from it instead of being run again.
  std::string journal_path;
  bool resume = false;
  // Run only the points [point_begin, point_end) (a slice, e.g. one Slurm array task).
  std::size_t point_begin = 0;
  std::size_t point_end = static_cast<std::size_t>(-1);
  // Journals of slices of this sweep to take finished runs from (merge); every run must then be in one.
  std::vector<std::string> merge_journals;
  // Runs the pending runs elsewhere (other MPI ranks: mpi_sweep.cpp) instead of on this process's
  // threads, calling record(run, values) on the calling thread as each finishes.
  using Record = std::function<void(std::size_t run, const std::vector<std::int64_t>& values)>;
  std::function<void(const std::vector<std::size_t>& pending, const Record& record)> distribute;
  int ranks = 1;  // recorded in the file's provenance
  // true: SweepResults hold every (point, replication) value and every output's statistics (the library
  // API, calibrate). false: they hold only what the end needs, the analysed outputs' statistics per
  // point, so memory does not grow with the points beyond that; each point goes to on_point instead.
  bool keep_values = true;
  // Called once, before any point is handed to on_point and after the sweep's memory check, the
  // journal and the slices have been read: `header` has everything but the values (spec, design, factor
  // values, the outputs' and series' specs, axes, threads, ranks, start time, memory estimate).
  std::function<void(const SweepResults& header)> on_start;
  // Called with each point as soon as all its replications are in (from the journal or run), one call at
  // a time, in no particular point order (runs are started in point order).
  std::function<void(const SweepPointRows& rows)> on_point;
  // The memory this process may use, for the check before the start; 0: available_memory_bytes().
  std::uint64_t memory_limit_bytes = 0;
};

// The scenario of every point of a sweep, and one run of it: shared by run_sweep and MPI workers.
// Run r is replication r % replications of point r / replications.
class SweepPoints {
 public:
  // Loads (and so validates) every point's scenario. Throws InputError as point_scenario does.
  explicit SweepPoints(const SweepSpec& spec);
  const UnitDesign& design() const { return design_; }
  std::size_t points() const { return scenarios_.size(); }
  std::size_t replications() const { return replications_; }
  const Scenario& scenario(std::size_t point) const { return scenarios_[point]; }
  // The layout's scalar summary entries, whose values a run returns, in layout order.
  const std::vector<SummarySpec>& scalar_entries() const { return scalar_specs_; }
  // The weekly series kept (the sweep file's series), in layout order, and the layout's axes.
  const std::vector<SeriesSpec>& kept_series() const { return series_specs_; }
  const std::vector<std::size_t>& kept_series_elements() const { return series_elements_; }
  const std::vector<Axis>& axes() const { return axes_; }
  // The scalar summary values of one run (with its counterfactual), then the kept series' values.
  std::vector<std::int64_t> run(std::size_t run, RunProgress* progress = nullptr) const;

 private:
  UnitDesign design_;
  std::size_t replications_ = 1;
  std::vector<Scenario> scenarios_;
  std::vector<std::size_t> scalar_indices_;  // into the layout's summary entries
  std::vector<SummarySpec> scalar_specs_;
  std::vector<std::size_t> series_indices_;  // into the layout's series
  std::vector<SeriesSpec> series_specs_;
  std::vector<std::size_t> series_elements_;
  std::vector<Axis> axes_;
};

// What a sweep would hold in memory at its peak: the worlds of the runs side by side (the largest point's,
// as `run` estimates them), the values it holds (all of them with keep_values; else the points in flight
// and the analysed outputs' statistics), and the output file's chunk caches. Checked before the start:
// check_sweep_memory throws InputError (exit 2) naming the sweep file, points, replications, kept series
// and the estimate against the memory available when it exceeds 80% of it; creates nothing.
struct SweepMemoryEstimate {
  std::uint64_t runs_bytes = 0;     // worlds and results of the runs that run side by side
  std::uint64_t values_bytes = 0;   // per-run values the sweep holds (points in flight, or all)
  std::uint64_t file_bytes = 0;     // the output file's chunk caches
  std::uint64_t total_bytes = 0;
  std::string text;                 // one line for the preamble
};
SweepMemoryEstimate estimate_sweep_memory(const SweepSpec& spec, const SweepPoints& points, int threads,
                                          bool keep_values);
void check_sweep_memory(const SweepSpec& spec, const SweepPoints& points, int threads, bool keep_values,
                        std::uint64_t limit_bytes = 0);

// Runs every (point, replication) of the sweep. Results do not depend on the thread count, the order
// in which runs finish, or how often the sweep was interrupted and resumed. Throws InputError if a
// point's scenario is invalid (load_sweep_file checks the factors' ends, so only a combination can be)
// or the journal belongs to another sweep; RunCancelled if progress->cancel_requested is set (the
// journal keeps the runs finished so far).
SweepResults run_sweep(const SweepSpec& spec, const SweepOptions& options = {});

// The factors as a sweep file's /design records them: key, range (a values list's smallest and largest)
// and whether spread logarithmically. Shared by the HDF5 writer and the Python module.
struct FactorTable {
  std::vector<std::string> keys;
  std::vector<double> lows, highs;
  std::vector<std::int8_t> logs;
};
FactorTable factor_table(const SweepSpec& spec);

// One table of the /sensitivity group (docs/SWEEPS.md): a value per analysed output and factor. The HDF5
// writer and the Python module both build the group from these lists, so their names, descriptions and
// values cannot drift apart.
struct SensitivityTable {
  const char* name;
  const char* description;
  double (*value)(const SweepOutput& output, std::size_t factor);
};
// The design's tables (sobol: S1, ST and their intervals; morris: mu*, mu, sigma; none for grid and lhs).
std::span<const SensitivityTable> sensitivity_tables(DesignKind design);
// How the design's indices are estimated, for the group's `estimators` attribute (empty: no indices).
const char* sensitivity_estimators(DesignKind design);
// A table's values over the analysed outputs (in catalogue order) and the factors, row-major.
std::vector<double> sensitivity_values(const SweepResults& results, const SensitivityTable& table);

// The sensitivity indices (sobol, morris) or the per-point means (grid, lhs) of the analysed outputs,
// as a text table.
std::string format_sweep_table(const SweepResults& results);

// Writes the sweep's HDF5 file (layout in docs/SWEEPS.md, "Output file") under a temporary name beside
// `path` and renames it when complete. Refuses an existing file unless overwrite. Throws InputError for
// an unusable path, std::runtime_error for HDF5 failures (the temporary file is removed). before_commit,
// if given, is called when the file is complete, just before the rename: if it throws (a run interrupted
// while the file was written), the temporary file is removed and the exception propagates.
void write_sweep_file(const std::string& path, const SweepResults& results, const std::string& command_line,
                      bool overwrite, const std::function<void()>& before_commit = {});

// The same file written as the sweep runs: created under its temporary name from the results' header
// (SweepOptions::on_start), given each point's rows as they complete (on_point; written at once, and
// flushed with H5Fflush at most every flush_seconds), finished with the statistics-derived parts (sensitivity) and the provenance, then
// renamed. write_sweep_file is this writer fed every point of complete results, so both give the same
// file dataset for dataset. A writer destroyed unfinished removes its temporary file. Temporary files of
// the same target left by processes that no longer exist (a sweep killed with kill -9) are removed when
// a writer is created.
class SweepFileWriter {
 public:
  // flush_seconds: the file is flushed after a point when at least this long has passed since the last
  // flush (0: after every point). Each flush recompresses the chunks of the summary tables the points
  // since the last one touched, so flushing every point costs a sweep of very short runs up to ~10%.
  SweepFileWriter(const std::string& path, const SweepResults& header, bool overwrite, double flush_seconds = 1.0);
  ~SweepFileWriter();
  SweepFileWriter(const SweepFileWriter&) = delete;
  SweepFileWriter& operator=(const SweepFileWriter&) = delete;
  void write_point(const SweepPointRows& rows);
  // before_commit as for write_sweep_file.
  void finish(const SweepResults& results, const std::string& command_line,
              const std::function<void()>& before_commit = {});
  const std::string& temporary_path() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The `sellershock sweep` command: loads and validates the sweep file, runs it journalling each finished
// run to OUTPUT.journal, writes `output_path` (default: results/SWEEP.h5), removes the journal and
// returns the table to print. Throws InputError if a journal exists and neither resume nor force is set.
struct SweepCommand {
  std::string sweep_path;
  std::string output_path;
  int threads = 0;
  bool force = false;
  bool quiet = false;
  bool resume = false;  // continue from OUTPUT.journal (an interrupted sweep's finished runs)
  std::string points;   // "A:B": run only these points, journalled to output_path itself (a slice for merge)
  std::string command_line;
  RunProgress* progress = nullptr;
};
std::string run_sweep_command(const SweepCommand& command);

// A slice of the points, "A:B" (points A to B - 1, either end may be omitted), checked against the
// design's point count. Throws InputError naming --points.
std::pair<std::size_t, std::size_t> parse_point_range(const std::string& text, std::size_t points);

// `sellershock merge SWEEP -o OUT.h5 SLICE...`: joins the slice files that `sweep --points A:B -o SLICE`
// wrote (journals of the same sweep) into the sweep's file, identical to an unsliced run's. Throws
// InputError if a slice belongs to another sweep or a run is in no slice.
struct MergeCommand {
  std::string sweep_path;
  std::string output_path;
  std::vector<std::string> slices;
  bool force = false;
  std::string command_line;
};
std::string run_merge_command(const MergeCommand& command);

}  // namespace sellershock
