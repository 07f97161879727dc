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

// Every column of the table, with the value a new row starts with: resize(), the copy and the memory
// estimate all come from this one list, and a test checks that it covers the whole struct. Called with
// several tables, it visits each column of all of them together: visit(fill, a.region, b.region).
template <typename Visit, typename... Tables>
void for_each_seller_column(Visit&& visit, Tables&... tables) {
  visit(0, tables.region...);
  visit(0, tables.size_class...);
  visit(0, tables.rule_breaker...);
  visit(0, tables.category...);
  visit(0, tables.accounts...);
  visit(0, tables.expected_weekly_sales_cents...);
  visit(0, tables.weekly_fixed_cost_cents...);
  visit(0, tables.gross_margin...);
  visit(0, tables.credit_line_cents...);
  visit(SellerStatus::Active, tables.status...);
  visit(0, tables.on_alternative...);
  visit(0, tables.on_own_store...);
  visit(0, tables.off_platform_share...);
  visit(kNoWeek, tables.own_store_since_week...);
  visit(kNoWeek, tables.alternative_since_week...);
  visit(0, tables.perceived_risk...);
  visit(kNoWeek, tables.suspended_week...);
  visit(0, tables.diversification_level...);
  visit(0, tables.cash_cents...);
  visit(0, tables.held_cents...);
  visit(0, tables.alternative_held_cents...);
  visit(0, tables.frozen_cents...);
  visit(0, tables.inventory_cents...);
  for (std::size_t c = 0; c < kSellerChannelCount; ++c) visit(0, tables.revenue_cents[c]...);
  visit(kNoWeek, tables.appeal_week...);
  visit(kNoWeek, tables.hold_end_week...);
  visit(0, tables.weeks_insolvent...);
  visit(0, tables.suspension_level...);
  visit(LegalState::None, tables.legal_state...);
  visit(0, tables.claim_cents...);
  visit(kNoWeek, tables.claim_week...);
  visit(kNoWeek, tables.case_end_week...);
  visit(0, tables.sales_to_date_cents...);
  visit(0, tables.profit_to_date_cents...);
  visit(0, tables.diversification_spent_cents...);
  visit(0, tables.frozen_to_date_cents...);
  visit(0, tables.forfeited_to_date_cents...);
  visit(0, tables.written_off_to_date_cents...);
  visit(0, tables.legal_costs_to_date_cents...);
  visit(0, tables.awards_to_date_cents...);
  visit(0, tables.suspensions...);
  visit(0, tables.reinstatements...);
  visit(kNoWeek, tables.exit_week...);
  visit(0, tables.treated...);
  visit(0, tables.counterfactual_level...);
  visit(0, tables.treated_frozen_cents...);
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
  for_each_seller_column([count, &jobs](auto fill, auto& column) {
    using Value = typename std::remove_reference_t<decltype(column)>::value_type;
    jobs.emplace_back([&column, count, fill] { column.resize(count, static_cast<Value>(fill)); });
  }, *this);
  run_in_parallel(jobs);
}

// The counterfactual's world is a copy of the scenario's at the fork, into memory the process has not
// touched yet: the copy's first touch of some 500 MB of columns at full size was 2.6% of a one-thread
// run's time, serial (docs/PERFORMANCE.md), so the columns are copied on every thread, as resize() does.
SellerTable::SellerTable(const SellerTable& other) { *this = other; }

SellerTable& SellerTable::operator=(const SellerTable& other) {
  if (this == &other) return *this;
  std::vector<std::function<void()>> jobs;
  for_each_seller_column([&jobs](auto, auto& to, const auto& from) { jobs.emplace_back([&to, &from] { to = from; }); },
                         *this, other);
  run_in_parallel(jobs);
  return *this;
}

std::size_t SellerTable::bytes_per_seller() noexcept {
  SellerTable probe;
  std::size_t bytes = 0;
  for_each_seller_column([&bytes](auto, auto& column) {
    bytes += sizeof(typename std::remove_reference_t<decltype(column)>::value_type);
  }, probe);
  return bytes;
}

std::size_t SellerTable::column_count() noexcept {
  SellerTable probe;
  std::size_t count = 0;
  for_each_seller_column([&count](auto, auto&) { ++count; }, probe);
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
