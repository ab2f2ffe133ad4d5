#pragma once
// One time step of the LIF models for all neurons of a population (exact integration,
// Rotter & Diesmann 1999). Each functor reads and clears the ring slot of the step, integrates,
// applies the threshold and the absolute refractory period, and writes a fired flag.
// The order of operations inside a step follows NEST's iaf_psc_* models.
#include "kernels/views.hpp"
#include "model/lif_params.hpp"

namespace spikeweave::kernels {

// State of a LIF population; one View per field (structure of arrays).
struct LifState {
  View<double*> v_rel_mv;     // V_m - E_L [mV]
  View<double*> i_syn_ex_pa;  // excitatory synaptic current [pA] (psc_exp, psc_alpha)
  View<double*> i_syn_in_pa;  // inhibitory synaptic current [pA]
  View<double*> di_syn_ex;    // alpha: derivative state [pA/ms]
  View<double*> di_syn_in;
  View<std::int32_t*> refractory_steps;  // steps of refractoriness left
};

// Reads (and clears) the three ports of neuron i at `slot`.
struct SlotInput {
  double ex, in, current;
  KOKKOS_INLINE_FUNCTION SlotInput(const InputRing& ring, int slot, int i) {
    ex = from_fixed(ring(kPortExcitatory, slot, i));
    in = from_fixed(ring(kPortInhibitory, slot, i));
    current = from_fixed(ring(kPortCurrent, slot, i));
    ring(kPortExcitatory, slot, i) = 0;
    ring(kPortInhibitory, slot, i) = 0;
    ring(kPortCurrent, slot, i) = 0;
  }
};

// Threshold, reset and refractoriness, shared by the three models.
KOKKOS_INLINE_FUNCTION void lif_threshold(double& v, std::int32_t& refractory, std::uint8_t& fired,
                                          const model::LifPropagators& q) {
  if (v >= q.v_th_rel) {
    v = q.v_reset_rel;
    refractory = q.refractory_steps;
    fired = 1;
  } else {
    fired = 0;
  }
}

// Voltage-jump synapses: inputs arriving while refractory are discarded (Brunel 2000, NEST).
struct LifPscDeltaUpdate {
  LifState s;
  InputRing ring;
  FiredFlags fired;
  model::LifPropagators q;
  int slot = 0;
  int lag = 0;
  static constexpr const char* kLabel = "spikeweave::lif_psc_delta::update";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const {
    const SlotInput in(ring, slot, i);
    double v = s.v_rel_mv(i);
    std::int32_t r = s.refractory_steps(i);
    if (r == 0) {
      v = q.v_decay * v + q.v_from_current * (q.i_e_pa + in.current) + in.ex + in.in;
      if (v < q.v_min_rel) v = q.v_min_rel;
    } else {
      --r;
    }
    lif_threshold(v, r, fired(lag, i), q);
    s.v_rel_mv(i) = v;
    s.refractory_steps(i) = r;
  }
};

// Exponentially decaying synaptic currents.
struct LifPscExpUpdate {
  LifState s;
  InputRing ring;
  FiredFlags fired;
  model::LifPropagators q;
  int slot = 0;
  int lag = 0;
  static constexpr const char* kLabel = "spikeweave::lif_psc_exp::update";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const {
    const SlotInput in(ring, slot, i);
    double v = s.v_rel_mv(i);
    const double i_ex = s.i_syn_ex_pa(i);
    const double i_in = s.i_syn_in_pa(i);
    std::int32_t r = s.refractory_steps(i);
    if (r == 0) {
      v = q.v_decay * v + q.v_from_ex * i_ex + q.v_from_in * i_in +
          q.v_from_current * (q.i_e_pa + in.current);
      if (v < q.v_min_rel) v = q.v_min_rel;
    } else {
      --r;
    }
    s.i_syn_ex_pa(i) = q.ex_decay * i_ex + in.ex;
    s.i_syn_in_pa(i) = q.in_decay * i_in + in.in;
    lif_threshold(v, r, fired(lag, i), q);
    s.v_rel_mv(i) = v;
    s.refractory_steps(i) = r;
  }
};

// Alpha-shaped synaptic currents: a spike of weight w sets the derivative state to w e/tau so
// that the current peaks at w after tau_syn.
struct LifPscAlphaUpdate {
  LifState s;
  InputRing ring;
  FiredFlags fired;
  model::LifPropagators q;
  int slot = 0;
  int lag = 0;
  static constexpr const char* kLabel = "spikeweave::lif_psc_alpha::update";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const {
    const SlotInput in(ring, slot, i);
    double v = s.v_rel_mv(i);
    const double i_ex = s.i_syn_ex_pa(i), di_ex = s.di_syn_ex(i);
    const double i_in = s.i_syn_in_pa(i), di_in = s.di_syn_in(i);
    std::int32_t r = s.refractory_steps(i);
    if (r == 0) {
      v = q.v_decay * v + q.v_from_dex * di_ex + q.v_from_ex * i_ex + q.v_from_din * di_in +
          q.v_from_in * i_in + q.v_from_current * (q.i_e_pa + in.current);
      if (v < q.v_min_rel) v = q.v_min_rel;
    } else {
      --r;
    }
    s.i_syn_ex_pa(i) = q.step_ms * q.ex_decay * di_ex + q.ex_decay * i_ex;
    s.i_syn_in_pa(i) = q.step_ms * q.in_decay * di_in + q.in_decay * i_in;
    s.di_syn_ex(i) = q.ex_decay * di_ex + q.ex_alpha_scale * in.ex;
    s.di_syn_in(i) = q.in_decay * di_in + q.in_alpha_scale * in.in;
    lif_threshold(v, r, fired(lag, i), q);
    s.v_rel_mv(i) = v;
    s.refractory_steps(i) = r;
  }
};

// Conductance-based synapses (NEST iaf_cond_exp's model): C dV/dt = -g_L (V - E_L)
// - g_ex (V - E_ex) - g_in (V - E_in) + I; each conductance decays exponentially and jumps by the
// spike's weight [nS] (inhibitory weights are negative, as in NEST, and enter g_in as |w|).
// V is advanced with the conductances of the step's start held fixed: exponential Euler
// (V relaxes exactly towards the momentary equilibrium; stable for any step) or forward Euler
// (Brian2's and many benchmarks' scheme). The conductance decay is exact.
struct LifCondExpUpdate {
  LifState s;  // i_syn_ex_pa / i_syn_in_pa hold g_ex / g_in [nS]
  InputRing ring;
  FiredFlags fired;
  model::LifPropagators q;
  int slot = 0;
  int lag = 0;
  static constexpr const char* kLabel = "spikeweave::lif_cond_exp::update";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const {
    const SlotInput in(ring, slot, i);
    double v = s.v_rel_mv(i);
    const double g_ex = s.i_syn_ex_pa(i);
    const double g_in = s.i_syn_in_pa(i);
    std::int32_t r = s.refractory_steps(i);
    if (r == 0) {
      const double current = q.i_e_pa + in.current;
      if (q.exponential_euler) {
        const double g_total = q.g_l_ns + g_ex + g_in;
        const double v_inf = (g_ex * q.e_ex_rel + g_in * q.e_in_rel + current) / g_total;
        v = v_inf + (v - v_inf) * ::exp(-q.step_ms * g_total / q.c_m_pf);
      } else {
        v += q.step_ms / q.c_m_pf *
             (-q.g_l_ns * v - g_ex * (v - q.e_ex_rel) - g_in * (v - q.e_in_rel) + current);
      }
      if (v < q.v_min_rel) v = q.v_min_rel;
    } else {
      --r;
    }
    s.i_syn_ex_pa(i) = q.ex_decay * g_ex + in.ex;
    s.i_syn_in_pa(i) = q.in_decay * g_in - in.in;
    lif_threshold(v, r, fired(lag, i), q);
    s.v_rel_mv(i) = v;
    s.refractory_steps(i) = r;
  }
};

template <class Functor>
void run_update(const Functor& f, int n) {
  Kokkos::parallel_for(Functor::kLabel, Kokkos::RangePolicy<ExecSpace>(0, n), f);
}

}  // namespace spikeweave::kernels
