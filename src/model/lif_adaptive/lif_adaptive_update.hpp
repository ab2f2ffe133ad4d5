#pragma once
// One time step of the adaptive LIF models. The membrane and synapses advance exactly as in
// lif_psc_exp and lif_cond_exp (model/lif/lif_update.hpp, same propagators, same order), with two
// additions per neuron:
//   theta: threshold offset [mV]. theta <- theta exp(-h/tau_theta) every step; the neuron spikes
//          if V >= v_th + theta (the decayed value); a spike adds theta_plus to theta.
//   w:     adaptation current [pA] entering like an inhibitory current: psc_exp adds
//          -v_from_w w to V (exact, w decays with tau_w like a synaptic current), cond_exp
//          subtracts w from the input current; w <- w exp(-h/tau_w); a spike adds b to w.
// Both keep decaying while the neuron is refractory.
#include "kernels/neuron_update.hpp"
#include "kernels/views.hpp"
#include "model/lif/lif_update.hpp"
#include "model/lif_adaptive/lif_adaptive_params.hpp"

namespace spikeweave::kernels {

struct LifAdaptiveState {
  LifState base;           // V, synaptic currents (psc_exp) or conductances (cond_exp), refractory
  View<double*> theta_mv;  // threshold offset [mV]
  View<double*> w_pa;      // adaptation current [pA]
};

SPIKEWEAVE_NO_CONTRACTION_BEGIN

// Threshold, reset and refractoriness with the adaptive threshold, as selects (see
// lif_threshold).
KOKKOS_FORCEINLINE_FUNCTION void lif_adaptive_threshold(double& v, std::int32_t& r, double& theta,
                                                        double& w, std::uint8_t& fired,
                                                        double v_new,
                                                        const model::LifPropagators& q,
                                                        const model::LifAdaptation& a) {
  const bool active = r == 0;
  v_new = v_new < q.v_min_rel ? q.v_min_rel : v_new;
  double v_next = active ? v_new : v;
  std::int32_t r_next = active ? r : r - 1;
  const double theta_next = a.theta_decay * theta;
  const double w_next = a.w_decay * w;
  const bool spike = v_next >= q.v_th_rel + theta_next;
  v_next = spike ? q.v_reset_rel : v_next;
  r_next = spike ? q.refractory_steps : r_next;
  theta = spike ? theta_next + a.theta_plus_mv : theta_next;
  w = spike ? w_next + a.b_pa : w_next;
  fired = spike ? 1 : 0;
  v = v_next;
  r = r_next;
}

namespace lif_adaptive_loops {

KOKKOS_INLINE_FUNCTION void psc_exp(
    int begin, int end, const model::LifPropagators& q_in, const model::LifAdaptation& a_in,
    double* KOKKOS_RESTRICT v_rel, std::int32_t* KOKKOS_RESTRICT refractory,
    double* KOKKOS_RESTRICT i_syn_ex, double* KOKKOS_RESTRICT i_syn_in,
    double* KOKKOS_RESTRICT theta_mv, double* KOKKOS_RESTRICT w_pa,
    std::int64_t* KOKKOS_RESTRICT in_ex, std::int64_t* KOKKOS_RESTRICT in_in,
    std::int64_t* KOKKOS_RESTRICT in_current, std::uint8_t* KOKKOS_RESTRICT fired) {
  const model::LifPropagators q = q_in;  // local copies: their fields stay in registers
  const model::LifAdaptation a = a_in;
  SPIKEWEAVE_IVDEP
  for (int i = begin; i < end; ++i) {
    const double ex = take_input(in_ex, i), in = take_input(in_in, i);
    const double current = take_input(in_current, i);
    double v = v_rel[i], theta = theta_mv[i], w = w_pa[i];
    const double i_ex = i_syn_ex[i], i_in = i_syn_in[i];
    std::int32_t r = refractory[i];
    const double v_new = q.v_decay * v + q.v_from_ex * i_ex + q.v_from_in * i_in +
                         q.v_from_current * (q.i_e_pa + current) - a.v_from_w * w;
    i_syn_ex[i] = q.ex_decay * i_ex + ex;
    i_syn_in[i] = q.in_decay * i_in + in;
    lif_adaptive_threshold(v, r, theta, w, fired[i], v_new, q, a);
    v_rel[i] = v;
    refractory[i] = r;
    theta_mv[i] = theta;
    w_pa[i] = w;
  }
}

// The two integrators of lif_cond_exp, one loop each (as in lif_update.hpp): exponential Euler
// takes its exp only for neurons that are not refractory.
template <bool kExponential>
KOKKOS_INLINE_FUNCTION void cond_exp(
    int begin, int end, const model::LifPropagators& q_in, const model::LifAdaptation& a_in,
    double* KOKKOS_RESTRICT v_rel, std::int32_t* KOKKOS_RESTRICT refractory,
    double* KOKKOS_RESTRICT g_ex_ns, double* KOKKOS_RESTRICT g_in_ns,
    double* KOKKOS_RESTRICT theta_mv, double* KOKKOS_RESTRICT w_pa,
    std::int64_t* KOKKOS_RESTRICT in_ex, std::int64_t* KOKKOS_RESTRICT in_in,
    std::int64_t* KOKKOS_RESTRICT in_current, std::uint8_t* KOKKOS_RESTRICT fired) {
  const model::LifPropagators q = q_in;
  const model::LifAdaptation a = a_in;
  const double h_over_c = q.step_ms / q.c_m_pf;
  SPIKEWEAVE_IVDEP
  for (int i = begin; i < end; ++i) {
    const double ex = take_input(in_ex, i), in = take_input(in_in, i);
    double v = v_rel[i], theta = theta_mv[i], w = w_pa[i];
    const double current = q.i_e_pa + take_input(in_current, i) - w;
    const double g_ex = g_ex_ns[i], g_in = g_in_ns[i];
    std::int32_t r = refractory[i];
    double v_new = v;
    if constexpr (!kExponential) {
      v_new = v + h_over_c *
                      (-q.g_l_ns * v - g_ex * (v - q.e_ex_rel) - g_in * (v - q.e_in_rel) + current);
    } else if (r == 0) {
      const double g_total = q.g_l_ns + g_ex + g_in;
      const double v_inf = (g_ex * q.e_ex_rel + g_in * q.e_in_rel + current) / g_total;
      v_new = v_inf + (v - v_inf) * ::exp(-q.step_ms * g_total / q.c_m_pf);
    }
    g_ex_ns[i] = q.ex_decay * g_ex + ex;
    g_in_ns[i] = q.in_decay * g_in - in;
    lif_adaptive_threshold(v, r, theta, w, fired[i], v_new, q, a);
    v_rel[i] = v;
    refractory[i] = r;
    theta_mv[i] = theta;
    w_pa[i] = w;
  }
}

}  // namespace lif_adaptive_loops
SPIKEWEAVE_NO_CONTRACTION_END

struct LifPscExpAdaptiveUpdate {
  LifAdaptiveState s;
  InputRing ring;
  FiredFlags fired;
  model::LifPropagators q;
  model::LifAdaptation a;
  int slot = 0;
  int lag = 0;
  static constexpr const char* kLabel = "spikeweave::lif_psc_exp_adaptive::update";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const { range(i, i + 1); }
  KOKKOS_INLINE_FUNCTION void range(const int begin, const int end) const {
    const SlotPorts p(ring, slot);
    lif_adaptive_loops::psc_exp(begin, end, q, a, s.base.v_rel_mv.data(),
                                s.base.refractory_steps.data(), s.base.i_syn_ex_pa.data(),
                                s.base.i_syn_in_pa.data(), s.theta_mv.data(), s.w_pa.data(), p.ex,
                                p.in, p.current, &fired(lag, 0));
  }
};

// The conductances live in the base state's i_syn_* Views [nS], as in LifCondExpUpdate.
struct LifCondExpAdaptiveUpdate {
  LifAdaptiveState s;
  InputRing ring;
  FiredFlags fired;
  model::LifPropagators q;
  model::LifAdaptation a;
  int slot = 0;
  int lag = 0;
  static constexpr const char* kLabel = "spikeweave::lif_cond_exp_adaptive::update";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const { range(i, i + 1); }
  KOKKOS_INLINE_FUNCTION void range(const int begin, const int end) const {
    const SlotPorts p(ring, slot);
    if (q.exponential_euler) {
      lif_adaptive_loops::cond_exp<true>(begin, end, q, a, s.base.v_rel_mv.data(),
                                         s.base.refractory_steps.data(), s.base.i_syn_ex_pa.data(),
                                         s.base.i_syn_in_pa.data(), s.theta_mv.data(),
                                         s.w_pa.data(), p.ex, p.in, p.current, &fired(lag, 0));
    } else {
      lif_adaptive_loops::cond_exp<false>(begin, end, q, a, s.base.v_rel_mv.data(),
                                          s.base.refractory_steps.data(), s.base.i_syn_ex_pa.data(),
                                          s.base.i_syn_in_pa.data(), s.theta_mv.data(),
                                          s.w_pa.data(), p.ex, p.in, p.current, &fired(lag, 0));
    }
  }
};

}  // namespace spikeweave::kernels
