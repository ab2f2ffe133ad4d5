#pragma once
// One time step of the izhikevich model for all neurons of a population, as NEST's `izhikevich`:
//   dv/dt = 0.04 v^2 + 5 v + 140 - u + I,   du/dt = a (b v - u),
//   if v >= v_th: v <- c, u <- u + d;  every synaptic spike adds its weight [mV] to v.
// consistent_integration (NEST's default): one forward-Euler step of both variables from the old
// values, the weights added to v. Otherwise the scheme of Izhikevich (2003): the weights added
// to v, v advanced by two half steps, then u by one step from the new v.
// I is i_e_pa plus the current port of this step; the model is never refractory.
#include "kernels/neuron_update.hpp"
#include "kernels/views.hpp"
#include "model/izhikevich/izhikevich_params.hpp"

namespace spikeweave::kernels {

struct IzhikevichState {
  View<double*> v_m_mv;  // membrane potential [mV] (absolute)
  View<double*> u_mv;    // recovery variable [mV, as NEST's U_m]
};

SPIKEWEAVE_NO_CONTRACTION_BEGIN

// The right-hand side of dv/dt without the input current.
KOKKOS_FORCEINLINE_FUNCTION double izhikevich_dv(double v, double u) {
  return 0.04 * v * v + 5.0 * v + 140.0 - u;
}

namespace izhikevich_loops {

KOKKOS_INLINE_FUNCTION void step(int begin, int end, const model::IzhikevichLowered& q_in,
                                 double* KOKKOS_RESTRICT v_m, double* KOKKOS_RESTRICT u_m,
                                 std::int64_t* KOKKOS_RESTRICT in_ex,
                                 std::int64_t* KOKKOS_RESTRICT in_in,
                                 std::int64_t* KOKKOS_RESTRICT in_current,
                                 std::uint8_t* KOKKOS_RESTRICT fired) {
  const model::IzhikevichParams p = q_in.params;  // a local copy: its fields stay in registers
  const double h = q_in.step_ms;
  const double half = 0.5 * h;
  SPIKEWEAVE_IVDEP
  for (int i = begin; i < end; ++i) {
    const double ex = from_fixed(in_ex[i]), in = from_fixed(in_in[i]);
    const double current = p.i_e_pa + from_fixed(in_current[i]);
    in_ex[i] = 0;
    in_in[i] = 0;
    in_current[i] = 0;
    const double v = v_m[i], u = u_m[i];
    double v_new, u_new;
    if (p.consistent_integration) {
      v_new = v + h * (izhikevich_dv(v, u) + current) + ex + in;
      u_new = u + h * p.a * (p.b * v - u);
    } else {
      v_new = v + ex + in;
      v_new = v_new + half * (izhikevich_dv(v_new, u) + current);
      v_new = v_new + half * (izhikevich_dv(v_new, u) + current);
      u_new = u + h * p.a * (p.b * v_new - u);
    }
    v_new = v_new < p.v_min_mv ? p.v_min_mv : v_new;
    const bool spike = v_new >= p.v_th_mv;
    v_m[i] = spike ? p.c_mv : v_new;
    u_m[i] = spike ? u_new + p.d : u_new;
    fired[i] = spike ? 1 : 0;
  }
}

}  // namespace izhikevich_loops
SPIKEWEAVE_NO_CONTRACTION_END

struct IzhikevichUpdate {
  IzhikevichState s;
  InputRing ring;
  FiredFlags fired;
  model::IzhikevichLowered q;
  int slot = 0;
  int lag = 0;
  static constexpr const char* kLabel = "spikeweave::izhikevich::update";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const { range(i, i + 1); }
  KOKKOS_INLINE_FUNCTION void range(const int begin, const int end) const {
    izhikevich_loops::step(begin, end, q, s.v_m_mv.data(), s.u_mv.data(),
                           &ring(kPortExcitatory, slot, 0), &ring(kPortInhibitory, slot, 0),
                           &ring(kPortCurrent, slot, 0), &fired(lag, 0));
  }
};

}  // namespace spikeweave::kernels
