// Counter-based random numbers (DESIGN.md §2): every draw is a pure function of
// (seed, replication, entity, week, purpose, draw index) through Random123's Philox4x64 (or, for a
// buyer's week, the lighter MixStream below), so results
// are bit-identical for any thread count and in any order, and a counterfactual run draws exactly
// the numbers its scenario draws. There is no global generator.
#pragma once

#include <Random123/philox.h>

#include <cstdint>
#include <limits>

namespace sellershock {

// Why a number is drawn. Each purpose gets its own stream, so adding a draw for one purpose never
// shifts the numbers another purpose sees. Append new purposes at the end: the values are part of
// the reproducibility contract.
enum class Purpose : std::uint32_t {
  SellerSetup = 1,
  BuyerSetup = 2,
  Suspension = 3,
  Appeal = 4,
  HoldOutcome = 5,
  // 6 is retired (a buyer's channel is drawn from its Purchase stream).
  Purchase = 7,       // a buyer's week (a MixStream): channel, then one number per purchase (category; the seller, follow and mishap draws are hashes of it)
  Arbitration = 8,    // the outcome of a seller's individual arbitration
  CollectiveJoin = 9,  // whether a seller who cannot or will not arbitrate alone joins a collective action
  CollectiveOutcome = 10,  // the outcome of a region's collective action (entity: the region)
  ExperimentDesign = 11,   // sweeps: Latin hypercube strata, Morris trajectories, bootstrap resamples (sim/experiment)
};

// The week value used for draws made while setting up the world, before week 0.
inline constexpr std::int32_t kSetupWeek = -1;

// A stream of 64-bit uniform integers that models Boost.Random's UniformRandomNumberGenerator, so it
// can be passed to boost::random distributions. Cheap to create: make one where it is needed.
class RandomStream {
 public:
  using result_type = std::uint64_t;

  RandomStream(std::uint64_t seed, std::uint64_t replication, std::uint64_t entity, std::int32_t week,
               Purpose purpose) noexcept
      : key_{{seed, replication}},
        counter_{{entity,
                  (static_cast<std::uint64_t>(static_cast<std::uint32_t>(week)) << 32) |
                      static_cast<std::uint32_t>(purpose),
                  0, 0}} {}

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  result_type operator()() noexcept {
    if (position_ == 4) {
      block_ = generator_(counter_, key_);
      ++counter_.v[2];
      position_ = 0;
    }
    return block_.v[position_++];
  }

  // A uniform double in [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

 private:
  using Generator = r123::Philox4x64;
  Generator generator_;
  Generator::key_type key_;
  Generator::ctr_type counter_;
  Generator::ctr_type block_{};
  unsigned position_ = 4;
};

// SplitMix64's output function (Stafford's "Mix13"): a bijection of 64-bit integers in which every
// output bit depends on every input bit.
inline std::uint64_t mix64(std::uint64_t x) noexcept {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// The part of a MixStream's key shared by every entity in a week: hashed once a week, not per entity.
struct MixStreamKey {
  std::uint64_t value;
  MixStreamKey(std::uint64_t seed, std::uint64_t replication, std::int32_t week, Purpose purpose) noexcept
      : value(mix64(mix64(mix64(seed) ^ replication) ^
                    ((static_cast<std::uint64_t>(static_cast<std::uint32_t>(week)) << 32) |
                     static_cast<std::uint32_t>(purpose)))) {}
};

// A light counter-based stream for the hottest draws, a buyer's week (Purpose::Purchase), where a
// Philox4x64-10 block per buyer-week was a tenth of the run: SplitMix64 (Steele, Lea and Flood 2014),
// the numbers mix64(start + k * gamma) for k = 1, 2, ..., from a start that hashes the whole key. Like
// RandomStream it is a pure function of (seed, replication, entity, week, purpose, draw index), so
// results are the same for any thread count and order. Different keys start at independent 64-bit
// points and a stream draws a handful of numbers, so two streams of a run overlap with a probability
// of order (streams^2 x draws) / 2^64, about 1e-7 for the benchmark (docs/PERFORMANCE.md).
class MixStream {
 public:
  using result_type = std::uint64_t;
  MixStream(const MixStreamKey& key, std::uint64_t entity) noexcept : state_(mix64(key.value ^ mix64(entity))) {}

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }
  result_type operator()() noexcept {
    state_ += 0x9e3779b97f4a7c15ull;  // the golden gamma
    return mix64(state_);
  }
  double uniform() noexcept { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

}  // namespace sellershock
