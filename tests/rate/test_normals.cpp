// The fast single-precision functions and the Philox normal deviates.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "rate/fast_math.hpp"
#include "rate/normals.hpp"

namespace spikeweave::rate {
namespace {

TEST(FastMath, TanhLogSinCosAreAccurate) {
  double tanh_error = 0, log_error = 0, sin_error = 0, cos_error = 0;
  for (int i = -200000; i <= 200000; ++i) {
    const float x = static_cast<float>(i) * 1e-4f;
    tanh_error = std::max(tanh_error, std::fabs(fast_tanh(x) - std::tanh(static_cast<double>(x))));
  }
  for (int i = 1; i <= 1000000; ++i) {
    const float x = static_cast<float>(i) * 1e-6f;
    log_error = std::max(log_error, std::fabs(fast_log(x) - std::log(static_cast<double>(x))));
  }
  for (int i = 0; i < 1000000; ++i) {
    const float u = static_cast<float>(i) * 1e-6f;
    float s, c;
    fast_sincos_2pi(u, s, c);
    const double angle = 6.283185307179586 * static_cast<double>(u);
    sin_error = std::max(sin_error, std::fabs(s - std::sin(angle)));
    cos_error = std::max(cos_error, std::fabs(c - std::cos(angle)));
  }
  // The bounds quoted in fast_math.hpp: a few float ulps near 1.
  EXPECT_LT(tanh_error, 4e-7);
  EXPECT_LT(log_error, 5e-7);
  EXPECT_LT(sin_error, 2e-7);
  EXPECT_LT(cos_error, 2e-7);
}

TEST(FastMath, DoubleTanhIsExactToTwoUlps) {
  double worst = 0.0;
  for (long i = -3000000; i <= 3000000; ++i) {
    const double x = static_cast<double>(i) * 1e-5 + 1e-7;
    const double reference = std::tanh(x);
    worst = std::max(worst, std::fabs(fast_tanh(x) - reference) / std::fabs(reference));
  }
  EXPECT_LT(worst, 1e-15);
  for (const double x : {0.0, 1e-300, 25.0, -25.0, 1e300, -1e300})
    EXPECT_NEAR(fast_tanh(x), std::tanh(x), 1e-300);
  EXPECT_EQ(fast_tanh(std::numeric_limits<double>::infinity()), 1.0);
  EXPECT_TRUE(std::isnan(fast_tanh(std::numeric_limits<double>::quiet_NaN())));
  EXPECT_TRUE(std::isnan(fast_tanh(std::numeric_limits<float>::quiet_NaN())));
}

TEST(Normals, PairsAndSequencesGiveTheSameNumbersAsSingleGroups) {
  const StreamKey a{7, RateStream::kNoise, 3, 1}, b{7, RateStream::kWeight, 4, 2};
  float single_a[kGroupSize], single_b[kGroupSize], pair_a[kGroupSize], pair_b[kGroupSize];
  random_normals(a, 11, single_a);
  random_normals(b, 12, single_b);
  random_normals_pair(a, 11, pair_a, b, 12, pair_b);
  EXPECT_EQ(0, std::memcmp(single_a, pair_a, sizeof pair_a));
  EXPECT_EQ(0, std::memcmp(single_b, pair_b, sizeof pair_b));
  const long count = 1000;  // not a multiple of 32 or of 4 groups
  std::vector<float> sequence(count), range(300);
  fill_normal_sequence(a, count, sequence.data());
  for (long g = 0; g * kGroupSize < count; ++g) {
    float group[kGroupSize];
    random_normals(a, static_cast<std::uint32_t>(g), group);
    for (int l = 0; l < kGroupSize && g * kGroupSize + l < count; ++l)
      ASSERT_EQ(sequence[g * kGroupSize + l], group[l]);
  }
  fill_normal_range(a, 517, 300, range.data());
  EXPECT_EQ(0, std::memcmp(range.data(), sequence.data() + 517, 300 * sizeof(float)));
}

TEST(Normals, MomentsOfAStandardNormal) {
  const long count = 1 << 22;
  std::vector<float> z(count);
  fill_normal_sequence(StreamKey{2024, RateStream::kNoise, 0, 0}, count, z.data());
  double m1 = 0, m2 = 0, m4 = 0, tail = 0;
  for (float v : z) {
    m1 += v;
    m2 += static_cast<double>(v) * v;
    m4 += static_cast<double>(v) * v * v * v;
    tail += std::fabs(v) > 3.0;
  }
  m1 /= count;
  m2 /= count;
  m4 /= count;
  tail /= count;
  // Standard errors with 4.2e6 draws: mean 4.9e-4, variance 6.9e-4, fourth moment 4.6e-3
  // (sqrt(96 / n)), P(|z| > 3) = 2.7e-3 with 2.5e-5; bounds are five of them.
  EXPECT_NEAR(m1, 0.0, 2.5e-3);
  EXPECT_NEAR(m2, 1.0, 3.5e-3);
  EXPECT_NEAR(m4, 3.0, 2.3e-2);
  EXPECT_NEAR(tail, 2.6998e-3, 1.3e-4);
}

}  // namespace
}  // namespace spikeweave::rate
