// Walker's alias method (Vose's construction): after an O(n) build, draws an index with probability
// proportional to its weight in O(1) from one 64-bit random number. Thresholds are integers, so a
// draw is exact and identical on every machine.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace sellershock {

class AliasTable {
 public:
  // items[k] is returned with probability weights[k] / sum(weights). Zero weights are never drawn;
  // if every weight is zero (or there are none) the table is empty.
  void build(std::span<const std::uint32_t> items, std::span<const double> weights);
  bool empty() const noexcept { return items_.empty(); }
  std::size_t size() const noexcept { return items_.size(); }

  // The high 32 bits of random pick a slot, the low 32 bits decide between it and its alias.
  std::uint32_t sample(std::uint64_t random) const noexcept {
    const std::uint64_t slot = ((random >> 32) * items_.size()) >> 32;
    const auto coin = static_cast<std::uint32_t>(random);
    return coin < threshold_[slot] ? items_[slot] : alias_[slot];
  }

 private:
  std::vector<std::uint32_t> items_;
  std::vector<std::uint32_t> alias_;      // the item returned when the coin exceeds the threshold
  std::vector<std::uint64_t> threshold_;  // in [0, 2^32]: 2^32 means "always this slot's item"
  std::vector<double> scaled_;            // scratch space for build(), kept to avoid reallocation
  std::vector<std::uint32_t> small_, large_;
};

}  // namespace sellershock
