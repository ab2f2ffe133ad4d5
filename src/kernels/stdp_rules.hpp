#pragma once
// Weight dependences of the trace-based STDP rules: how one facilitation (post spike after pre)
// or depression (pre spike after post) step changes a weight, given the pairing trace values.
// Formulas follow NEST's stdp_synapse, stdp_pl_synapse_hom and stdp_triplet_synapse.
#include <Kokkos_Core.hpp>
#include <cmath>

namespace spikeweave::kernels {

// Pair STDP with weight dependence (Guetig et al. 2003): additive for mu = 0, multiplicative
// (van Rossum et al. 2000) for mu = 1. Weights are normalised by w_max and clipped to [0, w_max].
struct PairWeightRule {
  double lambda = 0.01;
  double alpha = 1.0;
  double mu_plus = 0.0;
  double mu_minus = 0.0;
  double w_max = 1.0;

  KOKKOS_INLINE_FUNCTION static double power(double x, double mu) {
    if (mu == 0.0) return 1.0;
    if (mu == 1.0) return x;
    return ::pow(x, mu);
  }
  KOKKOS_INLINE_FUNCTION double facilitate(double w, double kplus, double) const {
    const double norm = w / w_max + lambda * power(1.0 - w / w_max, mu_plus) * kplus;
    return norm < 1.0 ? norm * w_max : w_max;
  }
  KOKKOS_INLINE_FUNCTION double depress(double w, double kminus, double) const {
    const double norm = w / w_max - alpha * lambda * power(w / w_max, mu_minus) * kminus;
    return norm > 0.0 ? norm * w_max : 0.0;
  }
};

// Power-law STDP (Morrison et al. 2007): facilitation lambda w^mu K+, depression lambda alpha w K-.
// With single-precision weights the power is taken in single precision too (powf is several
// times cheaper than pow and exact to the weights' own precision).
struct PowerLawWeightRule {
  double lambda = 0.1;
  double alpha = 1.0;
  double mu = 0.4;
  bool single_precision = false;

  KOKKOS_INLINE_FUNCTION double facilitate(double w, double kplus, double) const {
    const double power =
        single_precision
            ? static_cast<double>(::powf(static_cast<float>(w), static_cast<float>(mu)))
            : ::pow(w, mu);
    return w + lambda * power * kplus;
  }
  KOKKOS_INLINE_FUNCTION double depress(double w, double kminus, double) const {
    const double next = w - lambda * alpha * w * kminus;
    return next > 0.0 ? next : 0.0;
  }
};

// Minimal triplet rule (Pfister & Gerstner 2006): facilitation (A2+ + A3+ o2) r1 at post spikes,
// depression (A2- + A3- r2) o1 at pre spikes; o2 and r2 are taken just before the current spike.
struct TripletWeightRule {
  double a2_plus = 0.0, a3_plus = 0.0, a2_minus = 0.0, a3_minus = 0.0;
  double w_max = 1.0;

  KOKKOS_INLINE_FUNCTION double facilitate(double w, double r1, double o2_before) const {
    const double norm = w / w_max + r1 * (a2_plus + a3_plus * o2_before);
    return norm < 1.0 ? norm * w_max : w_max;
  }
  KOKKOS_INLINE_FUNCTION double depress(double w, double o1, double r2_before) const {
    const double norm = w / w_max - o1 * (a2_minus + a3_minus * r2_before);
    return norm > 0.0 ? norm * w_max : 0.0;
  }
};

}  // namespace spikeweave::kernels
