#include "state/random.hpp"

#include <gtest/gtest.h>

#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <set>

namespace sellershock {

TEST(RandomStream, SameKeyGivesSameNumbers) {
  RandomStream a(7, 3, 42, 10, Purpose::BuyerSetup);
  RandomStream b(7, 3, 42, 10, Purpose::BuyerSetup);
  for (int k = 0; k < 20; ++k) EXPECT_EQ(a(), b());
}

TEST(RandomStream, EveryKeyComponentChangesTheStream) {
  const auto first = [](RandomStream s) { return s(); };
  const std::uint64_t base = first(RandomStream(7, 3, 42, 10, Purpose::BuyerSetup));
  std::set<std::uint64_t> seen{base};
  seen.insert(first(RandomStream(8, 3, 42, 10, Purpose::BuyerSetup)));
  seen.insert(first(RandomStream(7, 4, 42, 10, Purpose::BuyerSetup)));
  seen.insert(first(RandomStream(7, 3, 43, 10, Purpose::BuyerSetup)));
  seen.insert(first(RandomStream(7, 3, 42, 11, Purpose::BuyerSetup)));
  seen.insert(first(RandomStream(7, 3, 42, 10, Purpose::Suspension)));
  seen.insert(first(RandomStream(7, 3, 42, kSetupWeek, Purpose::BuyerSetup)));
  EXPECT_EQ(seen.size(), 7u);
}

TEST(RandomStream, UniformIsInUnitIntervalWithMeanOneHalf) {
  RandomStream s(1, 0, 0, 0, Purpose::SellerSetup);
  double total = 0;
  const int n = 100000;
  for (int k = 0; k < n; ++k) {
    const double u = s.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    total += u;
  }
  EXPECT_NEAR(total / n, 0.5, 0.005);  // sd of the mean is 0.0009
}

TEST(RandomStream, WorksWithBoostDistributions) {
  RandomStream s(1, 0, 0, 0, Purpose::BuyerSetup);
  boost::random::normal_distribution<double> normal(3.0, 2.0);
  double total = 0, squares = 0;
  const int n = 100000;
  for (int k = 0; k < n; ++k) {
    const double x = normal(s);
    total += x;
    squares += x * x;
  }
  const double mean = total / n;
  EXPECT_NEAR(mean, 3.0, 0.03);
  EXPECT_NEAR(squares / n - mean * mean, 4.0, 0.08);
}

TEST(MixStream, SameKeyGivesSameNumbers) {
  const MixStreamKey key(7, 3, 10, Purpose::Purchase);
  MixStream a(key, 42), b(MixStreamKey(7, 3, 10, Purpose::Purchase), 42);
  for (int k = 0; k < 20; ++k) EXPECT_EQ(a(), b());
}

TEST(MixStream, EveryKeyComponentChangesTheStream) {
  const auto first = [](std::uint64_t seed, std::uint64_t replication, std::uint64_t entity, std::int32_t week,
                        Purpose purpose) { return MixStream(MixStreamKey(seed, replication, week, purpose), entity)(); };
  std::set<std::uint64_t> seen{first(7, 3, 42, 10, Purpose::Purchase)};
  seen.insert(first(8, 3, 42, 10, Purpose::Purchase));
  seen.insert(first(7, 4, 42, 10, Purpose::Purchase));
  seen.insert(first(7, 3, 43, 10, Purpose::Purchase));
  seen.insert(first(7, 3, 42, 11, Purpose::Purchase));
  seen.insert(first(7, 3, 42, 10, Purpose::Suspension));
  seen.insert(first(0, 0, 0, 0, Purpose::Purchase));
  seen.insert(first(0, 0, 1, 0, Purpose::Purchase));
  EXPECT_EQ(seen.size(), 8u);
}

// How a week uses the streams: the k-th number of consecutive entities (buyers numbered 0, 1, ...),
// and the same entity's k-th number in consecutive weeks. Each of the 64 bits must be set half the time
// (the alias draws use the high half to pick a slot and the low half as the coin), uniforms must have
// mean 1/2 and variance 1/12, and neighbours must be uncorrelated.
TEST(MixStream, NeighbouringStreamsLookIndependent) {
  constexpr int n = 200000;
  for (int k = 0; k < 3; ++k)
    for (bool across_weeks : {false, true}) {
      SCOPED_TRACE("draw " + std::to_string(k) + (across_weeks ? ", consecutive weeks" : ", consecutive entities"));
      std::vector<int> ones(64, 0);
      double total = 0, squares = 0, lagged = 0, previous = 0;
      for (int e = 0; e < n; ++e) {
        MixStream s = across_weeks ? MixStream(MixStreamKey(20210504, 0, e, Purpose::Purchase), 12345)
                                   : MixStream(MixStreamKey(20210504, 0, 17, Purpose::Purchase), e);
        std::uint64_t x = 0;
        for (int j = 0; j <= k; ++j) x = s();
        for (int bit = 0; bit < 64; ++bit) ones[bit] += static_cast<int>((x >> bit) & 1u);
        const double u = static_cast<double>(x >> 11) * 0x1.0p-53;
        total += u;
        squares += u * u;
        if (e > 0) lagged += (u - 0.5) * (previous - 0.5);
        previous = u;
      }
      const double sd = std::sqrt(0.25 / n);  // of a bit's frequency
      for (int bit = 0; bit < 64; ++bit) EXPECT_NEAR(static_cast<double>(ones[bit]) / n, 0.5, 5 * sd) << "bit " << bit;
      const double mean = total / n;
      EXPECT_NEAR(mean, 0.5, 5 * std::sqrt(1.0 / 12 / n));
      EXPECT_NEAR(squares / n - mean * mean, 1.0 / 12, 0.002);
      EXPECT_NEAR(lagged / (n - 1) * 12, 0.0, 5 / std::sqrt(static_cast<double>(n)));  // correlation of neighbours
    }
}

}  // namespace sellershock
