// Money is integer US cents, moved only by transfers that debit one account and credit another,
// so that every week of every run conserves money to the cent and sums do not depend on the order
// in which threads add them (integer addition is associative; floating-point addition is not).
#pragma once

#include <cstdint>

namespace sellershock {

using Cents = std::int64_t;

inline void transfer(Cents& from, Cents& to, Cents amount) noexcept {
  from -= amount;
  to += amount;
}

// Rounds a cent amount computed in floating point to whole cents, half away from zero (as std::llround,
// which is an out-of-line library call and took a seventh of a week's time in the hot loops).
inline Cents round_cents(double cents) noexcept {
  return static_cast<Cents>(cents >= 0.0 ? cents + 0.5 : cents - 0.5);
}
inline Cents usd_to_cents(double usd) noexcept { return round_cents(usd * 100.0); }

}  // namespace sellershock
