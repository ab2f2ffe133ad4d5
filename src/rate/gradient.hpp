#pragma once
// Reverse-mode differentiation through the Euler loop (backpropagation through time) of the
// mean squared error between a network's trace and a target trace, for the network's own noise
// realisation (the noise is an input, not a variable):
//   L = 1/(K T N) sum_{k,t,i} (x[k][t][i] - y[k][t][i])^2,  x[k][t] = phi(h[k][t + 1]).
// With a = dt/tau and lambda[t] = dL/dh[t] (lambda[T + 1] = 0):
//   lambda[t] = phi'(h[t]) (dL/dx[t] + a W^T lambda[t + 1]) + (1 - a) lambda[t + 1],  t = T .. 1
//   dL/dW = a sum_{t=0}^{T-1} lambda[t + 1] phi(h[t])^T,  dL/dI = a sum_t lambda[t + 1],
//   dL/dh[0] = (1 - a) lambda[1] + a phi'(h[0]) W^T lambda[1],  summed over trials.
#include <memory>
#include <vector>

#include "rate/network.hpp"

namespace spikeweave::rate {

template <class Real>
struct Gradient {
  double loss = 0.0;
  std::vector<Real> w;      // dL/dW [N][N] row-major
  std::vector<Real> input;  // dL/dI [N]
  std::vector<Real> h0;     // dL/dh0 [K][N]
};

template <class Real>
struct GradientBuffers;

// Buffers for repeated gradients of networks of one shape (a fit calls it thousands of times):
// allocated once, never zero-filled more than needed.
template <class Real>
class GradientWorkspace {
 public:
  explicit GradientWorkspace(const Dynamics& dynamics);
  ~GradientWorkspace();
  GradientWorkspace(const GradientWorkspace&) = delete;
  GradientWorkspace& operator=(const GradientWorkspace&) = delete;

  // The target trace [K][T][N], kept until replaced.
  void set_target(const std::vector<Real>& target);
  Gradient<Real> gradient(const Network<Real>& network);
  double loss(const Network<Real>& network);
  // The trace x [K][T][N] of the last call, in the network's precision.
  std::vector<Real> last_trace() const;

 private:
  double run(const Network<Real>& network, bool backward);
  Dynamics dynamics_;
  std::unique_ptr<GradientBuffers<Real>> buf_;
};

// target: [K][T][N]. Throws InternalError if the sizes do not match the network.
template <class Real>
Gradient<Real> mse_gradient(const Network<Real>& network, const std::vector<Real>& target);
// The loss alone (the same forward pass, no backward).
template <class Real>
double mse_loss(const Network<Real>& network, const std::vector<Real>& target);

// The trace x [K][T][N] in the network's own precision.
template <class Real>
std::vector<Real> trace_in_precision(const Network<Real>& network);

extern template Gradient<float> mse_gradient<float>(const Network<float>&,
                                                    const std::vector<float>&);
extern template Gradient<double> mse_gradient<double>(const Network<double>&,
                                                      const std::vector<double>&);

}  // namespace spikeweave::rate
