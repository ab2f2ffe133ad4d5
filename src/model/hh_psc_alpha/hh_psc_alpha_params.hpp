#pragma once
// Parameters of the hh_psc_alpha model (Hodgkin & Huxley 1952 with alpha-shaped synaptic
// currents; NEST's `hh_psc_alpha`) and their lowering. Plain structs: the kernel includes this
// header; the TOML parser lives in hh_psc_alpha_describe.cpp. Defaults are NEST's.
#include <cstdint>

namespace spikeweave::model {

struct HhPscAlphaParams {
  double c_m_pf = 100.0;       // membrane capacitance [pF]
  double g_na_ns = 12000.0;    // sodium peak conductance [nS]
  double g_k_ns = 3600.0;      // potassium peak conductance [nS]
  double g_l_ns = 30.0;        // leak conductance [nS]
  double e_na_mv = 50.0;       // sodium reversal potential [mV]
  double e_k_mv = -77.0;       // potassium reversal potential [mV]
  double e_l_mv = -54.402;     // leak reversal potential [mV]
  double t_ref_ms = 2.0;       // no spike is reported for this long after one [ms]
  double tau_syn_ex_ms = 0.2;  // rise time of the excitatory alpha current [ms]
  double tau_syn_in_ms = 2.0;  // rise time of the inhibitory alpha current [ms]
  double i_e_pa = 0.0;         // constant input current [pA]
  double error_tol = 1e-3;     // absolute error tolerance of the integrator (NEST: 1e-3, fixed)
  std::int64_t max_substeps = 10000;  // trial steps allowed per neuron and simulation step
};

// What the kernel needs.
struct HhPscAlphaLowered {
  HhPscAlphaParams params;
  double step_ms = 0.1;
  std::int32_t refractory_steps = 0;
  double psc_ex_init = 0.0;  // e / tau_syn_ex: a weight of 1 pA peaks at 1 pA [1/ms]
  double psc_in_init = 0.0;  // e / tau_syn_in
  double inv_c_m = 0.0, inv_tau_syn_ex = 0.0, inv_tau_syn_in = 0.0;  // reciprocals
};

}  // namespace spikeweave::model
