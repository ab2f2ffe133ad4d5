#pragma once
// Parameters of the aeif_cond_exp model (adaptive exponential integrate-and-fire, Brette &
// Gerstner 2005; NEST's `aeif_cond_exp`) and their lowering. Plain structs: the kernel includes
// this header; the TOML parser lives in aeif_cond_exp_describe.cpp. Defaults are NEST's.
#include <cstdint>

namespace spikeweave::model {

struct AeifCondExpParams {
  double c_m_pf = 281.0;       // membrane capacitance [pF]
  double g_l_ns = 30.0;        // leak conductance [nS]
  double e_l_mv = -70.6;       // leak reversal potential [mV]
  double v_th_mv = -50.4;      // spike initiation threshold V_T [mV]
  double delta_t_mv = 2.0;     // slope factor of the exponential [mV]; 0: a LIF with adaptation
  double v_peak_mv = 0.0;      // spike detection threshold [mV] (v_th_mv when delta_t_mv is 0)
  double v_reset_mv = -60.0;   // reset potential [mV]
  double t_ref_ms = 0.0;       // absolute refractory period [ms], V clamped to v_reset_mv
  double a_ns = 4.0;           // subthreshold adaptation [nS]
  double b_pa = 80.5;          // spike-triggered adaptation [pA]
  double tau_w_ms = 144.0;     // adaptation time constant [ms]
  double e_ex_mv = 0.0;        // excitatory reversal potential [mV]
  double e_in_mv = -85.0;      // inhibitory reversal potential [mV]
  double tau_syn_ex_ms = 0.2;  // excitatory conductance time constant [ms]
  double tau_syn_in_ms = 2.0;  // inhibitory conductance time constant [ms]
  double i_e_pa = 0.0;         // constant input current [pA]
  double error_tol = 1e-6;     // absolute and relative error tolerance (NEST's gsl_error_tol)
  std::int64_t max_substeps = 10000;  // trial steps allowed per neuron and simulation step
  bool fixed_rk4 = false;  // integrator = "rk4": one classical RK4 step per simulation step
};

// What the kernel needs.
struct AeifCondExpLowered {
  AeifCondExpParams params;
  double step_ms = 0.1;
  double v_spike_mv = 0.0;  // v_peak_mv, or v_th_mv when delta_t_mv is 0 (as NEST)
  std::int32_t refractory_steps = 0;
  double initial_step_ms = 0.01;  // first integration step: min(0.01 ms, dt) as NEST
  // Reciprocals, so that the right-hand side (evaluated ~10 times per step) multiplies.
  double inv_c_m = 0.0, inv_delta_t = 0.0, inv_tau_syn_ex = 0.0, inv_tau_syn_in = 0.0,
         inv_tau_w = 0.0;
};

}  // namespace spikeweave::model
