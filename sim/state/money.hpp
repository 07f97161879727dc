// Money is integer US cents, moved only by transfers that debit one account and credit another,
// so that every week of every run conserves money to the cent and sums do not depend on the order
// in which threads add them (integer addition is associative; floating-point addition is not).
#pragma once

#include <cmath>
#include <cstdint>

namespace sellershock {

using Cents = std::int64_t;

inline void transfer(Cents& from, Cents& to, Cents amount) noexcept {
  from -= amount;
  to += amount;
}

// Rounds a dollar or cent amount computed in floating point to whole cents, half away from zero.
inline Cents round_cents(double cents) noexcept { return static_cast<Cents>(std::llround(cents)); }
inline Cents usd_to_cents(double usd) noexcept { return round_cents(usd * 100.0); }

}  // namespace sellershock
