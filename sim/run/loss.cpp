#include "run/loss.hpp"

#include <stdexcept>

#include "process/week.hpp"
#include "scenario/scenario.hpp"

namespace sellershock {

namespace {
Cents not_recovered(const SellerTable& t, std::size_t i) { return t.forfeited_to_date_cents[i] + t.frozen_cents[i]; }
Cents legal_net(const SellerTable& t, std::size_t i) { return t.legal_costs_to_date_cents[i] - t.awards_to_date_cents[i]; }
}  // namespace

std::array<Cents, kLossComponentCount> business_loss(const World& scenario, const World& counterfactual, std::size_t i) {
  const SellerTable& s = scenario.sellers;
  const SellerTable& cf = counterfactual.sellers;
  return {not_recovered(s, i) - not_recovered(cf, i),
          profit_to_date(cf, i, counterfactual.weeks_stepped) - profit_to_date(s, i, scenario.weeks_stepped),
          s.written_off_to_date_cents[i] - cf.written_off_to_date_cents[i],
          legal_net(s, i) - legal_net(cf, i),
          s.diversification_spent_cents[i] - cf.diversification_spent_cents[i]};
}

LossBreakdown measure_loss(const World& scenario, const World& counterfactual) {
  const SellerTable& s = scenario.sellers;
  const SellerTable& cf = counterfactual.sellers;
  if (s.size() != cf.size() || scenario.region_names != counterfactual.region_names)
    throw std::invalid_argument("measure_loss: the counterfactual does not hold the scenario's businesses");
  LossBreakdown out;
  out.groups = scenario.region_names.size() * kSizeClassCount;
  out.to_suspended_by_group.assign(kLossComponentCount * out.groups, 0);
  out.exits_caused_by_group.assign(out.groups, 0);
  out.treated_by_group.assign(out.groups, 0);
  Cents untreated_loss = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.region[i] != cf.region[i] || s.size_class[i] != cf.size_class[i])
      throw std::invalid_argument("measure_loss: business " + std::to_string(i) + " differs between the two worlds");
    out.suspension_events += s.suspensions[i];
    out.businesses_suspended_distinct += s.suspensions[i] > 0 ? 1 : 0;
    const auto loss = business_loss(scenario, counterfactual, i);
    if (!s.treated[i]) {
      for (Cents c : loss) untreated_loss += c;
      continue;
    }
    const std::size_t g = group_of(s, i);
    for (std::size_t c = 0; c < kLossComponentCount; ++c) {
      out.to_suspended_by_group[c * out.groups + g] += loss[c];
      out.to_suspended_by_component[c] += loss[c];
      out.to_suspended_cents += loss[c];
    }
    const std::int64_t exit_difference = (s.exit_week[i] != kNoWeek ? 1 : 0) - (cf.exit_week[i] != kNoWeek ? 1 : 0);
    out.exits_caused_by_group[g] += exit_difference;
    out.exits_caused += exit_difference;
    out.treated_by_group[g] += 1;
    out.treated_businesses += 1;
    out.treated_accounts += s.accounts[i];
    out.treated_frozen_cents += s.treated_frozen_cents[i];
    out.treated_sales_lost_cents += cf.sales_to_date_cents[i] - s.sales_to_date_cents[i];
    if (s.rule_breaker[i] && s.reinstatements[i] == 0) {
      out.treated_banned_rule_breakers += 1;
      out.treated_banned_rule_breaker_accounts += s.accounts[i];
    }
    out.treated_honest += s.rule_breaker[i] ? 0 : 1;
  }
  out.spillover_gain_cents = -untreated_loss;
  out.net_loss_all_sellers_cents = out.to_suspended_cents + untreated_loss;
  out.platform_retained_cents = scenario.ledger.platform_forfeited_cents - counterfactual.ledger.platform_forfeited_cents;
  return out;
}

}  // namespace sellershock
