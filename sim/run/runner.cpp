#include "run/runner.hpp"

#include "run/money_range.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "run/replication.hpp"
#include "scenario/error.hpp"

namespace sellershock {

namespace {

std::string utc_now_iso() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

std::string human_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int unit = 0;
  while (bytes >= 1024.0 && unit < 5) {
    bytes /= 1024.0;
    ++unit;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f %s", bytes, units[unit]);
  return buffer;
}

}  // namespace

int effective_threads(int requested) {
  return requested > 0 ? requested : std::max(1, tbb::info::default_concurrency());
}

std::uint64_t estimated_peak_bytes(const Scenario& scenario, int threads) {
  // Replications run side by side, up to one per thread; each holds its world and its recorded series.
  const auto concurrent = static_cast<std::uint64_t>(
      std::max<std::int64_t>(1, std::min<std::int64_t>(effective_threads(threads), scenario.replications)));
  const auto sellers = static_cast<std::uint64_t>(scenario.sellers.count);
  const std::uint64_t world_bytes = sellers * SellerTable::bytes_per_seller() +
                                    static_cast<std::uint64_t>(scenario.buyers.count) *
                                        (BuyerTable::bytes_per_buyer() +
                                         static_cast<std::uint64_t>(scenario.buyers.purchases_per_week) * 32);
  const std::uint64_t categories = scenario.sellers.region_shares.size() + 2;
  const std::uint64_t series_bytes = static_cast<std::uint64_t>(scenario.weeks) * categories * 16 * sizeof(std::int64_t);
  // A replication and its counterfactual each hold a world; purchases are 32 bytes each per week.
  return concurrent * (2 * world_bytes + series_bytes) + (64u << 20);  // plus the program itself
}

void check_resources(const Scenario& scenario, const std::string& scenario_file, int threads) {
  if (scenario.sellers.region_shares.size() > 255)
    throw InputError({scenario_file, 0, 0}, "sellers.region_shares",
                     format_input_error({scenario_file, 0, 0}, "sellers.region_shares",
                                        "expected at most 255 regions, found " +
                                            std::to_string(scenario.sellers.region_shares.size())));
  check_money_range(scenario, scenario_file);
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return;  // unknown: let the run try
  const double available = static_cast<double>(pages) * static_cast<double>(page_size);
  const double needed = static_cast<double>(estimated_peak_bytes(scenario, threads));
  if (needed > 0.8 * available) {
    const std::string what = std::to_string(scenario.sellers.count) + " sellers would need about " +
                             human_bytes(needed) + " of memory (" + human_bytes(static_cast<double>(SellerTable::bytes_per_seller())) +
                             " per seller per concurrent replication), but this machine has " +
                             human_bytes(available) + "; reduce sellers.count or the thread count (-j)";
    throw InputError({scenario_file, 0, 0}, "sellers.count",
                     format_input_error({scenario_file, 0, 0}, "sellers.count", what));
  }
}

RunTimes run_scenario(const Scenario& scenario, const std::string& resolved_scenario, ResultWriter& writer,
                      Provenance provenance, const RunOptions& options) {
  using Clock = std::chrono::steady_clock;
  const auto seconds_since = [](Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  const Clock::time_point started = Clock::now();
  RunTimes times;
  const int threads = effective_threads(options.threads);
  provenance.threads = threads;
  provenance.seed = scenario.seed;
  provenance.start_time = utc_now_iso();
  try {
    Clock::time_point writing = Clock::now();
    writer.begin(make_layout(scenario, options.with_counterfactual), scenario.replications, resolved_scenario);
    times.writer_seconds += seconds_since(writing);
    std::mutex writer_mutex;
    tbb::task_arena arena(threads);
    arena.execute([&] {
      tbb::parallel_for(std::int64_t{0}, std::int64_t{scenario.replications}, [&](std::int64_t replication) {
        if (options.progress && options.progress->cancel_requested.load()) return;
        ReplicationResult result =
            simulate_replication(scenario, replication, options.progress, options.with_counterfactual);
        const std::lock_guard<std::mutex> lock(writer_mutex);
        const Clock::time_point adding = Clock::now();
        writer.add(result);
        times.writer_seconds += seconds_since(adding);
        if (options.progress) options.progress->replications_done.fetch_add(1);
      });
    });
    if (options.progress && options.progress->cancel_requested.load()) throw RunCancelled();
    provenance.end_time = utc_now_iso();
    writing = Clock::now();
    writer.finish(provenance);
    times.writer_seconds += seconds_since(writing);
    times.wall_seconds = seconds_since(started);
    return times;
  } catch (...) {
    writer.abandon();
    throw;
  }
}

}  // namespace sellershock
