#pragma once
// The largest Lyapunov exponent of a rate network's Euler map, by propagating one tangent vector
// with the map's Jacobian and renormalising it every step (Benettin et al. 1980):
//   delta[t + 1] = (1 - a) delta[t] + a W (phi'(h[t]) delta[t]),
//   lambda_max = sum_t ln |delta[t + 1]| / (steps dt)        [1/ms]
// along the trajectory of trial 0 (its h0, its input and its noise realisation), after a
// transient. Negative: nearby trajectories converge (a stable fixed point or noise-driven
// fluctuations around one); positive: chaos (Sompolinsky, Crisanti & Sommers 1988 for g > 1).
#include "rate/network.hpp"

namespace spikeweave::rate {

struct LyapunovOptions {
  int transient_steps = 1000;  // discarded steps (the tangent vector aligns, h leaves h0)
  int steps = 2000;            // steps averaged
};

template <class Real>
double largest_lyapunov_exponent(const Network<Real>& network, const LyapunovOptions& options = {});

}  // namespace spikeweave::rate
