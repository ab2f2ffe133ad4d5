#pragma once
// Rate networks given explicitly (W, I, h0 from the caller, not drawn from a seed), simulated in
// their own precision with every state kept, and differentiated by backpropagation through time
// for any upstream gradient: what the Python module's numpy and PyTorch functions run.
//
// A batch holds M networks of N neurons with K trials each (trial k of network m is batch
// element b = m K + k). With a = dt / tau and s the noise added to h per step:
//   h[b][t+1] = h[b][t] + a (-h[b][t] + W[m] phi(h[b][t]) + I[m]) + s xi[b][t],  x = phi(h)
// xi[b][t][i] is element t N + i of the normal sequence of stream (seed, kNoise, 0, b): batch
// element b gets the noise of trial b of network 0 of a dataset with that seed, whatever M and K.
// Backward, given L's gradients gx = dL/dx[t], gh = dL/dh[t] (t = 1..T) and lambda[T+1] = 0:
//   lambda[t] = gh[t] + phi'(h[t]) (gx[t] + a W^T lambda[t+1]) + (1 - a) lambda[t+1]
//   dL/dW = a sum_{b,t} lambda[t+1] phi(h[t])^T,  dL/dI = a sum_{b,t} lambda[t+1],
//   dL/dh[0] = (1 - a) lambda[1] + a phi'(h[0]) W^T lambda[1]   (t = 0 .. T-1 in the sums).
// The noise enters only through the stored trajectory, so backward never redraws it.
#include <cstdint>
#include <memory>

#include "rate/nonlinearity.hpp"

namespace spikeweave::rate {

struct ExplicitShape {
  int networks = 1;  // M
  int trials = 1;    // K
  int neurons = 0;   // N
  int steps = 0;     // T
  Nonlinearity phi = Nonlinearity::kTanh;
};

// Host arrays, C order, owned by the caller.
template <class Real>
struct ExplicitInputs {
  const Real* w = nullptr;      // [M][N][N], W[m][i][j]: from neuron j onto neuron i
  const Real* input = nullptr;  // [M][N], or null for I = 0
  const Real* h0 = nullptr;     // [M][K][N]
  double a = 0.1;               // dt / tau
  double noise_scale = 0.0;     // standard deviation of the noise added to h per step
  std::uint64_t seed = 0;
};

template <class Real>
struct ExplicitBuffers;

// Buffers for one shape, allocated once and reused (training loops call it thousands of times).
template <class Real>
class ExplicitRate {
 public:
  // Throws InternalError for a shape with a non-positive size.
  explicit ExplicitRate(const ExplicitShape& shape);
  ~ExplicitRate();
  ExplicitRate(const ExplicitRate&) = delete;
  ExplicitRate& operator=(const ExplicitRate&) = delete;

  const ExplicitShape& shape() const { return shape_; }

  // x, h: [M][K][T][N], the states after steps 1 .. T.
  void forward(const ExplicitInputs<Real>& in, Real* x, Real* h);
  // x, h: the forward's outputs for the same inputs; grad_x, grad_h: [M][K][T][N] (either may be
  // null for zero). Writes grad_w [M][N][N], grad_input [M][N] and grad_h0 [M][K][N].
  void backward(const ExplicitInputs<Real>& in, const Real* x, const Real* h, const Real* grad_x,
                const Real* grad_h, Real* grad_w, Real* grad_input, Real* grad_h0);

 private:
  ExplicitShape shape_;
  std::unique_ptr<ExplicitBuffers<Real>> buf_;
};

extern template class ExplicitRate<float>;
extern template class ExplicitRate<double>;

}  // namespace spikeweave::rate
