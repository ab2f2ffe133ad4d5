// The batched kernel integrates the documented equation: compared with a plain scalar loop
// written from the formula in params.hpp and normals.hpp.
#include <gtest/gtest.h>

#include <cmath>

#include "rate/gradient.hpp"
#include "rate/normals.hpp"
#include "rate/simulator.hpp"

namespace spikeweave::rate {
namespace {

double reference_phi(Nonlinearity phi, double h) {
  switch (phi) {
    case Nonlinearity::kRelu:
      return h > 0 ? h : 0;
    case Nonlinearity::kSigmoid:
      return 1.0 / (1.0 + std::exp(-h));
    default:
      return std::tanh(h);
  }
}

// h[t+1] = h[t] + dt/tau (-h[t] + W phi(h[t]) + I) + sqrt(dt) sigma xi[t], in double.
std::vector<double> reference_trace(const Network<double>& net, Nonlinearity phi) {
  const int n = net.n(), K = net.dynamics.trials, T = net.dynamics.steps;
  std::vector<double> out(static_cast<std::size_t>(K) * T * n);
  std::vector<float> xi(static_cast<std::size_t>(T) * n);
  for (int k = 0; k < K; ++k) {
    fill_normal_sequence(
        StreamKey{net.seed, RateStream::kNoise, net.index, static_cast<std::uint32_t>(k)},
        static_cast<long>(T) * n, xi.data());
    std::vector<double> h(net.h0.begin() + static_cast<long>(k) * n,
                          net.h0.begin() + static_cast<long>(k + 1) * n);
    for (int t = 0; t < T; ++t) {
      std::vector<double> x(n), next(n);
      for (int j = 0; j < n; ++j) x[j] = reference_phi(phi, h[j]);
      for (int i = 0; i < n; ++i) {
        double u = 0;
        for (int j = 0; j < n; ++j) u += net.w[static_cast<std::size_t>(i) * n + j] * x[j];
        next[i] = h[i] + net.a * (-h[i] + u + net.input[i]) +
                  net.noise_scale * xi[static_cast<std::size_t>(t) * n + i];
      }
      h = next;
      for (int i = 0; i < n; ++i)
        out[(static_cast<std::size_t>(k) * T + t) * n + i] = reference_phi(phi, h[i]);
    }
  }
  return out;
}

class SimulatorTest : public ::testing::TestWithParam<Nonlinearity> {};

TEST_P(SimulatorTest, MatchesAScalarReferenceOfTheEquation) {
  Dynamics d;
  d.neurons = 45;  // not a multiple of any vector width or of the noise group
  d.trials = 3;
  d.steps = 60;
  d.dt_ms = 0.5;
  d.phi = GetParam();
  NetworkParams p;
  p.gain = 1.4;
  p.tau_ms = 4.0;
  p.noise = 0.4;
  p.input_mean = 0.2;
  p.input_std = 0.3;
  const Network<double> net = make_network<double>(99, 17, d, p);
  const std::vector<double> expected = reference_trace(net, d.phi);
  // Double kernel: float32 output (rounding 6e-8 relative) of a double computation.
  const Trace x_double = simulate(net);
  // In double precision only the order of additions differs: 1e-12, then rounded to float.
  const std::vector<double> exact = trace_in_precision(net);
  // Float kernel: 7 digits per step, the tanh approximation (3e-7), 60 steps of a network
  // with gain 1.4 that amplifies differences by at most e^(a (g - 1) t) = 2 here: 1e-4.
  Network<float> netf;
  netf.dynamics = d;
  netf.a = net.a;
  netf.noise_scale = net.noise_scale;
  netf.seed = net.seed;
  netf.index = net.index;
  netf.w.assign(net.w.begin(), net.w.end());
  netf.input.assign(net.input.begin(), net.input.end());
  netf.h0.assign(net.h0.begin(), net.h0.end());
  const Trace x_float = simulate(netf);
  double worst_double = 0, worst_exact = 0, worst_float = 0;
  for (std::size_t e = 0; e < expected.size(); ++e) {
    worst_double = std::max(worst_double, std::fabs(x_double.x[e] - expected[e]));
    worst_exact = std::max(worst_exact, std::fabs(exact[e] - expected[e]));
    worst_float = std::max(worst_float, std::fabs(x_float.x[e] - expected[e]));
  }
  const double scale =
      d.phi == Nonlinearity::kRelu ? 10.0 : 1.0;  // relu activity is not bounded by 1
  EXPECT_LT(worst_double, 1e-7 * scale);
  EXPECT_LT(worst_exact, 1e-12 * scale);
  EXPECT_LT(worst_float, 1e-4 * scale);
}

INSTANTIATE_TEST_SUITE_P(Rate, SimulatorTest,
                         ::testing::Values(Nonlinearity::kTanh, Nonlinearity::kRelu,
                                           Nonlinearity::kSigmoid),
                         [](const ::testing::TestParamInfo<Nonlinearity>& phi_info) {
                           return nonlinearity_name(phi_info.param);
                         });

TEST(Simulator, RecordsHConsistentWithX) {
  Dynamics d;
  d.neurons = 33;
  d.trials = 2;
  d.steps = 20;
  NetworkParams p;
  p.noise = 0.5;
  const Network<double> net = make_network<double>(1, 1, d, p);
  const Trace trace = simulate(net, true);
  ASSERT_EQ(trace.h.size(), trace.x.size());
  for (std::size_t e = 0; e < trace.x.size(); ++e)
    EXPECT_NEAR(trace.x[e], std::tanh(trace.h[e]), 2e-7);
}

}  // namespace
}  // namespace spikeweave::rate
