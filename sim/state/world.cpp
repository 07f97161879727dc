#include "state/world.hpp"

#include <atomic>
#include <cmath>
#include <functional>
#include <type_traits>
#include <vector>

#include <tbb/parallel_for_each.h>

#include "state/random.hpp"
#include "state/whole_loop.hpp"

namespace sellershock {

namespace {

// Every column of the table, with the value a new row starts with: resize() and the memory estimate
// both come from this one list, and a test checks that it covers the whole struct.
template <typename Table, typename Visit>
void for_each_seller_column(Table& table, Visit&& visit) {
  visit(table.region, 0);
  visit(table.size_class, 0);
  visit(table.rule_breaker, 0);
  visit(table.category, 0);
  visit(table.accounts, 0);
  visit(table.expected_weekly_sales_cents, 0);
  visit(table.weekly_fixed_cost_cents, 0);
  visit(table.gross_margin, 0);
  visit(table.credit_line_cents, 0);
  visit(table.status, SellerStatus::Active);
  visit(table.on_alternative, 0);
  visit(table.on_own_store, 0);
  visit(table.off_platform_share, 0);
  visit(table.own_store_since_week, kNoWeek);
  visit(table.alternative_since_week, kNoWeek);
  visit(table.perceived_risk, 0);
  visit(table.suspended_week, kNoWeek);
  visit(table.diversification_level, 0);
  visit(table.cash_cents, 0);
  visit(table.held_cents, 0);
  visit(table.alternative_held_cents, 0);
  visit(table.frozen_cents, 0);
  visit(table.inventory_cents, 0);
  for (auto& column : table.revenue_cents) visit(column, 0);
  visit(table.appeal_week, kNoWeek);
  visit(table.hold_end_week, kNoWeek);
  visit(table.weeks_insolvent, 0);
  visit(table.suspension_level, 0);
  visit(table.legal_state, LegalState::None);
  visit(table.claim_cents, 0);
  visit(table.claim_week, kNoWeek);
  visit(table.case_end_week, kNoWeek);
  visit(table.sales_to_date_cents, 0);
  visit(table.profit_to_date_cents, 0);
  visit(table.diversification_spent_cents, 0);
  visit(table.frozen_to_date_cents, 0);
  visit(table.forfeited_to_date_cents, 0);
  visit(table.written_off_to_date_cents, 0);
  visit(table.legal_costs_to_date_cents, 0);
  visit(table.awards_to_date_cents, 0);
  visit(table.suspensions, 0);
  visit(table.reinstatements, 0);
  visit(table.exit_week, kNoWeek);
  visit(table.treated, 0);
  visit(table.counterfactual_level, 0);
  visit(table.treated_frozen_cents, 0);
}

}  // namespace

namespace {
// Runs the resizes on every thread: a column's first touch faults in and clears its pages, which in a
// run's set-up took more time than the rest of it and ran on one thread (docs/PERFORMANCE.md).
void run_in_parallel(std::vector<std::function<void()>>& jobs) {
  WholeLoop whole;
  tbb::parallel_for_each(jobs.begin(), jobs.end(), [](const std::function<void()>& job) { job(); }, whole);
}
}  // namespace

void SellerTable::resize(std::size_t count) {
  std::vector<std::function<void()>> jobs;
  for_each_seller_column(*this, [count, &jobs](auto& column, auto fill) {
    using Value = typename std::remove_reference_t<decltype(column)>::value_type;
    jobs.emplace_back([&column, count, fill] { column.resize(count, static_cast<Value>(fill)); });
  });
  run_in_parallel(jobs);
}

std::size_t SellerTable::bytes_per_seller() noexcept {
  SellerTable probe;
  std::size_t bytes = 0;
  for_each_seller_column(probe, [&bytes](auto& column, auto) {
    bytes += sizeof(typename std::remove_reference_t<decltype(column)>::value_type);
  });
  return bytes;
}

std::size_t SellerTable::column_count() noexcept {
  SellerTable probe;
  std::size_t count = 0;
  for_each_seller_column(probe, [&count](auto&, auto) { ++count; });
  return count;
}

void BuyerTable::resize(std::size_t count) {
  std::vector<std::function<void()>> jobs = {[&] { weekly_spend_cents.resize(count); },
                                             [&] { loyalty_member.resize(count); },
                                             [&] { last_channel.resize(count); },
                                             [&] { trust_dominant.resize(count, 1.0f); },
                                             [&] { trust_alternative.resize(count, 1.0f); },
                                             [&] { followed_seller.resize(count); },
                                             [&] { bad_purchase_flags.resize(count); }};
  run_in_parallel(jobs);
}

std::size_t BuyerTable::bytes_per_buyer() noexcept {
  return sizeof(Cents) + 3 * sizeof(std::uint8_t) + 2 * sizeof(float) + sizeof(std::uint32_t);
}

void Ledger::add(const Ledger& other) {
  outside_cents += other.outside_cents;
  platform_fees_cents += other.platform_fees_cents;
  platform_forfeited_cents += other.platform_forfeited_cents;
  platform_first_party_sales_cents += other.platform_first_party_sales_cents;
  alternative_fees_cents += other.alternative_fees_cents;
  payment_processor_fees_cents += other.payment_processor_fees_cents;
}

Cents Ledger::total() const {
  return outside_cents + platform_fees_cents + platform_forfeited_cents + platform_first_party_sales_cents +
         alternative_fees_cents + payment_processor_fees_cents;
}

Cents World::total_money_cents() const {
  Cents total = ledger.total();
  for (std::size_t i = 0; i < sellers.size(); ++i)
    total += sellers.cash_cents[i] + sellers.held_cents[i] + sellers.alternative_held_cents[i] + sellers.frozen_cents[i];
  return total;
}

void World::mark_left_market(std::size_t seller) {
  const std::size_t category = sellers.category[seller];
  for (std::size_t channel = 0; channel < kSellerChannelCount; ++channel)
    std::atomic_ref<std::uint8_t>(market.member_left[channel * static_cast<std::size_t>(categories) + category])
        .store(1, std::memory_order_relaxed);
}

void World::mark_joined_market(std::size_t seller, Channel channel) {
  const std::size_t pair = index(channel) * static_cast<std::size_t>(categories) + sellers.category[seller];
  std::atomic_ref<std::uint8_t>(market.member_joined[pair]).store(1, std::memory_order_relaxed);
}

void World::mark_weight_changed(std::size_t seller) {
  const std::size_t category = sellers.category[seller];
  const bool listed[kSellerChannelCount] = {true, sellers.on_alternative[seller] != 0, sellers.on_own_store[seller] != 0};
  for (std::size_t channel = 0; channel < kSellerChannelCount; ++channel)
    if (listed[channel])
      std::atomic_ref<std::uint8_t>(market.member_left[channel * static_cast<std::size_t>(categories) + category])
          .store(1, std::memory_order_relaxed);
}

double draw_suspension_threshold(std::uint64_t seed, std::int64_t replication, std::size_t seller, std::int32_t week) {
  RandomStream stream(seed, static_cast<std::uint64_t>(replication), seller, week, Purpose::Suspension);
  return -std::log1p(-stream.uniform());  // Exp(1) by inversion
}

std::uint8_t size_class_of(double annual_sales_usd) {
  std::uint8_t size_class = 0;
  while (size_class + 1u < kSizeClassCount && annual_sales_usd >= kSizeClassLowerBoundsUsd[size_class + 1]) ++size_class;
  return size_class;
}

}  // namespace sellershock
