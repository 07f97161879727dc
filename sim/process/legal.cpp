// Process 6, legal remedies. A seller whose funds were forfeited arbitrates alone when the expected
// award (win probability x funds plus interest) beats the filing fee and counsel's cost and it has the
// cash to pay them; otherwise it may sign up for its home region's collective action, which is filed
// once enough have signed up, each paying a share of the cost. Awards return the forfeited funds plus
// simple interest from the freeze date. Each win is a precedent that raises later claimants' odds of
// winning and their willingness to join.
#include <cmath>
#include <cstring>

#include "process/week.hpp"
#include "state/random.hpp"

namespace sellershock {

namespace {

constexpr double kWeeksPerYear = 52.0;

// Funds plus simple interest from the freeze week to the award week.
Cents award_cents(const LegalSpec& legal, Cents claim, std::int32_t claim_week, std::int32_t award_week) {
  const double years = std::max(0, award_week - claim_week) / kWeeksPerYear;
  return round_cents(static_cast<double>(claim) * (1.0 + legal.award_interest_per_year * years));
}

}  // namespace

std::size_t next_open_case(const Column<LegalState>& states, std::size_t i, std::size_t end) {
  // Most businesses never had a case (None) or are done with it (Closed): skip them eight at a time.
  // A byte is 0 (None) or 5 (Closed) exactly when it has no bit outside 0x05 and its bits 0 and 2 agree.
  static_assert(static_cast<unsigned>(LegalState::None) == 0 && static_cast<unsigned>(LegalState::Closed) == 5);
  constexpr std::uint64_t kOutside = ~std::uint64_t{0x0505050505050505};
  constexpr std::uint64_t kLowBits = 0x0101010101010101;
  const auto* bytes = reinterpret_cast<const unsigned char*>(states.data());
  for (; i + 8 <= end; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes + i, sizeof word);
    if ((word & kOutside) != 0 || ((word ^ (word >> 2)) & kLowBits) != 0) break;
  }
  for (; i < end; ++i)
    if (states[i] != LegalState::None && states[i] != LegalState::Closed) return i;
  return end;
}

bool arbitrates_alone(const LegalSpec& legal, double win_probability, Cents claim, std::int32_t claim_week, Cents cash,
                      std::int32_t week) {
  const Cents cost = usd_to_cents(legal.arbitration_filing_fee_usd + legal.arbitration_counsel_cost_usd);
  const double expected_award =
      win_probability * static_cast<double>(award_cents(legal, claim, claim_week, week + legal.arbitration_duration_weeks));
  return expected_award > static_cast<double>(cost) && cash >= cost;
}

double with_precedent(double probability, double effect, std::int64_t wins) {
  return 1.0 - (1.0 - probability) * std::pow(1.0 - effect, static_cast<double>(wins));
}

LegalPolicy prepare_legal(const Scenario& scenario, World& world, std::int32_t week) {
  const LegalSpec& spec = scenario.legal;
  LegalRecord& record = world.legal;
  LegalPolicy policy;
  policy.collective_open.assign(record.collectives.size(), 0);
  policy.collective_decided.assign(record.collectives.size(), 0);
  for (std::size_t r = 0; r < record.collectives.size(); ++r) {
    Collective& collective = record.collectives[r];
    // The threshold counts real sellers: each simulated one stands for sellers.scale.
    if (collective.filed_week == kNoWeek && collective.signed_up * scenario.sellers.scale >= spec.collective_min_members) {
      collective.filed_week = week;
      collective.decision_week = week + spec.collective_duration_weeks;
    }
    if (collective.decision_week == week) {
      // The odds of the precedent before this decision; regions are decided in order, so a win in one
      // region this week does not change another's odds until next week.
      // Keyed by which of the region's collective actions this is (its ordinal), not the week it is
      // decided: a different collective_duration_weeks, or anything that moves when it forms, keeps its
      // draw (common random numbers, MODEL.md §9).
      RandomStream stream(world.seed, static_cast<std::uint64_t>(world.replication), r, collective.ordinal,
                          Purpose::CollectiveOutcome);
      const bool won = stream.uniform() < with_precedent(spec.win_probability, spec.precedent_effect, record.wins);
      policy.collective_decided[r] = won ? 1 : 2;
      Collective next;  // later claimants start the next one
      next.ordinal = collective.ordinal + 1;
      collective = next;
    } else if (collective.filed_week != kNoWeek) {
      policy.collective_open[r] = 1;
    }
  }
  for (std::uint8_t decided : policy.collective_decided) record.wins += decided == 1 ? 1 : 0;
  policy.win_probability = with_precedent(spec.win_probability, spec.precedent_effect, record.wins);
  policy.join_probability = with_precedent(spec.collective_join_probability, spec.precedent_effect, record.wins);
  return policy;
}

void record_legal_week(World& world, const WeekTally& tally) {
  for (std::size_t g = 0; g < tally.collective_signups.size(); ++g) {
    world.legal.collectives[g / kSizeClassCount].signed_up += tally.collective_signups[g];
    world.legal.wins += tally.arbitration_wins[g];
  }
}

void seek_remedies(const WeekContext& context, std::size_t begin, std::size_t end, WeekTally& tally) {
  const LegalSpec& spec = context.scenario.legal;
  const LegalPolicy& legal = context.policy.legal;
  const std::int32_t week = context.policy.week;
  World& world = context.world;
  SellerTable& sellers = world.sellers;
  Ledger& flows = tally.ledger_delta;
  const Cents arbitration_cost = usd_to_cents(spec.arbitration_filing_fee_usd + spec.arbitration_counsel_cost_usd);
  const Cents collective_share = usd_to_cents(spec.collective_cost_per_member_usd);

  for (std::size_t i = begin; i < end; ++i) {
    i = next_open_case(sellers.legal_state, i, end);
    if (i == end) break;
    const LegalState state = sellers.legal_state[i];
    const std::size_t group = group_of(sellers, i);
    const std::uint8_t region = sellers.region[i];
    const auto pay_award = [&](std::vector<Cents>& awards) {
      const Cents award = award_cents(spec, sellers.claim_cents[i], sellers.claim_week[i], week);
      transfer(flows.platform_forfeited_cents, sellers.cash_cents[i], award);
      awards[group] += award;
      sellers.awards_to_date_cents[i] += award;
    };
    const auto pay_cost = [&](Cents cost) {
      transfer(sellers.cash_cents[i], flows.outside_cents, cost);
      tally.legal_costs_cents[group] += cost;
      sellers.legal_costs_to_date_cents[i] += cost;
    };

    switch (state) {
      case LegalState::Claimant: {
        if (sellers.status[i] == SellerStatus::Exited) {  // nobody is left to pursue it
          sellers.legal_state[i] = LegalState::Closed;
          break;
        }
        if (arbitrates_alone(spec, legal.win_probability, sellers.claim_cents[i], sellers.claim_week[i],
                             sellers.cash_cents[i], week)) {
          pay_cost(arbitration_cost);
          sellers.legal_state[i] = LegalState::Arbitrating;
          sellers.case_end_week[i] = week + spec.arbitration_duration_weeks;
          tally.arbitration_filings[group] += 1;
          break;
        }
        // Keyed by the claim it decides (the seller and its freeze week), not the week it is decided: a
        // different hold_days moves the decision but keeps its draw (common random numbers, MODEL.md §9).
        RandomStream stream(world.seed, static_cast<std::uint64_t>(world.replication), i, sellers.claim_week[i],
                            Purpose::CollectiveJoin);
        if (stream.uniform() < legal.join_probability) {
          sellers.legal_state[i] = LegalState::SignedUp;
          tally.collective_signups[group] += 1;
        } else {
          sellers.legal_state[i] = LegalState::Closed;
        }
        break;
      }
      case LegalState::Arbitrating: {
        if (sellers.case_end_week[i] != week) break;
        // Keyed by the claim the case is about, not the week it ends: a different arbitration_duration_weeks
        // (or hold_days, which moves the filing) moves the ruling but keeps its draw (MODEL.md §9).
        RandomStream stream(world.seed, static_cast<std::uint64_t>(world.replication), i, sellers.claim_week[i],
                            Purpose::Arbitration);
        if (stream.uniform() < legal.win_probability) {
          pay_award(tally.arbitration_awards_cents);
          tally.arbitration_wins[group] += 1;
        }
        sellers.legal_state[i] = LegalState::Closed;
        break;
      }
      case LegalState::SignedUp:
        if (legal.collective_open[region]) {
          pay_cost(collective_share);
          sellers.legal_state[i] = LegalState::Member;
        }
        break;
      case LegalState::Member:
        if (legal.collective_decided[region] == 1) pay_award(tally.collective_awards_cents);
        if (legal.collective_decided[region] != 0) sellers.legal_state[i] = LegalState::Closed;
        break;
      case LegalState::None:
      case LegalState::Closed: break;
    }
  }
}

}  // namespace sellershock
