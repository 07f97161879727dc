#include "state/random.hpp"

#include <gtest/gtest.h>

#include <boost/random/normal_distribution.hpp>
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

}  // namespace sellershock
