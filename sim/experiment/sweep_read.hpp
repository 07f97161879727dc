// A sweep's HDF5 file (docs/SWEEPS.md, "Output file") read back into SweepResults, so that
// `sellershock summarize SWEEP.h5` reprints the table `sellershock sweep` printed (format_sweep_table)
// without running again, and gives scripts the design, per-point values, statistics and indices as JSON
// or CSV with unformatted numbers.
#pragma once

#include <string>

#include "experiment/sweep.hpp"

namespace sellershock {

// Whether the file at `path` is a sweep file (root attribute @kind = "sweep"); a run's file is not.
// Throws InputError naming the file when it is missing or not HDF5.
bool is_sweep_file(const std::string& path);

// Reads a sweep file: the spec as far as the file records it (the sweep file's path and text, the base
// scenario's path, the factors' keys and bounds, design, samples, replications, seed, analysed outputs,
// bootstrap samples), the design (unit-cube and factor values), every scalar summary entry with its
// values over (point, replication) and statistics over (point, statistic), the Sobol or Morris indices,
// and the provenance (times, threads, ranks, wall time). The kept weekly series are not read
// (`series` and `axes` stay empty): use sellershock.load_sweep for those. Throws InputError naming the
// file when it is not a complete sweep file of a format version this program reads.
// A file written before @wall_seconds was recorded gets its wall time from @start_time and @end_time (to
// the second); `note`, if given, then says so.
SweepResults read_sweep_file(const std::string& path, std::string* note = nullptr);

// Every scalar summary entry per point (values per replication and statistics), the design and the
// indices, as JSON; numbers unformatted (cents stay cents), NaN as null.
std::string format_sweep_json(const SweepResults& results, const std::string& path);

// The same in long form for scripts: one row per (entry, point, replication) value, with the point's
// factor values as columns: entry,unit,point,FACTOR...,replication,value.
std::string format_sweep_csv(const SweepResults& results);

}  // namespace sellershock
