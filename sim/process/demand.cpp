#include "process/demand.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "process/platform.hpp"
#include "state/random.hpp"
#include "state/whole_loop.hpp"

namespace sellershock {

namespace {

constexpr std::size_t kBuyersPerBlock = 4096;
// Records ahead of a bucket's end prefetched for writing (6 x 24 bytes: the line after the next).
constexpr std::size_t kBucketPrefetchRecords = 6;
constexpr double kTwoTo32 = 4294967296.0;
// Records ahead of the one being allocated whose alias-table slot is prefetched (8, 16 and 32 measured
// the same).
constexpr std::size_t kSlotAhead = 16;

const ChannelAppealSpec& appeal_of(const Scenario& scenario, std::size_t channel) {
  switch (static_cast<Channel>(channel)) {
    case Channel::Dominant: return scenario.channels.dominant.appeal;
    case Channel::Alternative: return scenario.channels.alternative.appeal;
    case Channel::OwnStore: return scenario.channels.own_store.appeal;
    case Channel::PhysicalStore: break;
  }
  return scenario.channels.physical_store.appeal;
}

// Whether seller i can sell in the channel now.
bool sells_on(const SellerTable& sellers, std::size_t i, std::size_t channel) {
  switch (static_cast<Channel>(channel)) {
    case Channel::Dominant: return sellers.status[i] == SellerStatus::Active;
    case Channel::Alternative: return sellers.on_alternative[i] && sellers.status[i] != SellerStatus::Exited;
    case Channel::OwnStore: return sellers.on_own_store[i] && sellers.status[i] != SellerStatus::Exited;
    case Channel::PhysicalStore: break;
  }
  return false;
}

// Whether seller i is a member of the channel's tables: listed there and not exited (suspended or not).
bool listed_on(const SellerTable& sellers, std::size_t i, std::size_t channel) {
  if (sellers.status[i] == SellerStatus::Exited) return false;
  switch (static_cast<Channel>(channel)) {
    case Channel::Dominant: return true;
    case Channel::Alternative: return sellers.on_alternative[i] != 0;
    case Channel::OwnStore: return sellers.on_own_store[i] != 0;
    case Channel::PhysicalStore: break;
  }
  return false;
}

// Where a purchase meant for the followed seller goes: the chosen channel if it sells there; else, when
// the buyer follows it across channels and it is shut out of the dominant marketplace, its own web store
// or else its alternative-marketplace shop; -1 nowhere (the purchase goes to a seller drawn by size).
constexpr int kUnknown = -2;
int channel_of_followed(const SellerTable& sellers, std::size_t seller, std::size_t channel, bool across) {
  if (sells_on(sellers, seller, channel)) return static_cast<int>(channel);
  if (!across || channel != index(Channel::Dominant)) return -1;
  if (sells_on(sellers, seller, index(Channel::OwnStore))) return static_cast<int>(index(Channel::OwnStore));
  if (sells_on(sellers, seller, index(Channel::Alternative))) return static_cast<int>(index(Channel::Alternative));
  return -1;
}

// Tables of members who left are rebuilt this often; in between, draws skip them.
constexpr std::int32_t kCompactionWeeks = 13;
// Tables that gained members are rebuilt this often: a seller that adds a channel enters its draws up
// to this many weeks later, early in its ramp-up (a table with nobody able to sell is rebuilt at once,
// through the failed draws).
constexpr std::int32_t kJoinWeeks = 4;
// Draws per purchase before it is given up as unmet and the table is rebuilt for next week.
constexpr int kMaxDraws = 64;

// The next random number in a deterministic sequence started by a purchase's pick (splitmix64).
std::uint64_t next_pick(std::uint64_t x);

// The purchase's mishap draw, 32 bits independent of its seller draws: a different splitmix64 stream
// of the same pick.
std::uint32_t mishap_draw(std::uint64_t pick) {
  return static_cast<std::uint32_t>(next_pick(pick ^ 0x5851f42d4c957f2dull) >> 32);
}

std::uint64_t next_pick(std::uint64_t x) { return mix64(x + 0x9e3779b97f4a7c15ull); }

// exp(utility) of each channel for a buyer with full trust, by loyalty membership and last channel
// (index 0: none yet), relative to the largest: computed once a week, so that a buyer's choice needs an
// exponential only for a marketplace it trusts less than fully.
struct ChoiceWeights {
  std::array<double, kChannelCount> weight[2][kChannelCount + 1];
};

ChoiceWeights choice_weights(const Scenario& scenario, const ChannelOffer& offer) {
  const BuyerSpec& b = scenario.buyers;
  ChoiceWeights cw{};
  for (int member = 0; member < 2; ++member)
    for (int last = -1; last < static_cast<int>(kChannelCount); ++last) {
      std::array<double, kChannelCount> utility{};
      auto& weight = cw.weight[member][last + 1];
      double best = -1e300;
      for (std::size_t c = 0; c < kChannelCount; ++c) {
        if (!offer.open[c]) continue;
        double u = offer.base_utility[c] + b.trust_coefficient;  // full trust (stores are trusted fully)
        if (last == static_cast<int>(c)) u += b.habit_coefficient;
        if (member && (c == index(Channel::Dominant) || c == index(Channel::PhysicalStore))) u += b.membership_coefficient;
        utility[c] = u;
        best = std::max(best, u);
      }
      for (std::size_t c = 0; c < kChannelCount; ++c) weight[c] = offer.open[c] ? std::exp(utility[c] - best) : 0.0;
    }
  return cw;
}

// Draws a channel: uniform in [0, 1) against the buyer's weights; -1 when no channel is open.
int choose_channel(const std::array<double, kChannelCount>& weight, double uniform) {
  double total = 0.0;
  for (double w : weight) total += w;
  double threshold = uniform * total;
  int last_open = -1;
  for (std::size_t c = 0; c < kChannelCount; ++c) {
    if (weight[c] <= 0.0) continue;
    last_open = static_cast<int>(c);
    if (threshold < weight[c]) return last_open;
    threshold -= weight[c];
  }
  return last_open;  // rounding at the top end
}

}  // namespace

ChannelOffer channel_offer(const Scenario& scenario, const World& world, std::int32_t week) {
  ChannelOffer offer;
  const BuyerSpec& b = scenario.buyers;
  const PlatformAdjustments platform = platform_adjustments(scenario, week);
  // Assortment: the share of (non-exited) businesses able to sell in a seller channel, as last observed;
  // the platform's stores carry their own range.
  const auto businesses = static_cast<double>(world.market.businesses);
  for (std::size_t c = 0; c < kChannelCount; ++c) {
    const ChannelAppealSpec appeal = adjusted_appeal(appeal_of(scenario, c), static_cast<Channel>(c), platform);
    double u = appeal.preference + b.price_coefficient * appeal.price_index + b.delivery_coefficient_per_day * appeal.delivery_days;
    if (c < kSellerChannelCount) {
      const auto present = static_cast<double>(world.market.present[c]);
      offer.open[c] = present > 0 && businesses > 0;
      if (offer.open[c]) u += b.assortment_coefficient * std::log(present / businesses);
    } else {
      offer.open[c] = true;
    }
    offer.base_utility[c] = u;
  }
  return offer;
}

double expected_seller_channel_share(const Scenario& scenario, const World& world) {
  // Week 0: platform facilities opened before the start are in use.
  const ChoiceWeights choice = choice_weights(scenario, channel_offer(scenario, world, 0));
  double physical = 0.0;
  for (int member = 0; member < 2; ++member) {
    const std::array<double, kChannelCount>& weight = choice.weight[member][0];  // full trust, no habit yet
    double total = 0.0;
    for (double w : weight) total += w;
    const double share = member ? scenario.buyers.loyalty_member_share : 1.0 - scenario.buyers.loyalty_member_share;
    physical += share * weight[index(Channel::PhysicalStore)] / total;
  }
  return 1.0 - physical;
}

Demand::Demand(const World& world)
    : pairs_(kSellerChannelCount * static_cast<std::size_t>(world.categories)) {}

Demand::Demand(const World& world, const Demand& other) : Demand(world) {
  if (other.pairs_ == pairs_) buckets_ = other.buckets_;  // (a world of other categories keeps its own)
}

void Demand::refresh_market(World& world, std::int32_t week) {
  Market& market = world.market;
  const std::size_t categories = static_cast<std::size_t>(world.categories);
  struct Scratch {
    std::vector<std::uint32_t> items;
    std::vector<double> weights;
    AliasTable::Scratch build;
  };
  tbb::enumerable_thread_specific<Scratch> scratch;
  WholeLoop whole;
  tbb::parallel_for(std::size_t{0}, pairs_, [&](std::size_t pair) {
    const bool compaction_due = market.member_left[pair] && week - market.built_week[pair] >= kCompactionWeeks;
    const bool joiners_due = market.member_joined[pair] && week - market.built_week[pair] >= kJoinWeeks;
    if (!market.rebuild_now[pair] && !compaction_due && !joiners_due) return;
    const std::size_t channel = pair / categories, category = pair % categories;
    Scratch& s = scratch.local();
    s.items.clear();
    s.weights.clear();
    for (std::size_t i = world.category_begin[category]; i < world.category_begin[category + 1]; ++i) {
      if (!listed_on(world.sellers, i, channel)) continue;
      s.items.push_back(static_cast<std::uint32_t>(i));
      s.weights.push_back(world.sellers.marketplace_weight(i));
    }
    market.alias[pair].build(s.items, s.weights, s.build);
    market.rebuild_now[pair] = market.member_left[pair] = market.member_joined[pair] = 0;
    market.built_week[pair] = week;
  }, whole);
}

void Demand::choose_and_buy(const Scenario& scenario, World& world, std::int32_t week,
                            tbb::enumerable_thread_specific<WeekTally>& tallies) {
  const ChannelOffer offer = channel_offer(scenario, world, week);
  const ChoiceWeights choice = choice_weights(scenario, offer);
  for (Buckets& buckets : *buckets_)
    for (auto& bucket : buckets.of_pair) bucket.clear();

  const BuyerSpec& spec = scenario.buyers;
  const std::size_t categories = static_cast<std::size_t>(world.categories);
  const int purchases = spec.purchases_per_week;
  const auto trust_kept = static_cast<float>(1.0 - spec.trust_loss_per_bad_purchase);
  const auto recovery = static_cast<float>(spec.trust_recovery_per_week);
  const double trust_coefficient = spec.trust_coefficient;
  const double spend_factor = world.market.marketplace_spend_factor;
  const auto follow_threshold = static_cast<std::uint32_t>(std::min(spec.follow_probability * kTwoTo32, 4294967295.0));
  const auto across_threshold =
      static_cast<std::uint32_t>(std::min(spec.follow_across_channels_probability * kTwoTo32, 4294967295.0));
  BuyerTable& buyers = world.buyers;
  const SellerTable& sellers = world.sellers;
  // A buyer's week draws from a MixStream: a Philox block per buyer-week was a tenth of the run.
  const MixStreamKey purchase_key(world.seed, static_cast<std::uint64_t>(world.replication), week, Purpose::Purchase);

  WholeLoop whole;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, buyers.size(), kBuyersPerBlock),
                    [&](const tbb::blocked_range<std::size_t>& block) {
    Buckets& buckets = buckets_->local();
    if (buckets.size() != pairs_) buckets.resize(pairs_);
    // The columns through local pointers and the block's sums in locals: the loop stores bytes (flags,
    // last channel), which may alias anything, so the compiler would otherwise reload every column's
    // address, the category table's and the buckets' after each of them.
    std::uint8_t* const bad_purchase_flags = buyers.bad_purchase_flags.data();
    float* const trust_dominant_of = buyers.trust_dominant.data();
    float* const trust_alternative_of = buyers.trust_alternative.data();
    std::uint8_t* const last_channel = buyers.last_channel.data();
    const std::uint8_t* const loyalty_member = buyers.loyalty_member.data();
    const Cents* const weekly_spend = buyers.weekly_spend_cents.data();
    const std::uint32_t* const followed_seller = buyers.followed_seller.data();
    const std::uint16_t* const category_of_seller = sellers.category.data();
    const AliasTable::View category_of_purchase = world.market.category_of_purchase.view();
    Bucket* const of_pair = buckets.of_pair.data();
    std::int64_t choosers[kChannelCount] = {};
    Cents first_party_sales = 0;
    for (std::size_t b = block.begin(); b < block.end(); ++b) {
      // Trust: a bad purchase last week costs a share of it; otherwise it recovers towards 1.
      const std::uint8_t flags = bad_purchase_flags[b];
      bad_purchase_flags[b] = 0;
      float trust_dominant = trust_dominant_of[b];
      float trust_alternative = trust_alternative_of[b];
      trust_dominant = (flags & 1) ? trust_dominant * trust_kept : trust_dominant + recovery * (1.0f - trust_dominant);
      trust_alternative =
          (flags & 2) ? trust_alternative * trust_kept : trust_alternative + recovery * (1.0f - trust_alternative);
      trust_dominant_of[b] = trust_dominant;
      trust_alternative_of[b] = trust_alternative;

      // One stream per buyer and week: the channel, then one number per purchase.
      MixStream stream(purchase_key, b);
      const std::uint8_t last = last_channel[b];
      std::array<double, kChannelCount> weight = choice.weight[loyalty_member[b] ? 1 : 0][last == 0xff ? 0 : last + 1u];
      if (trust_dominant < 1.0f)
        weight[index(Channel::Dominant)] *= std::exp(trust_coefficient * (static_cast<double>(trust_dominant) - 1.0));
      if (trust_alternative < 1.0f)
        weight[index(Channel::Alternative)] *=
            std::exp(trust_coefficient * (static_cast<double>(trust_alternative) - 1.0));
      const int channel = choose_channel(weight, stream.uniform());
      if (channel < 0) continue;
      last_channel[b] = static_cast<std::uint8_t>(channel);
      choosers[channel] += 1;

      const Cents spend = spend_factor == 1.0 ? weekly_spend[b] : round_cents(static_cast<double>(weekly_spend[b]) * spend_factor);
      if (channel == static_cast<int>(index(Channel::PhysicalStore))) {
        // First-party sales: the platform sells its own goods; no third-party seller is involved.
        first_party_sales += spend;
        continue;
      }
      // Where the followed seller can be bought is looked up only when a purchase would go to it: the
      // lookup is a cache miss, and most purchases do not need it.
      const std::uint32_t followed = followed_seller[b];
      int followed_channel = kUnknown;
      // (A 64-bit division is slow; most scenarios split into 2 purchases, a shift: same result for spend >= 0.)
      const Cents each = purchases == 2 && spend >= 0 ? spend >> 1 : spend / purchases;
      for (int p = 0; p < purchases; ++p) {
        const Cents amount = p + 1 < purchases ? each : spend - each * (purchases - 1);
        // One number of the buyer's stream per purchase; its seller pick and follow draw are splitmix64
        // hashes of it under two keys (as the seller's retries and mishap draw are of the seller pick).
        const std::uint64_t category_pick = stream();
        const std::uint64_t seller_pick = next_pick(category_pick ^ 0x3c6ef372fe94f82bull);
        const std::uint64_t follow_draw = next_pick(category_pick ^ 0xa54ff53a5f1d36f1ull);  // high half: follow at all; low half: across channels
        PurchaseRecord record{amount, seller_pick, static_cast<std::uint32_t>(b), kNoSeller};
        std::size_t category = category_of_purchase.sample(category_pick);
        std::size_t bucket_channel = static_cast<std::size_t>(channel);
        if (static_cast<std::uint32_t>(follow_draw >> 32) < follow_threshold) {
          if (followed_channel == kUnknown)
            followed_channel = channel_of_followed(sellers, followed, static_cast<std::size_t>(channel),
                                                   static_cast<std::uint32_t>(follow_draw) < across_threshold);
          if (followed_channel >= 0) {
            record.seller = followed;
            category = category_of_seller[followed];
            bucket_channel = static_cast<std::size_t>(followed_channel);
          }
        }
        Bucket& bucket = of_pair[bucket_channel * categories + category];
        // The line a bucket's next records go to is fetched now, for writing, while other buckets are
        // filled: 1,200 buckets are too many write streams for the hardware prefetcher, and each new
        // line waited for memory (half of this function's time; docs/PERFORMANCE.md).
        // (Integer arithmetic: the address may lie past the bucket's storage, where a pointer may not.)
        __builtin_prefetch(reinterpret_cast<const void*>(reinterpret_cast<std::uintptr_t>(bucket.data()) +
                                                         (bucket.size() + kBucketPrefetchRecords) * sizeof(PurchaseRecord)),
                           1, 3);
        bucket.push_back(record);
      }
    }
    WeekTally& tally = tallies.local();
    for (std::size_t c = 0; c < kChannelCount; ++c) tally.buyers[c] += choosers[c];
    transfer(tally.ledger_delta.outside_cents, tally.ledger_delta.platform_first_party_sales_cents, first_party_sales);
    tally.sales_cents[index(Channel::PhysicalStore)] += first_party_sales;
  }, whole);
}

void Demand::allocate(const Scenario& scenario, World& world, std::int32_t week,
                      tbb::enumerable_thread_specific<WeekTally>& tallies) {
  const std::size_t categories = static_cast<std::size_t>(world.categories);
  const int ramp_weeks = scenario.diversification.ramp_weeks;
  const auto mishap_threshold = static_cast<std::uint64_t>(scenario.buyers.bad_purchase_probability * kTwoTo32);
  SellerTable& sellers = world.sellers;
  Column<std::uint8_t>& flags = world.buyers.bad_purchase_flags;
  WholeLoop whole;
  tbb::parallel_for(std::size_t{0}, pairs_, [&](std::size_t pair) {
    const std::size_t channel = pair / categories;
    const AliasTable& table = world.market.alias[pair];
    // A channel a seller added recently draws purchases in proportion to its ramp-up: a draw that lands
    // on it is kept with that probability (thinning), and otherwise drawn again.
    const Column<std::int32_t>* since = channel == index(Channel::Alternative) ? &sellers.alternative_since_week
                                             : channel == index(Channel::OwnStore)  ? &sellers.own_store_since_week
                                                                                    : nullptr;
    const auto ramped_up = [&](std::uint32_t seller, std::uint64_t pick) {
      if (!since || (*since)[seller] == kNoWeek) return true;
      const double fraction = ramp_fraction((*since)[seller], week, ramp_weeks);
      return fraction >= 1.0 || static_cast<double>(next_pick(pick ^ 0x2545f4914f6cdd1dull) >> 11) * 0x1.0p-53 < fraction;
    };
    Column<Cents>& revenue = sellers.revenue_cents[channel];
    // The category's sellers are read and written at random by the draws below: bring their columns and
    // the table into the cache in order first (measured: docs/PERFORMANCE.md).
    {
      const std::size_t category = pair % categories;
      const std::size_t first = world.category_begin[category], last = world.category_begin[category + 1];
      for (std::size_t i = first; i < last; i += 64 / sizeof(Cents)) __builtin_prefetch(&revenue[i], 1, 3);
      for (std::size_t i = first; i < last; i += 64) {
        __builtin_prefetch(&sellers.status[i], 0, 3);
        __builtin_prefetch(&sellers.rule_breaker[i], 0, 3);
      }
      table.prefetch();
    }
    const AliasTable::View view = table.view();
    const std::uint8_t mishap_flag = channel == index(Channel::Dominant)      ? 1
                                     : channel == index(Channel::Alternative) ? 2
                                                                              : 0;
    Cents unmet = 0;
    std::int64_t bad_purchases = 0;
    for (const Buckets& buckets : *buckets_) {
      if (buckets.size() != pairs_) continue;
      const PurchaseRecord* const records = buckets[pair].data();
      const std::size_t count = buckets[pair].size();
      for (std::size_t k = 0; k < count; ++k) {
        // The slot a later record draws first is asked for now: the category's table is in the L2
        // cache, not the L1, and each draw waited for its slot (a third of this loop's time samples
        // were on that load; allocate 15-20% faster; docs/PERFORMANCE.md).
        if (k + kSlotAhead < count) view.prefetch(records[k + kSlotAhead].pick);
        const PurchaseRecord& record = records[k];
        std::uint32_t seller = record.seller;
        if (seller == kNoSeller) {
          // Draw from the members until one can sell now (suspended and departed members are skipped).
          std::uint64_t pick = record.pick;
          for (int draw = 0; draw < kMaxDraws && !table.empty(); ++draw, pick = next_pick(pick)) {
            const std::uint32_t candidate = table.sample(pick);
            if (sells_on(sellers, candidate, channel) && ramped_up(candidate, pick)) {
              seller = candidate;
              break;
            }
          }
          if (seller == kNoSeller) {
            // Nobody (or hardly anybody) sells this here: the buyer keeps the money, and the table is
            // rebuilt before next week's purchases.
            unmet += record.amount_cents;
            if (!table.empty()) std::atomic_ref<std::uint8_t>(world.market.rebuild_now[pair]).store(1, std::memory_order_relaxed);
            continue;
          }
        }
        revenue[seller] += record.amount_cents;
        // In a marketplace the mishap draw is made for every purchase and the two tests are joined
        // without a branch between them: whether the seller breaks rules is random, and that branch
        // mispredicted (allocate 10-12% faster; docs/PERFORMANCE.md).
        if (mishap_flag && ((sellers.rule_breaker[seller] != 0) & (mishap_draw(record.pick) < mishap_threshold))) {
          std::atomic_ref<std::uint8_t>(flags[record.buyer]).fetch_or(mishap_flag, std::memory_order_relaxed);
          ++bad_purchases;
        }
      }
    }
    if (unmet) tallies.local().unmet_demand_cents += unmet;
    if (bad_purchases) tallies.local().bad_purchases[channel] += bad_purchases;
  }, whole);
}

}  // namespace sellershock
