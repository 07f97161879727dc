#include "run/runner.hpp"

#include "run/money_range.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "run/replication.hpp"
#include "scenario/error.hpp"

namespace sellershock {

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

int effective_threads(int requested) {
  return requested > 0 ? requested : std::max(1, tbb::info::default_concurrency());
}

namespace {
// A seller's memory in one world: its columns, and its entry in process 4's queue (SuspensionQueue: a
// level and a seller, 16 bytes) while it is active.
std::uint64_t bytes_per_seller() { return SellerTable::bytes_per_seller() + 16; }
}  // namespace

MemoryEstimate estimate_memory(const Scenario& scenario, int threads, bool with_counterfactual) {
  MemoryEstimate estimate;
  // Replications run side by side, up to one per thread; each holds its world and (when run) its
  // counterfactual's, and purchases are 32 bytes each per week.
  const auto concurrent = static_cast<std::uint64_t>(
      std::max<std::int64_t>(1, std::min<std::int64_t>(effective_threads(threads), scenario.replications)));
  const std::uint64_t worlds = with_counterfactual ? 2 : 1;
  estimate.sellers_bytes = concurrent * worlds * static_cast<std::uint64_t>(scenario.sellers.count) * bytes_per_seller();
  estimate.buyers_bytes = concurrent * worlds * static_cast<std::uint64_t>(scenario.buyers.count) *
                          (BuyerTable::bytes_per_buyer() +
                           static_cast<std::uint64_t>(scenario.buyers.purchases_per_week) * 32);
  // Every replication's results until the file is written: its series in the file built in memory (an
  // upper bound: compression only shrinks them) and its summary values, which the file, the file
  // writer and the report's collector each keep; the file's image is copied once more when written.
  // The layout without its replication axis: only the sizes of the other axes matter here.
  Scenario one_replication = scenario;
  one_replication.replications = 1;
  const Layout layout = make_layout(one_replication, with_counterfactual);
  std::uint64_t series_values = 0, summary_values = 0;
  for (const SeriesSpec& spec : layout.series)
    series_values += layout.element_count(std::vector<std::string>(spec.dims.begin() + 1, spec.dims.end()));
  for (const SummarySpec& spec : layout.summary) summary_values += layout.element_count(spec.dims);
  estimate.per_replication_bytes = sizeof(std::int64_t) * (2 * series_values + 4 * summary_values);
  estimate.replications_bytes =
      static_cast<std::uint64_t>(std::max(0, scenario.replications)) * estimate.per_replication_bytes;
  // The results a running replication builds before handing them over.
  const std::uint64_t building_bytes = concurrent * sizeof(std::int64_t) * (series_values + summary_values);
  estimate.total_bytes = estimate.sellers_bytes + estimate.buyers_bytes + estimate.replications_bytes +
                         building_bytes + (64u << 20);  // plus the program itself
  const std::uint64_t largest =
      std::max({estimate.sellers_bytes, estimate.buyers_bytes, estimate.replications_bytes});
  estimate.driving_key = largest == estimate.sellers_bytes  ? "sellers.count"
                         : largest == estimate.buyers_bytes ? "buyers.count"
                                                            : "replications";
  return estimate;
}

std::uint64_t estimated_peak_bytes(const Scenario& scenario, int threads, bool with_counterfactual) {
  return estimate_memory(scenario, threads, with_counterfactual).total_bytes;
}

namespace {

// The first line of a file as a byte count: a number, or "max" / a value near 2^63 meaning no limit.
std::optional<std::uint64_t> read_limit(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string text;
  if (!(in >> text) || text == "max") return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value >= (std::uint64_t{1} << 62)) return std::nullopt;  // v1's "unlimited" (a page-rounded 2^63-1)
  return value;
}

}  // namespace

std::uint64_t memory_limit_bytes(const std::string& root) {
  namespace fs = std::filesystem;
  std::uint64_t limit = 0;
  const auto consider = [&](std::optional<std::uint64_t> value) {
    if (value && *value > 0 && (limit == 0 || *value < limit)) limit = *value;
  };
  if (root == "/") {
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long page_size = sysconf(_SC_PAGE_SIZE);
    if (pages > 0 && page_size > 0) consider(static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size));
  }
  const fs::path base(root);
  const fs::path cgroup_root = base / "sys/fs/cgroup";
  // The group itself and every group above it, up to the hierarchy's root (a limit anywhere applies).
  const auto walk = [&](const fs::path& hierarchy, std::string group, const char* file) {
    while (true) {
      const std::string relative = group.empty() || group == "/" ? std::string() : group.substr(1);
      consider(read_limit(hierarchy / relative / file));
      if (relative.empty()) break;
      group = group.substr(0, group.rfind('/'));
    }
  };
  // /proc/self/cgroup: "0::/path" for v2, "N:memory:/path" (or "N:...,memory,...:/path") for v1.
  bool found_group = false;
  std::ifstream groups(base / "proc/self/cgroup");
  for (std::string line; std::getline(groups, line);) {
    const std::size_t first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::string group = line.substr(second + 1);
    if (group.empty() || group[0] != '/') continue;
    if (controllers.empty()) {
      found_group = true;
      walk(cgroup_root, group, "memory.max");
      walk(cgroup_root / "unified", group, "memory.max");
    } else if (("," + controllers + ",").find(",memory,") != std::string::npos) {
      found_group = true;
      walk(cgroup_root / "memory", group, "memory.limit_in_bytes");
    }
  }
  if (!found_group) {  // no /proc: the hierarchies' roots, as a container usually mounts them
    consider(read_limit(cgroup_root / "memory.max"));
    consider(read_limit(cgroup_root / "memory" / "memory.limit_in_bytes"));
  }
  return limit;
}

std::uint64_t available_memory_bytes(const std::string& root) {
  std::uint64_t available = memory_limit_bytes(root);
  std::ifstream meminfo(std::filesystem::path(root) / "proc/meminfo");
  for (std::string line; std::getline(meminfo, line);) {
    if (line.rfind("MemAvailable:", 0) != 0) continue;
    std::uint64_t kib = 0;
    const char* p = line.data() + 13;
    const char* end = line.data() + line.size();
    while (p < end && *p == ' ') ++p;
    const auto [stop, error] = std::from_chars(p, end, kib);
    if (error == std::errc() && stop != p && kib > 0 && (available == 0 || kib * 1024 < available)) available = kib * 1024;
    break;
  }
  return available;
}

void check_resources(const Scenario& scenario, const std::string& scenario_file, int threads,
                     bool with_counterfactual, std::optional<std::uint64_t> limit_bytes) {
  if (scenario.sellers.region_shares.size() > 255)
    throw InputError({scenario_file, 0, 0}, "sellers.region_shares",
                     format_input_error({scenario_file, 0, 0}, "sellers.region_shares",
                                        "expected at most 255 regions, found " +
                                            std::to_string(scenario.sellers.region_shares.size())));
  check_money_range(scenario, scenario_file);
  const std::uint64_t limit = limit_bytes ? *limit_bytes : memory_limit_bytes();
  if (limit == 0) return;  // unknown: let the run try
  const double available = static_cast<double>(limit);
  const MemoryEstimate estimate = estimate_memory(scenario, threads, with_counterfactual);
  const double needed = static_cast<double>(estimate.total_bytes);
  if (needed <= 0.8 * available) return;
  const std::string& key = estimate.driving_key;
  std::string what;
  if (key == "sellers.count") {
    what = std::to_string(scenario.sellers.count) + " sellers would need about " + human_bytes(needed) +
           " of memory (" + human_bytes(static_cast<double>(bytes_per_seller())) +
           " per seller per concurrent replication)";
  } else if (key == "buyers.count") {
    what = std::to_string(scenario.buyers.count) + " buyers would need about " + human_bytes(needed) +
           " of memory (" +
           human_bytes(static_cast<double>(BuyerTable::bytes_per_buyer() +
                                           static_cast<std::uint64_t>(scenario.buyers.purchases_per_week) * 32)) +
           " per buyer in each world: a replication and its counterfactual each hold one, per concurrent replication)";
  } else {
    what = std::to_string(scenario.replications) + " replications would need about " + human_bytes(needed) +
           " of memory (" + human_bytes(static_cast<double>(estimate.per_replication_bytes)) +
           " of results per replication, held until the run is written)";
  }
  what += ", but this process may use " + human_bytes(available) + "; reduce " + key +
          (key == "replications" ? " (-r)" : " or the thread count (-j)");
  throw InputError({scenario_file, 0, 0}, key, format_input_error({scenario_file, 0, 0}, key, what));
}

RunTimes run_scenario(const Scenario& scenario, const std::string& resolved_scenario, ResultWriter& writer,
                      Provenance provenance, const RunOptions& options) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point started = Clock::now();
  RunTimes times;
  const int threads = effective_threads(options.threads);
  provenance.threads = threads;
  provenance.seed = scenario.seed;
  provenance.start_time = utc_now_iso();
  // A stop requested before the run (e.g. a signal while the scenario loaded) creates no file at all.
  if (options.progress && options.progress->cancel_requested.load()) throw RunCancelled();
  try {
    Clock::time_point writing = Clock::now();
    writer.begin(make_layout(scenario, options.with_counterfactual), scenario.replications, resolved_scenario);
    times.writer_seconds += seconds_since(writing);
    std::mutex writer_mutex;
    tbb::task_arena arena(threads);
    arena.execute([&] {
      tbb::parallel_for(std::int64_t{0}, std::int64_t{scenario.replications}, [&](std::int64_t replication) {
        if (options.progress && options.progress->cancel_requested.load()) return;
        PhaseSeconds phases;
        ReplicationResult result =
            simulate_replication(scenario, replication, options.progress, options.with_counterfactual, &phases);
        const std::lock_guard<std::mutex> lock(writer_mutex);
        times.phases.add(phases);
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
