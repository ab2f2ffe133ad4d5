#pragma once
// One rate network held on the host: what the gradient, the Lyapunov estimate and the fit work
// on. make_network draws it exactly as a dataset does, so network `index` of a seed here is
// network `index` of a dataset file with that seed.
#include <cstdint>
#include <vector>

#include "rate/params.hpp"

namespace spikeweave::rate {

template <class Real>
struct Network {
  Dynamics dynamics;         // N, K, T, dt, phi
  double a = 0.1;            // dt / tau
  double noise_scale = 0.0;  // sqrt(dt) sigma
  std::uint64_t seed = 0;    // the noise realisation: stream (seed, kNoise, index, trial)
  std::uint32_t index = 0;
  std::vector<Real> w;      // [N][N] row-major, w[i * N + j] = W[i][j]
  std::vector<Real> input;  // [N]
  std::vector<Real> h0;     // [K][N]

  int n() const { return dynamics.neurons; }
};

template <class Real>
Network<Real> make_network(std::uint64_t seed, std::uint64_t index, const Dynamics& dynamics,
                           const NetworkParams& params);

// Activity of one network: [K][T][N] (x, and h when recorded).
struct Trace {
  std::vector<float> x;
  std::vector<float> h;
};

template <class Real>
Trace simulate(const Network<Real>& network, bool record_h = false);

}  // namespace spikeweave::rate
