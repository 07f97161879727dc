#include "state/alias_table.hpp"

#include <cmath>

namespace sellershock {

void AliasTable::build(std::span<const std::uint32_t> items, std::span<const double> weights) {
  slots_.clear();
  double total = 0.0;
  for (std::size_t k = 0; k < items.size(); ++k)
    if (weights[k] > 0.0) {
      // Until a slot is paired below, it returns its own item whatever the coin.
      slots_.push_back(Slot{0xffffffffu, items[k], items[k]});
      total += weights[k];
    }
  const std::size_t n = slots_.size();
  if (n == 0) return;
  scaled_.clear();
  for (std::size_t k = 0; k < items.size(); ++k)
    if (weights[k] > 0.0) scaled_.push_back(weights[k] * static_cast<double>(n) / total);

  small_.clear();
  large_.clear();
  for (std::size_t k = 0; k < n; ++k) (scaled_[k] < 1.0 ? small_ : large_).push_back(static_cast<std::uint32_t>(k));
  constexpr double kFull = 4294967296.0;  // 2^32
  while (!small_.empty() && !large_.empty()) {
    const std::uint32_t s = small_.back();
    small_.pop_back();
    const std::uint32_t l = large_.back();
    slots_[s].threshold = static_cast<std::uint32_t>(std::floor(scaled_[s] * kFull));  // scaled_[s] < 1
    slots_[s].alias = slots_[l].item;
    scaled_[l] = (scaled_[l] + scaled_[s]) - 1.0;
    if (scaled_[l] < 1.0) {
      large_.pop_back();
      small_.push_back(l);
    }
  }
  // What is left has weight 1 up to rounding: always its own item, as set above.
}

}  // namespace sellershock
