#include "process/demand.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "state/random.hpp"

namespace sellershock {

namespace {

constexpr std::size_t kBuyersPerBlock = 4096;
constexpr double kTwoTo32 = 4294967296.0;

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

// Choice probabilities (unnormalised exp of utility) of one buyer.
struct BuyerView {
  bool member;
  int last_channel;  // -1: none yet
  double trust_dominant, trust_alternative;
};

int choose_channel(const Scenario& scenario, const ChannelOffer& offer, const BuyerView& buyer, double uniform) {
  const BuyerSpec& b = scenario.buyers;
  std::array<double, kChannelCount> utility{};
  double best = -1e300;
  for (std::size_t c = 0; c < kChannelCount; ++c) {
    if (!offer.open[c]) continue;
    double u = offer.base_utility[c];
    if (buyer.last_channel == static_cast<int>(c)) u += b.habit_coefficient;
    if (buyer.member && (c == index(Channel::Dominant) || c == index(Channel::PhysicalStore)))
      u += b.membership_coefficient;
    // Trust in a marketplace; stores and the platform's own shop are trusted fully.
    const double trust = c == index(Channel::Dominant)      ? buyer.trust_dominant
                         : c == index(Channel::Alternative) ? buyer.trust_alternative
                                                            : 1.0;
    u += b.trust_coefficient * trust;
    utility[c] = u;
    best = std::max(best, u);
  }
  std::array<double, kChannelCount> weight{};
  double total = 0.0;
  for (std::size_t c = 0; c < kChannelCount; ++c) {
    weight[c] = offer.open[c] ? std::exp(utility[c] - best) : 0.0;
    total += weight[c];
  }
  double threshold = uniform * total;
  int last_open = -1;
  for (std::size_t c = 0; c < kChannelCount; ++c) {
    if (!offer.open[c]) continue;
    last_open = static_cast<int>(c);
    if (threshold < weight[c]) return last_open;
    threshold -= weight[c];
  }
  return last_open;  // rounding at the top end
}

}  // namespace

ChannelOffer channel_offer(const Scenario& scenario, const World& world) {
  ChannelOffer offer;
  const BuyerSpec& b = scenario.buyers;
  // Assortment: the share of (non-exited) businesses present in a seller channel, counted from the
  // market's tables; the platform's stores carry their own range.
  std::array<double, kChannelCount> present{};
  double businesses = 0;
  for (std::size_t c = 0; c < kSellerChannelCount; ++c)
    for (int category = 0; category < world.categories; ++category)
      present[c] += static_cast<double>(
          world.market.alias[c * static_cast<std::size_t>(world.categories) + static_cast<std::size_t>(category)].size());
  for (std::size_t i = 0; i < world.sellers.size(); ++i) businesses += world.sellers.status[i] != SellerStatus::Exited;
  for (std::size_t c = 0; c < kChannelCount; ++c) {
    const ChannelAppealSpec& appeal = appeal_of(scenario, c);
    double u = appeal.preference + b.price_coefficient * appeal.price_index + b.delivery_coefficient_per_day * appeal.delivery_days;
    if (c < kSellerChannelCount) {
      offer.open[c] = present[c] > 0 && businesses > 0;
      if (offer.open[c]) u += b.assortment_coefficient * std::log(present[c] / businesses);
    } else {
      offer.open[c] = true;
    }
    offer.base_utility[c] = u;
  }
  return offer;
}

double expected_seller_channel_share(const Scenario& scenario, const World& world) {
  const ChannelOffer offer = channel_offer(scenario, world);
  double physical = 0.0;
  for (int member = 0; member < 2; ++member) {
    const BuyerSpec& b = scenario.buyers;
    std::array<double, kChannelCount> utility{};
    double best = -1e300;
    for (std::size_t c = 0; c < kChannelCount; ++c) {
      if (!offer.open[c]) continue;
      utility[c] = offer.base_utility[c] + b.trust_coefficient +
                   ((member && (c == index(Channel::Dominant) || c == index(Channel::PhysicalStore)))
                        ? b.membership_coefficient
                        : 0.0);
      best = std::max(best, utility[c]);
    }
    double total = 0.0, physical_weight = 0.0;
    for (std::size_t c = 0; c < kChannelCount; ++c) {
      if (!offer.open[c]) continue;
      const double w = std::exp(utility[c] - best);
      total += w;
      if (c == index(Channel::PhysicalStore)) physical_weight = w;
    }
    const double share = member ? b.loyalty_member_share : 1.0 - b.loyalty_member_share;
    physical += share * physical_weight / total;
  }
  return 1.0 - physical;
}

Demand::Demand(const World& world)
    : pairs_(kSellerChannelCount * static_cast<std::size_t>(world.categories)) {}

void Demand::refresh_market(World& world) {
  Market& market = world.market;
  const std::size_t categories = static_cast<std::size_t>(world.categories);
  struct Scratch {
    std::vector<std::uint32_t> items;
    std::vector<double> weights;
  };
  tbb::enumerable_thread_specific<Scratch> scratch;
  tbb::parallel_for(std::size_t{0}, pairs_, [&](std::size_t pair) {
    if (!market.stale[pair]) return;
    const std::size_t channel = pair / categories, category = pair % categories;
    Scratch& s = scratch.local();
    s.items.clear();
    s.weights.clear();
    for (std::size_t i = world.category_begin[category]; i < world.category_begin[category + 1]; ++i) {
      if (!sells_on(world.sellers, i, channel)) continue;
      s.items.push_back(static_cast<std::uint32_t>(i));
      s.weights.push_back(static_cast<double>(world.sellers.expected_weekly_sales_cents[i]));
    }
    market.alias[pair].build(s.items, s.weights);
    market.stale[pair] = 0;
  });
}

void Demand::choose_and_buy(const Scenario& scenario, World& world, std::int32_t week,
                            tbb::enumerable_thread_specific<WeekTally>& tallies) {
  const ChannelOffer offer = channel_offer(scenario, world);
  for (Buckets& buckets : buckets_)
    for (auto& bucket : buckets) bucket.clear();

  const BuyerSpec& spec = scenario.buyers;
  const std::size_t categories = static_cast<std::size_t>(world.categories);
  const int purchases = spec.purchases_per_week;
  const auto trust_kept = static_cast<float>(1.0 - spec.trust_loss_per_bad_purchase);
  const auto recovery = static_cast<float>(spec.trust_recovery_per_week);
  BuyerTable& buyers = world.buyers;
  const SellerTable& sellers = world.sellers;

  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, buyers.size(), kBuyersPerBlock),
                    [&](const tbb::blocked_range<std::size_t>& block) {
    Buckets& buckets = buckets_.local();
    if (buckets.size() != pairs_) buckets.resize(pairs_);
    WeekTally& tally = tallies.local();
    for (std::size_t b = block.begin(); b < block.end(); ++b) {
      // Trust: a bad purchase last week costs a share of it; otherwise it recovers towards 1.
      const std::uint8_t flags = buyers.bad_purchase_flags[b];
      buyers.bad_purchase_flags[b] = 0;
      float& trust_dominant = buyers.trust_dominant[b];
      float& trust_alternative = buyers.trust_alternative[b];
      trust_dominant = (flags & 1) ? trust_dominant * trust_kept : trust_dominant + recovery * (1.0f - trust_dominant);
      trust_alternative =
          (flags & 2) ? trust_alternative * trust_kept : trust_alternative + recovery * (1.0f - trust_alternative);

      RandomStream choice_stream(world.seed, static_cast<std::uint64_t>(world.replication), b, week,
                                 Purpose::ChannelChoice);
      const BuyerView view{buyers.loyalty_member[b] != 0,
                           buyers.last_channel[b] == 0xff ? -1 : static_cast<int>(buyers.last_channel[b]),
                           trust_dominant, trust_alternative};
      const int channel = choose_channel(scenario, offer, view, choice_stream.uniform());
      if (channel < 0) continue;
      buyers.last_channel[b] = static_cast<std::uint8_t>(channel);
      tally.buyers[channel] += 1;

      const Cents spend = buyers.weekly_spend_cents[b];
      if (channel == static_cast<int>(index(Channel::PhysicalStore))) {
        // First-party sales: the platform sells its own goods; no third-party seller is involved.
        transfer(tally.ledger_delta.outside_cents, tally.ledger_delta.platform_first_party_sales_cents, spend);
        tally.sales_cents[index(Channel::PhysicalStore)] += spend;
        continue;
      }
      RandomStream purchase_stream(world.seed, static_cast<std::uint64_t>(world.replication), b, week,
                                   Purpose::Purchase);
      const std::uint32_t followed = buyers.followed_seller[b];
      const bool followed_available = sells_on(sellers, followed, static_cast<std::size_t>(channel));
      const Cents each = spend / purchases;
      for (int p = 0; p < purchases; ++p) {
        const Cents amount = p + 1 < purchases ? each : spend - each * (purchases - 1);
        const std::uint64_t category_pick = purchase_stream();
        const double follow_draw = purchase_stream.uniform();
        const std::uint64_t seller_pick = purchase_stream();
        const auto mishap_draw = static_cast<std::uint32_t>(purchase_stream() >> 32);
        PurchaseRecord record{amount, seller_pick, static_cast<std::uint32_t>(b), kNoSeller, mishap_draw};
        std::size_t category = world.market.category_of_purchase.sample(category_pick);
        if (followed_available && follow_draw < spec.follow_probability) {
          record.seller = followed;
          category = sellers.category[followed];
        }
        buckets[static_cast<std::size_t>(channel) * categories + category].push_back(record);
      }
    }
  });
}

void Demand::allocate(const Scenario& scenario, World& world, tbb::enumerable_thread_specific<WeekTally>& tallies) {
  const std::size_t categories = static_cast<std::size_t>(world.categories);
  const auto mishap_threshold = static_cast<std::uint64_t>(scenario.buyers.bad_purchase_probability * kTwoTo32);
  SellerTable& sellers = world.sellers;
  std::vector<std::uint8_t>& flags = world.buyers.bad_purchase_flags;
  tbb::parallel_for(std::size_t{0}, pairs_, [&](std::size_t pair) {
    const std::size_t channel = pair / categories;
    const AliasTable& table = world.market.alias[pair];
    std::vector<Cents>& revenue = sellers.revenue_cents[channel];
    const std::uint8_t mishap_flag = channel == index(Channel::Dominant)      ? 1
                                     : channel == index(Channel::Alternative) ? 2
                                                                              : 0;
    Cents unmet = 0;
    for (const Buckets& buckets : buckets_) {
      if (buckets.size() != pairs_) continue;
      for (const PurchaseRecord& record : buckets[pair]) {
        std::uint32_t seller = record.seller;
        if (seller == kNoSeller) {
          if (table.empty()) {
            unmet += record.amount_cents;  // nobody sells this here: the buyer keeps the money
            continue;
          }
          seller = table.sample(record.pick);
        }
        revenue[seller] += record.amount_cents;
        if (mishap_flag && sellers.rule_breaker[seller] && record.mishap_draw < mishap_threshold)
          std::atomic_ref<std::uint8_t>(flags[record.buyer]).fetch_or(mishap_flag, std::memory_order_relaxed);
      }
    }
    if (unmet) tallies.local().unmet_demand_cents += unmet;
  });
}

}  // namespace sellershock
