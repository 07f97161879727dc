#include "scenario/parameters.hpp"

#include <charconv>
#include <limits>
#include <regex>
#include <stdexcept>
#include <type_traits>

#include "scenario/error.hpp"
#include "scenario/suggest.hpp"

namespace sellershock {

namespace {

// The field a parameter reads and writes, as a function pointer (the table stays plain data).
#define SCENARIO_FIELD(member) +[](Scenario& s) -> FieldRef { return &s.member; }
#define WAVE_FIELD(member) +[](Scenario& s, std::size_t i) -> FieldRef { return &s.enforcement.waves[i].member; }
#define EVENT_FIELD(member) +[](Scenario& s, std::size_t i) -> FieldRef { return &s.platform.events[i].member; }

constexpr double int32_max = std::numeric_limits<std::int32_t>::max();
const NumericRange unit_interval{0.0, 1.0};

Parameter top(std::string key, ParameterKind kind, std::string unit, NumericRange range,
              FieldRef (*field)(Scenario&), std::string description, std::string source) {
  Parameter parameter;
  parameter.key = std::move(key);
  parameter.kind = kind;
  parameter.unit = std::move(unit);
  parameter.range = range;
  parameter.scenario_field = field;
  parameter.description = std::move(description);
  parameter.source = std::move(source);
  return parameter;
}

// A member of the elements of the map_list `list` ("enforcement.waves" -> "enforcement.waves[].key").
Parameter element(const std::string& list, const std::string& key, ParameterKind kind, std::string unit,
                  NumericRange range, FieldRef (*field)(Scenario&, std::size_t), std::string description,
                  std::string source) {
  Parameter parameter =
      top(list + "[]." + key, kind, std::move(unit), range, nullptr, std::move(description), std::move(source));
  parameter.element_field = field;
  return parameter;
}

Parameter wave(const std::string& key, ParameterKind kind, std::string unit, NumericRange range,
               FieldRef (*field)(Scenario&, std::size_t), std::string description, std::string source) {
  return element("enforcement.waves", key, kind, std::move(unit), range, field, std::move(description),
                 std::move(source));
}

Parameter platform_event(const std::string& key, ParameterKind kind, std::string unit, NumericRange range,
                         FieldRef (*field)(Scenario&, std::size_t), std::string description, std::string source) {
  return element("platform.events", key, kind, std::move(unit), range, field, std::move(description),
                 std::move(source));
}

std::vector<Parameter> build_table() {
  using K = ParameterKind;
  const NumericRange none{};
  std::vector<Parameter> table;

  // Run settings.
  Parameter name = top("name", K::text, "", none, SCENARIO_FIELD(name),
                       "Name of the scenario, recorded in the output.", "run setting");
  name.default_note = "the scenario file's name without its extension";
  table.push_back(name);
  table.push_back(top("start_date", K::date, "date", none, SCENARIO_FIELD(start_date),
                      "Calendar date of the first simulated week (a Monday by convention).",
                      "assumption: the first Monday of 2021, before the May 2021 wave (FACTS.md)"));
  table.push_back(top("weeks", K::integer, "weeks", {1, 5200}, SCENARIO_FIELD(weeks),
                      "Number of simulated weeks.", "run setting"));
  table.push_back(top("replications", K::integer, "replications", {1, 1'000'000}, SCENARIO_FIELD(replications),
                      "Independent runs of the world; results are reported over them with quantiles.",
                      "run setting"));
  table.push_back(top("seed", K::seed, "", none, SCENARIO_FIELD(seed),
                      "Key of the counter-based random generator; the same seed gives bit-identical results.",
                      "run setting"));

  // Sellers.
  table.push_back(top("sellers.count", K::integer, "businesses", {1, int32_max}, SCENARIO_FIELD(sellers.count),
                      "Number of seller businesses simulated.",
                      "assumption (scaled down; FACTS.md: about 1 million active sellers, 2021)"));
  table.push_back(top("sellers.region_shares", K::share_map, "share", unit_interval,
                      SCENARIO_FIELD(sellers.region_shares),
                      "Share of businesses by home region (map region -> share, summing to 1); the order "
                      "given is the order of the region axis in the output. Replaced as a whole by a file "
                      "that extends another.",
                      "FACTS.md: 49% of the top 10,000 sellers Chinese, 47% US (Jan 2020); about 32% of "
                      "Chinese sellers in Shenzhen; Guangzhou, Dongguan, Pakistan: assumption"));
  Parameter dist = top("sellers.annual_sales_usd.dist", K::choice, "", none, nullptr,
                       "Distribution family of a business's annual sales.", "assumption");
  dist.choices = {"lognormal"};
  table.push_back(dist);
  table.push_back(top("sellers.annual_sales_usd.median", K::real, "USD per year", {0, 1e12, true, false},
                      SCENARIO_FIELD(sellers.annual_sales_usd.median),
                      "Median annual sales of a business.",
                      "assumption, to calibrate against FACTS.md concentration (top 1,000 US sellers make "
                      "25% of GMV, top 10,000 make 57%)"));
  table.push_back(top("sellers.annual_sales_usd.sigma", K::real, "log USD", {0, 10},
                      SCENARIO_FIELD(sellers.annual_sales_usd.sigma),
                      "Standard deviation of the logarithm of annual sales (heavy tail of large sellers).",
                      "assumption, to calibrate against FACTS.md concentration"));
  table.push_back(top("sellers.categories", K::integer, "categories", {1, 10000}, SCENARIO_FIELD(sellers.categories),
                      "Product categories. Sellers sell in one; each purchase is for one, drawn by the "
                      "categories' shares of sales.", "assumption"));
  table.push_back(top("sellers.accounts_per_million_usd", K::real, "accounts per USD million", {0, 1000},
                      SCENARIO_FIELD(sellers.accounts_per_million_usd),
                      "Linked accounts a business runs beyond its first, per million dollars of annual sales "
                      "(linked accounts are suspended together).",
                      "assumption, from FACTS.md: 1,000+ enterprises with 50,000+ accounts closed in 2021; "
                      "Tomtop 54 stores, Youkeshu about 340 sites"));
  table.push_back(top("sellers.max_accounts", K::integer, "accounts", {1, 65535}, SCENARIO_FIELD(sellers.max_accounts),
                      "Most accounts one business runs.", "assumption (FACTS.md: Youkeshu about 340 sites)"));
  table.push_back(top("sellers.inventory_weeks", K::real, "weeks", {0, 520}, SCENARIO_FIELD(sellers.inventory_weeks),
                      "Stock a business keeps in the dominant platform's warehouses, in weeks of the cost of its "
                      "expected sales (all channels); frozen with the account, written off if its funds are "
                      "forfeited.",
                      "assumption"));
  table.push_back(top("sellers.alternative_share", K::real, "share", unit_interval,
                      SCENARIO_FIELD(sellers.alternative_share),
                      "Share of businesses that also sell on the alternative marketplace at the start.",
                      "assumption (FACTS.md: about 150,000 sellers on the alternative marketplace in 2022 "
                      "against about 1 million active on the dominant one)"));
  table.push_back(top("sellers.own_store_share", K::real, "share", unit_interval, SCENARIO_FIELD(sellers.own_store_share),
                      "Share of businesses that also run their own web store at the start.",
                      "assumption (FACTS.md: Shopify served 1.7 million businesses in 2020)"));
  table.push_back(top("sellers.off_platform_sales_share", K::real, "share of expected sales", {0, 1, false, true},
                      SCENARIO_FIELD(sellers.off_platform_sales_share),
                      "Share of a store owner's expected sales made directly in its own web store, to its own "
                      "customers, off the marketplaces (the rest is its weight in marketplace purchases); a "
                      "store opened later reaches it after diversification.ramp_weeks. With "
                      "sellers.own_store_share, the lever that fixes the initial diversification.",
                      "assumption (FACTS.md: Shopify GMV $175.4B in 2021 against $390B of third-party sales "
                      "on the dominant marketplace)"));
  table.push_back(top("sellers.scale", K::integer, "businesses", {1, 1'000'000}, SCENARIO_FIELD(sellers.scale),
                      "Real businesses (and real buyer agents) each simulated one stands for; every count and "
                      "amount in the output is multiplied by it.",
                      "run setting"));
  table.push_back(top("sellers.rule_breaker_share", K::real, "share", unit_interval,
                      SCENARIO_FIELD(sellers.rule_breaker_share),
                      "Share of businesses that break platform rules (review manipulation, fake tracking).",
                      "assumption"));
  // One factor per size class (kSizeClassNames), each its own key: sellers.rule_breaker_share_factor.1M-10M.
  table.push_back(top("sellers.rule_breaker_share_factor.under-100k", K::real, "factor", {0, 10},
                      SCENARIO_FIELD(sellers.rule_breaker_share_factor[0]),
                      "Multiplies sellers.rule_breaker_share for businesses with annual sales under $100k: the "
                      "share of them that break platform rules (sellers.rule_breaker_share x this factor must be "
                      "at most 1).",
                      "assumption (1: the same share in every size class)"));
  table.push_back(top("sellers.rule_breaker_share_factor.100k-1M", K::real, "factor", {0, 10},
                      SCENARIO_FIELD(sellers.rule_breaker_share_factor[1]),
                      "Multiplies sellers.rule_breaker_share for businesses with annual sales of $100k-$1M.",
                      "assumption (1: the same share in every size class)"));
  table.push_back(top("sellers.rule_breaker_share_factor.1M-10M", K::real, "factor", {0, 10},
                      SCENARIO_FIELD(sellers.rule_breaker_share_factor[2]),
                      "Multiplies sellers.rule_breaker_share for businesses with annual sales of $1M-$10M.",
                      "assumption (1: the same share in every size class); calibrated in china-2021.yaml to the "
                      "platform's count of accounts and brands banned permanently (FACTS.md)"));
  table.push_back(top("sellers.rule_breaker_share_factor.over-10M", K::real, "factor", {0, 10},
                      SCENARIO_FIELD(sellers.rule_breaker_share_factor[3]),
                      "Multiplies sellers.rule_breaker_share for businesses with annual sales over $10M.",
                      "assumption (1: the same share in every size class); calibrated in china-2021.yaml to the "
                      "platform's count of accounts and brands banned permanently (FACTS.md)"));
  table.push_back(top("sellers.gross_margin", K::real, "share of revenue", unit_interval,
                      SCENARIO_FIELD(sellers.gross_margin), "(Revenue - cost of goods) / revenue.",
                      "assumption"));
  table.push_back(top("sellers.fixed_cost_share", K::real, "share of revenue", unit_interval,
                      SCENARIO_FIELD(sellers.fixed_cost_share),
                      "Fixed costs as a share of expected revenue.", "assumption"));
  table.push_back(top("sellers.cash_buffer_weeks", K::real, "weeks", {0, 520}, SCENARIO_FIELD(sellers.cash_buffer_weeks),
                      "Opening cash, in weeks of expected costs.", "assumption"));
  table.push_back(top("sellers.credit_line_weeks", K::real, "weeks", {0, 520}, SCENARIO_FIELD(sellers.credit_line_weeks),
                      "Credit line, in weeks of expected costs.", "assumption"));
  table.push_back(top("sellers.insolvency_weeks", K::integer, "weeks", {1, 520}, SCENARIO_FIELD(sellers.insolvency_weeks),
                      "Weeks a business may stay beyond its credit line before it exits.", "assumption"));
  table.push_back(top("sellers.gross_margin_sd", K::real, "share of revenue", {0, 0.5},
                      SCENARIO_FIELD(sellers.gross_margin_sd),
                      "Standard deviation across businesses of the gross margin: each business draws its own, "
                      "normal with mean sellers.gross_margin, clamped to [0.02, 0.95].",
                      "assumption"));
  table.push_back(top("sellers.fixed_cost_sigma", K::real, "log of share of revenue", {0, 3},
                      SCENARIO_FIELD(sellers.fixed_cost_sigma),
                      "Standard deviation of the logarithm of the fixed-cost share across businesses: each draws "
                      "its own, lognormal with mean sellers.fixed_cost_share.",
                      "assumption"));
  table.push_back(top("sellers.cash_buffer_sigma", K::real, "log of weeks", {0, 3},
                      SCENARIO_FIELD(sellers.cash_buffer_sigma),
                      "Standard deviation of the logarithm of opening cash (in weeks of expected costs) across "
                      "businesses: each draws its own, lognormal with mean sellers.cash_buffer_weeks. Without it "
                      "businesses that sell little all run out of cash in the same week.",
                      "assumption"));
  table.push_back(top("sellers.credit_kept_while_frozen", K::real, "share", unit_interval,
                      SCENARIO_FIELD(sellers.credit_kept_while_frozen),
                      "Share of its credit line a business keeps while the platform holds frozen funds of it "
                      "(lenders withdraw the rest: the receivables that secured it are frozen).",
                      "assumption"));

  // Buyers.
  table.push_back(top("buyers.count", K::integer, "agents", {1, int32_max}, SCENARIO_FIELD(buyers.count),
                      "Buyer agents; each stands for many real buyers, and all of them together spend what "
                      "the sellers' sizes imply.", "assumption"));
  table.push_back(top("buyers.purchases_per_week", K::integer, "purchases", {1, 64},
                      SCENARIO_FIELD(buyers.purchases_per_week),
                      "Purchases a buyer agent splits its weekly spend into, each in one category from one seller.",
                      "assumption"));
  table.push_back(top("buyers.spend_sigma", K::real, "log of weekly spend", {0, 5}, SCENARIO_FIELD(buyers.spend_sigma),
                      "Standard deviation of the logarithm of weekly spend across buyer agents.", "assumption"));
  table.push_back(top("buyers.loyalty_member_share", K::real, "share", unit_interval,
                      SCENARIO_FIELD(buyers.loyalty_member_share),
                      "Share of buyers in the dominant platform's loyalty programme.",
                      "assumption (FACTS.md: over 200 million Prime members, Apr 2021)"));
  table.push_back(top("buyers.follow_probability", K::real, "probability", unit_interval,
                      SCENARIO_FIELD(buyers.follow_probability),
                      "Probability that a purchase goes to the buyer's followed seller when that seller sells "
                      "in the chosen channel (brand loyalty).", "assumption"));
  table.push_back(top("buyers.follow_across_channels_probability", K::real, "probability", unit_interval,
                      SCENARIO_FIELD(buyers.follow_across_channels_probability),
                      "Probability that such a purchase, when the followed seller cannot sell in the chosen "
                      "channel (suspended), follows it to its own web store or else the alternative marketplace.",
                      "assumption"));
  table.push_back(top("buyers.price_coefficient", K::real, "utility per price index", {-100, 100},
                      SCENARIO_FIELD(buyers.price_coefficient), "Logit utility of a channel per unit of its price index.",
                      "assumption"));
  table.push_back(top("buyers.delivery_coefficient_per_day", K::real, "utility per day", {-100, 100},
                      SCENARIO_FIELD(buyers.delivery_coefficient_per_day),
                      "Logit utility of a channel per day of delivery time.", "assumption"));
  table.push_back(top("buyers.assortment_coefficient", K::real, "utility per log share", {-100, 100},
                      SCENARIO_FIELD(buyers.assortment_coefficient),
                      "Logit utility per unit of the logarithm of the share of sellers present in the channel "
                      "(network effect: sellers joining a marketplace attract buyers).", "assumption"));
  table.push_back(top("buyers.habit_coefficient", K::real, "utility", {-100, 100}, SCENARIO_FIELD(buyers.habit_coefficient),
                      "Logit utility of the channel the buyer used last week.", "assumption"));
  table.push_back(top("buyers.membership_coefficient", K::real, "utility", {-100, 100},
                      SCENARIO_FIELD(buyers.membership_coefficient),
                      "Logit utility of the dominant platform's channels (marketplace and stores) for "
                      "loyalty-programme members.", "assumption"));
  table.push_back(top("buyers.trust_coefficient", K::real, "utility per unit of trust", {-100, 100},
                      SCENARIO_FIELD(buyers.trust_coefficient),
                      "Logit utility per unit of the buyer's trust (0 to 1) in a marketplace.", "assumption"));
  table.push_back(top("buyers.bad_purchase_probability", K::real, "probability", unit_interval,
                      SCENARIO_FIELD(buyers.bad_purchase_probability),
                      "Probability that a purchase from a rule-breaking seller goes wrong (fake reviews, fake "
                      "tracking), lowering the buyer's trust in that marketplace.",
                      "assumption (FACTS.md: fake tracking numbers reported in Pakistan, 2022)"));
  table.push_back(top("buyers.trust_loss_per_bad_purchase", K::real, "trust", unit_interval,
                      SCENARIO_FIELD(buyers.trust_loss_per_bad_purchase),
                      "Share of a buyer's trust in a marketplace lost in a week with a bad purchase there.",
                      "assumption"));
  table.push_back(top("buyers.trust_recovery_per_week", K::real, "share per week", unit_interval,
                      SCENARIO_FIELD(buyers.trust_recovery_per_week),
                      "Share of the gap to full trust a buyer recovers each week.", "assumption"));

  // Channels.
  // The logit's view of each channel, the same three parameters for each.
  const auto appeal_rows = [&](const std::string& channel, FieldRef (*preference)(Scenario&),
                               FieldRef (*price)(Scenario&), FieldRef (*delivery)(Scenario&), const std::string& what,
                               const std::string& delivery_source) {
    table.push_back(top("channels." + channel + ".preference", K::real, "utility", {-100, 100}, preference,
                        "Alternative-specific constant of " + what + " in the buyers' logit.",
                        "assumption, calibrated to the channels' starting shares"));
    table.push_back(top("channels." + channel + ".price_index", K::real, "index", {0, 100, true, false}, price,
                        "Price level of " + what + " relative to the dominant marketplace (1).", "assumption"));
    table.push_back(top("channels." + channel + ".delivery_days", K::real, "days", {0, 365}, delivery,
                        "Typical delivery time of " + what + ".", delivery_source));
  };
  const auto marketplace_rows = [&](const std::string& channel, FieldRef (*fee)(Scenario&),
                                    FieldRef (*payout)(Scenario&), FieldRef (*reserve)(Scenario&),
                                    const std::string& what, const std::string& fee_source,
                                    const std::string& payout_source, const std::string& reserve_source) {
    table.push_back(top("channels." + channel + ".referral_fee", K::real, "share of revenue", unit_interval, fee,
                        "Referral fee " + what + " takes from each sale.", fee_source));
    table.push_back(top("channels." + channel + ".payout_cycle_days", K::integer, "days", {1, 365}, payout,
                        "The balance " + what + " holds for a seller is paid out every this many days.",
                        payout_source));
    table.push_back(top("channels." + channel + ".reserve_days", K::integer, "days", {0, 365}, reserve,
                        "Sales of the last this many days are held back at each payout.", reserve_source));
  };
  appeal_rows("dominant", SCENARIO_FIELD(channels.dominant.appeal.preference),
              SCENARIO_FIELD(channels.dominant.appeal.price_index), SCENARIO_FIELD(channels.dominant.appeal.delivery_days),
              "the dominant marketplace", "assumption (one- and two-day delivery for members)");
  marketplace_rows("dominant", SCENARIO_FIELD(channels.dominant.referral_fee),
                   SCENARIO_FIELD(channels.dominant.payout_cycle_days), SCENARIO_FIELD(channels.dominant.reserve_days),
                   "the dominant marketplace", "FACTS.md: referral fees 8-15% by category (V)",
                   "FACTS.md: payouts every 14 days (V)", "FACTS.md: reserve until 7 days after delivery, DD+7 (V)");
  appeal_rows("alternative", SCENARIO_FIELD(channels.alternative.appeal.preference),
              SCENARIO_FIELD(channels.alternative.appeal.price_index),
              SCENARIO_FIELD(channels.alternative.appeal.delivery_days), "the alternative marketplace", "assumption");
  marketplace_rows("alternative", SCENARIO_FIELD(channels.alternative.referral_fee),
                   SCENARIO_FIELD(channels.alternative.payout_cycle_days),
                   SCENARIO_FIELD(channels.alternative.reserve_days), "the alternative marketplace",
                   "assumption (similar to the dominant marketplace's 8-15%)", "assumption", "assumption");
  appeal_rows("own_store", SCENARIO_FIELD(channels.own_store.appeal.preference),
              SCENARIO_FIELD(channels.own_store.appeal.price_index),
              SCENARIO_FIELD(channels.own_store.appeal.delivery_days), "sellers' own web stores", "assumption");
  table.push_back(top("channels.own_store.payment_fee", K::real, "share of revenue", unit_interval,
                      SCENARIO_FIELD(channels.own_store.payment_fee),
                      "Payment processor fee on sales in a seller's own web store.", "assumption"));
  table.push_back(top("channels.own_store.acquisition_cost_share", K::real, "share of revenue", unit_interval,
                      SCENARIO_FIELD(channels.own_store.acquisition_cost_share),
                      "Paid customer acquisition (advertising) a web store spends, as a share of its sales.",
                      "assumption"));
  appeal_rows("physical_store", SCENARIO_FIELD(channels.physical_store.appeal.preference),
              SCENARIO_FIELD(channels.physical_store.appeal.price_index),
              SCENARIO_FIELD(channels.physical_store.appeal.delivery_days),
              "the dominant platform's physical stores (first-party sales)", "assumption: taken home at once");

  table.push_back(top("channels.dominant.seller_delivery_days", K::integer, "days", {0, 365},
                      SCENARIO_FIELD(channels.dominant_seller_delivery_days),
                      "Days from a sale to its delivery that the dominant marketplace's reserve waits for: at each "
                      "payout it holds back the sales of the last seller_delivery_days + reserve_days (the reserve "
                      "runs to reserve_days after delivery). Cross-border sellers shipping themselves wait weeks.",
                      "FACTS.md: reserve until 7 days after delivery, DD+7 (V); delivery days to weeks (the Pakistan "
                      "sellers promised 19-20 days); the value is an assumption"));

  // Platform investment: dated openings of fulfilment centres and stores (process 1).
  table.push_back(top("platform.delivery_days_saved_per_fulfilment_centre", K::real, "days per centre", {0, 365},
                      SCENARIO_FIELD(platform.delivery_days_saved_per_fulfilment_centre),
                      "Days the dominant marketplace's delivery time (channels.dominant.delivery_days) falls per "
                      "fulfilment centre in use (never below 0 days).",
                      "assumption (FACTS.md: 25 failing malls converted to fulfilment centres 2016-2019, V)"));
  table.push_back(top("platform.store_preference_per_store", K::real, "utility per store", {0, 100},
                      SCENARIO_FIELD(platform.store_preference_per_store),
                      "Rise of the physical stores' constant in the buyers' logit "
                      "(channels.physical_store.preference) per store in use.",
                      "assumption (FACTS.md: physical stores' sales +17% year on year in Q1 2022, V)"));
  table.push_back(top("platform.events", K::map_list, "", none, SCENARIO_FIELD(platform.events),
                      "Dated openings of fulfilment centres or physical stores by the dominant platform, each a "
                      "map of the platform.events[] parameters below; none: the channels keep their parameters.",
                      "FACTS.md: 25 malls converted to fulfilment centres 2016-2019, a few more approved "
                      "2020-21 (V)"));
  Parameter event_name = platform_event("name", K::text, "", none, EVENT_FIELD(name),
                                        "Name of the event, unique among platform.events.", "scenario");
  event_name.required = true;
  table.push_back(event_name);
  Parameter kind = platform_event("kind", K::choice, "", none, EVENT_FIELD(kind),
                                  "What opens: fulfilment centres (shorter delivery on the dominant marketplace) "
                                  "or physical stores (a stronger pull of the physical-store channel).",
                                  "model structure");
  kind.choices = {kFulfilmentCentres, kStores};
  kind.required = true;
  table.push_back(kind);
  Parameter event_start = platform_event("start", K::date, "date", none, EVENT_FIELD(start),
                                         "Day the first of them opens; may precede start_date.", "scenario");
  event_start.required = true;
  table.push_back(event_start);
  Parameter count = platform_event("count", K::integer, "centres or stores", {0, 100000}, EVENT_FIELD(count),
                                   "Fulfilment centres or stores opened.", "scenario");
  count.required = true;
  table.push_back(count);
  table.push_back(platform_event("ramp_weeks", K::integer, "weeks", {0, 520}, EVENT_FIELD(ramp_weeks),
                                 "They come into use linearly over this many weeks from start (a week counts those "
                                 "open by its last day); 0: all on the start day.",
                                 "assumption"));

  // Enforcement.
  table.push_back(top("enforcement.background_hazard_honest_per_week", K::real, "probability per week",
                      unit_interval, SCENARIO_FIELD(enforcement.background_hazard_honest_per_week),
                      "Weekly probability that an honest business is suspended outside any wave.", "assumption"));
  table.push_back(top("enforcement.background_hazard_rule_breaker_per_week", K::real, "probability per week",
                      unit_interval, SCENARIO_FIELD(enforcement.background_hazard_rule_breaker_per_week),
                      "Weekly probability that a rule-breaking business is suspended outside any wave.",
                      "assumption"));
  table.push_back(top("enforcement.waves", K::map_list, "", none, SCENARIO_FIELD(enforcement.waves),
                      "Scheduled mass suspensions on the dominant marketplace, each a map of the "
                      "enforcement.waves[] parameters below.",
                      "FACTS.md: over 50,000 Chinese accounts closed from May 2021 (V); about 13,000 "
                      "Pakistani accounts banned in August 2022 (V)"));
  Parameter wave_name = wave("name", K::text, "", none, WAVE_FIELD(name),
                             "Name of the wave, unique; counterfactual.remove refers to it.", "scenario");
  wave_name.required = true;
  table.push_back(wave_name);
  Parameter channel = wave("channel", K::choice, "", none, nullptr,
                           "Marketplace that runs the wave (only the dominant one enforces in waves).",
                           "model structure");
  channel.choices = {"dominant"};
  table.push_back(channel);
  Parameter start = wave("start", K::date, "date", none, WAVE_FIELD(start), "First day of the wave.", "scenario");
  start.required = true;
  table.push_back(start);
  Parameter end = wave("end", K::date, "date", none, WAVE_FIELD(end),
                       "Last day of the wave (inclusive); not before start.", "scenario");
  end.required = true;
  table.push_back(end);
  table.push_back(wave("target.regions", K::text_list, "", none, WAVE_FIELD(target_regions),
                       "Home regions the wave targets, each one of sellers.region_shares; empty: every region.",
                       "scenario"));
  table.push_back(wave("target.size_classes", K::text_list, "", none, WAVE_FIELD(target_size_classes),
                       "Size classes the wave targets (under-100k, 100k-1M, 1M-10M, over-10M: annual sales in "
                       "USD); empty: every size.",
                       "scenario"));
  table.push_back(wave("recall", K::real, "share", unit_interval, WAVE_FIELD(recall),
                       "Share of the targeted rule-breakers' accounts caught over the wave; a business falls "
                       "with the first of its linked accounts caught.", "assumption"));
  table.push_back(wave("false_positive_rate", K::real, "share", unit_interval, WAVE_FIELD(false_positive_rate),
                       "Share of the targeted honest businesses' accounts caught over the wave (wrongly); a "
                       "business falls with the first of its linked accounts caught.", "assumption"));
  table.push_back(top("enforcement.hold_days", K::integer, "days", {0, 3650}, SCENARIO_FIELD(enforcement.hold_days),
                      "Funds of a suspended account are held this long, then released or forfeited.",
                      "FACTS.md: funds held about 90 days after deactivation, 60 days from late 2024 (V)"));
  table.push_back(top("enforcement.appeal_weeks", K::integer, "weeks", {0, 520}, SCENARIO_FIELD(enforcement.appeal_weeks),
                      "An appeal is decided this many weeks after the suspension.",
                      "FACTS.md: 17 days to appeal (2020 notices)"));
  table.push_back(top("enforcement.appeal_success_probability_honest", K::real, "probability", unit_interval,
                      SCENARIO_FIELD(enforcement.appeal_success_probability_honest),
                      "Probability that an honest business's appeal reinstates it.",
                      "assumption (FACTS.md: no official success rate)"));
  table.push_back(top("enforcement.appeal_success_probability_rule_breaker", K::real, "probability", unit_interval,
                      SCENARIO_FIELD(enforcement.appeal_success_probability_rule_breaker),
                      "Probability that a rule-breaking business's appeal reinstates it.",
                      "assumption (FACTS.md: no official success rate)"));
  table.push_back(top("enforcement.forfeit_probability_honest", K::real, "probability", unit_interval,
                      SCENARIO_FIELD(enforcement.forfeit_probability_honest),
                      "Probability that an honest business whose appeal failed loses its held funds at the "
                      "end of the hold.",
                      "assumption (FACTS.md: funds can be withheld permanently for fraud or counterfeits)"));
  table.push_back(top("enforcement.forfeit_probability_rule_breaker", K::real, "probability", unit_interval,
                      SCENARIO_FIELD(enforcement.forfeit_probability_rule_breaker),
                      "Probability that a rule-breaking business whose appeal failed loses its held funds at "
                      "the end of the hold.",
                      "assumption (FACTS.md: funds can be withheld permanently for fraud or counterfeits)"));
  table.push_back(top("enforcement.later_hold_from", K::date, "date", none, SCENARIO_FIELD(enforcement.later_hold_from),
                      "Businesses suspended on or after this date have their funds held "
                      "enforcement.later_hold_days instead of enforcement.hold_days.",
                      "FACTS.md: funds held about 90 days, 60 days from late 2024 (V)"));
  table.push_back(top("enforcement.later_hold_days", K::integer, "days", {0, 3650},
                      SCENARIO_FIELD(enforcement.later_hold_days),
                      "Hold of frozen funds for businesses suspended from enforcement.later_hold_from on.",
                      "FACTS.md: 60 days from late 2024 (V)"));
  table.push_back(top("enforcement.reinstated_wave_exposure", K::real, "share", unit_interval,
                      SCENARIO_FIELD(enforcement.reinstated_wave_exposure),
                      "Share of a wave's hazard a business reinstated on appeal faces afterwards (0: the platform "
                      "does not suspend again, by a wave, a business it has reinstated; 1: exposed like any "
                      "other). The background hazard applies in full.",
                      "assumption"));

  // Legal remedies.
  table.push_back(top("legal.arbitration_filing_fee_usd", K::real, "USD", {0, 1e9},
                      SCENARIO_FIELD(legal.arbitration_filing_fee_usd),
                      "Filing fee of an individual arbitration, paid when the seller files.",
                      "FACTS.md: AAA expedited procedure about $3,000 for small claims (W)"));
  table.push_back(top("legal.arbitration_counsel_cost_usd", K::real, "USD", {0, 1e12},
                      SCENARIO_FIELD(legal.arbitration_counsel_cost_usd),
                      "Counsel's cost of an individual arbitration, paid when the seller files.",
                      "FACTS.md: a full arbitration \"$60k+\" (W)"));
  table.push_back(top("legal.arbitration_duration_weeks", K::integer, "weeks", {1, 520},
                      SCENARIO_FIELD(legal.arbitration_duration_weeks),
                      "Weeks from filing an individual arbitration to its award.", "assumption"));
  table.push_back(top("legal.win_probability", K::real, "probability", unit_interval,
                      SCENARIO_FIELD(legal.win_probability),
                      "Probability that an arbitration (individual or collective) is won, before any precedent.",
                      "assumption (FACTS.md: 7 seller wins reported by 2023; other awards went the platform's way)"));
  table.push_back(top("legal.award_interest_per_year", K::real, "per year", {0, 10},
                      SCENARIO_FIELD(legal.award_interest_per_year),
                      "Simple interest on the forfeited funds from the freeze date, paid with a won award.",
                      "FACTS.md: awards of frozen funds plus 12% interest from deactivation (V)"));
  table.push_back(top("legal.collective_min_members", K::integer, "sellers", {1, int32_max},
                      SCENARIO_FIELD(legal.collective_min_members),
                      "Sellers of one home region who must sign up before their collective action (mass "
                      "arbitration) is filed.",
                      "assumption (FACTS.md: 2,295 Pakistani sellers filed one mass-arbitration demand)"));
  table.push_back(top("legal.collective_cost_per_member_usd", K::real, "USD", {0, 1e9},
                      SCENARIO_FIELD(legal.collective_cost_per_member_usd),
                      "Each member's share of a collective action's cost, paid when it is filed (or when "
                      "joining one already filed).", "assumption"));
  table.push_back(top("legal.collective_duration_weeks", K::integer, "weeks", {1, 520},
                      SCENARIO_FIELD(legal.collective_duration_weeks),
                      "Weeks from filing a collective action to its award.", "assumption"));
  table.push_back(top("legal.collective_join_probability", K::real, "probability", unit_interval,
                      SCENARIO_FIELD(legal.collective_join_probability),
                      "Probability that a seller with forfeited funds who does not arbitrate alone signs up "
                      "for its region's collective action, before any precedent.", "assumption"));
  table.push_back(top("legal.precedent_effect", K::real, "share per win", unit_interval,
                      SCENARIO_FIELD(legal.precedent_effect),
                      "Share of the remaining gap to certainty that each win (individual or collective) closes "
                      "in later claimants' win probability and willingness to join; 0: no precedent.",
                      "assumption (FACTS.md: a Dongguan seller's 2022 award, frozen funds plus 12%)"));

  // Diversification (process 8).
  table.push_back(top("diversification.review_weeks", K::integer, "weeks", {0, 520},
                      SCENARIO_FIELD(diversification.review_weeks),
                      "A business reviews its channels every this many weeks (staggered across businesses); "
                      "0: never, which keeps the initial diversification fixed (dose-response studies).",
                      "assumption (quarterly)"));
  table.push_back(top("diversification.risk_learning_rate", K::real, "share", unit_interval,
                      SCENARIO_FIELD(diversification.risk_learning_rate),
                      "Weight of the latest week in a business's perceived weekly suspension risk: 1 if it was "
                      "suspended that week, else the share of its home region's businesses suspended.",
                      "assumption"));
  table.push_back(top("diversification.ramp_weeks", K::integer, "weeks", {1, 520},
                      SCENARIO_FIELD(diversification.ramp_weeks),
                      "Weeks a newly added channel takes to reach its full sales (linearly).", "assumption"));
  table.push_back(top("diversification.horizon_weeks", K::integer, "weeks", {1, 5200},
                      SCENARIO_FIELD(diversification.horizon_weeks),
                      "Weeks over which a business spreads a channel's set-up cost when it decides.", "assumption"));
  table.push_back(top("diversification.own_store_setup_cost_usd", K::real, "USD", {0, 1e9},
                      SCENARIO_FIELD(diversification.own_store_setup_cost_usd),
                      "One-off cost of opening an own web store (design, integration, listings).", "assumption"));
  table.push_back(top("diversification.own_store_running_cost_usd_per_week", K::real, "USD per week", {0, 1e9},
                      SCENARIO_FIELD(diversification.own_store_running_cost_usd_per_week),
                      "Running cost of an own web store (platform plan, apps, staff time).", "assumption"));
  table.push_back(top("diversification.alternative_setup_cost_usd", K::real, "USD", {0, 1e9},
                      SCENARIO_FIELD(diversification.alternative_setup_cost_usd),
                      "One-off cost of joining the alternative marketplace (listings, integration).", "assumption"));
  table.push_back(top("diversification.alternative_running_cost_usd_per_week", K::real, "USD per week", {0, 1e9},
                      SCENARIO_FIELD(diversification.alternative_running_cost_usd_per_week),
                      "Running cost of selling on the alternative marketplace (subscription, staff time).",
                      "assumption"));

  // Counterfactual.
  table.push_back(top("counterfactual.remove", K::text_list, "", none, SCENARIO_FIELD(counterfactual.remove),
                      "Events the counterfactual run leaves out, as enforcement.waves.NAME; the attributable "
                      "loss is the scenario minus this counterfactual.",
                      "scenario"));

  // Calibration.
  table.push_back(top("calibration.targets_file", K::text, "path", none, SCENARIO_FIELD(calibration.targets_file),
                      "Table of observed figures (CSV), relative to the scenario file.", "data/calibration_targets.csv"));
  table.push_back(top("calibration.targets", K::text_list, "", none, SCENARIO_FIELD(calibration.targets),
                      "Ids of the rows of the targets file this scenario is compared with after its run.",
                      "scenario"));
  return table;
}

#undef SCENARIO_FIELD
#undef WAVE_FIELD
#undef EVENT_FIELD

std::string format_bound(double value, ParameterKind kind) {
  if (kind == ParameterKind::integer) return std::to_string(static_cast<std::int64_t>(value));
  return exact_number_text(value);
}

// A field's value as compact YAML text, for the reference (to_yaml uses a YAML emitter instead).
std::string format_field(const FieldRef& field) {
  struct Formatter {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(const int* value) const { return std::to_string(*value); }
    std::string operator()(const std::int64_t* value) const { return std::to_string(*value); }
    std::string operator()(const std::uint64_t* value) const { return std::to_string(*value); }
    std::string operator()(const double* value) const { return exact_number_text(*value); }
    std::string operator()(const std::string* value) const { return *value; }
    std::string operator()(const Date* value) const { return value->iso(); }
    std::string operator()(const std::vector<std::string>* values) const {
      std::string out = "[";
      for (std::size_t i = 0; i < values->size(); ++i) out += (i ? ", " : "") + (*values)[i];
      return out + "]";
    }
    std::string operator()(const std::vector<RegionShare>* shares) const {
      std::string out = "{";
      for (std::size_t i = 0; i < shares->size(); ++i)
        out += (i ? ", " : "") + (*shares)[i].region + ": " + exact_number_text((*shares)[i].share);
      return out + "}";
    }
    std::string operator()(const std::vector<WaveSpec>* waves) const { return list_text(waves->size()); }
    std::string operator()(const std::vector<PlatformEventSpec>* events) const { return list_text(events->size()); }
    static std::string list_text(std::size_t size) { return size == 0 ? "[]" : "[...]"; }
  };
  return std::visit(Formatter{}, field);
}

// "enforcement.waves[0].recall" -> "enforcement.waves[].recall".
std::string strip_indices(const std::string& key) {
  static const std::regex index_pattern(R"(\[[0-9]*\])");
  return std::regex_replace(key, index_pattern, "[]");
}

std::vector<const Parameter*> matching_parameters(const std::string& prefix) {
  std::vector<const Parameter*> matches;
  for (const Parameter& parameter : parameter_table()) {
    const std::string& key = parameter.key;
    if (prefix.empty()) {
      matches.push_back(&parameter);
      continue;
    }
    // A key shorter than the prefix cannot match; reading key[prefix.size()] would overrun it.
    if (key.size() < prefix.size() || key.compare(0, prefix.size(), prefix) != 0) continue;
    const bool at_boundary = key.size() == prefix.size() || key[prefix.size()] == '.' || key[prefix.size()] == '[';
    if (at_boundary) matches.push_back(&parameter);
  }
  return matches;
}

std::string markdown_cell(std::string text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += "\\|";
    else out += c;
  }
  return out;
}

}  // namespace

namespace {

// A fixed default in code font; a note ("(required)", "the scenario file's name ...") as prose.
std::string default_cell(const Parameter& parameter) {
  const std::string text = default_value_text(parameter);
  const bool is_note = !parameter.default_note.empty() || parameter.required;
  return is_note ? text : "`" + text + "`";
}

}  // namespace

std::string exact_number_text(double value) {
  constexpr std::size_t longest_plain_chars = 16;
  char buffer[400];  // fixed notation of the largest double has 309 digits
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  if (result.ec == std::errc() && static_cast<std::size_t>(result.ptr - buffer) <= longest_plain_chars)
    return std::string(buffer, result.ptr);
  result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

namespace {

template <typename T>
constexpr bool is_map_list = std::is_same_v<T, std::vector<WaveSpec>*> || std::is_same_v<T, std::vector<PlatformEventSpec>*>;

}  // namespace

std::size_t list_size(const FieldRef& list) {
  return std::visit(
      [](auto field) -> std::size_t {
        if constexpr (is_map_list<decltype(field)>) return field->size();
        else throw std::logic_error("list_size: not a list of maps");
      },
      list);
}

void reset_list(const FieldRef& list, std::size_t size) {
  std::visit(
      [size](auto field) {
        if constexpr (is_map_list<decltype(field)>) field->assign(size, {});
        else throw std::logic_error("reset_list: not a list of maps");
      },
      list);
}

bool NumericRange::contains(double value) const {
  const bool above_min = min_open ? value > min : value >= min;
  const bool below_max = max_open ? value < max : value <= max;
  return above_min && below_max;
}

const std::vector<Parameter>& parameter_table() {
  static const std::vector<Parameter> table = build_table();
  return table;
}

const Parameter* find_parameter(std::string_view key) {
  for (const Parameter& parameter : parameter_table())
    if (parameter.key == key) return &parameter;
  return nullptr;
}

std::vector<RegionShare> default_region_shares() {
  // FACTS.md: 49% of the top 10,000 sellers are Chinese and 47% US (Jan 2020), about 32% of Chinese
  // sellers are in Shenzhen (0.32 x 0.50 = 0.16, rounded up for its share of the 2021 wave). The
  // split of the remaining Chinese sellers, Pakistan (open to sellers only from May 2021) and EU are
  // assumptions.
  return {{"CN-Shenzhen", 0.17}, {"CN-Guangzhou", 0.08}, {"CN-Dongguan", 0.05}, {"CN-other", 0.20},
          {"PK-Punjab", 0.02},   {"US", 0.36},           {"EU", 0.07},          {"other", 0.05}};
}

Scenario default_scenario(const std::string& name) {
  Scenario scenario;
  scenario.name = name;
  scenario.sellers.region_shares = default_region_shares();
  return scenario;
}

std::string expected_value_text(const Parameter& parameter) {
  const NumericRange& range = parameter.range;
  const std::string interval = std::string(range.min_open ? "(" : "[") + format_bound(range.min, parameter.kind) +
                               ", " + format_bound(range.max, parameter.kind) + (range.max_open ? ")" : "]");
  switch (parameter.kind) {
    case ParameterKind::integer: return "an integer in " + interval;
    case ParameterKind::seed: return "an integer in [0, " + std::to_string(std::numeric_limits<std::uint64_t>::max()) + "]";
    case ParameterKind::real: return "a number in " + interval;
    case ParameterKind::text: return "a text value";
    case ParameterKind::date: return "an ISO date (YYYY-MM-DD)";
    case ParameterKind::choice: {
      std::string out = parameter.choices.size() == 1 ? "'" + parameter.choices[0] + "'" : "one of";
      if (parameter.choices.size() > 1)
        for (std::size_t i = 0; i < parameter.choices.size(); ++i) out += (i ? ", '" : " '") + parameter.choices[i] + "'";
      return out;
    }
    case ParameterKind::text_list: return "a list of text values";
    case ParameterKind::share_map: return "a map of name -> share in " + interval + ", the shares summing to 1";
    case ParameterKind::map_list: return "a list of maps";
  }
  return "";
}

std::string default_value_text(const Parameter& parameter) {
  if (!parameter.default_note.empty()) return parameter.default_note;
  if (parameter.required) return "(required)";
  if (parameter.kind == ParameterKind::choice) return parameter.choices.front();
  Scenario defaults = default_scenario("");
  if (parameter.element_field) {
    // A list member's default is that of a default element.
    for (const Parameter& list : parameter_table())
      if (list.kind == ParameterKind::map_list) reset_list(list.scenario_field(defaults), 1);
    return format_field(parameter.element_field(defaults, 0));
  }
  return format_field(parameter.scenario_field(defaults));
}

std::string describe_parameters(const std::string& key_prefix) {
  const std::string prefix = strip_indices(key_prefix);
  const std::vector<const Parameter*> matches = matching_parameters(prefix);
  if (matches.empty()) {
    std::vector<std::string> candidates;
    for (const Parameter& parameter : parameter_table()) {
      candidates.push_back(parameter.key);
      for (std::size_t dot = parameter.key.find('.'); dot != std::string::npos; dot = parameter.key.find('.', dot + 1))
        candidates.push_back(parameter.key.substr(0, parameter.key[dot - 1] == ']' ? dot - 2 : dot));
    }
    std::string what = "no parameter matches";
    const std::string nearest = nearest_candidate(prefix, candidates);
    if (!nearest.empty()) what += "; did you mean '" + nearest + "'?";
    else what += "; run 'sellershock describe' for the list of parameters";
    const SourceLocation where{"describe", 0, 0};
    throw InputError(where, key_prefix, format_input_error(where, key_prefix, what));
  }
  std::string out;
  for (const Parameter* parameter : matches) {
    out += parameter->key + "\n";
    out += "  " + parameter->description + "\n";
    out += "  expected: " + expected_value_text(*parameter) + "\n";
    if (!parameter->unit.empty()) out += "  unit:     " + parameter->unit + "\n";
    out += "  default:  " + default_value_text(*parameter) + "\n";
    out += "  source:   " + parameter->source + "\n\n";
  }
  return out;
}

std::string parameter_reference_markdown() {
  std::string out;
  std::string section = "\x01";  // no section yet
  for (const Parameter& parameter : parameter_table()) {
    const std::size_t dot = parameter.key.find('.');
    const std::string this_section = dot == std::string::npos ? "" : parameter.key.substr(0, dot);
    if (this_section != section) {
      section = this_section;
      if (!out.empty()) out += "\n";
      out += "### " + (section.empty() ? std::string("Run settings (top level)") : "`" + section + "`") + "\n\n";
      out += "| key | expected | unit | default | description | source |\n";
      out += "|---|---|---|---|---|---|\n";
    }
    out += "| `" + parameter.key + "` | " + markdown_cell(expected_value_text(parameter)) + " | " +
           markdown_cell(parameter.unit) + " | " + markdown_cell(default_cell(parameter)) + " | " +
           markdown_cell(parameter.description) + " | " + markdown_cell(parameter.source) + " |\n";
  }
  return out;
}

}  // namespace sellershock
