#include "experiment/sweep.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <limits>
#include <map>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <mutex>

#include "experiment/journal.hpp"
#include "experiment/mpi.hpp"
#include "output/hdf5_writer.hpp"
#include "run/catalogue.hpp"
#include "run/runner.hpp"
#include "scenario/error.hpp"
#include "scenario/loader.hpp"
#include "sellershock/version.hpp"

namespace sellershock {

namespace {

using Clock = std::chrono::steady_clock;

std::string duration_text(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%dm%02ds", static_cast<int>(seconds) / 60, static_cast<int>(seconds) % 60);
  return buffer;
}

// Plain progress lines on stderr: about every tenth of the runs, and at most every few seconds.
class SweepProgress {
 public:
  SweepProgress(std::size_t total, bool enabled) : total_(total), enabled_(enabled), started_(Clock::now()) {}
  void run_done() {
    const std::lock_guard<std::mutex> lock(mutex_);
    ++done_;
    if (!enabled_) return;
    const double elapsed = std::chrono::duration<double>(Clock::now() - started_).count();
    const std::size_t tenth = done_ * 10 / total_;
    if (tenth == last_tenth_ && elapsed - last_print_ < 5.0 && done_ != total_) return;
    last_tenth_ = tenth;
    last_print_ = elapsed;
    const double remaining = elapsed * static_cast<double>(total_ - done_) / static_cast<double>(done_);
    std::fprintf(stderr, "sweep: %zu of %zu runs done (%.0f%%), %s elapsed, ETA %s\n", done_, total_,
                 100.0 * static_cast<double>(done_) / static_cast<double>(total_), duration_text(elapsed).c_str(),
                 duration_text(remaining).c_str());
  }

 private:
  std::mutex mutex_;
  std::size_t total_, done_ = 0, last_tenth_ = 0;
  bool enabled_;
  Clock::time_point started_;
  double last_print_ = 0;
};

// Replication statistics of one point: mean, q05, q50, q95 (as the run's /summary) and the Monte Carlo
// standard error of the mean (sample standard deviation / sqrt(replications); 0 with one replication).
void point_statistics(const std::int64_t* values, std::size_t replications, double* out) {
  std::vector<std::int64_t> sample(values, values + replications);
  const SummaryStatistics s = summarize(sample);
  double squares = 0;
  for (std::int64_t v : sample) squares += (static_cast<double>(v) - s.mean) * (static_cast<double>(v) - s.mean);
  const double n = static_cast<double>(replications);
  out[0] = s.mean;
  out[1] = s.q05;
  out[2] = s.q50;
  out[3] = s.q95;
  out[4] = replications > 1 ? std::sqrt(squares / (n - 1)) / std::sqrt(n) : 0.0;
}

std::string money_or_count(double value, const std::string& unit) {
  char buffer[64];
  if (unit == "USD cents")
    std::snprintf(buffer, sizeof buffer, "%.4g USD", value / 100.0);
  else
    std::snprintf(buffer, sizeof buffer, "%.4g", value);
  return buffer;
}

}  // namespace

SweepPoints::SweepPoints(const SweepSpec& spec)
    : design_(make_design(spec)), replications_(static_cast<std::size_t>(spec.replications)) {
  if (design_.size() == 0) throw std::logic_error("SweepPoints: the design has no points");
  scenarios_.reserve(design_.size());
  for (std::size_t p = 0; p < design_.size(); ++p) scenarios_.push_back(point_scenario(spec, design_, p));
  const Layout layout = make_layout(scenarios_.front(), true);
  for (std::size_t e = 0; e < layout.summary.size(); ++e)
    if (layout.summary[e].dims.empty()) {
      scalar_indices_.push_back(e);
      scalar_specs_.push_back(layout.summary[e]);
    }
  for (std::size_t k = 0; k < layout.series.size(); ++k)
    if (std::find(spec.series.begin(), spec.series.end(), layout.series[k].name) != spec.series.end()) {
      series_indices_.push_back(k);
      series_specs_.push_back(layout.series[k]);
      series_elements_.push_back(layout.element_count(
          std::vector<std::string>(layout.series[k].dims.begin() + 1, layout.series[k].dims.end())));
    }
  axes_ = layout.axes;
}

std::vector<std::int64_t> SweepPoints::run(std::size_t run, RunProgress* progress) const {
  const ReplicationResult result = simulate_replication(
      scenarios_[run / replications_], static_cast<std::int64_t>(run % replications_), progress, true);
  std::vector<std::int64_t> values;
  values.reserve(scalar_indices_.size());
  for (std::size_t e : scalar_indices_) values.push_back(result.summary[e][0]);
  for (std::size_t k : series_indices_) values.insert(values.end(), result.series[k].begin(), result.series[k].end());
  return values;
}

SweepMemoryEstimate estimate_sweep_memory(const SweepSpec& spec, const SweepPoints& points, int threads,
                                          bool keep_values) {
  SweepMemoryEstimate estimate;
  const std::size_t replications = points.replications();
  const std::size_t runs = points.points() * replications;
  const auto concurrent = static_cast<std::size_t>(
      std::max<std::int64_t>(1, std::min<std::int64_t>(effective_threads(threads), static_cast<std::int64_t>(runs))));
  // The worlds and results of the runs side by side, as `run` estimates a run of that many replications
  // (without the results it would keep: the sweep keeps its own, below), at the most demanding point.
  for (std::size_t p = 0; p < points.points(); ++p) {
    const Scenario& at = points.scenario(p);
    if (p > 0 && at.sellers.count == points.scenario(p - 1).sellers.count &&
        at.buyers.count == points.scenario(p - 1).buyers.count && at.weeks == points.scenario(p - 1).weeks &&
        at.buyers.purchases_per_week == points.scenario(p - 1).buyers.purchases_per_week)
      continue;  // the same sizes as the previous point
    Scenario side_by_side = at;
    side_by_side.replications = static_cast<int>(concurrent);
    const MemoryEstimate run = estimate_memory(side_by_side, static_cast<int>(concurrent), true);
    estimate.runs_bytes = std::max(estimate.runs_bytes, run.total_bytes - run.replications_bytes);
  }
  std::size_t values_per_run = points.scalar_entries().size();
  for (std::size_t elements : points.kept_series_elements()) values_per_run += elements;
  const std::size_t outputs = points.scalar_entries().size();
  const std::size_t analysed = static_cast<std::size_t>(std::count_if(
      points.scalar_entries().begin(), points.scalar_entries().end(), [&](const SummarySpec& entry) {
        return std::find(spec.outputs.begin(), spec.outputs.end(), entry.name) != spec.outputs.end();
      }));
  const std::uint64_t per_point = static_cast<std::uint64_t>(replications) * values_per_run * sizeof(std::int64_t);
  // Bookkeeping per run (finished flag, pending index) and the design (unit and factor values).
  std::uint64_t held = static_cast<std::uint64_t>(runs) * 9 +
                       static_cast<std::uint64_t>(points.points()) * spec.factors.size() * 2 * sizeof(double);
  if (keep_values) {
    held += static_cast<std::uint64_t>(points.points()) *
            (per_point + outputs * kSweepStatisticCount * sizeof(double));
  } else {
    // The points in flight: runs are started in point order, so about one point per thread and the one
    // being completed; their rows are buffered until the point is complete, then written.
    held += static_cast<std::uint64_t>(concurrent + 1) * per_point +
            static_cast<std::uint64_t>(points.points()) * analysed * kSweepStatisticCount * sizeof(double);
  }
  estimate.values_bytes = held;
  // HDF5 keeps up to 1 MiB of chunks per dataset in its cache; a point's row of each is buffered once.
  const std::uint64_t chunk_cache = 1u << 20;
  const std::uint64_t table_chunk = std::min<std::uint64_t>(points.points(), 1024) * replications * sizeof(std::int64_t);
  estimate.file_bytes = outputs * (std::min(chunk_cache, table_chunk) +
                                   std::min<std::uint64_t>(chunk_cache, std::min<std::uint64_t>(points.points(), 1024) *
                                                                            kSweepStatisticCount * sizeof(double)));
  for (std::size_t elements : points.kept_series_elements())
    estimate.file_bytes += std::min<std::uint64_t>(chunk_cache, replications * elements * sizeof(std::int64_t)) +
                           replications * elements * sizeof(std::int64_t);
  estimate.total_bytes = estimate.runs_bytes + estimate.values_bytes + estimate.file_bytes;
  std::string series;
  for (const SeriesSpec& kept : points.kept_series()) series += (series.empty() ? "" : ", ") + kept.name;
  estimate.text = "memory estimate " + human_bytes(static_cast<double>(estimate.total_bytes)) + ": " +
                  human_bytes(static_cast<double>(estimate.runs_bytes)) + " for " + std::to_string(concurrent) +
                  " runs side by side, " + human_bytes(static_cast<double>(estimate.values_bytes)) + " of values (" +
                  std::to_string(points.points()) + " points x " + std::to_string(replications) + " replications x " +
                  std::to_string(values_per_run) + " values per run" +
                  (series.empty() ? std::string() : ", kept series " + series) + "; " +
                  (keep_values ? "all held" : "points in flight held") + "), " +
                  human_bytes(static_cast<double>(estimate.file_bytes)) + " for the file";
  return estimate;
}

void check_sweep_memory(const SweepSpec& spec, const SweepPoints& points, int threads, bool keep_values,
                        std::uint64_t limit_bytes) {
  const std::uint64_t limit = limit_bytes ? limit_bytes : available_memory_bytes();
  if (limit == 0) return;  // unknown: let the sweep try
  const SweepMemoryEstimate estimate = estimate_sweep_memory(spec, points, threads, keep_values);
  if (static_cast<double>(estimate.total_bytes) <= 0.8 * static_cast<double>(limit)) return;
  std::string series;
  for (const SeriesSpec& kept : points.kept_series()) series += (series.empty() ? "" : ", ") + kept.name;
  const SourceLocation where{spec.file, 0, 0};
  throw InputError(
      where, "replications",
      format_input_error(
          where, "replications",
          "this sweep (" + std::to_string(points.points()) + " points x " + std::to_string(points.replications()) +
              " replications, kept series: " + (series.empty() ? std::string("none") : series) +
              ") would need about " + std::to_string(estimate.total_bytes) + " bytes (" +
              human_bytes(static_cast<double>(estimate.total_bytes)) + ") of memory, but " +
              std::to_string(limit) + " bytes (" + human_bytes(static_cast<double>(limit)) +
              ") are available (MemAvailable, or the cgroup limit if lower; the sweep may use 80%); " +
              estimate.text + ". Reduce replications, the kept series, weeks or the thread count (-j)"));
}

SweepResults run_sweep(const SweepSpec& spec, const SweepOptions& options) {
  const Clock::time_point started = Clock::now();
  SweepResults results;
  results.spec = spec;
  results.start_time = utc_now_iso();
  results.unit_design = make_design(spec);
  const std::size_t points = results.unit_design.size();
  const std::size_t k = spec.factors.size();
  const auto replications = static_cast<std::size_t>(spec.replications);
  results.points = points;
  results.threads = effective_threads(options.threads);
  results.resolved_scenario = to_yaml(load_scenario(spec.scenario_path, spec.fixed));

  // Every point's scenario is loaded (and so validated) before any run starts.
  const SweepPoints sweep_points(spec);
  for (std::size_t p = 0; p < points; ++p)
    for (std::size_t j = 0; j < k; ++j)
      results.factor_values.push_back(spec.factors[j].value_at(results.unit_design.at(p, j)));
  {
    // run's checks of the scenario (regions, the money range); its memory check is for a run that keeps
    // every replication's results, so the sweep's own replaces it below.
    Scenario first = sweep_points.scenario(0);
    first.replications = 1;
    check_resources(first, spec.scenario_path, options.threads, true, std::numeric_limits<std::uint64_t>::max());
  }
  // Before anything is written (the journal, the file): a sweep that cannot fit is refused.
  check_sweep_memory(spec, sweep_points, options.threads, options.keep_values, options.memory_limit_bytes);
  results.memory_estimate = estimate_sweep_memory(spec, sweep_points, options.threads, options.keep_values).text;
  const std::vector<SummarySpec>& scalar_entries = sweep_points.scalar_entries();
  for (const SummarySpec& entry : scalar_entries) {
    SweepOutput output;
    output.spec = entry;
    output.analysed = std::find(spec.outputs.begin(), spec.outputs.end(), output.spec.name) != spec.outputs.end();
    if (options.keep_values) output.values.assign(points * replications, 0);
    if (options.keep_values || output.analysed) output.statistics.assign(points * kSweepStatisticCount, 0.0);
    results.outputs.push_back(std::move(output));
  }
  results.ranks = options.ranks;
  results.axes = sweep_points.axes();
  std::size_t values_per_run = scalar_entries.size();
  for (std::size_t k = 0; k < sweep_points.kept_series().size(); ++k) {
    SweepSeries kept;
    kept.spec = sweep_points.kept_series()[k];
    kept.elements = sweep_points.kept_series_elements()[k];
    if (options.keep_values) kept.values.assign(points * replications * kept.elements, 0);
    values_per_run += kept.elements;
    results.series.push_back(std::move(kept));
  }

  // A point's runs are buffered until all its replications are in; then its statistics are computed,
  // it is handed to on_point (kept in the results with keep_values) and its buffer is dropped.
  std::vector<char> finished(points * replications, 0);
  std::mutex points_mutex;
  std::map<std::size_t, std::pair<std::size_t, std::vector<std::int64_t>>> open_points;  // point: (runs in, values)
  std::vector<double> point_stats(scalar_entries.size() * kSweepStatisticCount);
  std::vector<std::int64_t> sample(replications);
  const auto complete_point = [&](std::size_t p, const std::vector<std::int64_t>& runs) {
    for (std::size_t o = 0; o < scalar_entries.size(); ++o) {
      for (std::size_t r = 0; r < replications; ++r) sample[r] = runs[r * values_per_run + o];
      double* out = &point_stats[o * kSweepStatisticCount];
      point_statistics(sample.data(), replications, out);
      SweepOutput& output = results.outputs[o];
      if (!output.statistics.empty()) std::copy_n(out, kSweepStatisticCount, &output.statistics[p * kSweepStatisticCount]);
      if (options.keep_values) std::copy(sample.begin(), sample.end(), output.values.begin() + p * replications);
    }
    if (options.keep_values) {
      std::size_t at = scalar_entries.size();
      for (SweepSeries& kept : results.series) {
        for (std::size_t r = 0; r < replications; ++r)
          std::copy_n(runs.begin() + static_cast<std::ptrdiff_t>(r * values_per_run + at), kept.elements,
                      kept.values.begin() + static_cast<std::ptrdiff_t>((p * replications + r) * kept.elements));
        at += kept.elements;
      }
    }
    if (options.on_point) options.on_point({p, runs.data(), point_stats.data()});
  };
  // A run's values as a journal line or MPI message holds them: the scalars, then each kept series.
  const auto store = [&](std::size_t run, const std::vector<std::int64_t>& values) {
    const std::lock_guard<std::mutex> lock(points_mutex);
    if (finished[run]) return;  // already in (slices given twice to merge)
    finished[run] = 1;
    const std::size_t p = run / replications, r = run % replications;
    auto& [count, runs] = open_points[p];
    if (runs.empty()) runs.assign(replications * values_per_run, 0);
    std::copy(values.begin(), values.end(), runs.begin() + static_cast<std::ptrdiff_t>(r * values_per_run));
    if (++count < replications) return;
    const auto node = open_points.extract(p);
    complete_point(p, node.mapped().second);
  };

  // Runs already finished by an interrupted attempt, from the journal.
  std::unique_ptr<SweepJournal> journal;
  std::string identity = spec.text + "\n" + spec.scenario_path + "\n" + results.resolved_scenario + "\n" +
                         kProgramVersion + " " + kGitRevision + "\n";
  for (const SweepOutput& o : results.outputs) identity += o.spec.name + " ";
  for (const SweepSeries& kept : results.series) identity += kept.spec.name + ":" + std::to_string(kept.elements) + " ";
  const std::string fingerprint = fingerprint_of(identity);
  std::vector<std::vector<JournalRecord>> taken_records;
  std::vector<char> held(points * replications, 0);
  const auto take = [&](std::vector<JournalRecord> records) {
    for (const JournalRecord& record : records) held[record.point * replications + record.replication] = 1;
    taken_records.push_back(std::move(records));
  };
  if (!options.journal_path.empty()) {
    journal = std::make_unique<SweepJournal>(options.journal_path, fingerprint, values_per_run, points, replications,
                                             options.resume);
    take(journal->take_recovered());
  }
  for (const std::string& slice : options.merge_journals)
    take(read_sweep_journal(slice, fingerprint, values_per_run, points, replications));
  std::vector<std::size_t> pending;
  for (std::size_t run = 0; run < points * replications; ++run)
    if (!held[run] && run / replications >= options.point_begin && run / replications < options.point_end)
      pending.push_back(run);
  if (!options.merge_journals.empty() && !pending.empty())
    throw InputError(SourceLocation{options.merge_journals.front(), 0, 0}, "slices",
                     "the slices hold " + std::to_string(points * replications - pending.size()) + " of the sweep's " +
                         std::to_string(points * replications) + " runs; point " +
                         std::to_string(pending.front() / replications) + " replication " +
                         std::to_string(pending.front() % replications) + " is in none of them");
  const auto taken = static_cast<std::size_t>(std::count(held.begin(), held.end(), char{1}));
  bool complete = true;  // every run is either held or about to run
  for (std::size_t run = 0; run < points * replications; ++run)
    if (!held[run] && (run / replications < options.point_begin || run / replications >= options.point_end))
      complete = false;
  held = {};
  if (!options.quiet && taken > 0)
    std::fprintf(stderr, "sweep: resuming: %zu of %zu runs taken from %s\n", taken, points * replications,
                 options.journal_path.c_str());
  if (options.on_start) options.on_start(results);
  for (std::vector<JournalRecord>& records : taken_records) {
    for (const JournalRecord& record : records) store(record.point * replications + record.replication, record.values);
    records = {};
  }

  SweepProgress progress(std::max<std::size_t>(1, pending.size()), !options.quiet);
  if (!options.quiet)
    std::fprintf(stderr, "sweep %s: %s design, %zu points x %zu replications (with counterfactuals) of %s on %d threads; %s\n",
                 spec.file.c_str(), design_name(spec.design), points, replications, spec.scenario_path.c_str(),
                 results.threads, results.memory_estimate.c_str());
  // The journal, the point buffers and the progress lock for themselves. The journal first: a run is
  // durable before its point can reach the file.
  const SweepOptions::Record record = [&](std::size_t run, const std::vector<std::int64_t>& values) {
    if (journal) journal->append(run / replications, run % replications, values);
    store(run, values);
    if (options.progress) options.progress->replications_done.fetch_add(1);
    progress.run_done();
  };
  if (options.distribute) {
    options.distribute(pending, record);
  } else {
    // Each thread takes the next pending run in point order, so points complete about in order and only
    // about one point per thread is buffered. A run's own parallel loops are isolated, so a thread
    // waiting in one never takes another run (which would hold its point open until that one ends).
    tbb::task_arena arena(results.threads);
    std::atomic<std::size_t> next{0};
    try {
      arena.execute([&] {
        tbb::parallel_for(0, results.threads, 1, [&](int) {
          for (std::size_t at = next++; at < pending.size(); at = next++) {
            if (options.progress && options.progress->cancel_requested.load()) return;
            std::vector<std::int64_t> values;
            tbb::this_task_arena::isolate([&] { values = sweep_points.run(pending[at], options.progress); });
            record(pending[at], values);
          }
        });
      });
    } catch (const RunCancelled&) {
      // A run stopped half-way: reported below, with the journal that keeps the finished ones.
    }
  }
  if (options.progress && options.progress->cancel_requested.load()) {
    if (journal && !options.quiet)
      std::fprintf(stderr, "sweep: interrupted; the finished runs are kept in %s: continue with --resume\n",
                   journal->path().c_str());
    throw RunCancelled();
  }

  results.complete = complete;
  if (!results.complete) {  // a slice: its runs are in the journal, statistics wait for the merge
    results.end_time = utc_now_iso();
    results.wall_seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return results;
  }
  if (!open_points.empty()) throw std::logic_error("run_sweep: a point is incomplete at the end");
  for (SweepOutput& output : results.outputs) {
    if (!output.analysed) continue;
    std::vector<double> means(points);
    for (std::size_t p = 0; p < points; ++p) means[p] = output.statistics[p * kSweepStatisticCount];
    if (spec.design == DesignKind::sobol) {
      SobolOptions sobol;
      sobol.bootstrap_samples = spec.bootstrap_samples;
      sobol.seed = spec.seed;
      output.sobol = sobol_indices(means, k, sobol);
    } else if (spec.design == DesignKind::morris) {
      output.morris = morris_indices(results.unit_design, means);
    }
  }
  results.end_time = utc_now_iso();
  results.wall_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return results;
}

std::string format_sweep_table(const SweepResults& results) {
  const SweepSpec& spec = results.spec;
  std::string text;
  char line[512];
  std::snprintf(line, sizeof line, "sweep %s: %s design, %zu points x %d replications, seed %llu, %.1f s\n",
                spec.file.c_str(), design_name(spec.design), results.points, spec.replications,
                static_cast<unsigned long long>(spec.seed), results.wall_seconds);
  text += line;
  for (const SweepOutput& output : results.outputs) {
    if (!output.analysed) continue;
    text += "\n" + output.spec.name + " (" + output.spec.unit + ")\n";
    if (spec.design == DesignKind::sobol) {
      std::snprintf(line, sizeof line, "  %-44s %26s %26s\n", "factor", "first-order S1 [95% CI]", "total ST [95% CI]");
      text += line;
      for (std::size_t j = 0; j < spec.factors.size(); ++j) {
        const IndexEstimate& s = output.sobol.first_order[j];
        const IndexEstimate& t = output.sobol.total[j];
        std::snprintf(line, sizeof line, "  %-44s %7.3f [%7.3f, %7.3f] %7.3f [%7.3f, %7.3f]\n",
                      spec.factors[j].key.c_str(), s.value, s.low, s.high, t.value, t.low, t.high);
        text += line;
      }
    } else if (spec.design == DesignKind::morris) {
      std::snprintf(line, sizeof line, "  %-44s %14s %14s %14s\n", "factor", "mu*", "mu", "sigma");
      text += line;
      for (std::size_t j = 0; j < spec.factors.size(); ++j) {
        std::snprintf(line, sizeof line, "  %-44s %14.4g %14.4g %14.4g\n", spec.factors[j].key.c_str(),
                      output.morris.mu_star[j], output.morris.mu[j], output.morris.sigma[j]);
        text += line;
      }
      text += "  (effects per unit of each factor's range, scaled to [0, 1])\n";
    } else {
      text += "  point";
      for (const Factor& f : spec.factors) text += "  " + f.key;
      text += "  mean +- standard error [q05, q95]\n";
      for (std::size_t p = 0; p < results.points; ++p) {
        std::snprintf(line, sizeof line, "  %5zu", p);
        text += line;
        for (std::size_t j = 0; j < spec.factors.size(); ++j) {
          std::snprintf(line, sizeof line, "  %*.6g", static_cast<int>(spec.factors[j].key.size()),
                        results.factor_values[p * spec.factors.size() + j]);
          text += line;
        }
        const double* s = &output.statistics[p * kSweepStatisticCount];
        text += "  " + money_or_count(s[0], output.spec.unit) + " +- " + money_or_count(s[4], output.spec.unit) +
                " [" + money_or_count(s[1], output.spec.unit) + ", " + money_or_count(s[3], output.spec.unit) + "]\n";
      }
    }
  }
  return text;
}

std::pair<std::size_t, std::size_t> parse_point_range(const std::string& text, std::size_t points) {
  const auto fail = [&](const std::string& why) -> std::pair<std::size_t, std::size_t> {
    throw InputError(SourceLocation{"--points", 0, 0}, "--points",
                     "--points " + text + ": " + why + " (expected A:B, points A to B - 1 of 0.." +
                         std::to_string(points) + ")");
  };
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos) return fail("no ':'");
  const auto number = [&](const std::string& part, std::size_t fallback, std::size_t& out) {
    if (part.empty()) {
      out = fallback;
      return true;
    }
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), out);
    return error == std::errc() && end == part.data() + part.size();
  };
  std::size_t begin = 0, end = 0;
  if (!number(text.substr(0, colon), 0, begin) || !number(text.substr(colon + 1), points, end))
    return fail("the ends must be whole numbers");
  if (begin >= end || end > points) return fail("an empty range or one beyond the design");
  return {begin, end};
}

std::string run_sweep_command(const SweepCommand& command) {
  const MpiSession mpi;  // under mpirun: rank 0 coordinates, the others run what it hands out
  const SweepSpec spec = load_sweep_file(command.sweep_path);
  if (mpi.rank() > 0) {
    serve_sweep_runs(spec, command.threads);
    return "";
  }
  const auto distribute = [&](SweepOptions& options, std::size_t values_per_run) {
    if (mpi.size() < 2) return;
    options.ranks = mpi.size();
    options.distribute = [&mpi, values_per_run](const std::vector<std::size_t>& pending,
                                                const SweepOptions::Record& record) {
      distribute_over_ranks(pending, record, values_per_run, mpi.size());
    };
  };
  const std::size_t values_per_run = [&] {
    if (mpi.size() < 2) return std::size_t{0};
    const SweepPoints sweep_points(spec);
    std::size_t n = sweep_points.scalar_entries().size();
    for (std::size_t elements : sweep_points.kept_series_elements()) n += elements;
    return n;
  }();
  if (!command.points.empty()) {  // a slice: its journal is its output, for merge
    if (command.output_path.empty())
      throw InputError(SourceLocation{"--points", 0, 0}, "--points", "--points needs -o SLICE: the slice's file");
    const auto [begin, end] = parse_point_range(command.points, make_design(spec).size());
    if (!command.resume) check_output_path(command.output_path, command.force);
    SweepOptions options;
    options.threads = command.threads;
    options.quiet = command.quiet;
    options.progress = command.progress;
    options.journal_path = command.output_path;
    options.resume = command.resume;
    options.point_begin = begin;
    options.point_end = end;
    options.keep_values = false;  // the slice's runs are in its journal
    distribute(options, values_per_run);
    const SweepResults results = run_sweep(spec, options);
    return "sweep " + spec.file + ": points " + std::to_string(begin) + " to " + std::to_string(end - 1) + " of " +
           std::to_string(results.points) + " done in " + std::to_string(results.wall_seconds) + " s, written to " +
           command.output_path + " (join the slices with sellershock merge)\n";
  }
  const std::string output_path =
      command.output_path.empty()
          ? (std::filesystem::path("results") / std::filesystem::path(command.sweep_path).stem()).string() + ".h5"
          : command.output_path;
  check_output_path(output_path, command.force);
  const std::string journal = journal_path_for(output_path);
  if (!command.resume && !command.force && std::filesystem::exists(journal))
    throw InputError(SourceLocation{journal, 0, 0}, "journal",
                     "an interrupted sweep's journal exists at " + journal +
                         ": pass --resume to continue that sweep, or --force to start over");
  SweepOptions options;
  options.journal_path = journal;
  options.resume = command.resume;
  distribute(options, values_per_run);
  options.threads = command.threads;
  options.quiet = command.quiet;
  options.progress = command.progress;
  // The file is written as points finish (its temporary name, renamed when complete); the results keep
  // only what the indices and the printed table need.
  std::unique_ptr<SweepFileWriter> writer;
  options.keep_values = false;
  options.on_start = [&](const SweepResults& header) {
    writer = std::make_unique<SweepFileWriter>(output_path, header, command.force);
  };
  options.on_point = [&](const SweepPointRows& rows) { writer->write_point(rows); };
  const SweepResults results = run_sweep(spec, options);
  // A stop requested while the file was written leaves no file; the journal keeps the runs (--resume).
  writer->finish(results, command.command_line, [&] { throw_if_cancelled(command.progress); });
  std::error_code ignored;
  std::filesystem::remove(journal, ignored);  // the file now holds everything the journal did
  return format_sweep_table(results) + "written to " + output_path + "\n";
}

}  // namespace sellershock

namespace sellershock {

std::string run_merge_command(const MergeCommand& command) {
  const SweepSpec spec = load_sweep_file(command.sweep_path);
  check_output_path(command.output_path, command.force);
  if (command.slices.empty())
    throw InputError(SourceLocation{"merge", 0, 0}, "slices", "merge needs the slice files to join");
  SweepOptions options;
  options.quiet = true;
  options.merge_journals = command.slices;
  std::unique_ptr<SweepFileWriter> writer;
  options.keep_values = false;
  options.on_start = [&](const SweepResults& header) {
    writer = std::make_unique<SweepFileWriter>(command.output_path, header, command.force);
  };
  options.on_point = [&](const SweepPointRows& rows) { writer->write_point(rows); };
  const SweepResults results = run_sweep(spec, options);
  writer->finish(results, command.command_line);
  return format_sweep_table(results) + "written to " + command.output_path + "\n";
}

FactorTable factor_table(const SweepSpec& spec) {
  FactorTable t;
  for (const Factor& f : spec.factors) {
    t.keys.push_back(f.key);
    t.lows.push_back(f.values.empty() ? f.low : *std::min_element(f.values.begin(), f.values.end()));
    t.highs.push_back(f.values.empty() ? f.high : *std::max_element(f.values.begin(), f.values.end()));
    t.logs.push_back(f.log ? 1 : 0);
  }
  return t;
}

namespace {
constexpr SensitivityTable kSobolTables[] = {
    {"S1", "first-order Sobol index", [](const SweepOutput& o, std::size_t j) { return o.sobol.first_order[j].value; }},
    {"S1_low", "first-order index, lower end of the 95% bootstrap interval",
     [](const SweepOutput& o, std::size_t j) { return o.sobol.first_order[j].low; }},
    {"S1_high", "first-order index, upper end of the 95% bootstrap interval",
     [](const SweepOutput& o, std::size_t j) { return o.sobol.first_order[j].high; }},
    {"ST", "total Sobol index", [](const SweepOutput& o, std::size_t j) { return o.sobol.total[j].value; }},
    {"ST_low", "total index, lower end of the 95% bootstrap interval",
     [](const SweepOutput& o, std::size_t j) { return o.sobol.total[j].low; }},
    {"ST_high", "total index, upper end of the 95% bootstrap interval",
     [](const SweepOutput& o, std::size_t j) { return o.sobol.total[j].high; }},
};
constexpr SensitivityTable kMorrisTables[] = {
    {"mu_star", "mean absolute elementary effect (mu*)", [](const SweepOutput& o, std::size_t j) { return o.morris.mu_star[j]; }},
    {"mu", "mean elementary effect", [](const SweepOutput& o, std::size_t j) { return o.morris.mu[j]; }},
    {"sigma", "standard deviation of the elementary effects", [](const SweepOutput& o, std::size_t j) { return o.morris.sigma[j]; }},
};
}  // namespace

std::span<const SensitivityTable> sensitivity_tables(DesignKind design) {
  if (design == DesignKind::sobol) return kSobolTables;
  if (design == DesignKind::morris) return kMorrisTables;
  return {};
}

const char* sensitivity_estimators(DesignKind design) {
  if (design == DesignKind::sobol)
    return "first order: Saltelli et al. (2010); total: Jansen (1999); of the replication means; 95% bootstrap "
           "percentile intervals";
  if (design == DesignKind::morris)
    return "Morris elementary effects of the replication means, per unit of the factor's range scaled to [0, 1]";
  return "";
}

std::vector<double> sensitivity_values(const SweepResults& results, const SensitivityTable& table) {
  std::vector<double> values;
  for (const SweepOutput& o : results.outputs)
    if (o.analysed)
      for (std::size_t j = 0; j < results.spec.factors.size(); ++j) values.push_back(table.value(o, j));
  return values;
}

}  // namespace sellershock
