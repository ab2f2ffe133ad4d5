// The hh_psc_alpha model's entry in the registry: parameters, state variables, parser and
// lowering. Host only (reads TOML).
#include <cmath>
#include <string>

#include "core/errors.hpp"
#include "core/time_grid.hpp"
#include "model/hh_psc_alpha/hh_psc_alpha_params.hpp"
#include "model/neuron_model.hpp"
#include "model/parameter_reader.hpp"

namespace spikeweave::model {
namespace {
namespace ranges = config::ranges;

constexpr config::Range kRefractoryMs{0.0, 1e6, false, false, "a refractory period [ms]"};
// NEST accepts a zero peak conductance (a channel switched off).
constexpr config::Range kChannelNs{0.0, 1e9, false, false, "a non-negative conductance [nS]"};
constexpr config::Range kTolerance{0.0, 1e3, true, false, "a positive error tolerance"};

ParameterInfo substeps_parameter() {
  ParameterInfo p = number_parameter(
      "max_substeps", "1", 10000.0, {1.0, 1e7, false, false, "a number of trial steps"},
      "trial steps of the adaptive integrator allowed per neuron and step; more stops the run "
      "with an error naming the neuron");
  p.kind = ParameterKind::kInteger;
  return p;
}

const ParameterList& declared() {
  static const ParameterList list({
      number_parameter("c_m_pf", "pF", 100.0, ranges::kCapacitancePf, "membrane capacitance"),
      number_parameter("g_na_ns", "nS", 12000.0, kChannelNs, "sodium peak conductance"),
      number_parameter("g_k_ns", "nS", 3600.0, kChannelNs, "potassium peak conductance"),
      number_parameter("g_l_ns", "nS", 30.0, kChannelNs, "leak conductance"),
      number_parameter("e_na_mv", "mV", 50.0, ranges::kVoltageMv, "sodium reversal potential"),
      number_parameter("e_k_mv", "mV", -77.0, ranges::kVoltageMv, "potassium reversal potential"),
      number_parameter("e_l_mv", "mV", -54.402, ranges::kVoltageMv, "leak reversal potential"),
      number_parameter("t_ref_ms", "ms", 2.0, kRefractoryMs,
                       "no spike is reported for this long after one (the dynamics go on), a "
                       "multiple of dt_ms"),
      number_parameter("tau_syn_ex_ms", "ms", 0.2, ranges::kTimeConstantMs,
                       "rise time of the excitatory alpha current"),
      number_parameter("tau_syn_in_ms", "ms", 2.0, ranges::kTimeConstantMs,
                       "rise time of the inhibitory alpha current"),
      number_parameter("i_e_pa", "pA", 0.0, ranges::kCurrentPa, "constant input current"),
      number_parameter("error_tol", "1", 1e-3, kTolerance,
                       "absolute error tolerance of the adaptive integrator (NEST: 1e-3)"),
      substeps_parameter(),
  });
  return list;
}

AnyValue parse(const config::Table& t, const ModelParseContext& /*context*/) {
  const ParameterReader read(t, declared());
  HhPscAlphaParams p;
  p.c_m_pf = read.number("c_m_pf");
  p.g_na_ns = read.number("g_na_ns");
  p.g_k_ns = read.number("g_k_ns");
  p.g_l_ns = read.number("g_l_ns");
  p.e_na_mv = read.number("e_na_mv");
  p.e_k_mv = read.number("e_k_mv");
  p.e_l_mv = read.number("e_l_mv");
  p.t_ref_ms = read.number("t_ref_ms");
  p.tau_syn_ex_ms = read.number("tau_syn_ex_ms");
  p.tau_syn_in_ms = read.number("tau_syn_in_ms");
  p.i_e_pa = read.number("i_e_pa");
  p.error_tol = read.number("error_tol");
  p.max_substeps = read.integer("max_substeps");
  t.reject_unknown_keys();
  return AnyValue::of(p);
}

AnyValue lower(const AnyValue& params, double dt_ms, const std::string& key) {
  HhPscAlphaLowered lowered;
  lowered.params = params.as<HhPscAlphaParams>();
  const HhPscAlphaParams& p = lowered.params;
  lowered.step_ms = dt_ms;
  lowered.refractory_steps =
      static_cast<std::int32_t>(duration_to_steps(p.t_ref_ms, dt_ms, key + ".t_ref_ms"));
  lowered.psc_ex_init = std::exp(1.0) / p.tau_syn_ex_ms;
  lowered.psc_in_init = std::exp(1.0) / p.tau_syn_in_ms;
  lowered.inv_c_m = 1.0 / p.c_m_pf;
  lowered.inv_tau_syn_ex = 1.0 / p.tau_syn_ex_ms;
  lowered.inv_tau_syn_in = 1.0 / p.tau_syn_in_ms;
  return AnyValue::of(lowered);
}

}  // namespace

NeuronModelInfo describe_hh_psc_alpha() {
  NeuronModelInfo m;
  m.name = "hh_psc_alpha";
  m.summary =
      "Hodgkin-Huxley (1952) with alpha-shaped synaptic currents, adaptive RKF45 (NEST "
      "hh_psc_alpha)";
  m.weight_unit = WeightUnit::kPicoampere;
  m.parameters = declared();
  m.state = {
      {"v_m_mv", "mV", "v_m_mv", true, true, "membrane potential (initially -65, as NEST)"},
      {"act_m", "1", "act_m", true, true,
       "sodium activation m (initially its steady state at the initial v_m_mv)"},
      {"inact_h", "1", "inact_h", true, true, "sodium inactivation h (likewise)"},
      {"act_n", "1", "act_n", true, true, "potassium activation n (likewise)"},
      {"i_syn_ex_pa", "pA", "i_syn_ex_pa", true, true, "excitatory synaptic current"},
      {"i_syn_in_pa", "pA", "i_syn_in_pa", true, true, "inhibitory synaptic current"},
      {"di_syn_ex", "pA/ms", "", false, true, "derivative state of the ex. current"},
      {"di_syn_in", "pA/ms", "", false, true, "derivative state of the in. current"},
      {"refractory_steps", "steps", "", false, true, "steps without spike detection left"},
      {"integration_step_ms", "ms", "", false, true, "the adaptive integrator's current step size"},
  };
  m.parse = &parse;
  m.lower = &lower;
  return m;
}

}  // namespace spikeweave::model
