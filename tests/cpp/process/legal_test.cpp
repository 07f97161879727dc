// Behavioural tests of legal remedies (process 6).
#include <gtest/gtest.h>

#include "process/week.hpp"
#include "run/replication.hpp"
#include "support/summary.hpp"
#include "support/test_scenario.hpp"

namespace sellershock {

namespace {

std::int64_t summary_value(const Scenario& s, const ReplicationResult& r, const std::string& name) {
  return testing::summary_value(s, r, name, false);
}

// Every seller is suspended in week 0, its appeal fails, its funds are forfeited when the 13-week hold
// ends, and nobody exits: every seller with funds becomes a claimant in the same week.
Scenario everyone_forfeits() {
  Scenario s = testing::everyone_suspended_in_week_zero(testing::small_scenario(2000, 60, 1));
  s.enforcement.forfeit_probability_honest = 1;
  s.enforcement.forfeit_probability_rule_breaker = 1;
  s.enforcement.hold_days = 91;  // 13 weeks
  s.sellers.insolvency_weeks = 1000;
  s.legal.arbitration_filing_fee_usd = 0;
  s.legal.arbitration_counsel_cost_usd = 0;
  s.legal.arbitration_duration_weeks = 10;
  s.legal.win_probability = 1;
  return s;
}

}  // namespace

TEST(Legal, PrecedentClosesAShareOfTheGapPerWin) {
  EXPECT_DOUBLE_EQ(with_precedent(0.3, 0.0, 5), 0.3);
  EXPECT_DOUBLE_EQ(with_precedent(0.3, 0.5, 0), 0.3);
  EXPECT_NEAR(with_precedent(0.3, 0.5, 1), 0.65, 1e-15);
  EXPECT_NEAR(with_precedent(0.3, 0.5, 2), 0.825, 1e-15);
}

TEST(Legal, WithoutPrecedentEffectTheFilingDecisionIgnoresWins) {
  LegalSpec legal;  // $63,000 to arbitrate alone
  legal.precedent_effect = 0.0;
  LegalSpec with_effect = legal;
  with_effect.precedent_effect = 0.5;
  int flipped = 0;
  for (Cents claim = 10'000'00; claim <= 2'000'000'00; claim += 10'000'00) {
    const bool before = arbitrates_alone(legal, with_precedent(0.3, 0.0, 0), claim, 0, 1'000'000'00, 20);
    const bool after = arbitrates_alone(legal, with_precedent(0.3, 0.0, 10), claim, 0, 1'000'000'00, 20);
    EXPECT_EQ(before, after) << claim;
    flipped += arbitrates_alone(with_effect, with_precedent(0.3, 0.5, 10), claim, 0, 1'000'000'00, 20) && !before;
  }
  EXPECT_GT(flipped, 0);  // with a precedent effect, some claims become worth pursuing
}

TEST(Legal, SellerThatCannotPayTheCostDoesNotArbitrate) {
  LegalSpec legal;
  EXPECT_TRUE(arbitrates_alone(legal, 0.5, 1'000'000'00, 0, 63'000'00, 20));
  EXPECT_FALSE(arbitrates_alone(legal, 0.5, 1'000'000'00, 0, 62'999'99, 20));
}

TEST(Legal, TwelvePercentInterestRaisesAwardsByTheInterestOwed) {
  Scenario no_interest = everyone_forfeits();
  no_interest.legal.award_interest_per_year = 0;
  Scenario twelve = no_interest;
  twelve.legal.award_interest_per_year = 0.12;
  const ReplicationResult a = simulate_replication(no_interest, 0, nullptr, false);
  const ReplicationResult b = simulate_replication(twelve, 0, nullptr, false);
  const std::int64_t funds = summary_value(no_interest, a, "arbitration_awards_cents");
  const std::int64_t with_interest = summary_value(twelve, b, "arbitration_awards_cents");
  ASSERT_GT(funds, 0);
  EXPECT_EQ(summary_value(no_interest, a, "arbitration_filings"), summary_value(twelve, b, "arbitration_filings"));
  // Frozen in week 0, forfeited in week 13, awarded in week 23: 23 weeks of 12% simple interest, each
  // award rounded to the cent.
  const double owed = static_cast<double>(funds) * 0.12 * 23.0 / 52.0;
  const double filings = static_cast<double>(summary_value(twelve, b, "arbitration_filings"));
  EXPECT_NEAR(static_cast<double>(with_interest - funds), owed, filings);
  // Without interest, what is won back is what was forfeited by those who filed.
  EXPECT_LE(funds, summary_value(no_interest, a, "forfeited_cents"));
}

TEST(Legal, ArbitrationCostAboveEverySellersCashMeansNoIndividualFilings) {
  Scenario affordable = everyone_forfeits();
  Scenario prohibitive = affordable;
  prohibitive.legal.arbitration_counsel_cost_usd = 1e12;
  EXPECT_GT(summary_value(affordable, simulate_replication(affordable, 0, nullptr, false), "arbitration_filings"), 0);
  const ReplicationResult r = simulate_replication(prohibitive, 0, nullptr, false);
  EXPECT_EQ(summary_value(prohibitive, r, "arbitration_filings"), 0);
  EXPECT_EQ(summary_value(prohibitive, r, "arbitration_awards_cents"), 0);
}

TEST(Legal, SellersWhoCannotArbitrateTurnToACollectiveActionThatRecoversFunds) {
  Scenario s = everyone_forfeits();
  s.legal.arbitration_counsel_cost_usd = 1e12;
  s.legal.collective_join_probability = 1;
  s.legal.collective_min_members = 50;
  s.legal.collective_cost_per_member_usd = 10;
  s.legal.collective_duration_weeks = 20;
  const ReplicationResult r = simulate_replication(s, 0, nullptr, false);
  EXPECT_GT(summary_value(s, r, "collective_signups"), 50);
  EXPECT_GT(summary_value(s, r, "collective_awards_cents"), 0);
  EXPECT_GT(summary_value(s, r, "legal_costs_cents"), 0);
}

TEST(Legal, CollectiveActionNeedsEnoughMembers) {
  Scenario s = everyone_forfeits();
  s.legal.arbitration_counsel_cost_usd = 1e12;
  s.legal.collective_join_probability = 1;
  s.legal.collective_min_members = 1'000'000;
  const ReplicationResult r = simulate_replication(s, 0, nullptr, false);
  EXPECT_GT(summary_value(s, r, "collective_signups"), 0);
  EXPECT_EQ(summary_value(s, r, "collective_awards_cents"), 0);
  EXPECT_EQ(summary_value(s, r, "legal_costs_cents"), 0);
}

TEST(Legal, PrecedentRaisesLaterFilingAndJoining) {
  // Claims arrive over time (background suspensions); an early collective win is a precedent.
  Scenario base = testing::without_enforcement(testing::small_scenario(4000, 100, 1));
  base.enforcement.background_hazard_honest_per_week = 0.01;
  base.enforcement.background_hazard_rule_breaker_per_week = 0.01;
  base.enforcement.appeal_success_probability_honest = 0;
  base.enforcement.appeal_success_probability_rule_breaker = 0;
  base.enforcement.forfeit_probability_honest = 1;
  base.sellers.insolvency_weeks = 1000;
  base.legal.win_probability = 0.3;
  base.legal.collective_join_probability = 0.2;
  base.legal.collective_min_members = 10;
  base.legal.collective_duration_weeks = 4;
  Scenario precedent = base;
  precedent.legal.precedent_effect = 0.3;
  const ReplicationResult a = simulate_replication(base, 0, nullptr, false);
  const ReplicationResult b = simulate_replication(precedent, 0, nullptr, false);
  EXPECT_GT(summary_value(precedent, b, "collective_signups"), summary_value(base, a, "collective_signups"));
  EXPECT_GE(summary_value(precedent, b, "arbitration_filings"), summary_value(base, a, "arbitration_filings"));
}

TEST(Legal, MoneyIsStillConservedWithLegalCostsAndAwards) {
  Scenario s = everyone_forfeits();
  s.legal.arbitration_counsel_cost_usd = 500;
  s.legal.collective_min_members = 10;
  s.legal.collective_join_probability = 1;
  Replication run(s, 0);
  while (run.weeks_done() < s.weeks) {
    run.step();
    ASSERT_EQ(run.world().total_money_cents(), 0) << "week " << run.weeks_done() - 1;
  }
}

// The scan skips businesses with no open case eight at a time: every state, at every place of a word
// and with a ragged end, gives what a seller-by-seller search gives.
TEST(Legal, TheSearchForOpenCasesFindsEachAsASellerBySellerSearch) {
  const auto plain = [](const Column<LegalState>& states, std::size_t i, std::size_t end) {
    for (; i < end; ++i)
      if (states[i] != LegalState::None && states[i] != LegalState::Closed) return i;
    return end;
  };
  for (unsigned value = 0; value < 256; ++value) {  // out-of-range bytes too: only None and Closed are skipped
    for (std::size_t at = 0; at < 19; ++at) {
      Column<LegalState> states(19, LegalState::Closed);
      for (std::size_t i = 0; i < states.size(); i += 3) states[i] = LegalState::None;
      states[at] = static_cast<LegalState>(value);
      for (std::size_t from = 0; from <= 19; from += 5)
        for (std::size_t end : {std::size_t{19}, std::size_t{16}, std::size_t{9}})
          if (from <= end)
            ASSERT_EQ(next_open_case(states, from, end), plain(states, from, end)) << value << " at " << at;
    }
  }
}

}  // namespace sellershock
