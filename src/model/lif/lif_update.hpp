#pragma once
// One time step of the LIF models for all neurons of a population (exact integration,
// Rotter & Diesmann 1999). Each functor reads and clears the ring slot of the step, integrates,
// applies the threshold and the absolute refractory period, and writes a fired flag.
// The order of operations inside a step follows NEST's iaf_psc_* models.
#include "kernels/neuron_update.hpp"
#include "kernels/views.hpp"
#include "model/lif/lif_params.hpp"

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

// Base pointers of the three ports of one ring slot.
struct SlotPorts {
  std::int64_t* ex;
  std::int64_t* in;
  std::int64_t* current;
  KOKKOS_INLINE_FUNCTION SlotPorts(const InputRing& ring, int slot)
      : ex(&ring(kPortExcitatory, slot, 0)),
        in(&ring(kPortInhibitory, slot, 0)),
        current(&ring(kPortCurrent, slot, 0)) {}
};

// The loops of the four models over neurons [begin, end). The pointers do not alias (distinct
// Views); each neuron reads and writes only its own entries. No floating-point contraction (see
// kernels/neuron_update.hpp).
SPIKEWEAVE_NO_CONTRACTION_BEGIN

// Threshold, reset and refractoriness, shared by the models, written as selects (no branches)
// so that the loops vectorise. `v_new` is the integrated potential, used if not refractory.
KOKKOS_FORCEINLINE_FUNCTION void lif_threshold(double& v, std::int32_t& r, std::uint8_t& fired,
                                               double v_new, const model::LifPropagators& q) {
  const bool active = r == 0;
  v_new = v_new < q.v_min_rel ? q.v_min_rel : v_new;
  double v_next = active ? v_new : v;
  std::int32_t r_next = active ? r : r - 1;
  const bool spike = v_next >= q.v_th_rel;
  v_next = spike ? q.v_reset_rel : v_next;
  r_next = spike ? q.refractory_steps : r_next;
  fired = spike ? 1 : 0;
  v = v_next;
  r = r_next;
}

// Reads and clears one ring entry.
KOKKOS_FORCEINLINE_FUNCTION double take_input(std::int64_t* KOKKOS_RESTRICT entry, int i) {
  const double value = from_fixed(entry[i]);
  entry[i] = 0;
  return value;
}

namespace lif_loops {

// Voltage-jump synapses: inputs arriving while refractory are discarded (Brunel 2000, NEST).
KOKKOS_INLINE_FUNCTION void psc_delta(int begin, int end, const model::LifPropagators& q_in,
                                      double* KOKKOS_RESTRICT v_rel,
                                      std::int32_t* KOKKOS_RESTRICT refractory,
                                      std::int64_t* KOKKOS_RESTRICT in_ex,
                                      std::int64_t* KOKKOS_RESTRICT in_in,
                                      std::int64_t* KOKKOS_RESTRICT in_current,
                                      std::uint8_t* KOKKOS_RESTRICT fired) {
  const model::LifPropagators q = q_in;  // a local copy: its fields stay in registers
  SPIKEWEAVE_IVDEP
  for (int i = begin; i < end; ++i) {
    const double ex = take_input(in_ex, i), in = take_input(in_in, i);
    const double current = take_input(in_current, i);
    double v = v_rel[i];
    std::int32_t r = refractory[i];
    const double v_new = q.v_decay * v + q.v_from_current * (q.i_e_pa + current) + ex + in;
    lif_threshold(v, r, fired[i], v_new, q);
    v_rel[i] = v;
    refractory[i] = r;
  }
}

// Exponentially decaying synaptic currents.
KOKKOS_INLINE_FUNCTION void psc_exp(
    int begin, int end, const model::LifPropagators& q_in, double* KOKKOS_RESTRICT v_rel,
    std::int32_t* KOKKOS_RESTRICT refractory, double* KOKKOS_RESTRICT i_syn_ex,
    double* KOKKOS_RESTRICT i_syn_in, std::int64_t* KOKKOS_RESTRICT in_ex,
    std::int64_t* KOKKOS_RESTRICT in_in, std::int64_t* KOKKOS_RESTRICT in_current,
    std::uint8_t* KOKKOS_RESTRICT fired) {
  const model::LifPropagators q = q_in;  // a local copy: its fields stay in registers
  SPIKEWEAVE_IVDEP
  for (int i = begin; i < end; ++i) {
    const double ex = take_input(in_ex, i), in = take_input(in_in, i);
    const double current = take_input(in_current, i);
    double v = v_rel[i];
    const double i_ex = i_syn_ex[i], i_in = i_syn_in[i];
    std::int32_t r = refractory[i];
    const double v_new = q.v_decay * v + q.v_from_ex * i_ex + q.v_from_in * i_in +
                         q.v_from_current * (q.i_e_pa + current);
    i_syn_ex[i] = q.ex_decay * i_ex + ex;
    i_syn_in[i] = q.in_decay * i_in + in;
    lif_threshold(v, r, fired[i], v_new, q);
    v_rel[i] = v;
    refractory[i] = r;
  }
}

// Alpha-shaped synaptic currents: a spike of weight w sets the derivative state to w e/tau so
// that the current peaks at w after tau_syn.
KOKKOS_INLINE_FUNCTION void psc_alpha(
    int begin, int end, const model::LifPropagators& q_in, double* KOKKOS_RESTRICT v_rel,
    std::int32_t* KOKKOS_RESTRICT refractory, double* KOKKOS_RESTRICT i_syn_ex,
    double* KOKKOS_RESTRICT i_syn_in, double* KOKKOS_RESTRICT di_syn_ex,
    double* KOKKOS_RESTRICT di_syn_in, std::int64_t* KOKKOS_RESTRICT in_ex,
    std::int64_t* KOKKOS_RESTRICT in_in, std::int64_t* KOKKOS_RESTRICT in_current,
    std::uint8_t* KOKKOS_RESTRICT fired) {
  const model::LifPropagators q = q_in;  // a local copy: its fields stay in registers
  SPIKEWEAVE_IVDEP
  for (int i = begin; i < end; ++i) {
    const double ex = take_input(in_ex, i), in = take_input(in_in, i);
    const double current = take_input(in_current, i);
    double v = v_rel[i];
    const double i_ex = i_syn_ex[i], di_ex = di_syn_ex[i];
    const double i_in = i_syn_in[i], di_in = di_syn_in[i];
    std::int32_t r = refractory[i];
    const double v_new = q.v_decay * v + q.v_from_dex * di_ex + q.v_from_ex * i_ex +
                         q.v_from_din * di_in + q.v_from_in * i_in +
                         q.v_from_current * (q.i_e_pa + current);
    i_syn_ex[i] = q.step_ms * q.ex_decay * di_ex + q.ex_decay * i_ex;
    i_syn_in[i] = q.step_ms * q.in_decay * di_in + q.in_decay * i_in;
    di_syn_ex[i] = q.ex_decay * di_ex + q.ex_alpha_scale * ex;
    di_syn_in[i] = q.in_decay * di_in + q.in_alpha_scale * in;
    lif_threshold(v, r, fired[i], v_new, q);
    v_rel[i] = v;
    refractory[i] = r;
  }
}

// Conductance-based synapses, forward Euler: no transcendental function, vectorises.
KOKKOS_INLINE_FUNCTION void cond_exp_euler(
    int begin, int end, const model::LifPropagators& q_in, double* KOKKOS_RESTRICT v_rel,
    std::int32_t* KOKKOS_RESTRICT refractory, double* KOKKOS_RESTRICT g_ex_ns,
    double* KOKKOS_RESTRICT g_in_ns, std::int64_t* KOKKOS_RESTRICT in_ex,
    std::int64_t* KOKKOS_RESTRICT in_in, std::int64_t* KOKKOS_RESTRICT in_current,
    std::uint8_t* KOKKOS_RESTRICT fired) {
  const model::LifPropagators q = q_in;  // a local copy: its fields stay in registers
  const double h_over_c = q.step_ms / q.c_m_pf;
  SPIKEWEAVE_IVDEP
  for (int i = begin; i < end; ++i) {
    const double ex = take_input(in_ex, i), in = take_input(in_in, i);
    const double current = q.i_e_pa + take_input(in_current, i);
    double v = v_rel[i];
    const double g_ex = g_ex_ns[i], g_in = g_in_ns[i];
    std::int32_t r = refractory[i];
    const double v_new = v + h_over_c * (-q.g_l_ns * v - g_ex * (v - q.e_ex_rel) -
                                         g_in * (v - q.e_in_rel) + current);
    g_ex_ns[i] = q.ex_decay * g_ex + ex;
    g_in_ns[i] = q.in_decay * g_in - in;
    lif_threshold(v, r, fired[i], v_new, q);
    v_rel[i] = v;
    refractory[i] = r;
  }
}

// Conductance-based synapses, exponential Euler: one exp per neuron and step, taken only for
// neurons that are not refractory (the library exp does not vectorise).
KOKKOS_INLINE_FUNCTION void cond_exp_exponential(
    int begin, int end, const model::LifPropagators& q_in, double* KOKKOS_RESTRICT v_rel,
    std::int32_t* KOKKOS_RESTRICT refractory, double* KOKKOS_RESTRICT g_ex_ns,
    double* KOKKOS_RESTRICT g_in_ns, std::int64_t* KOKKOS_RESTRICT in_ex,
    std::int64_t* KOKKOS_RESTRICT in_in, std::int64_t* KOKKOS_RESTRICT in_current,
    std::uint8_t* KOKKOS_RESTRICT fired) {
  const model::LifPropagators q = q_in;  // a local copy: its fields stay in registers
  SPIKEWEAVE_IVDEP
  for (int i = begin; i < end; ++i) {
    const double ex = take_input(in_ex, i), in = take_input(in_in, i);
    const double current = q.i_e_pa + take_input(in_current, i);
    double v = v_rel[i];
    const double g_ex = g_ex_ns[i], g_in = g_in_ns[i];
    std::int32_t r = refractory[i];
    double v_new = v;
    if (r == 0) {
      const double g_total = q.g_l_ns + g_ex + g_in;
      const double v_inf = (g_ex * q.e_ex_rel + g_in * q.e_in_rel + current) / g_total;
      v_new = v_inf + (v - v_inf) * ::exp(-q.step_ms * g_total / q.c_m_pf);
    }
    g_ex_ns[i] = q.ex_decay * g_ex + ex;
    g_in_ns[i] = q.in_decay * g_in - in;
    lif_threshold(v, r, fired[i], v_new, q);
    v_rel[i] = v;
    refractory[i] = r;
  }
}

}  // namespace lif_loops
SPIKEWEAVE_NO_CONTRACTION_END

// The update functors: range(begin, end) advances neurons [begin, end), reading and clearing
// ring slot `slot` and writing fired flags of row `lag`; operator()(i) advances neuron i.

// Runs a LIF update functor over neurons [0, n) in chunks of kUpdateChunk.
template <class Functor>
void run_lif_update(const Functor& f, int n) {
  run_chunked_update(f, n);
}

struct LifPscDeltaUpdate {
  LifState s;
  InputRing ring;
  FiredFlags fired;
  model::LifPropagators q;
  int slot = 0;
  int lag = 0;
  static constexpr const char* kLabel = "spikeweave::lif_psc_delta::update";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const { range(i, i + 1); }
  KOKKOS_INLINE_FUNCTION void range(const int begin, const int end) const {
    const SlotPorts p(ring, slot);
    lif_loops::psc_delta(begin, end, q, s.v_rel_mv.data(), s.refractory_steps.data(), p.ex, p.in,
                         p.current, &fired(lag, 0));
  }
};

struct LifPscExpUpdate {
  LifState s;
  InputRing ring;
  FiredFlags fired;
  model::LifPropagators q;
  int slot = 0;
  int lag = 0;
  static constexpr const char* kLabel = "spikeweave::lif_psc_exp::update";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const { range(i, i + 1); }
  KOKKOS_INLINE_FUNCTION void range(const int begin, const int end) const {
    const SlotPorts p(ring, slot);
    lif_loops::psc_exp(begin, end, q, s.v_rel_mv.data(), s.refractory_steps.data(),
                       s.i_syn_ex_pa.data(), s.i_syn_in_pa.data(), p.ex, p.in, p.current,
                       &fired(lag, 0));
  }
};

struct LifPscAlphaUpdate {
  LifState s;
  InputRing ring;
  FiredFlags fired;
  model::LifPropagators q;
  int slot = 0;
  int lag = 0;
  static constexpr const char* kLabel = "spikeweave::lif_psc_alpha::update";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const { range(i, i + 1); }
  KOKKOS_INLINE_FUNCTION void range(const int begin, const int end) const {
    const SlotPorts p(ring, slot);
    lif_loops::psc_alpha(begin, end, q, s.v_rel_mv.data(), s.refractory_steps.data(),
                         s.i_syn_ex_pa.data(), s.i_syn_in_pa.data(), s.di_syn_ex.data(),
                         s.di_syn_in.data(), p.ex, p.in, p.current, &fired(lag, 0));
  }
};

// Conductance-based synapses (NEST iaf_cond_exp's model): C dV/dt = -g_L (V - E_L)
// - g_ex (V - E_ex) - g_in (V - E_in) + I; each conductance decays exponentially and jumps by the
// spike's weight [nS] (inhibitory weights are negative, as in NEST, and enter g_in as |w|).
// V is advanced with the conductances of the step's start held fixed: exponential Euler
// (V relaxes exactly towards the momentary equilibrium; stable for any step) or forward Euler
// (Brian2's and many benchmarks' scheme). The conductance decay is exact (precomputed
// propagators exp(-h/tau_syn)).
struct LifCondExpUpdate {
  LifState s;  // i_syn_ex_pa / i_syn_in_pa hold g_ex / g_in [nS]
  InputRing ring;
  FiredFlags fired;
  model::LifPropagators q;
  int slot = 0;
  int lag = 0;
  static constexpr const char* kLabel = "spikeweave::lif_cond_exp::update";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const { range(i, i + 1); }
  KOKKOS_INLINE_FUNCTION void range(const int begin, const int end) const {
    const SlotPorts p(ring, slot);
    if (q.exponential_euler) {
      lif_loops::cond_exp_exponential(begin, end, q, s.v_rel_mv.data(), s.refractory_steps.data(),
                                      s.i_syn_ex_pa.data(), s.i_syn_in_pa.data(), p.ex, p.in,
                                      p.current, &fired(lag, 0));
    } else {
      lif_loops::cond_exp_euler(begin, end, q, s.v_rel_mv.data(), s.refractory_steps.data(),
                                s.i_syn_ex_pa.data(), s.i_syn_in_pa.data(), p.ex, p.in, p.current,
                                &fired(lag, 0));
    }
  }
};

}  // namespace spikeweave::kernels
