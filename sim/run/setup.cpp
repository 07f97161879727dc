#include "run/setup.hpp"

#include <boost/random/lognormal_distribution.hpp>
#include <algorithm>
#include <cmath>
#include <type_traits>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/parallel_reduce.h>

#include "process/demand.hpp"
#include "state/random.hpp"
#include "state/whole_loop.hpp"

namespace sellershock {

namespace {

constexpr std::size_t kBlock = 16384;

// A standard normal draw from two uniforms (Box-Muller): a fixed number of draws per business.
double standard_normal(RandomStream& stream) {
  const double u = 1.0 - stream.uniform();  // (0, 1]
  const double v = stream.uniform();
  return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
}

// exp(sigma Z - sigma^2 / 2): lognormal with mean 1 (1 when sigma is 0).
double lognormal_with_mean_one(double sigma, RandomStream& stream) {
  const double z = standard_normal(stream);
  return std::exp(sigma * z - 0.5 * sigma * sigma);
}

// The scale c such that the mean of min(1, c * weight) over businesses is `share`: larger businesses
// are likelier to sell on other channels (by the square root of their size, capped at certainty), and
// the scenario's share holds exactly in expectation. Bisection in a fixed order (deterministic).
double presence_scale(const std::vector<double>& weight, double share) {
  if (share <= 0.0 || weight.empty()) return 0.0;
  const auto mean_presence = [&](double c) {
    double total = 0;
    for (double w : weight) total += std::min(1.0, c * w);
    return total / static_cast<double>(weight.size());
  };
  double low = 0.0, high = 1.0;
  while (mean_presence(high) < share && high < 1e300) high *= 2.0;
  for (int k = 0; k < 100 && high - low > 1e-10 * high; ++k) {  // far finer than any share's sampling error
    const double middle = 0.5 * (low + high);
    (mean_presence(middle) < share ? low : high) = middle;
  }
  return high;
}

// Presence on the alternative marketplace and an own web store at the start, from each business's two
// uniform draws: probability min(1, c * sqrt(expected sales)) with c set by the scenario's share.
void assign_channels(const SellerSpec& spec, SellerTable& sellers, const std::vector<double> (&draw)[2]) {
  std::vector<double> weight(sellers.size());
  for (std::size_t i = 0; i < weight.size(); ++i) weight[i] = std::sqrt(static_cast<double>(sellers.expected_weekly_sales_cents[i]));
  // The two bisections on two threads: each sums every business's weight some fifty times, in order.
  double scale[2] = {0.0, 0.0};
  WholeLoop whole;
  tbb::parallel_invoke([&] { scale[0] = presence_scale(weight, spec.alternative_share); },
                       [&] { scale[1] = presence_scale(weight, spec.own_store_share); },
                       static_cast<tbb::task_group_context&>(whole));  // as a context, not a third job
  for (std::size_t i = 0; i < weight.size(); ++i) {
    sellers.on_alternative[i] = draw[0][i] < std::min(1.0, scale[0] * weight[i]) ? 1 : 0;
    sellers.on_own_store[i] = draw[1][i] < std::min(1.0, scale[1] * weight[i]) ? 1 : 0;
    sellers.off_platform_share[i] = sellers.on_own_store[i] ? static_cast<float>(spec.off_platform_sales_share) : 0.0f;
    sellers.diversification_level[i] = static_cast<std::uint8_t>(sellers.on_alternative[i] + 2 * sellers.on_own_store[i]);
  }
}

void set_up_sellers(const Scenario& scenario, World& world) {
  const SellerSpec& spec = scenario.sellers;
  SellerTable& sellers = world.sellers;
  const std::size_t count = static_cast<std::size_t>(spec.count);
  sellers.resize(count);

  // Sellers sit in contiguous ranges by category (equal numbers per category), so that demand for one
  // category touches one range; every other attribute is drawn independently of the position.
  world.categories = spec.categories;
  world.category_begin.resize(static_cast<std::size_t>(spec.categories) + 1);
  for (std::size_t c = 0; c <= static_cast<std::size_t>(spec.categories); ++c)
    world.category_begin[c] = static_cast<std::uint32_t>(c * count / static_cast<std::size_t>(spec.categories));

  // Cumulative region shares; the last bound is forced to 1 so rounding cannot leave a gap.
  std::vector<double> region_upper;
  double cumulative = 0;
  for (const RegionShare& r : spec.region_shares) region_upper.push_back(cumulative += r.share);
  if (!region_upper.empty()) region_upper.back() = 1.0;

  std::vector<double> presence_draw[2] = {std::vector<double>(count), std::vector<double>(count)};
  const double background_risk[2] = {scenario.enforcement.background_hazard_honest_per_week,
                                     scenario.enforcement.background_hazard_rule_breaker_per_week};
  WholeLoop whole;
  const Cents opening_cash = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, count, kBlock), Cents{0},
      [&](const tbb::blocked_range<std::size_t>& block, Cents cash_total) {
        boost::random::lognormal_distribution<double> annual_sales(std::log(spec.annual_sales_usd.median),
                                                                   spec.annual_sales_usd.sigma);
        std::uint16_t category = 0;
        while (world.category_begin[category + 1u] <= block.begin()) ++category;
        for (std::size_t i = block.begin(); i < block.end(); ++i) {
          while (world.category_begin[category + 1u] <= i) ++category;
          RandomStream stream(world.seed, static_cast<std::uint64_t>(world.replication), i, kSetupWeek,
                              Purpose::SellerSetup);
          const double region_draw = stream.uniform();
          std::uint8_t region = 0;
          while (region + 1u < region_upper.size() && region_draw >= region_upper[region]) ++region;
          sellers.region[i] = region;
          sellers.category[i] = category;
          // Drawn here, decided once the size class is known (the share of rule-breakers is by size class).
          const double rule_breaker_draw = stream.uniform();
          presence_draw[0][i] = stream.uniform();  // decided once every size is known (assign_channels)
          presence_draw[1][i] = stream.uniform();
          const double annual_usd = annual_sales(stream);
          sellers.size_class[i] = size_class_of(annual_usd);
          const double rule_breaker_share =
              spec.rule_breaker_share * spec.rule_breaker_share_factor[sellers.size_class[i]];
          sellers.rule_breaker[i] = rule_breaker_draw < rule_breaker_share ? 1 : 0;
          // A business starts out expecting the background risk of its kind (it knows whether it breaks rules).
          sellers.perceived_risk[i] = static_cast<float>(sellers.rule_breaker[i] ? background_risk[1] : background_risk[0]);
          const double extra_accounts = std::floor(spec.accounts_per_million_usd * annual_usd / 1e6);
          sellers.accounts[i] = static_cast<std::uint16_t>(std::min<double>(spec.max_accounts, 1.0 + extra_accounts));

          // Financial heterogeneity, drawn after everything above so that those draws do not change:
          // margin normal (clamped), fixed-cost share and cash buffer lognormal with the scenario's means.
          const double margin = std::clamp(spec.gross_margin + spec.gross_margin_sd * standard_normal(stream), 0.02, 0.95);
          const double fixed_share = spec.fixed_cost_share * lognormal_with_mean_one(spec.fixed_cost_sigma, stream);
          const double cash_weeks = spec.cash_buffer_weeks * lognormal_with_mean_one(spec.cash_buffer_sigma, stream);
          sellers.gross_margin[i] = static_cast<float>(margin);

          const Cents weekly_sales = usd_to_cents(annual_usd / 52.0);
          sellers.expected_weekly_sales_cents[i] = weekly_sales;
          sellers.weekly_fixed_cost_cents[i] = round_cents(static_cast<double>(weekly_sales) * fixed_share);
          const double weekly_costs = static_cast<double>(weekly_sales) * ((1.0 - margin) + fixed_share);
          sellers.credit_line_cents[i] = round_cents(weekly_costs * spec.credit_line_weeks);
          // Opening cash comes from the owners, i.e. from outside the model's sellers; the opening stock
          // is goods, not money.
          const Cents cash = round_cents(weekly_costs * cash_weeks);
          sellers.cash_cents[i] = cash;
          cash_total += cash;
          sellers.suspension_level[i] = draw_suspension_threshold(world.seed, world.replication, i, kSetupWeek);
          sellers.counterfactual_level[i] = sellers.suspension_level[i];
        }
        return cash_total;
      },
      std::plus<Cents>(), whole);
  world.ledger.outside_cents -= opening_cash;
  assign_channels(spec, sellers, presence_draw);
  for (std::size_t i = 0; i < count; ++i)  // stock in the platform's warehouses serves the marketplace sales
    sellers.inventory_cents[i] = round_cents(sellers.marketplace_weight(i) * (1.0 - sellers.gross_margin[i]) * spec.inventory_weeks);
}

void set_up_market(World& world) {
  const std::size_t categories = static_cast<std::size_t>(world.categories);
  world.market.alias.assign(kSellerChannelCount * categories, AliasTable{});
  world.market.member_left.assign(kSellerChannelCount * categories, 0);
  world.market.member_joined.assign(kSellerChannelCount * categories, 0);
  world.market.rebuild_now.assign(kSellerChannelCount * categories, 1);
  world.market.built_week.assign(kSellerChannelCount * categories, kNoWeek);
  const SellerTable& sellers = world.sellers;
  world.market.businesses = static_cast<std::int64_t>(sellers.size());
  for (std::size_t i = 0; i < sellers.size(); ++i) {
    world.market.present[index(Channel::Dominant)] += 1;
    world.market.present[index(Channel::Alternative)] += sellers.on_alternative[i];
    world.market.present[index(Channel::OwnStore)] += sellers.on_own_store[i];
  }
  world.market.region_suspension_rate.assign(world.region_names.size(), 0.0);
  // Purchases are spread over categories by the categories' shares of expected sales, so that demand
  // and supply match in every category at the start.
  std::vector<std::uint32_t> items(categories);
  std::vector<double> weights(categories, 0.0);
  for (std::size_t c = 0; c < categories; ++c) {
    items[c] = static_cast<std::uint32_t>(c);
    for (std::size_t i = world.category_begin[c]; i < world.category_begin[c + 1]; ++i)
      weights[c] += world.sellers.marketplace_weight(i);
  }
  world.market.category_of_purchase.build(items, weights);
}

// Buyers are agents with no order of their own: they are numbered by the seller they follow (ties in the
// order they were drawn), so that the weekly look-up of where each followed seller can be bought walks the
// seller table forwards instead of jumping about it (docs/PERFORMANCE.md). A counting sort, stable.
void order_buyers_by_followed_seller(BuyerTable& buyers, std::size_t sellers) {
  const std::size_t count = buyers.size();
  std::vector<std::uint32_t> start(sellers + 1, 0);
  for (std::uint32_t followed : buyers.followed_seller) ++start[followed + 1];
  for (std::size_t i = 0; i < sellers; ++i) start[i + 1] += start[i];
  std::vector<std::uint32_t> position(count);
  for (std::size_t b = 0; b < count; ++b) position[b] = start[buyers.followed_seller[b]]++;
  const auto permute = [&](auto& column) {
    std::remove_reference_t<decltype(column)> ordered(column.size());
    for (std::size_t b = 0; b < count; ++b) ordered[position[b]] = column[b];
    column.swap(ordered);
  };
  // Columns set so far; the others still hold their initial values, the same for every buyer.
  permute(buyers.weekly_spend_cents);
  permute(buyers.loyalty_member);
  permute(buyers.followed_seller);
}

void set_up_buyers(const Scenario& scenario, World& world, double seller_channel_share) {
  const BuyerSpec& spec = scenario.buyers;
  BuyerTable& buyers = world.buyers;
  const std::size_t count = static_cast<std::size_t>(spec.count);
  buyers.resize(count);
  std::fill(buyers.last_channel.begin(), buyers.last_channel.end(), std::uint8_t{0xff});  // no habit yet

  // Whom each buyer follows: a seller drawn by size, as buyers meet large sellers more often.
  AliasTable by_size;
  {
    std::vector<std::uint32_t> items(world.sellers.size());
    std::vector<double> weights(world.sellers.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      items[i] = static_cast<std::uint32_t>(i);
      weights[i] = static_cast<double>(world.sellers.expected_weekly_sales_cents[i]);
    }
    by_size.build(items, weights);
  }
  // All buyers together spend what the sellers' sizes imply: their marketplace sales grossed up for what
  // goes to the platform's own stores, plus their direct sales, which are carved out of every buyer's
  // spend (Market::marketplace_spend_factor). A buyer's share is lognormal with mean one.
  double marketplace_sales = 0, direct_sales = 0;
  for (std::size_t i = 0; i < world.sellers.size(); ++i) {
    marketplace_sales += world.sellers.marketplace_weight(i);
    direct_sales += static_cast<double>(world.sellers.expected_weekly_sales_cents[i]) - world.sellers.marketplace_weight(i);
  }
  const double total_spend = marketplace_sales / seller_channel_share + direct_sales;
  const double mean_spend = total_spend / static_cast<double>(count);
  const double sigma = spec.spend_sigma;
  WholeLoop whole;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, kBlock), [&](const tbb::blocked_range<std::size_t>& block) {
    boost::random::lognormal_distribution<double> spend(-0.5 * sigma * sigma, sigma);
    for (std::size_t b = block.begin(); b < block.end(); ++b) {
      RandomStream stream(world.seed, static_cast<std::uint64_t>(world.replication), b, kSetupWeek, Purpose::BuyerSetup);
      buyers.weekly_spend_cents[b] = round_cents(mean_spend * spend(stream));
      buyers.loyalty_member[b] = stream.uniform() < spec.loyalty_member_share ? 1 : 0;
      buyers.followed_seller[b] = by_size.empty() ? 0 : by_size.sample(stream());
    }
  }, whole);
  order_buyers_by_followed_seller(buyers, world.sellers.size());
  Cents spend_total = 0;
  for (Cents spend : buyers.weekly_spend_cents) spend_total += spend;
  world.market.buyers_spend_cents = spend_total;
  world.market.direct_sales_cents = round_cents(direct_sales);
  world.market.marketplace_spend_factor = marketplace_spend_factor(world, world.market.direct_sales_cents);
}

}  // namespace

World make_world(const Scenario& scenario, std::int64_t replication) {
  World world;
  world.seed = scenario.seed;
  world.replication = replication;
  for (const RegionShare& r : scenario.sellers.region_shares) world.region_names.push_back(r.region);
  world.legal.collectives.assign(world.region_names.size(), Collective{});
  // No hazard yet: a seller's suspension level is its threshold (process 4).
  const std::size_t slots = world.region_names.size() * kSizeClassCount * 2;
  world.cumulative_business_hazard.assign(slots, 0.0);
  world.cumulative_account_hazard.assign(slots, 0.0);
  world.cumulative_kept_account_hazard.assign(slots, 0.0);
  set_up_sellers(scenario, world);
  set_up_market(world);
  Demand(world).refresh_market(world, 0);
  set_up_buyers(scenario, world, expected_seller_channel_share(scenario, world));
  return world;
}

}  // namespace sellershock
