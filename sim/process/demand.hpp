// Process 2, demand. Each buyer agent chooses a channel by multinomial logit (price, delivery time,
// assortment, habit, loyalty membership, trust), splits its weekly marketplace spend (its spend less
// what sellers sell directly to their own customers) into purchases, each in one category, and sends
// each to its followed seller when it can (in another channel when that seller is suspended and the
// buyer follows it) or else to a seller drawn by marketplace weight from the sellers present in that
// channel and category (alias tables). Purchases are bucketed by (channel,
// category) so that allocating them touches one category's contiguous sellers at a time.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include <tbb/enumerable_thread_specific.h>

#include "process/week.hpp"
#include "state/column.hpp"

namespace sellershock {

// 24 bytes: millions are written and read every week, so their size is memory traffic. The mishap draw
// is not stored: it is derived from `pick` (mishap_draw() in demand.cpp).
struct PurchaseRecord {
  Cents amount_cents;
  std::uint64_t pick;          // random bits for the alias table (and the mishap draw)
  std::uint32_t buyer;
  std::uint32_t seller;        // the followed seller, or kNoSeller
};
inline constexpr std::uint32_t kNoSeller = 0xffffffffu;

// Logit utilities of the four channels that are the same for every buyer this week, and whether a
// channel has anyone to buy from. The week sets the platform's investments in use (platform.hpp).
struct ChannelOffer {
  std::array<double, kChannelCount> base_utility{};
  std::array<bool, kChannelCount> open{};
};
ChannelOffer channel_offer(const Scenario& scenario, const World& world, std::int32_t week);

// Share of all buyers' spend expected to go to third-party sellers (not the platform's physical stores)
// at the start (week 0), with full trust and no habit: used to size buyers' spend to sellers' expected sales.
double expected_seller_channel_share(const Scenario& scenario, const World& world);

class Demand {
 public:
  explicit Demand(const World& world);
  // Writes its purchases where `other` does: for two worlds that never buy in the same moment (a
  // replication steps its counterfactual after its scenario), one set of buckets is enough, and each
  // thread's set is some tens of MB at full size that would otherwise be touched twice.
  Demand(const World& world, const Demand& other);

  // Rebuilds the alias tables of (channel, category) pairs that gained members, failed to serve a
  // purchase, or lost members at least a quarter ago (see Market).
  void refresh_market(World& world, std::int32_t week);
  // Buyers update their trust, choose a channel and place their purchases in buckets.
  void choose_and_buy(const Scenario& scenario, World& world, std::int32_t week,
                      tbb::enumerable_thread_specific<WeekTally>& tallies);
  // Purchases become sellers' revenue (World::sellers.revenue_cents); mishaps flag buyers and are counted
  // (WeekTally::bad_purchases).
  void allocate(const Scenario& scenario, World& world, std::int32_t week,
                tbb::enumerable_thread_specific<WeekTally>& tallies);

 private:
  // A thread's purchases by (channel, category) pair, [channel * categories + category], in vectors
  // from one arena per thread (MappedArena, state/column.hpp: on huge pages where the environment
  // asks, since 1,200 buckets written at random on 4 KiB pages can miss the TLB at each new line).
  using Bucket = std::vector<PurchaseRecord, ArenaAllocator<PurchaseRecord>>;
  struct Buckets {
    std::unique_ptr<MappedArena> arena = std::make_unique<MappedArena>();  // destroyed after the buckets
    std::vector<Bucket> of_pair;
    std::size_t size() const noexcept { return of_pair.size(); }
    void resize(std::size_t pairs) { of_pair.resize(pairs, Bucket(ArenaAllocator<PurchaseRecord>(arena.get()))); }
    Bucket& operator[](std::size_t pair) noexcept { return of_pair[pair]; }
    const Bucket& operator[](std::size_t pair) const noexcept { return of_pair[pair]; }
  };
  std::shared_ptr<tbb::enumerable_thread_specific<Buckets>> buckets_ =
      std::make_shared<tbb::enumerable_thread_specific<Buckets>>();
  std::size_t pairs_ = 0;
};

}  // namespace sellershock
