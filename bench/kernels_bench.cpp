// Micro-benchmarks of the week's hot kernels (docs/PERFORMANCE.md), on a world built from
// scenarios/benchmark.yaml at a tenth of its size (the same sellers per category and buyers per seller,
// so a category's columns have the benchmark's size) and stepped past the start of its suspension wave.
// Every kernel runs on one thread: these measure the work per agent, tools/benchmark.py the scaling.
//
//   cmake --preset bench && cmake --build --preset bench
//   build/bench/bench/sellershock_kernels [--benchmark_filter=Choose]
#include <benchmark/benchmark.h>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <optional>
#include <memory>
#include <vector>

#include "process/demand.hpp"
#include "process/week.hpp"
#include "run/replication.hpp"
#include "scenario/loader.hpp"
#include "state/alias_table.hpp"
#include "state/random.hpp"

namespace sellershock {
namespace {

constexpr std::int32_t kWarmUpWeeks = 20;  // the benchmark scenario's wave starts in week 17

// The scenario and the world after the warm-up weeks, built once for all benchmarks.
struct Fixture {
  Scenario scenario;
  World world;
  std::size_t groups = 0;
};

const Fixture& fixture() {
  static const std::unique_ptr<Fixture> built = [] {
    auto f = std::make_unique<Fixture>();
    // SELLERSHOCK_BENCH_FULL=1: the benchmark's full size (2,000,000 sellers), to see what the cache
    // misses of the full-size columns add to the tenth-size figures.
    const char* full = std::getenv("SELLERSHOCK_BENCH_FULL");
    std::vector<std::string> overrides = {"weeks=" + std::to_string(kWarmUpWeeks + 30)};
    if (!full || std::string(full) != "1")
      overrides.insert(overrides.end(), {"sellers.count=200000", "buyers.count=100000", "sellers.categories=40"});
    f->scenario = load_scenario(SELLERSHOCK_SCENARIOS_DIR "/benchmark.yaml", overrides);
    Replication replication(f->scenario, 0);
    for (std::int32_t week = 0; week < kWarmUpWeeks; ++week) replication.step();
    f->world = replication.world();
    f->groups = f->world.region_names.size() * kSizeClassCount;
    return f;
  }();
  return *built;
}

// One thread for every kernel, so that the figures are work per agent.
tbb::global_control& one_thread() {
  static tbb::global_control control(tbb::global_control::max_allowed_parallelism, 1);
  return control;
}

// A copy of the fixture's world with its demand ready for the week after the warm-up: the market
// tables refreshed, and per-thread tallies.
struct DemandWeek {
  const Fixture& f;
  World world;
  Demand demand;
  tbb::enumerable_thread_specific<WeekTally> tallies;
  explicit DemandWeek(const Fixture& fixture)
      : f(fixture), world(fixture.world), demand(world), tallies(WeekTally(fixture.groups)) {
    demand.refresh_market(world, kWarmUpWeeks);
  }
};

void BM_ChooseAndBuy(benchmark::State& state) {
  one_thread();
  DemandWeek d(fixture());
  const Fixture& f = d.f;
  World& world = d.world;
  for (auto _ : state) d.demand.choose_and_buy(f.scenario, world, kWarmUpWeeks, d.tallies);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(world.buyers.size()));
  state.counters["buyers"] = static_cast<double>(world.buyers.size());
}
BENCHMARK(BM_ChooseAndBuy)->Unit(benchmark::kMillisecond);

void BM_Allocate(benchmark::State& state) {
  one_thread();
  DemandWeek d(fixture());
  const Fixture& f = d.f;
  World& world = d.world;
  d.demand.choose_and_buy(f.scenario, world, kWarmUpWeeks, d.tallies);
  const auto purchases = static_cast<std::int64_t>(world.buyers.size()) * f.scenario.buyers.purchases_per_week;
  // The same purchases are allocated again each iteration: revenue accumulates, which costs the same.
  for (auto _ : state) d.demand.allocate(f.scenario, world, kWarmUpWeeks, d.tallies);
  state.SetItemsProcessed(state.iterations() * purchases);
}
BENCHMARK(BM_Allocate)->Unit(benchmark::kMillisecond);

void BM_RefreshMarketFull(benchmark::State& state) {
  // Rebuilding every (channel, category) table, as in week 0.
  one_thread();
  const Fixture& f = fixture();
  // The world is copied into the same storage each time, outside the timed region; a copy made inside
  // the loop was destroyed inside it (unmapping ~0.6 GB at full size: some 45 ms a pass, timed).
  World world;
  for (auto _ : state) {
    state.PauseTiming();
    world = f.world;
    Demand demand(world);
    std::fill(world.market.rebuild_now.begin(), world.market.rebuild_now.end(), std::uint8_t{1});
    state.ResumeTiming();
    demand.refresh_market(world, kWarmUpWeeks);
    benchmark::DoNotOptimize(world.market.alias.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(f.world.sellers.size()));
}
BENCHMARK(BM_RefreshMarketFull)->Unit(benchmark::kMillisecond);

// The seller processes of the step, one at a time (range(0) = index in kProcesses) or all in step
// order over each block (range(0) = -1), on a fresh copy of the world each iteration.
using SellerProcess = void (*)(const WeekContext&, std::size_t, std::size_t, WeekTally&);
constexpr SellerProcess kProcesses[] = {sell, enforce, resolve_appeals_and_holds, seek_remedies,
                                        settle_finances, decide, observe};
constexpr const char* kProcessNames[] = {"sell (with payouts)", "enforce", "appeals_and_holds", "seek_remedies",
                                         "settle_finances", "decide", "observe"};

void BM_SellerPass(benchmark::State& state) {
  one_thread();
  const Fixture& f = fixture();
  const auto which = state.range(0);
  state.SetLabel(which < 0 ? "all, in step order" : kProcessNames[which]);
  World world;  // copied into while timing is paused, destroyed after the loop (BM_RefreshMarketFull)
  for (auto _ : state) {
    state.PauseTiming();
    world = f.world;
    WeekPolicy policy = apply_events(f.scenario, world, kWarmUpWeeks);
    policy.legal = prepare_legal(f.scenario, world, kWarmUpWeeks);
    accumulate_hazards(world, policy);
    const WeekContext context{f.scenario, world, policy};
    WeekTally tally(f.groups);
    state.ResumeTiming();
    for (std::size_t begin = 0; begin < world.sellers.size(); begin += kSellersPerBlock) {
      const std::size_t end = std::min(world.sellers.size(), begin + kSellersPerBlock);
      if (which < 0)
        for (SellerProcess process : kProcesses) process(context, begin, end, tally);
      else
        kProcesses[which](context, begin, end, tally);
    }
    benchmark::DoNotOptimize(tally.ledger_delta);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(f.world.sellers.size()));
}
BENCHMARK(BM_SellerPass)->DenseRange(-1, 6)->Unit(benchmark::kMillisecond);

void BM_AppealsAndHolds(benchmark::State& state) {
  // Process 5 alone, over every block: range(0) = 0 scans every seller (as before the due lists), 1
  // visits the week's due sellers from the list the step function would give it.
  one_thread();
  const Fixture& f = fixture();
  const bool listed = state.range(0) == 1;
  state.SetLabel(listed ? "due list" : "scan");
  World world;  // copied into while timing is paused, destroyed after the loop (BM_RefreshMarketFull)
  for (auto _ : state) {
    state.PauseTiming();
    world = f.world;
    WeekPolicy policy = apply_events(f.scenario, world, kWarmUpWeeks);
    std::vector<std::uint32_t> due;
    for (std::size_t i = 0; i < world.sellers.size(); ++i)
      if (world.sellers.appeal_week[i] == kWarmUpWeeks || world.sellers.hold_end_week[i] == kWarmUpWeeks)
        due.push_back(static_cast<std::uint32_t>(i));
    const WeekContext context{f.scenario, world, policy, listed ? &due : nullptr};
    WeekTally tally(f.groups);
    state.ResumeTiming();
    for (std::size_t begin = 0; begin < world.sellers.size(); begin += kSellersPerBlock)
      resolve_appeals_and_holds(context, begin, std::min(world.sellers.size(), begin + kSellersPerBlock), tally);
    benchmark::DoNotOptimize(tally.ledger_delta);
    state.counters["due"] = static_cast<double>(due.size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(f.world.sellers.size()));
}
BENCHMARK(BM_AppealsAndHolds)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_Enforce(benchmark::State& state) {
  // Process 4 alone: range(0) = 0 compares every active business's level with its class's cumulative
  // hazard (as without the queue), 1 takes the week's falling businesses from the suspension queue
  // and suspends those (as the step function does).
  one_thread();
  const Fixture& f = fixture();
  const bool queued = state.range(0) == 1;
  state.SetLabel(queued ? "queue" : "scan");
  const SuspensionQueue filed(f.world, f.scenario.enforcement);
  World world;  // copied into while timing is paused, destroyed after the loop (BM_RefreshMarketFull)
  for (auto _ : state) {
    state.PauseTiming();
    world = f.world;
    SuspensionQueue queue = filed;
    WeekPolicy policy = apply_events(f.scenario, world, kWarmUpWeeks);
    accumulate_hazards(world, policy);
    std::vector<std::uint32_t> falling;
    WeekTally tally(f.groups);
    state.ResumeTiming();
    if (queued) queue.take_falling(world, policy, falling);
    const WeekContext context{f.scenario, world, policy, nullptr, queued ? &falling : nullptr};
    for (std::size_t begin = 0; begin < world.sellers.size(); begin += kSellersPerBlock)
      enforce(context, begin, std::min(world.sellers.size(), begin + kSellersPerBlock), tally);
    benchmark::DoNotOptimize(tally.ledger_delta);
    state.counters["suspended"] = static_cast<double>(tally.suspended.size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(f.world.sellers.size()));
}
BENCHMARK(BM_Enforce)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_Step(benchmark::State& state) {
  // A whole week (every process) of a replication past the wave's start.
  one_thread();
  const Fixture& f = fixture();
  std::optional<Replication> replication;
  replication.emplace(f.scenario, f.world, kWarmUpWeeks);
  for (auto _ : state) {
    if (replication->weeks_done() >= f.scenario.weeks) {
      state.PauseTiming();
      replication.emplace(f.scenario, f.world, kWarmUpWeeks);
      state.ResumeTiming();
    }
    replication->step();
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(f.world.sellers.size() + f.world.buyers.size()));
}
BENCHMARK(BM_Step)->Unit(benchmark::kMillisecond);

void BM_ForkCopy(benchmark::State& state) {
  // The counterfactual's copy of the world at the fork (sim/run/simulate.cpp), into fresh memory as
  // there; on the threads given (1 or 2), since the copy is the one step that may use both alone. Run it
  // by its own filter: TBB takes the smallest of the limits in force, and the other benchmarks set 1.
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(state.range(0)));
  const Fixture& f = fixture();
  for (auto _ : state) {
    std::optional<World> copy;
    copy.emplace(f.world);
    benchmark::DoNotOptimize(copy->sellers.cash_cents.data());
    state.PauseTiming();
    copy.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(f.world.sellers.size()));
}
BENCHMARK(BM_ForkCopy)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_AliasSample(benchmark::State& state) {
  // One category's table (5,000 sellers, lognormal weights as in the scenarios), random picks.
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint32_t> items(n);
  std::vector<double> weights(n);
  RandomStream stream(1, 0, 0, 0, Purpose::ExperimentDesign);
  for (std::size_t i = 0; i < n; ++i) {
    items[i] = static_cast<std::uint32_t>(i);
    weights[i] = std::exp(1.9 * (stream.uniform() - 0.5) * 3.4);
  }
  AliasTable table;
  table.build(items, weights);
  std::vector<std::uint64_t> picks(1 << 16);
  for (auto& p : picks) p = stream();
  std::uint64_t sum = 0;
  for (auto _ : state) {
    for (std::uint64_t p : picks) sum += table.sample(p);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(picks.size()));
}
BENCHMARK(BM_AliasSample)->Arg(400)->Arg(5000)->Arg(2000000);

void BM_RandomStream(benchmark::State& state) {
  // A buyer's week: a stream keyed by (seed, replication, buyer, week, purpose) and 7 draws from it.
  std::uint64_t buyer = 0, sum = 0;
  for (auto _ : state) {
    RandomStream stream(20210504, 0, buyer++, 20, Purpose::Purchase);
    for (int k = 0; k < 7; ++k) sum += stream();
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RandomStream);

}  // namespace
}  // namespace sellershock

BENCHMARK_MAIN();
