// The state of one replication as structure-of-arrays tables: one column per attribute, one row per
// seller business. Processes (sim/process) read and write these columns; nothing else holds state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "state/money.hpp"

namespace sellershock {

enum class SellerStatus : std::uint8_t {
  Active = 0,     // selling on the dominant marketplace and its own web store
  Suspended = 1,  // dominant-marketplace account suspended; still sells on its own web store
  Exited = 2,     // out of business
};

inline constexpr std::int32_t kNoWeek = -1;

struct SellerTable {
  // Fixed at set-up.
  std::vector<std::uint8_t> region;               // index into World::region_names
  std::vector<std::uint8_t> rule_breaker;         // 1: breaks platform rules, 0: honest
  std::vector<Cents> expected_weekly_sales_cents;  // mean weekly revenue over all channels
  std::vector<Cents> weekly_fixed_cost_cents;
  std::vector<Cents> credit_line_cents;
  // Changing week by week.
  std::vector<SellerStatus> status;
  std::vector<Cents> cash_cents;          // the business's own money; negative while it draws on credit
  std::vector<Cents> held_cents;          // balance the dominant marketplace holds, paid out per cycle
  std::vector<Cents> last_week_marketplace_sales_cents;  // basis of the payout reserve
  std::vector<Cents> frozen_cents;        // balance frozen at suspension, until appeal or hold end
  std::vector<std::int32_t> appeal_week;    // week the pending appeal is decided, or kNoWeek
  std::vector<std::int32_t> hold_end_week;  // week the hold on frozen funds ends, or kNoWeek
  std::vector<std::int32_t> weeks_insolvent;  // consecutive weeks with cash below -credit line
  // Enforcement hazard the active account can still absorb before it is suspended: an Exp(1) draw at
  // set-up and after each reinstatement, used up by the weekly hazard (sim/process/enforcement.cpp).
  std::vector<double> suspension_threshold;

  std::size_t size() const noexcept { return region.size(); }
  void resize(std::size_t count);
  // Bytes of column storage per seller, for the memory estimate made before a run.
  static std::size_t bytes_per_seller() noexcept;
};

// A fresh suspension threshold for seller `seller` from the given week's enforcement stream.
double draw_suspension_threshold(std::uint64_t seed, std::int64_t replication, std::size_t seller, std::int32_t week);

// Accounts outside the sellers: every transfer debits and credits one of these or a seller column.
struct Ledger {
  Cents outside_cents = 0;             // buyers, suppliers, lenders: the rest of the economy
  Cents platform_fees_cents = 0;       // dominant marketplace's referral fees
  Cents platform_forfeited_cents = 0;  // seller funds the dominant marketplace kept
  Cents payment_processor_fees_cents = 0;
};

struct World {
  std::uint64_t seed = 0;
  std::int64_t replication = 0;
  std::vector<std::string> region_names;
  SellerTable sellers;
  Ledger ledger;

  // Sum of every account; 0 in every week of every run (money is only transferred).
  Cents total_money_cents() const;
};

// Builds the world for one replication from the scenario; deterministic in (scenario, replication).
World make_world(const Scenario& scenario, std::int64_t replication);

}  // namespace sellershock
