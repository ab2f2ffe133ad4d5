// Fitting W by Adam through BPTT recovers a generated network from its noise-driven activity.
#include <gtest/gtest.h>

#include <cstdio>

#include "rate/fit.hpp"

namespace spikeweave::rate {
namespace {

TEST(Fit, RecoversWeightsOfANoiseDrivenNetwork) {
  Dynamics d;
  d.neurons = 20;
  d.trials = 4;
  d.steps = 200;
  d.dt_ms = 1.0;
  NetworkParams p;
  p.gain = 0.9;  // below the transition: the fit's gradients through 200 steps stay tame
  p.tau_ms = 10.0;
  p.noise = 0.3;  // the noise drives the activity that reveals W
  p.h0_std = 1.0;
  const Network<double> truth = make_network<double>(7, 3, d, p);
  // The observation is what a dataset stores: the float32 trace of the batched simulator.
  const Trace stored = simulate(truth);
  const std::vector<double> observed(stored.x.begin(), stored.x.end());

  Network<double> guess = truth;                   // same h0, input and noise realisation ...
  std::fill(guess.w.begin(), guess.w.end(), 0.0);  // ... but no weights
  FitOptions options;
  options.iterations = 600;
  options.learning_rate = 0.02;
  const FitResult<double> result = fit(guess, observed, options);
  const double initial = result.loss.front();
  const double reduction = initial / result.final_loss;
  const double r = correlation(result.network.w, truth.w);
  std::printf("fit: loss %.3e -> %.3e (%.0f-fold), correlation with the true W %.4f\n", initial,
              result.final_loss, reduction, r);
  EXPECT_GE(reduction, 100.0);
  EXPECT_GE(r, 0.9);
}

}  // namespace
}  // namespace spikeweave::rate
