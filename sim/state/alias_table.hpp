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
  // build()'s working space, reused from one build to the next: a loop that rebuilds many tables keeps
  // one per thread. (Kept in every table, it was 16 bytes a slot, more than the table itself, and was
  // copied with the world at the fork: memory whose first touch is slow on virtual machines.)
  struct Scratch {
    std::vector<double> scaled;
    std::vector<std::uint32_t> small, large;
  };
  void build(std::span<const std::uint32_t> items, std::span<const double> weights, Scratch& scratch);
  bool empty() const noexcept { return slots_.empty(); }
  std::size_t size() const noexcept { return slots_.size(); }

  // Asks for the whole table to be brought into the cache, in order: draws hit it at random, and a
  // table of a few thousand slots read at random from memory waits for each line in turn.
  void prefetch() const noexcept {
    const auto* bytes = reinterpret_cast<const char*>(slots_.data());
    for (std::size_t offset = 0; offset < slots_.size() * sizeof(Slot); offset += 64) __builtin_prefetch(bytes + offset, 0, 3);
  }

  // The high 32 bits of random pick a slot, the low 32 bits decide between it and its alias.
  std::uint32_t sample(std::uint64_t random) const noexcept { return view().sample(random); }

 private:
  // One slot's three fields side by side, so that a draw reads one place (a draw is a cache miss in a
  // large table). A slot that always returns its own item (threshold 2^32) has alias == item and
  // threshold 2^32 - 1: the coin's one value not below it returns the same item.
  struct Slot {
    std::uint32_t threshold;  // the coin below which the slot's item is returned, in [0, 2^32)
    std::uint32_t item;
    std::uint32_t alias;      // the item returned otherwise
  };

 public:
  // The table's slots by value, for a loop that draws many times while storing bytes elsewhere: a byte
  // store may alias anything, so the compiler reloads a table's members after each one, not a copy's.
  class View {
   public:
    std::uint32_t sample(std::uint64_t random) const noexcept {
      const Slot& s = *slot_of(random);
      return static_cast<std::uint32_t>(random) < s.threshold ? s.item : s.alias;
    }
    // Asks for the slot a draw of `random` reads to be brought into the cache.
    void prefetch(std::uint64_t random) const noexcept { __builtin_prefetch(slot_of(random), 0, 3); }

   private:
    friend class AliasTable;
    // The slot a draw of `random` reads: its high 32 bits scaled to the table's size.
    const Slot* slot_of(std::uint64_t random) const noexcept { return slots_ + (((random >> 32) * size_) >> 32); }
    View(const Slot* slots, std::uint64_t size) noexcept : slots_(slots), size_(size) {}
    const Slot* slots_;
    std::uint64_t size_;
  };
  View view() const noexcept { return View(slots_.data(), slots_.size()); }

 private:
  std::vector<Slot> slots_;
};

}  // namespace sellershock
