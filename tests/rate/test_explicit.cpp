// Explicit networks (src/rate/explicit.hpp, what the Python module runs) against the engine's own
// simulation and MSE gradient of the same network, and independent of how a batch is laid out.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "rate/explicit.hpp"
#include "rate/gradient.hpp"

namespace spikeweave::rate {
namespace {

// Dataset network 0 of seed 21: its noise streams (seed, noise, 0, k) are those of the explicit
// batch elements k, so both paths see the same noise.
template <class Real>
Network<Real> network(Nonlinearity phi, double noise) {
  Dynamics d;
  d.neurons = 37;  // not a multiple of the padding
  d.trials = 3;
  d.steps = 300;  // more than one chunk of the backward's outer products
  d.dt_ms = 1.0;
  d.phi = phi;
  NetworkParams p;
  p.gain = 1.4;
  p.tau_ms = 4.0;
  p.noise = noise;
  p.input_mean = 0.1;
  p.input_std = 0.3;
  return make_network<Real>(21, 0, d, p);
}

template <class Real>
ExplicitInputs<Real> inputs_of(const Network<Real>& net) {
  ExplicitInputs<Real> in;
  in.w = net.w.data();
  in.input = net.input.data();
  in.h0 = net.h0.data();
  in.a = net.a;
  in.noise_scale = net.noise_scale;
  in.seed = net.seed;
  return in;
}

double max_abs(const std::vector<double>& v) {
  double m = 0.0;
  for (double e : v) m = std::max(m, std::fabs(e));
  return m;
}

struct Case {
  const char* name;
  Nonlinearity phi;
  double noise;
};

class ExplicitTest : public ::testing::TestWithParam<Case> {};

// Trace and MSE gradient equal the engine's (GradientWorkspace) to rounding.
TEST_P(ExplicitTest, MatchesTheEnginesTraceAndMseGradient) {
  const Case c = GetParam();
  const Network<double> net = network<double>(c.phi, c.noise);
  const Dynamics& d = net.dynamics;
  const std::size_t size = static_cast<std::size_t>(d.trials) * d.steps * d.neurons;
  std::vector<double> target(size);
  for (std::size_t e = 0; e < size; ++e) target[e] = 0.3 * std::sin(0.01 * static_cast<double>(e));
  const std::vector<double> trace = trace_in_precision(net);
  const Gradient<double> reference = mse_gradient(net, target);

  ExplicitShape shape{1, d.trials, d.neurons, d.steps, d.phi};
  ExplicitRate<double> rate(shape);
  std::vector<double> x(size), h(size);
  rate.forward(inputs_of(net), x.data(), h.data());
  for (std::size_t e = 0; e < size; ++e) ASSERT_NEAR(x[e], trace[e], 1e-12) << e;

  std::vector<double> grad_x(size);
  for (std::size_t e = 0; e < size; ++e)
    grad_x[e] = 2.0 * (x[e] - target[e]) / static_cast<double>(size);
  std::vector<double> gw(net.w.size()), gi(net.input.size()), g0(net.h0.size());
  rate.backward(inputs_of(net), x.data(), h.data(), grad_x.data(), nullptr, gw.data(), gi.data(),
                g0.data());
  const double sw = max_abs(reference.w), si = max_abs(reference.input), s0 = max_abs(reference.h0);
  for (std::size_t e = 0; e < gw.size(); ++e) EXPECT_NEAR(gw[e], reference.w[e], 1e-9 * sw) << e;
  for (std::size_t e = 0; e < gi.size(); ++e)
    EXPECT_NEAR(gi[e], reference.input[e], 1e-9 * si) << e;
  for (std::size_t e = 0; e < g0.size(); ++e) EXPECT_NEAR(g0[e], reference.h0[e], 1e-9 * s0) << e;
}

INSTANTIATE_TEST_SUITE_P(Rate, ExplicitTest,
                         ::testing::Values(Case{"tanh", Nonlinearity::kTanh, 0.0},
                                           Case{"tanh_noise", Nonlinearity::kTanh, 0.3},
                                           Case{"relu_noise", Nonlinearity::kRelu, 0.3},
                                           Case{"sigmoid_noise", Nonlinearity::kSigmoid, 0.3}),
                         [](const ::testing::TestParamInfo<Case>& case_info) {
                           return case_info.param.name;
                         });

// K trials of one network and K networks of one trial with the same W give the same trace and,
// summed over the networks, the same dL/dW; every quantity is exact for dL/dh = 1 upstream.
template <class Real>
void check_layouts(Real tolerance) {
  const Network<Real> net = network<Real>(Nonlinearity::kTanh, 0.3);
  const Dynamics& d = net.dynamics;
  const int n = d.neurons, K = d.trials;
  const std::size_t size = static_cast<std::size_t>(K) * d.steps * n;
  ExplicitRate<Real> trials({1, K, n, d.steps, d.phi});
  ExplicitRate<Real> networks({K, 1, n, d.steps, d.phi});
  std::vector<Real> w(static_cast<std::size_t>(K) * n * n), input(static_cast<std::size_t>(K) * n);
  for (int k = 0; k < K; ++k) {
    std::copy(net.w.begin(), net.w.end(), w.begin() + static_cast<long>(k) * n * n);
    std::copy(net.input.begin(), net.input.end(), input.begin() + static_cast<long>(k) * n);
  }
  ExplicitInputs<Real> one = inputs_of(net), many = inputs_of(net);
  many.w = w.data();
  many.input = input.data();
  std::vector<Real> x1(size), h1(size), xk(size), hk(size);
  trials.forward(one, x1.data(), h1.data());
  networks.forward(many, xk.data(), hk.data());
  for (std::size_t e = 0; e < size; ++e) ASSERT_NEAR(x1[e], xk[e], tolerance) << e;
  const std::vector<Real> ones(size, Real(1));
  std::vector<Real> gw1(static_cast<std::size_t>(n) * n), gi1(n),
      g01(static_cast<std::size_t>(K) * n);
  std::vector<Real> gwk(w.size()), gik(input.size()), g0k(g01.size());
  trials.backward(one, x1.data(), h1.data(), nullptr, ones.data(), gw1.data(), gi1.data(),
                  g01.data());
  networks.backward(many, xk.data(), hk.data(), nullptr, ones.data(), gwk.data(), gik.data(),
                    g0k.data());
  for (std::size_t e = 0; e < gw1.size(); ++e) {
    double sum = 0.0;
    for (int k = 0; k < K; ++k) sum += gwk[static_cast<std::size_t>(k) * n * n + e];
    EXPECT_NEAR(gw1[e], sum, tolerance * std::max(1.0, std::fabs(sum))) << e;
  }
  for (std::size_t e = 0; e < g01.size(); ++e)
    EXPECT_NEAR(g01[e], g0k[e], tolerance * std::max(1.0, std::fabs(static_cast<double>(g0k[e]))))
        << e;
}

TEST(Explicit, TrialsAndNetworksLayoutsAgreeDouble) {
  check_layouts<double>(1e-12);
}

TEST(Explicit, TrialsAndNetworksLayoutsAgreeFloat) {
  check_layouts<float>(2e-4f);
}

// Reusing a workspace for another network gives the same result as a fresh one.
TEST(Explicit, WorkspaceReuseIsClean) {
  const Network<double> a = network<double>(Nonlinearity::kTanh, 0.3);
  const Network<double> b = network<double>(Nonlinearity::kTanh, 0.0);
  const Dynamics& d = a.dynamics;
  const std::size_t size = static_cast<std::size_t>(d.trials) * d.steps * d.neurons;
  ExplicitShape shape{1, d.trials, d.neurons, d.steps, d.phi};
  ExplicitRate<double> reused(shape), fresh(shape);
  std::vector<double> x(size), h(size), xf(size), hf(size);
  std::vector<double> gw(a.w.size()), gi(a.input.size()), g0(a.h0.size());
  const std::vector<double> ones(size, 1.0);
  reused.forward(inputs_of(a), x.data(), h.data());
  reused.backward(inputs_of(a), x.data(), h.data(), ones.data(), nullptr, gw.data(), gi.data(),
                  g0.data());
  reused.forward(inputs_of(b), x.data(), h.data());
  fresh.forward(inputs_of(b), xf.data(), hf.data());
  EXPECT_EQ(x, xf);
  std::vector<double> gwf(gw.size()), gif(gi.size()), g0f(g0.size());
  reused.backward(inputs_of(b), x.data(), h.data(), ones.data(), nullptr, gw.data(), gi.data(),
                  g0.data());
  fresh.backward(inputs_of(b), xf.data(), hf.data(), ones.data(), nullptr, gwf.data(), gif.data(),
                 g0f.data());
  EXPECT_EQ(gw, gwf);
  EXPECT_EQ(gi, gif);
  EXPECT_EQ(g0, g0f);
}

}  // namespace
}  // namespace spikeweave::rate
