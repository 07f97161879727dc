// Process 4, enforcement: background suspensions and waves. A business falls with the first of its
// linked accounts caught, and all of them fall together: its dominant-marketplace balance is frozen
// and its stock in the platform's warehouses is held with it. Its other channels go on.
#include <algorithm>
#include <cmath>

#include "process/week.hpp"

namespace sellershock {

namespace {
constexpr std::int32_t weeks_from_days(int days) { return (days + 6) / 7; }
// Orders a SuspensionQueue heap so that its front holds the lowest level: the next to fall.
constexpr auto later_level = [](const auto& a, const auto& b) { return a.level > b.level; };
}  // namespace

bool due_in_suspension_week(const EnforcementSpec& spec) {
  return spec.appeal_weeks == 0 || weeks_from_days(spec.hold_days) == 0 || weeks_from_days(spec.later_hold_days) == 0;
}

void accumulate_hazards(World& world, const WeekPolicy& policy) {
  const std::size_t slots = policy.business_hazard.size();
  for (std::vector<double>* sums :
       {&world.cumulative_business_hazard, &world.cumulative_account_hazard, &world.cumulative_kept_account_hazard})
    if (sums->size() != slots) sums->assign(slots, 0.0);
  const auto add = [](double& sum, double hazard) {
    if (std::isfinite(hazard)) sum += hazard;
  };
  for (std::size_t k = 0; k < slots; ++k) {
    add(world.cumulative_business_hazard[k], policy.business_hazard[k]);
    add(world.cumulative_account_hazard[k], policy.account_hazard[k]);
    add(world.cumulative_kept_account_hazard[k], policy.kept_account_hazard[k]);
  }
}

bool infinite_hazard(const WeekPolicy& policy, std::size_t k, double linked) {
  return std::isinf(policy.business_hazard[k]) || (linked > 0.0 && std::isinf(policy.account_hazard[k]));
}

bool infinite_kept_hazard(const WeekPolicy& policy, std::size_t k, double linked) {
  return std::isinf(policy.business_hazard[k]) || (linked > 0.0 && std::isinf(policy.kept_account_hazard[k]));
}

namespace {

// Process 4 for business i, active, whose level its class's cumulative hazard has reached this week.
void suspend(const WeekContext& context, std::size_t i, std::size_t k, double linked, WeekTally& tally) {
  const EnforcementSpec& spec = context.scenario.enforcement;
  const std::int32_t week = context.policy.week;
  SellerTable& sellers = context.world.sellers;
  // The hold is dated: from later_hold_from on, suspended businesses are held later_hold_days.
  const bool later = !(context.scenario.start_date.plus_days(7 * week) < spec.later_hold_from);
  const int hold_days = later ? spec.later_hold_days : spec.hold_days;

  count_stocks(sellers, i, -1, tally);  // its part of the stocks, as an active business
  sellers.status[i] = SellerStatus::Suspended;
  sellers.suspended_week[i] = week;
  const Cents frozen = sellers.held_cents[i];
  transfer(sellers.held_cents[i], sellers.frozen_cents[i], frozen);
  sellers.suspensions[i] += 1;
  sellers.frozen_to_date_cents[i] += frozen;
  count_stocks(sellers, i, 1, tally);  // and as a suspended one, its balance frozen
  // Without the removed waves' hazard the account would still stand: the suspension is theirs.
  if (!infinite_kept_hazard(context.policy, k, linked) &&
      sellers.counterfactual_level[i] > cumulative_kept_hazard(context.world, k, linked)) {
    if (!sellers.treated[i]) sellers.treated_frozen_cents[i] = frozen;
    sellers.treated[i] = 1;
  }
  sellers.appeal_week[i] = week + spec.appeal_weeks;
  sellers.hold_end_week[i] = week + weeks_from_days(hold_days);
  tally.suspended.push_back(static_cast<std::uint32_t>(i));  // filed under those weeks after the week
  const std::size_t group = group_of(sellers, i);
  tally.new_suspensions[group] += 1;
  if (!sellers.rule_breaker[i]) tally.new_suspensions_honest[group] += 1;  // the cost of imprecise enforcement
  tally.new_accounts_suspended[group] += sellers.accounts[i];
  tally.newly_frozen_cents[group] += frozen;
}

}  // namespace

void enforce(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally) {
  const EnforcementSpec& spec = context.scenario.enforcement;
  const SellerTable& sellers = context.world.sellers;
  // A business falls in the first week its class's cumulative hazard reaches its level (an Exp(1)
  // threshold above the cumulative hazard when it was drawn): the same as a weekly Bernoulli draw with
  // the week's probability, but without a random number per business and week, and monotone under
  // common random numbers (less hazard: suspended later, or never). A business reinstated on appeal
  // faces only a share of the waves' hazard (an explicit rule: enforcement.reinstated_wave_exposure),
  // the background in full.
  const auto falls = [&](std::size_t i, std::size_t k, double linked) {
    return infinite_hazard(context.policy, k, linked) || !(sellers.suspension_level[i] > cumulative_hazard(context.world, k, linked));
  };
  if (context.falling) {
    // The step function's list (SuspensionQueue): this block's part of it.
    const std::vector<std::uint32_t>& falling = *context.falling;
    for (auto it = std::lower_bound(falling.begin(), falling.end(), begin); it != falling.end() && *it < end; ++it) {
      const std::size_t i = *it;
      if (sellers.status[i] != SellerStatus::Active) continue;
      const std::size_t k = slot_of(sellers, i);
      const double linked = linked_exposure(spec, sellers.accounts[i], sellers.reinstatements[i] > 0);
      suspend(context, i, k, linked, tally);
    }
    return;
  }
  for (std::size_t i = begin; i < end; ++i) {
    if (sellers.status[i] != SellerStatus::Active) continue;
    const std::size_t k = slot_of(sellers, i);
    const double linked = linked_exposure(spec, sellers.accounts[i], sellers.reinstatements[i] > 0);
    if (falls(i, k, linked)) suspend(context, i, k, linked, tally);
  }
}

SuspensionQueue::SuspensionQueue(const World& world, const EnforcementSpec& spec)
    : reinstated_wave_exposure_(spec.reinstated_wave_exposure) {
  const SellerTable& sellers = world.sellers;
  for (std::size_t i = 0; i < sellers.size(); ++i)
    if (sellers.status[i] == SellerStatus::Active)
      heaps_[class_of(sellers, i)].push_back(Entry{sellers.suspension_level[i], static_cast<std::uint32_t>(i)});
  for (auto& [key, heap] : heaps_) std::make_heap(heap.begin(), heap.end(), later_level);
}

std::uint64_t SuspensionQueue::class_of(const SellerTable& sellers, std::size_t i) const {
  return (static_cast<std::uint64_t>(slot_of(sellers, i)) << 17) | (static_cast<std::uint64_t>(sellers.accounts[i]) << 1) |
         (sellers.reinstatements[i] > 0 ? 1u : 0u);
}

void SuspensionQueue::file(const SellerTable& sellers, std::size_t seller) {
  std::vector<Entry>& heap = heaps_[class_of(sellers, seller)];
  heap.push_back(Entry{sellers.suspension_level[seller], static_cast<std::uint32_t>(seller)});
  std::push_heap(heap.begin(), heap.end(), later_level);
}

void SuspensionQueue::take_falling(const World& world, const WeekPolicy& policy, std::vector<std::uint32_t>& falling) {
  const SellerTable& sellers = world.sellers;
  const std::size_t first = falling.size();
  for (auto& [key, heap] : heaps_) {
    const std::size_t k = static_cast<std::size_t>(key >> 17);
    const auto accounts = static_cast<std::uint16_t>((key >> 1) & 0xffffu);
    // The same product as process 4's scan, so the same cumulative hazard.
    const double linked = linked_exposure(reinstated_wave_exposure_, accounts, (key & 1u) != 0);
    const bool everyone = infinite_hazard(policy, k, linked);
    const double reached = cumulative_hazard(world, k, linked);
    // The same test as enforce's scan: falls unless its level is above the cumulative hazard.
    while (!heap.empty() && (everyone || !(heap.front().level > reached))) {
      const Entry entry = heap.front();
      std::pop_heap(heap.begin(), heap.end(), later_level);
      heap.pop_back();
      // An entry of a business that exited while active is stale.
      if (sellers.status[entry.seller] == SellerStatus::Active) falling.push_back(entry.seller);
    }
  }
  std::sort(falling.begin() + static_cast<std::ptrdiff_t>(first), falling.end());
}

}  // namespace sellershock
