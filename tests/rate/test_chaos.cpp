// The transition to chaos of random rate networks (Sompolinsky, Crisanti & Sommers 1988):
// without noise or input, h = 0 is the only attractor for g < 1 and activity decays to zero; for
// g > 1 the network is chaotic, activity stays finite and the largest Lyapunov exponent is
// positive.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "rate/lyapunov.hpp"

namespace spikeweave::rate {
namespace {

constexpr double kTauMs = 10.0;
constexpr double kDtMs = 1.0;

Network<float> large_network(double gain, int steps) {
  Dynamics d;
  d.neurons = 1000;
  d.trials = 1;
  d.steps = steps;
  d.dt_ms = kDtMs;
  NetworkParams p;
  p.gain = gain;
  p.tau_ms = kTauMs;
  p.noise = 0.0;
  p.h0_std = 1.0;
  return make_network<float>(2024, 0, d, p);
}

// Root mean square of x over the last `steps` rows of trial 0, and the largest |x| there.
std::pair<double, double> tail_activity(const Trace& trace, int n, int total_steps, int steps) {
  double sum2 = 0.0, largest = 0.0;
  for (int t = total_steps - steps; t < total_steps; ++t) {
    for (int i = 0; i < n; ++i) {
      const double x = trace.x[static_cast<std::size_t>(t) * n + i];
      EXPECT_TRUE(std::isfinite(x));
      sum2 += x * x;
      largest = std::max(largest, std::fabs(x));
    }
  }
  return {std::sqrt(sum2 / (static_cast<double>(steps) * n)), largest};
}

TEST(Chaos, SubcriticalActivityDecaysToZero) {
  const int steps = 2000;  // 200 tau: the slowest mode decays as exp(-(1 - g) t / tau) = e^-40
  const Network<float> net = large_network(0.8, steps);
  const auto [rms, largest] = tail_activity(simulate(net), net.n(), steps, 100);
  EXPECT_LT(largest, 1e-6) << "g = 0.8 must relax to h = 0";
  EXPECT_LT(rms, 1e-7);
}

TEST(Chaos, SupercriticalActivityStaysFinite) {
  const int steps = 2000;
  const Network<float> net = large_network(1.5, steps);
  const auto [rms, largest] = tail_activity(simulate(net), net.n(), steps, 100);
  // Chaotic activity for g = 1.5 keeps a variance of order one (DMFT: x_rms about 0.5); a decay
  // or a blow-up would fail these bounds.
  EXPECT_GT(rms, 0.2);
  EXPECT_LE(largest, 1.0);
}

TEST(Chaos, LyapunovExponentChangesSignAtTheTransition) {
  LyapunovOptions options;
  options.transient_steps = 1000;
  options.steps = 1500;
  const double stable = largest_lyapunov_exponent(large_network(0.8, 1), options);
  const double chaotic = largest_lyapunov_exponent(large_network(1.5, 1), options);
  EXPECT_LT(stable, 0.0);
  EXPECT_GT(chaotic, 0.0);
  // At the fixed point h = 0 the Jacobian of the Euler map is (1 - a) + a W, so
  // lambda = ln(1 - a (1 - rho)) / dt with rho the spectral radius of W, g (1 + O(N^-1/2)) by
  // the circular law: -0.0202 / ms for g = 0.8. 25% covers rho within 0.8 +- 0.05 at N = 1000.
  const double a = kDtMs / kTauMs;
  const double theory = std::log(1.0 - a * (1.0 - 0.8)) / kDtMs;
  EXPECT_NEAR(stable, theory, 0.25 * std::fabs(theory));
  RecordProperty("lyapunov_g0.8_per_ms", std::to_string(stable));
  RecordProperty("lyapunov_g1.5_per_ms", std::to_string(chaotic));
  std::printf("largest Lyapunov exponent: g = 0.8: %.4f / ms (theory %.4f), g = 1.5: %.4f / ms\n",
              stable, theory, chaotic);
}

}  // namespace
}  // namespace spikeweave::rate
