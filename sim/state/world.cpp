#include "state/world.hpp"

#include <atomic>
#include <cmath>

#include "state/random.hpp"

namespace sellershock {

void SellerTable::resize(std::size_t count) {
  region.resize(count);
  size_class.resize(count);
  rule_breaker.resize(count);
  category.resize(count);
  accounts.resize(count);
  expected_weekly_sales_cents.resize(count);
  weekly_fixed_cost_cents.resize(count);
  gross_margin.resize(count);
  credit_line_cents.resize(count);
  status.resize(count, SellerStatus::Active);
  on_alternative.resize(count);
  on_own_store.resize(count);
  off_platform_share.resize(count);
  own_store_since_week.resize(count, kNoWeek);
  alternative_since_week.resize(count, kNoWeek);
  perceived_risk.resize(count);
  suspended_week.resize(count, kNoWeek);
  diversification_level.resize(count);
  cash_cents.resize(count);
  held_cents.resize(count);
  alternative_held_cents.resize(count);
  frozen_cents.resize(count);
  inventory_cents.resize(count);
  for (auto& column : revenue_cents) column.resize(count);
  for (auto& column : last_week_sales_cents) column.resize(count);
  appeal_week.resize(count, kNoWeek);
  hold_end_week.resize(count, kNoWeek);
  weeks_insolvent.resize(count);
  suspension_threshold.resize(count);
  legal_state.resize(count, LegalState::None);
  claim_cents.resize(count);
  claim_week.resize(count, kNoWeek);
  case_end_week.resize(count, kNoWeek);
  sales_to_date_cents.resize(count);
  profit_to_date_cents.resize(count);
  diversification_spent_cents.resize(count);
  frozen_to_date_cents.resize(count);
  forfeited_to_date_cents.resize(count);
  written_off_to_date_cents.resize(count);
  legal_costs_to_date_cents.resize(count);
  awards_to_date_cents.resize(count);
  suspensions.resize(count);
  reinstatements.resize(count);
  exit_week.resize(count, kNoWeek);
  treated.resize(count);
  counterfactual_threshold.resize(count);
  treated_frozen_cents.resize(count);
}

std::size_t SellerTable::bytes_per_seller() noexcept {
  return 8 * sizeof(std::uint8_t) + 4 * sizeof(std::uint16_t) + sizeof(SellerStatus) +
         (19 + kSellerChannelCount + 2) * sizeof(Cents) + 9 * sizeof(std::int32_t) + 2 * sizeof(double) +
         3 * sizeof(float) + sizeof(LegalState);
}

void BuyerTable::resize(std::size_t count) {
  weekly_spend_cents.resize(count);
  loyalty_member.resize(count);
  last_channel.resize(count);
  trust_dominant.resize(count, 1.0f);
  trust_alternative.resize(count, 1.0f);
  followed_seller.resize(count);
  bad_purchase_flags.resize(count);
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
