#include "run/replication.hpp"

#include <algorithm>
#include <chrono>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "run/setup.hpp"
#include "state/whole_loop.hpp"

namespace sellershock {

namespace {
std::size_t groups_of(const World& world) { return world.region_names.size() * kSizeClassCount; }

// Adds the time since `since` to `phase` and moves `since` on to now.
void clock_phase(double& phase, std::chrono::steady_clock::time_point& since) {
  const auto now = std::chrono::steady_clock::now();
  phase += std::chrono::duration<double>(now - since).count();
  since = now;
}
}  // namespace

void PhaseSeconds::add(const PhaseSeconds& other) {
  for (const auto& [name, phase] : kPhases) this->*phase += other.*phase;
}

double PhaseSeconds::total() const {
  double sum = 0;
  for (const auto& [name, phase] : kPhases) sum += this->*phase;
  return sum;
}

Replication::Replication(const Scenario& scenario, std::int64_t replication)
    : Replication(scenario, make_world(scenario, replication), 0) {}

Replication::Replication(const Scenario& scenario, World world, std::int32_t weeks_done)
    : scenario_(scenario),
      world_(std::move(world)),
      tally_(groups_of(world_)),
      stocks_(groups_of(world_)),
      block_tallies_(WeekTally(groups_of(world_))),
      demand_(world_),
      // No lists where an appeal or a hold can fall due in the suspension's own week: they are filed
      // after the week, so process 5 scans every seller then.
      due_(due_in_suspension_week(scenario.enforcement) ? 0 : static_cast<std::size_t>(std::max(scenario.weeks, 0))),
      suspensions_(world_, scenario.enforcement) {
  world_.weeks_stepped = weeks_done;
  count_all_stocks(world_.sellers, stocks_);
  for (std::size_t i = 0; i < world_.sellers.size(); ++i) file_due(i);
  fixed_costs_.assign(groups_of(world_), 0);
  const SellerTable& sellers = world_.sellers;
  for (std::size_t i = 0; i < sellers.size(); ++i)
    if (sellers.status[i] != SellerStatus::Exited) fixed_costs_[group_of(sellers, i)] += sellers.weekly_fixed_cost_cents[i];
}

Replication::Replication(const Scenario& scenario, World world, std::int32_t weeks_done,
                         const Replication& stepped_in_turn)
    : Replication(scenario, std::move(world), weeks_done) {
  demand_ = Demand(world_, stepped_in_turn.demand_);
}

void Replication::file_due(std::size_t seller) {
  // Weeks already stepped or past the run's end are not kept: nothing visits them.
  for (const std::int32_t due_week : {world_.sellers.appeal_week[seller], world_.sellers.hold_end_week[seller]})
    if (due_week != kNoWeek && due_week >= world_.weeks_stepped && due_week < static_cast<std::int32_t>(due_.size()))
      due_[static_cast<std::size_t>(due_week)].push_back(static_cast<std::uint32_t>(seller));
}

void Replication::step() {
  auto since = std::chrono::steady_clock::now();
  const std::int32_t week = world_.weeks_stepped;
  WeekPolicy policy = apply_events(scenario_, world_, week);        // 1. events
  policy.legal = prepare_legal(scenario_, world_, week);
  // Process 4's week is known before the sellers act: whoever is active now is active when process 4
  // reaches it, and its class's cumulative hazard through this week decides whether it falls.
  accumulate_hazards(world_, policy);
  falling_.clear();
  suspensions_.take_falling(world_, policy, falling_);
  // This week's due sellers in seller order, each once (an appeal and a hold end may fall together).
  std::vector<std::uint32_t>* due = week < static_cast<std::int32_t>(due_.size()) ? &due_[week] : nullptr;
  if (due) {
    std::sort(due->begin(), due->end());
    due->erase(std::unique(due->begin(), due->end()), due->end());
  }
  const WeekContext context{scenario_, world_, policy, due, &falling_};

  clock_phase(phases_.rest_of_week, since);
  demand_.refresh_market(world_, week);                            // 2. demand
  clock_phase(phases_.tables, since);
  demand_.choose_and_buy(scenario_, world_, week, block_tallies_);
  clock_phase(phases_.choice, since);
  demand_.allocate(scenario_, world_, week, block_tallies_);
  clock_phase(phases_.allocation, since);

  WholeLoop whole_pass;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, world_.sellers.size(), kSellersPerBlock),
                    [&](const tbb::blocked_range<std::size_t>& block) {
                      WeekTally& tally = block_tallies_.local();
                      const std::size_t begin = block.begin(), end = block.end();
                      sell(context, begin, end, tally);                       // 3. sales, fees, payouts
                      enforce(context, begin, end, tally);                    // 4. enforcement
                      resolve_appeals_and_holds(context, begin, end, tally);  // 5. appeals and holds
                      seek_remedies(context, begin, end, tally);              // 6. legal remedies
                      settle_finances(context, begin, end, tally);            // 7. finance, exit; 8's upkeep
                      decide(context, begin, end, tally);                     // 8. decisions: reviews
                      observe(context, begin, end, tally);                    // 9. observe
                    },
                    whole_pass);
  clock_phase(phases_.seller_pass, since);

  // Integer sums: the reduction gives the same result in any order.
  tally_.clear();
  for (WeekTally& block_tally : block_tallies_) {
    tally_.add(block_tally);
    block_tally.clear();
  }
  carry_stocks(stocks_, tally_);  // the stocks' levels at the end of the week, from their changes
  // Every business not exited when the week began paid its fixed cost in process 7, those that exited
  // in it too; from next week on, only the others.
  for (std::size_t g = 0; g < fixed_costs_.size(); ++g) {
    tally_.profit_cents[g] -= fixed_costs_[g];
    fixed_costs_[g] -= tally_.exited_fixed_costs_cents[g];
  }
  // The week's suspensions, in seller order whatever the threads did; their appeals and hold ends are
  // filed under the weeks they fall due (an exit this week has already dropped its appeal).
  std::sort(tally_.suspended.begin(), tally_.suspended.end());
  for (const std::uint32_t seller : tally_.suspended) file_due(seller);
  for (const std::uint32_t seller : tally_.reinstated) suspensions_.file(world_.sellers, seller);
  if (due) std::vector<std::uint32_t>().swap(*due);  // done with
  world_.ledger.add(tally_.ledger_delta);
  tally_.ledger_balance = world_.ledger;
  record_legal_week(world_, tally_);
  record_market_week(world_, tally_);
  ++world_.weeks_stepped;
  clock_phase(phases_.rest_of_week, since);
}

Scenario counterfactual_of(const Scenario& scenario) {
  Scenario counterfactual = scenario;
  const std::string prefix = "enforcement.waves.";
  auto& waves = counterfactual.enforcement.waves;
  waves.erase(std::remove_if(waves.begin(), waves.end(),
                             [&](const WaveSpec& wave) {
                               const auto& removed = scenario.counterfactual.remove;
                               return std::find(removed.begin(), removed.end(), prefix + wave.name) != removed.end();
                             }),
              waves.end());
  return counterfactual;
}

std::int32_t first_divergent_week(const Scenario& scenario) {
  const std::string prefix = "enforcement.waves.";
  const auto& removed = scenario.counterfactual.remove;
  for (std::int32_t week = 0; week < scenario.weeks; ++week)
    for (const WaveSpec& wave : scenario.enforcement.waves)
      if (std::find(removed.begin(), removed.end(), prefix + wave.name) != removed.end() &&
          wave_active(scenario, wave, week))
        return week;
  return scenario.weeks;
}

}  // namespace sellershock
