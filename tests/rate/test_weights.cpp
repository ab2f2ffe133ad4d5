// Weight generators: Gaussian, sparse and Dale's-law networks have the statistics they promise,
// and network m is the same wherever and however it is made.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <numeric>

#include "core/errors.hpp"
#include "rate/network.hpp"
#include "rate/simulator.hpp"

namespace spikeweave::rate {
namespace {

Dynamics shape(int n, int trials = 1, int steps = 1) {
  Dynamics d;
  d.neurons = n;
  d.trials = trials;
  d.steps = steps;
  d.dt_ms = 1.0;
  return d;
}

struct Moments {
  double mean = 0, second = 0, nonzero = 0;
};
Moments moments(const std::vector<double>& w) {
  Moments m;
  for (double v : w) {
    m.mean += v;
    m.second += v * v;
    m.nonzero += v != 0.0;
  }
  m.mean /= w.size();
  m.second /= w.size();
  m.nonzero /= w.size();
  return m;
}

TEST(Weights, GaussianHasVarianceGainSquaredOverN) {
  const int n = 400;
  NetworkParams p;
  p.gain = 1.7;
  const Moments m = moments(make_network<double>(3, 0, shape(n), p).w);
  const double var = p.gain * p.gain / n;
  // 160000 draws: the sample second moment has relative standard error sqrt(2 / 160000) =
  // 0.35%; 2% is more than five of them. The mean's standard error is sqrt(var / 160000).
  EXPECT_NEAR(m.second, var, 0.02 * var);
  EXPECT_NEAR(m.mean, 0.0, 5.0 * std::sqrt(var / (n * n)));
  EXPECT_EQ(m.nonzero, 1.0);
}

TEST(Weights, SparseKeepsConnectionProbabilityAndVariance) {
  const int n = 400;
  NetworkParams p;
  p.gain = 1.2;
  p.sparsity = 0.1;
  const Moments m = moments(make_network<double>(3, 1, shape(n), p).w);
  // Binomial fraction: standard error sqrt(p (1 - p) / N^2) = 7.5e-4; 5 SE.
  EXPECT_NEAR(m.nonzero, p.sparsity, 5.0 * std::sqrt(p.sparsity * (1 - p.sparsity)) / n);
  // Nonzero weights are N(0, g^2 / (p N)), so the second moment is still g^2 / N; with 16000
  // nonzero draws its relative standard error is about 1.2%, 6% is five of them.
  EXPECT_NEAR(m.second, p.gain * p.gain / n, 0.06 * p.gain * p.gain / n);
}

void expect_dale(const std::vector<double>& w, int n, int n_exc) {
  int positive_columns = 0;
  for (int j = 0; j < n; ++j) {
    int positive = 0, negative = 0;
    for (int i = 0; i < n; ++i) {
      const double v = w[static_cast<std::size_t>(i) * n + j];
      positive += v > 0;
      negative += v < 0;
    }
    ASSERT_TRUE(positive == 0 || negative == 0) << "column " << j << " has both signs";
    positive_columns += positive > 0;
    EXPECT_EQ(positive > 0, j < n_exc) << "column " << j;
  }
  EXPECT_EQ(positive_columns, n_exc);
}

TEST(Weights, DaleColumnsHaveOneSignAndTheRequestedExcitatoryFraction) {
  for (const double f : {0.8, 0.5, 0.25}) {
    for (const double sparsity : {1.0, 0.2}) {
      const int n = 200;
      NetworkParams p;
      p.dale = true;
      p.excitatory_fraction = f;
      p.sparsity = sparsity;
      const Network<double> net = make_network<double>(5, 2, shape(n), p);
      SCOPED_TRACE("f_E " + std::to_string(f) + ", p " + std::to_string(sparsity));
      expect_dale(net.w, n, static_cast<int>(f * n));
      // f_E N is an integer here, so the realised fraction is exactly f_E.
      EXPECT_DOUBLE_EQ(static_cast<double>(excitatory_count(p, n)) / n, f);
    }
  }
}

TEST(Weights, DaleRoundsTheExcitatoryCountToNearest) {
  NetworkParams p;
  p.dale = true;
  p.excitatory_fraction = 0.8;
  EXPECT_EQ(excitatory_count(p, 51), 41);  // 40.8
  p.excitatory_fraction = 0.3;
  EXPECT_EQ(excitatory_count(p, 51), 15);  // 15.3
  expect_dale(make_network<double>(5, 3, shape(51), p).w, 51, 15);
}

TEST(Weights, BalancedDaleRowsSumToZeroOnAverage) {
  const int n = 400;
  NetworkParams p;
  p.gain = 1.0;
  p.dale = true;
  p.balanced = true;
  p.excitatory_fraction = 0.8;
  const Network<double> net = make_network<double>(9, 0, shape(n), p);
  double mean_row_sum = 0.0, second = 0.0;
  for (int i = 0; i < n; ++i) {
    double sum = 0.0;
    for (int j = 0; j < n; ++j) sum += net.w[static_cast<std::size_t>(i) * n + j];
    mean_row_sum += sum / n;
  }
  for (double v : net.w) second += v * v;
  second /= net.w.size();
  // A row sum has variance sum_j var(W_ij) < g^2 (1 - 2/pi); the mean of 400 of them has a
  // standard error below 0.03. Unbalanced, the mean row sum is g sqrt(2/pi) (n_E - n_I) / sqrt(N)
  // = 9.6.
  EXPECT_NEAR(mean_row_sum, 0.0, 0.15);
  EXPECT_NEAR(second, p.gain * p.gain / n, 0.03 * p.gain * p.gain / n);
  p.balanced = false;
  const Network<double> unbalanced = make_network<double>(9, 0, shape(n), p);
  double unbalanced_row_sum = 0.0;
  for (double v : unbalanced.w) unbalanced_row_sum += v;
  EXPECT_GT(unbalanced_row_sum / n, 5.0);
}

TEST(Weights, ValidationNamesTheParameter) {
  NetworkParams p;
  p.sparsity = 0.0;
  EXPECT_THROW(make_network<double>(1, 0, shape(10), p), ConfigError);
  p = NetworkParams{};
  p.dale = true;
  p.balanced = true;
  p.excitatory_fraction = 1.0;
  try {
    make_network<double>(1, 0, shape(10), p);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("balanced"), std::string::npos) << e.what();
  }
}

// Network m is a pure function of (seed, m): the host generator and the batched kernel agree
// bit for bit, whatever the batch's other members and m's position in it.
TEST(Weights, SameNetworkWhateverTheBatch) {
  const Dynamics d = shape(70, 2, 30);
  NetworkParams p;
  p.noise = 0.2;
  p.sparsity = 0.5;
  p.input_std = 0.3;
  BatchSimulator<float> alone(d, 1, false), batch(d, 3, false);
  alone.generate_and_run(42, {5}, {p});
  NetworkParams other = p;
  other.gain = 0.7;
  batch.generate_and_run(42, {9, 2, 5}, {other, other, p});
  const std::size_t trace = static_cast<std::size_t>(d.trials) * d.steps * d.neurons;
  EXPECT_EQ(0, std::memcmp(alone.activity(0), batch.activity(2), trace * sizeof(float)));
  std::vector<float> w_batch(d.neurons * d.neurons);
  batch.copy_weights(2, w_batch.data());
  const Network<float> host = make_network<float>(42, 5, d, p);
  EXPECT_EQ(host.w, w_batch);
  std::vector<float> input(d.neurons), h0(d.trials * d.neurons);
  batch.copy_input(2, input.data());
  batch.copy_h0(2, h0.data());
  EXPECT_EQ(host.input, input);
  EXPECT_EQ(host.h0, h0);
  // ... and simulating the host copy gives the same trace.
  const Trace again = simulate(host);
  EXPECT_EQ(0, std::memcmp(again.x.data(), alone.activity(0), trace * sizeof(float)));
}

}  // namespace
}  // namespace spikeweave::rate
