// Money is integer US cents, moved only by transfers that debit one account and credit another,
// so that every week of every run conserves money to the cent and sums do not depend on the order
// in which threads add them (integer addition is associative; floating-point addition is not).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

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

// A sum, product or conversion of money that would leave int64 (about 92 quadrillion dollars): never
// wrapped, always reported. The run turns it into an error that writes nothing.
struct MoneyOverflow : std::overflow_error {
  explicit MoneyOverflow(const std::string& what) : std::overflow_error(what) {}
};

inline std::int64_t checked_add(std::int64_t a, std::int64_t b, const char* what) {
  std::int64_t sum;
  if (__builtin_add_overflow(a, b, &sum)) throw MoneyOverflow(std::string(what) + ": a sum leaves the int64 range");
  return sum;
}
inline std::int64_t checked_multiply(std::int64_t a, std::int64_t b, const char* what) {
  std::int64_t product;
  if (__builtin_mul_overflow(a, b, &product))
    throw MoneyOverflow(std::string(what) + ": a product leaves the int64 range");
  return product;
}
// Whole cents of a dollar amount computed in floating point, refusing what int64 cannot hold (converting
// such a double is undefined behaviour) and NaN.
inline Cents checked_usd_to_cents(double usd, const char* what) {
  const double cents = usd * 100.0;
  if (!(cents > -9.0e18 && cents < 9.0e18))
    throw MoneyOverflow(std::string(what) + ": " + std::to_string(usd) + " USD cannot be held in int64 cents");
  return round_cents(cents);
}

}  // namespace sellershock
