#pragma once
// One time step of the aeif_cond_exp model for all neurons of a population, as NEST's
// `aeif_cond_exp` (Brette & Gerstner 2005):
//   C dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_T) / Delta_T) - g_ex (V - E_ex)
//             - g_in (V - E_in) - w + I_e + I
//   tau_w dw/dt = a (V - E_L) - w,   dg_ex/dt = -g_ex / tau_syn_ex,   dg_in/dt = -g_in / tau_syn_in
// where V in the right-hand side is min(V, V_peak) (V_reset while refractory, when dV/dt = 0).
// Integration: the adaptive RKF45 of kernels/rkf45.hpp over the step, the step size kept per
// neuron (or, with integrator = "rk4", one classical RK4 step of dt, the spike test once at its
// end). After each accepted sub-step: if refractory, V <- V_reset; else if V >= V_peak, a
// spike: V <- V_reset, w <- w + b, refractory for t_ref (counted in steps, the spike's step not
// included). After the step: the refractory count goes down by one, the conductances jump by
// this step's synaptic input (excitatory weights add to g_ex, inhibitory ones, negative, are
// subtracted from g_in). I is this step's current input. Failures (step budget, non-finite
// state, NEST's instability bounds V < -1e3 mV or |w| > 1e6 pA) stop the neuron's step and
// raise the group's error flag.
#include "kernels/neuron_update.hpp"
#include "kernels/rkf45.hpp"
#include "kernels/views.hpp"
#include "model/aeif_cond_exp/aeif_cond_exp_params.hpp"

namespace spikeweave::kernels {

struct AeifCondExpState {
  View<double*> v_m_mv;               // membrane potential [mV] (absolute)
  View<double*> w_pa;                 // adaptation current [pA]
  View<double*> g_ex_ns;              // excitatory conductance [nS]
  View<double*> g_in_ns;              // inhibitory conductance [nS]
  View<std::int32_t*> refractory;     // steps of refractoriness left
  View<double*> integration_step_ms;  // the integrator's step size [ms]
};

enum AeifStatus : int { kAeifUnstable = kOdeModelStatus };

SPIKEWEAVE_NO_CONTRACTION_BEGIN

// One neuron's ODE system for rkf45_advance: y = (V, g_ex, g_in, w).
struct AeifSystem {
  const model::AeifCondExpLowered& q;
  const model::AeifCondExpParams& p;  // q.params
  double v_spike;
  double current;  // i_e + this step's current input [pA]
  std::int32_t refractory_after_spike;
  std::int32_t r;  // refractory count (NEST's r_)
  bool spiked = false;
  bool changed = false;

  KOKKOS_INLINE_FUNCTION void rhs(const double (&y)[4], double (&dy)[4]) const {
    const bool refractory = r > 0;
    const double v = refractory ? p.v_reset_mv : (y[0] < v_spike ? y[0] : v_spike);
    const double spike_current =
        p.delta_t_mv > 0.0 ? p.g_l_ns * p.delta_t_mv * ::exp((v - p.v_th_mv) * q.inv_delta_t) : 0.0;
    const double i_syn = y[1] * (v - p.e_ex_mv) + y[2] * (v - p.e_in_mv);
    dy[0] = refractory
                ? 0.0
                : (-p.g_l_ns * (v - p.e_l_mv) + spike_current - i_syn - y[3] + current) * q.inv_c_m;
    dy[1] = -y[1] * q.inv_tau_syn_ex;
    dy[2] = -y[2] * q.inv_tau_syn_in;
    dy[3] = (p.a_ns * (v - p.e_l_mv) - y[3]) * q.inv_tau_w;
  }

  KOKKOS_INLINE_FUNCTION int event(double (&y)[4]) {
    if (y[0] < -1e3 || y[3] < -1e6 || y[3] > 1e6) return kAeifUnstable;
    if (r > 0) {
      changed = y[0] != p.v_reset_mv;
      y[0] = p.v_reset_mv;
    } else if (y[0] >= v_spike) {
      y[0] = p.v_reset_mv;
      y[3] += p.b_pa;
      // +1: the count goes down once at the end of the spike's own step (as NEST).
      r = refractory_after_spike > 0 ? refractory_after_spike + 1 : 0;
      spiked = true;
      changed = true;
    }
    return kOdeOk;
  }
};

SPIKEWEAVE_NO_CONTRACTION_END

struct AeifCondExpUpdate {
  AeifCondExpState s;
  InputRing ring;
  FiredFlags fired;
  ModelErrorFlag error;
  model::AeifCondExpLowered q;
  int slot = 0;
  int lag = 0;
  static constexpr const char* kLabel = "spikeweave::aeif_cond_exp::update";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const {
    const StepInput input = take_step_input(ring, slot, i);
    const double ex = input.ex, in = input.in, current = input.current;
    AeifSystem sys{
        q, q.params, q.v_spike_mv, q.params.i_e_pa + current, q.refractory_steps, s.refractory(i)};
    double y[4] = {s.v_m_mv(i), s.g_ex_ns(i), s.g_in_ns(i), s.w_pa(i)};
    double h = s.integration_step_ms(i);
    const double tol = q.params.error_tol;
    const int status = q.params.fixed_rk4
                           ? rk4_advance<4>(sys, y, q.step_ms)
                           : rkf45_advance<4>(sys, y, h, q.step_ms, OdeTolerance{tol, tol},
                                              static_cast<int>(q.params.max_substeps));
    if (status != kOdeOk) {
      raise_model_error(error, status, i, lag);
    }
    s.v_m_mv(i) = y[0];
    s.g_ex_ns(i) = y[1] + ex;
    s.g_in_ns(i) = y[2] - in;
    s.w_pa(i) = y[3];
    s.refractory(i) = sys.r > 0 ? sys.r - 1 : 0;
    s.integration_step_ms(i) = h;
    fired(lag, i) = sys.spiked ? 1 : 0;
  }
};

}  // namespace spikeweave::kernels
