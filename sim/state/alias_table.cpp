#include "state/alias_table.hpp"

#include <cmath>

namespace sellershock {

void AliasTable::build(std::span<const std::uint32_t> items, std::span<const double> weights) {
  Scratch scratch;
  build(items, weights, scratch);
}

void AliasTable::build(std::span<const std::uint32_t> items, std::span<const double> weights, Scratch& scratch) {
  std::vector<double>& scaled = scratch.scaled;
  std::vector<std::uint32_t>& small = scratch.small;
  std::vector<std::uint32_t>& large = scratch.large;
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
  scaled.resize(n);
  for (std::size_t k = 0, j = 0; k < items.size(); ++k)
    if (weights[k] > 0.0) scaled[j++] = weights[k] * static_cast<double>(n) / total;

  // Vose's method: the slots below 1 and those at or above it, each a stack in slot order. Both are
  // written at every slot and the right one's top moved on: a slot's side is a coin toss, which a branch
  // mispredicts half the time (measured: docs/PERFORMANCE.md).
  small.resize(n);
  large.resize(n);
  std::size_t smalls = 0, larges = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const bool is_small = scaled[k] < 1.0;
    small[smalls] = static_cast<std::uint32_t>(k);
    large[larges] = static_cast<std::uint32_t>(k);
    smalls += is_small ? 1 : 0;
    larges += is_small ? 0 : 1;
  }
  constexpr double kFull = 4294967296.0;  // 2^32
  while (smalls > 0 && larges > 0) {
    const std::uint32_t s = small[--smalls];
    const std::uint32_t l = large[larges - 1];
    slots_[s].threshold = static_cast<std::uint32_t>(std::floor(scaled[s] * kFull));  // scaled[s] < 1
    slots_[s].alias = slots_[l].item;
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {  // it gave more than its excess: it moves to the small ones
      --larges;
      small[smalls++] = l;
    }
  }
  // What is left has weight 1 up to rounding: always its own item, as set above.
}

}  // namespace sellershock
