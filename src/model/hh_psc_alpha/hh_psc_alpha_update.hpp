#pragma once
// One time step of the hh_psc_alpha model for all neurons of a population, as NEST's
// `hh_psc_alpha` (Hodgkin & Huxley 1952, potentials in mV, rates in 1/ms):
//   C dV/dt = -g_Na m^3 h (V - E_Na) - g_K n^4 (V - E_K) - g_L (V - E_L) + I_ex + I_in + I_e + I
//   dx/dt = alpha_x(V) (1 - x) - beta_x(V) x   for x = m, h, n, with
//     alpha_n = 0.01 (V + 55) / (1 - exp(-(V + 55) / 10)),  beta_n = 0.125 exp(-(V + 65) / 80)
//     alpha_m = 0.1 (V + 40) / (1 - exp(-(V + 40) / 10)),   beta_m = 4 exp(-(V + 65) / 18)
//     alpha_h = 0.07 exp(-(V + 65) / 20),                   beta_h = 1 / (1 + exp(-(V + 35) / 10))
//   alpha currents: dI'/dt = -I' / tau_syn,  dI/dt = I' - I / tau_syn (per receptor).
// Integration: the adaptive RKF45 of kernels/rkf45.hpp over the step (absolute tolerance
// error_tol, NEST's 1e-3), the step size kept per neuron. After the step: this step's synaptic
// input w [pA] adds w e / tau_syn to I' (a PSC of peak w), then a spike is emitted if the neuron
// is not refractory, V >= 0 mV and V fell during the step (the peak has passed); refractoriness
// only blocks the detection for t_ref. I is this step's current input. The removable
// singularities of alpha_n at -55 mV and alpha_m at -40 mV take their limits (NEST divides 0 by
// 0 there).
#include "kernels/neuron_update.hpp"
#include "kernels/rkf45.hpp"
#include "kernels/views.hpp"
#include "model/hh_psc_alpha/hh_psc_alpha_params.hpp"

namespace spikeweave::kernels {

struct HhPscAlphaState {
  View<double*> v_m_mv;  // membrane potential [mV] (absolute)
  View<double*> act_m, inact_h, act_n;
  View<double*> di_syn_ex, i_syn_ex_pa, di_syn_in, i_syn_in_pa;
  View<std::int32_t*> refractory;     // steps without spike detection left
  View<double*> integration_step_ms;  // the integrator's step size [ms]
};

SPIKEWEAVE_NO_CONTRACTION_BEGIN

// x / (1 - exp(-x / 10)), continued by its limit 10 (1 + x / 20) near 0.
KOKKOS_INLINE_FUNCTION double hh_vtrap(double x) {
  return ::fabs(x) < 1e-6 ? 10.0 * (1.0 + 0.05 * x) : x / (1.0 - ::exp(-0.1 * x));
}

struct HhRates {
  double alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n;
};
KOKKOS_INLINE_FUNCTION HhRates hh_rates(double v) {
  HhRates r;
  r.alpha_n = 0.01 * hh_vtrap(v + 55.0);
  // Multiplications by the reciprocals of the constants (the right-hand side runs ~10 times a
  // step; a division costs several multiplications).
  r.beta_n = 0.125 * ::exp(-(v + 65.0) * 0.0125);
  r.alpha_m = 0.1 * hh_vtrap(v + 40.0);
  r.beta_m = 4.0 * ::exp(-(v + 65.0) * (1.0 / 18.0));
  r.alpha_h = 0.07 * ::exp(-(v + 65.0) * 0.05);
  r.beta_h = 1.0 / (1.0 + ::exp(-(v + 35.0) * 0.1));
  return r;
}

// One neuron's ODE system for rkf45_advance: y = (V, m, h, n, I'_ex, I_ex, I'_in, I_in).
struct HhSystem {
  const model::HhPscAlphaLowered& q;
  const model::HhPscAlphaParams& p;  // q.params
  double current;                    // i_e + this step's current input [pA]
  bool changed = false;

  KOKKOS_INLINE_FUNCTION void rhs(const double (&y)[8], double (&dy)[8]) const {
    const double v = y[0], m = y[1], h = y[2], n = y[3];
    const HhRates r = hh_rates(v);
    const double i_na = p.g_na_ns * m * m * m * h * (v - p.e_na_mv);
    const double i_k = p.g_k_ns * n * n * n * n * (v - p.e_k_mv);
    const double i_l = p.g_l_ns * (v - p.e_l_mv);
    dy[0] = (-(i_na + i_k + i_l) + current + y[5] + y[7]) * q.inv_c_m;
    dy[1] = r.alpha_m * (1.0 - m) - r.beta_m * m;
    dy[2] = r.alpha_h * (1.0 - h) - r.beta_h * h;
    dy[3] = r.alpha_n * (1.0 - n) - r.beta_n * n;
    dy[4] = -y[4] * q.inv_tau_syn_ex;
    dy[5] = y[4] - y[5] * q.inv_tau_syn_ex;
    dy[6] = -y[6] * q.inv_tau_syn_in;
    dy[7] = y[6] - y[7] * q.inv_tau_syn_in;
  }
  // Nothing happens inside the step: spikes are detected after it.
  KOKKOS_INLINE_FUNCTION int event(double (&)[8]) { return kOdeOk; }
};

SPIKEWEAVE_NO_CONTRACTION_END

struct HhPscAlphaUpdate {
  HhPscAlphaState s;
  InputRing ring;
  FiredFlags fired;
  ModelErrorFlag error;
  model::HhPscAlphaLowered q;
  int slot = 0;
  int lag = 0;
  static constexpr const char* kLabel = "spikeweave::hh_psc_alpha::update";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const {
    const StepInput input = take_step_input(ring, slot, i);
    const double ex = input.ex, in = input.in, current = input.current;
    HhSystem sys{q, q.params, q.params.i_e_pa + current};
    double y[8] = {s.v_m_mv(i),    s.act_m(i),       s.inact_h(i),   s.act_n(i),
                   s.di_syn_ex(i), s.i_syn_ex_pa(i), s.di_syn_in(i), s.i_syn_in_pa(i)};
    const double v_old = y[0];
    double h = s.integration_step_ms(i);
    const int status = rkf45_advance<8>(sys, y, h, q.step_ms, OdeTolerance{q.params.error_tol, 0.0},
                                        static_cast<int>(q.params.max_substeps));
    if (status != kOdeOk) raise_model_error(error, status, i, lag);
    std::int32_t r = s.refractory(i);
    const bool spike = r == 0 && y[0] >= 0.0 && v_old > y[0];
    r = spike ? q.refractory_steps : (r > 0 ? r - 1 : 0);
    s.v_m_mv(i) = y[0];
    s.act_m(i) = y[1];
    s.inact_h(i) = y[2];
    s.act_n(i) = y[3];
    s.di_syn_ex(i) = y[4] + ex * q.psc_ex_init;
    s.i_syn_ex_pa(i) = y[5];
    s.di_syn_in(i) = y[6] + in * q.psc_in_init;
    s.i_syn_in_pa(i) = y[7];
    s.refractory(i) = r;
    s.integration_step_ms(i) = h;
    fired(lag, i) = spike ? 1 : 0;
  }
};

}  // namespace spikeweave::kernels
