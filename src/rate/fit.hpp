#pragma once
// Recovering a network's weights from an observed trace: gradient descent with Adam (Kingma &
// Ba 2015) on the mean squared error of gradient.hpp, for a known noise realisation (the
// network's seed and index, as in the dataset that produced the trace), known h0 and, unless
// fitted too, known input.
#include <functional>
#include <vector>

#include "rate/gradient.hpp"

namespace spikeweave::rate {

struct FitOptions {
  int iterations = 2000;
  double learning_rate = 0.01;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
  bool fit_input = false;  // also fit I
  bool fit_h0 = false;     // also fit h0
  double stop_loss = 0.0;  // stop once the loss falls below this
  // Called every iteration with (iteration, loss); return false to stop.
  std::function<bool(int, double)> progress;
};

template <class Real>
struct FitResult {
  Network<Real> network;     // the fitted network
  std::vector<double> loss;  // loss before each update (loss[0]: the initial guess)
  double final_loss = 0.0;   // loss of the returned network
};

// Starts from `initial` (its W, I, h0 and noise realisation) and fits it to `target` [K][T][N].
template <class Real>
FitResult<Real> fit(const Network<Real>& initial, const std::vector<Real>& target,
                    const FitOptions& options);

// Pearson correlation of two equally long vectors (e.g. fitted and true W).
double correlation(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace spikeweave::rate
