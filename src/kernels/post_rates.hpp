#pragma once
// Per-neuron rate estimates (exponential traces of the spike train, in Hz) and homeostatic gains
// (synaptic scaling), updated once per interval from the fired flags.
#include "kernels/views.hpp"

namespace spikeweave::kernels {

inline constexpr int kMaxRateTraces = 4;

struct PostRatesUpdate {
  FiredFlags fired;
  Kokkos::Array<View<double*>, kMaxRateTraces> rate_hz;  // trace k of each neuron
  Kokkos::Array<double, kMaxRateTraces> decay;           // exp(-dt / tau_k)
  Kokkos::Array<double, kMaxRateTraces> jump_hz;         // 1000 / tau_k [ms -> s]
  int traces = 0;
  View<double*> gain;      // empty: no scaling
  int gain_trace = 0;      // the rate trace the gain follows
  double gain_step = 0.0;  // dt / tau_scaling
  double target_rate_hz = 1.0;
  int steps = 0;
  static constexpr const char* kLabel = "spikeweave::plasticity::post_rates";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const {
    for (int lag = 0; lag < steps; ++lag) {
      const bool spiked = fired(lag, i) != 0;
      for (int k = 0; k < traces; ++k) {
        rate_hz[k](i) = rate_hz[k](i) * decay[k] + (spiked ? jump_hz[k] : 0.0);
      }
      if (gain.extent(0) > 0) {
        // dg/dt = g (target - r) / (target tau): Euler per step, tau >> dt.
        const double g =
            gain(i) * (1.0 + gain_step * (1.0 - rate_hz[gain_trace](i) / target_rate_hz));
        gain(i) = g > 0.0 ? g : 0.0;
      }
    }
  }
};

}  // namespace spikeweave::kernels
