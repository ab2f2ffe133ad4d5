#pragma once
// Exact-integration propagators for linear subthreshold dynamics (Rotter & Diesmann 1999):
// the state after one step h is a fixed linear map of the state before it. Written to stay
// accurate when tau_syn approaches tau_m, where the textbook formulas divide 0 by 0.
#include <cmath>

namespace spikeweave::model {

// Membrane decay over one step: exp(-h / tau_m).
inline double propagator_v_decay(double h_ms, double tau_m_ms) {
  return std::exp(-h_ms / tau_m_ms);
}

// Voltage [mV] after h from a constant current of 1 pA starting at V = 0:
// tau_m / C * (1 - exp(-h / tau_m)).
inline double propagator_v_from_constant_current(double h_ms, double tau_m_ms, double c_m_pf) {
  return -tau_m_ms / c_m_pf * std::expm1(-h_ms / tau_m_ms);
}

// Voltage after h from a current I(t) = exp(-t / tau_s) [pA] (unit initial value):
// (1/C) * (exp(-h/tau_m) - exp(-h/tau_s)) / (1/tau_s - 1/tau_m), limit h exp(-h/tau)/C.
inline double propagator_v_from_exp_current(double h_ms, double tau_m_ms, double tau_s_ms,
                                            double c_m_pf) {
  const double rate_diff = 1.0 / tau_s_ms - 1.0 / tau_m_ms;  // c in the derivation
  const double decay_m = std::exp(-h_ms / tau_m_ms);
  const double x = rate_diff * h_ms;
  // (1 - exp(-x)) / c = h * (-expm1(-x) / x); the ratio tends to 1 as x -> 0.
  const double ratio = std::fabs(x) < 1e-12 ? 1.0 - 0.5 * x : -std::expm1(-x) / x;
  return decay_m * h_ms * ratio / c_m_pf;
}

// Voltage after h from the alpha kernel's derivative state dI = exp(-t/tau_s) (so I(t) = t
// exp(-t/tau_s)): (1/C) * exp(-h/tau_m) * (1 - exp(-x)(1 + x)) / c^2 with x = c h.
inline double propagator_v_from_alpha_derivative(double h_ms, double tau_m_ms, double tau_s_ms,
                                                 double c_m_pf) {
  const double rate_diff = 1.0 / tau_s_ms - 1.0 / tau_m_ms;
  const double decay_m = std::exp(-h_ms / tau_m_ms);
  const double x = rate_diff * h_ms;
  double g;  // (1 - exp(-x)(1 + x)) / x^2, smooth at x = 0 (value 1/2)
  if (std::fabs(x) < 1e-3) {
    g = 0.5 - x / 3.0 + x * x / 8.0 - x * x * x / 30.0;
  } else {
    g = (-std::expm1(-x) - x * std::exp(-x)) / (x * x);
  }
  return decay_m * h_ms * h_ms * g / c_m_pf;
}

}  // namespace spikeweave::model
