// Backpropagation through time against central finite differences (double precision).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "rate/gradient.hpp"

namespace spikeweave::rate {
namespace {

struct Case {
  const char* name;
  Nonlinearity phi;
  double noise;
  double input_std;
};

Network<double> small_network(const Case& c) {
  Dynamics d;
  d.neurons = 7;
  d.trials = 3;
  d.steps = 40;
  d.dt_ms = 1.0;
  d.phi = c.phi;
  NetworkParams p;
  p.gain = 1.3;
  p.tau_ms = 5.0;
  p.noise = c.noise;
  p.input_mean = c.phi == Nonlinearity::kRelu ? 0.3 : 0.1;
  p.input_std = c.input_std;
  return make_network<double>(11, 4, d, p);
}

// A target that is not the network's own trace: another network's trace (seed 12).
std::vector<double> target_for(const Network<double>& net, const Case& c) {
  NetworkParams p;
  p.gain = 0.9;
  p.tau_ms = 5.0;
  p.noise = c.noise;
  return trace_in_precision(make_network<double>(12, 4, net.dynamics, p));
}

// Central difference of the loss along one coordinate. The step h = 1e-5 |v| (at least 1e-6)
// makes the truncation error (h^2 L''' / 6, about 1e-11 relative here) and the rounding error
// (1e-16 L / h, about 1e-11) both far below the 1e-6 tolerance.
double central_difference(Network<double> net, const std::vector<double>& target,
                          std::vector<double> Network<double>::*field, std::size_t e) {
  const double v = (net.*field)[e];
  const double h = std::max(1e-6, 1e-5 * std::fabs(v));
  (net.*field)[e] = v + h;
  const double plus = mse_loss(net, target);
  (net.*field)[e] = v - h;
  const double minus = mse_loss(net, target);
  return (plus - minus) / (2.0 * h);
}

// Relative error with a floor: components of the gradient that are tiny compared with the
// largest one are compared against that scale (their own relative error is meaningless).
void expect_matches(const std::vector<double>& analytic, Network<double>& net,
                    const std::vector<double>& target, std::vector<double> Network<double>::*field,
                    const char* what) {
  double scale = 0.0;
  for (double g : analytic) scale = std::max(scale, std::fabs(g));
  ASSERT_GT(scale, 0.0) << what;
  double worst = 0.0;
  for (std::size_t e = 0; e < analytic.size(); ++e) {
    const double fd = central_difference(net, target, field, e);
    const double error = std::fabs(fd - analytic[e]) / std::max(std::fabs(fd), 1e-3 * scale);
    worst = std::max(worst, error);
    EXPECT_LT(error, 1e-6) << what << "[" << e << "]: BPTT " << analytic[e]
                           << " vs finite difference " << fd;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", worst);
  ::testing::Test::RecordProperty(what, text);
}

class GradientTest : public ::testing::TestWithParam<Case> {};

TEST_P(GradientTest, MatchesCentralFiniteDifferences) {
  const Case c = GetParam();
  Network<double> net = small_network(c);
  const std::vector<double> target = target_for(net, c);
  const Gradient<double> g = mse_gradient(net, target);
  EXPECT_NEAR(g.loss, mse_loss(net, target), 1e-15);
  expect_matches(g.w, net, target, &Network<double>::w, "dL/dW");
  expect_matches(g.input, net, target, &Network<double>::input, "dL/dI");
  expect_matches(g.h0, net, target, &Network<double>::h0, "dL/dh0");
}

INSTANTIATE_TEST_SUITE_P(Rate, GradientTest,
                         ::testing::Values(Case{"tanh_no_noise", Nonlinearity::kTanh, 0.0, 0.0},
                                           Case{"tanh_noise", Nonlinearity::kTanh, 0.3, 0.2},
                                           Case{"sigmoid_noise", Nonlinearity::kSigmoid, 0.3, 0.2},
                                           Case{"relu_noise", Nonlinearity::kRelu, 0.3, 0.2}),
                         [](const ::testing::TestParamInfo<Case>& case_info) {
                           return case_info.param.name;
                         });

// The float gradient agrees with the double one to float precision.
TEST(Gradient, FloatAgreesWithDouble) {
  const Case c{"tanh_noise", Nonlinearity::kTanh, 0.3, 0.2};
  Network<double> net = small_network(c);
  const std::vector<double> target = target_for(net, c);
  const Gradient<double> gd = mse_gradient(net, target);
  Network<float> netf;
  netf.dynamics = net.dynamics;
  netf.a = net.a;
  netf.noise_scale = net.noise_scale;
  netf.seed = net.seed;
  netf.index = net.index;
  netf.w.assign(net.w.begin(), net.w.end());
  netf.input.assign(net.input.begin(), net.input.end());
  netf.h0.assign(net.h0.begin(), net.h0.end());
  const Gradient<float> gf = mse_gradient(netf, std::vector<float>(target.begin(), target.end()));
  double scale = 0.0;
  for (double v : gd.w) scale = std::max(scale, std::fabs(v));
  for (std::size_t e = 0; e < gd.w.size(); ++e) {
    // float carries 7 digits; 40 steps of rounding and the tanh approximation (3e-7) leave 1e-4.
    EXPECT_NEAR(gf.w[e], gd.w[e], 1e-4 * scale) << e;
  }
  EXPECT_NEAR(gf.loss, gd.loss, 1e-5 * gd.loss);
}

}  // namespace
}  // namespace spikeweave::rate
