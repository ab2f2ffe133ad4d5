// Counter-based random streams: purity (same inputs, same outputs) and distributions against
// their exact moments.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/random.hpp"

namespace spikeweave::rng {
namespace {

TEST(RandomStream, IsAPureFunctionOfItsKey) {
  Stream a(42, Purpose::kConnectivity, 3, 1000, 0);
  Stream b(42, Purpose::kConnectivity, 3, 1000, 0);
  Stream c(42, Purpose::kConnectivity, 3, 1001, 0);
  int differ = 0;
  for (int i = 0; i < 100; ++i) {
    const std::uint32_t x = a.next_u32();
    EXPECT_EQ(x, b.next_u32());
    differ += x != c.next_u32();
  }
  EXPECT_GT(differ, 95);
}

TEST(RandomStream, UniformIsInOpenUnitIntervalWithRightMoments) {
  Stream s(7, Purpose::kWeight, 0, 0, 0);
  const int n = 200000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double u = s.uniform();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sum_sq += u * u;
  }
  // Mean 1/2 with standard error sqrt(1/12/n) = 6.5e-4: 5 standard errors.
  EXPECT_NEAR(sum / n, 0.5, 3.3e-3);
  EXPECT_NEAR(sum_sq / n - (sum / n) * (sum / n), 1.0 / 12.0, 2e-3);
}

TEST(RandomStream, BelowIsUniformOverItsRange) {
  Stream s(1, Purpose::kConnectivity, 0, 0, 0);
  const std::uint32_t k = 7;
  const int n = 70000;
  std::vector<int> counts(k, 0);
  for (int i = 0; i < n; ++i) {
    const std::uint32_t v = s.below(k);
    ASSERT_LT(v, k);
    ++counts[v];
  }
  // Chi-square with 6 degrees of freedom: P(chi2 > 22.5) = 0.001.
  double chi2 = 0;
  for (int c : counts) chi2 += (c - n / 7.0) * (c - n / 7.0) / (n / 7.0);
  EXPECT_LT(chi2, 22.5);
}

void check_poisson(double mean) {
  Stream s(11, Purpose::kPoissonInput, 0, 0, 0);
  const int n = 100000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double k = poisson(s, mean);
    sum += k;
    sum_sq += k * k;
  }
  const double m = sum / n, var = sum_sq / n - m * m;
  // Standard error of the mean sqrt(mean/n); of the variance about mean*sqrt(2/n): 5 errors.
  EXPECT_NEAR(m, mean, 5 * std::sqrt(mean / n)) << "mean " << mean;
  EXPECT_NEAR(var, mean, 5 * mean * std::sqrt(2.0 / n) + 5 * std::sqrt(mean / n))
      << "mean " << mean;
}

TEST(RandomStream, PoissonHasEqualMeanAndVarianceForSmallAndLargeMeans) {
  for (double mean : {0.05, 2.0857, 9.5, 16.0, 40.0, 500.0}) check_poisson(mean);
}

TEST(RandomStream, BinomialMatchesItsMoments) {
  for (auto [n, p] : std::vector<std::pair<std::uint64_t, double>>{
           {10, 0.3}, {100, 0.05}, {1000, 0.5}, {100000, 0.01}, {5000000, 0.7}}) {
    Stream s(5, Purpose::kTotalNumber, 0, static_cast<std::uint32_t>(n), 0);
    const int draws = 40000;
    double sum = 0, sum_sq = 0;
    for (int i = 0; i < draws; ++i) {
      const auto k = static_cast<double>(binomial(s, n, p));
      ASSERT_LE(k, static_cast<double>(n));
      sum += k;
      sum_sq += k * k;
    }
    const double mean = n * p, var = n * p * (1 - p);
    const double m = sum / draws, v = sum_sq / draws - m * m;
    EXPECT_NEAR(m, mean, 5 * std::sqrt(var / draws)) << n << " " << p;
    EXPECT_NEAR(v, var, 5 * var * std::sqrt(2.0 / draws)) << n << " " << p;
  }
}

}  // namespace
}  // namespace spikeweave::rng
