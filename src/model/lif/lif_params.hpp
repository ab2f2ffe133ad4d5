#pragma once
// Parameters of the leaky integrate-and-fire models and their lowering to step counts and
// propagators, done once before the time loop. Plain structs: the kernels include this header;
// the TOML parser of these parameters lives in lif_describe.cpp.
// Defaults are NEST's iaf_psc_* defaults, so NEST users meet familiar values.
#include <limits>
#include <string>

namespace spikeweave::model {

// The four LIF models of this folder: how synaptic input enters the membrane.
enum class LifVariant {
  kPscDelta,  // lif_psc_delta: a voltage jump [mV]
  kPscExp,    // lif_psc_exp: an exponentially decaying current [pA]
  kPscAlpha,  // lif_psc_alpha: an alpha-shaped current [pA], peak = weight at t = tau_syn
  kCondExp,   // lif_cond_exp: exponentially decaying conductances [nS] with reversal potentials
};

struct LifParams {
  double c_m_pf = 250.0;       // membrane capacitance [pF]
  double tau_m_ms = 10.0;      // membrane time constant [ms]
  double e_l_mv = -70.0;       // resting potential [mV]
  double v_th_mv = -55.0;      // spike threshold [mV]
  double v_reset_mv = -70.0;   // reset potential [mV]
  double t_ref_ms = 2.0;       // absolute refractory period [ms]
  double i_e_pa = 0.0;         // constant input current [pA]
  double tau_syn_ex_ms = 2.0;  // excitatory synaptic time constant [ms] (psc_exp, psc_alpha)
  double tau_syn_in_ms = 2.0;  // inhibitory synaptic time constant [ms] (psc_exp, psc_alpha)
  double v_min_mv = -std::numeric_limits<double>::infinity();  // lower bound of V_m [mV]
  // lif_cond_exp only (defaults of NEST's iaf_cond_exp):
  double g_l_ns = 16.6667;        // leak conductance [nS]; tau_m = c_m / g_l
  double e_ex_mv = 0.0;           // excitatory reversal potential [mV]
  double e_in_mv = -85.0;         // inhibitory reversal potential [mV]
  bool exponential_euler = true;  // integrator = "exponential_euler" (default) or "euler"
};

// Everything the update kernel needs, in step units. Voltages are relative to e_l_mv.
struct LifPropagators {
  double v_decay = 0.0;         // exp(-h/tau_m)
  double v_from_current = 0.0;  // mV per pA of constant current over one step
  double v_from_ex = 0.0;       // mV per pA of excitatory synaptic current (psc_exp, alpha: I)
  double v_from_in = 0.0;
  double v_from_dex = 0.0;  // alpha: mV per unit of the current's derivative state
  double v_from_din = 0.0;
  double ex_decay = 0.0;  // exp(-h/tau_syn_ex)
  double in_decay = 0.0;
  double ex_alpha_scale = 0.0;  // alpha: e / tau_syn_ex, so that the PSC peaks at the weight
  double in_alpha_scale = 0.0;
  double step_ms = 0.0;      // h
  double v_th_rel = 0.0;     // threshold - e_l
  double v_reset_rel = 0.0;  // reset - e_l
  double v_min_rel = 0.0;    // lower bound - e_l
  double i_e_pa = 0.0;
  int refractory_steps = 0;
  // lif_cond_exp: conductances in nS, potentials relative to e_l_mv.
  double g_l_ns = 0.0;
  double c_m_pf = 0.0;
  double e_ex_rel = 0.0;
  double e_in_rel = 0.0;
  bool exponential_euler = true;
};

LifPropagators lower_lif(const LifParams& p, LifVariant variant, double dt_ms,
                         const std::string& key);

// What a LIF population's group and kernels get: the parameters and their lowering.
struct LifLowered {
  LifVariant variant = LifVariant::kPscDelta;
  LifParams params;
  LifPropagators q;
};

}  // namespace spikeweave::model
