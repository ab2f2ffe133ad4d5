#pragma once
// Brute-force reference for reward-modulated STDP (NEST stdp_dopamine_synapse semantics) on one
// synapse: explicit sums instead of traces, the weight integrated exactly between consecutive
// events (postsynaptic spikes seen by the synapse, dopamine spikes, presynaptic spikes).
#include <cmath>
#include <vector>

#include "plasticity/stdp_reference.hpp"

namespace spikeweave::test {

struct DopamineReferenceParams {
  double tau_plus_ms = 20, tau_minus_ms = 20, a_plus = 1.0, a_minus = 1.5;
  double tau_c_ms = 1000, tau_n_ms = 200, b = 0.0, w_min = 0.0, w_max = 200.0;
};

// Weight after the last presynaptic spike. `dopamine` are the times the dopamine reaches the
// synapses (spike time + the dopamine delay).
inline double reference_dopamine_weight(const DopamineReferenceParams& p, double w, double delay_ms,
                                        const std::vector<double>& pre,
                                        const std::vector<double>& post,
                                        const std::vector<double>& dopamine) {
  double c = 0.0;
  auto n_at = [&](double t) {  // dopamine trace at t, spikes at or before t included
    double n = 0;
    for (double e : dopamine) {
      if (e <= t + kTimeEps) n += std::exp(-(t - e) / p.tau_n_ms) / p.tau_n_ms;
    }
    return n;
  };
  auto integrate = [&](double a, double b) {  // no dopamine spike in (a, b)
    if (b <= a + kTimeEps) return;
    const double s = b - a, n0 = n_at(a), rate = 1.0 / p.tau_c_ms + 1.0 / p.tau_n_ms;
    w += c * (n0 * (1 - std::exp(-rate * s)) / rate -
              p.b * p.tau_c_ms * (1 - std::exp(-s / p.tau_c_ms)));
    w = std::min(std::max(w, p.w_min), p.w_max);
    c *= std::exp(-s / p.tau_c_ms);
  };
  auto advance = [&](double a, double b) {
    double t = a;
    for (double e : dopamine) {
      if (e > a + kTimeEps && e <= b + kTimeEps) {
        integrate(t, e);
        t = e;
      }
    }
    integrate(t, b);
  };
  double t_update = 0.0;
  for (std::size_t j = 0; j < pre.size(); ++j) {
    double t0 = t_update;
    for (double q : post) {
      const double seen = q + delay_ms;
      if (!(seen > t_update + kTimeEps && seen <= pre[j] + kTimeEps)) continue;
      if (j == 0) continue;  // no presynaptic spike to pair with yet
      advance(t0, seen);
      t0 = seen;
      double kplus = 0;
      for (std::size_t i = 0; i < j; ++i) kplus += std::exp(-(seen - pre[i]) / p.tau_plus_ms);
      c += p.a_plus * kplus;
    }
    advance(t0, pre[j]);
    double kminus = 0;
    for (double q : post) {
      if (q < pre[j] - delay_ms - kTimeEps)
        kminus += std::exp(-(pre[j] - delay_ms - q) / p.tau_minus_ms);
    }
    c -= p.a_minus * kminus;
    t_update = pre[j];
  }
  return w;
}

}  // namespace spikeweave::test
