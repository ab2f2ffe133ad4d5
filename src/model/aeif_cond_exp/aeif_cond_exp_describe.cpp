// The aeif_cond_exp model's entry in the registry: parameters, state variables, parser and
// lowering. Host only (reads TOML).
#include <cfloat>
#include <cmath>
#include <string>

#include "core/errors.hpp"
#include "core/time_grid.hpp"
#include "model/aeif_cond_exp/aeif_cond_exp_params.hpp"
#include "model/neuron_model.hpp"
#include "model/parameter_reader.hpp"

namespace spikeweave::model {
namespace {
namespace ranges = config::ranges;

constexpr config::Range kRefractoryMs{0.0, 1e6, false, false, "a refractory period [ms]"};
constexpr config::Range kSlopeMv{0.0, 1e3, false, false, "a non-negative slope factor [mV]"};
// a may be negative (Naud et al. 2008 use -10 and -11 nS for delayed and irregular patterns).
constexpr config::Range kAdaptationNs{-1e6, 1e6, false, false, "a conductance [nS]"};
constexpr config::Range kTolerance{0.0, 1.0, true, false, "a positive error tolerance"};

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
      number_parameter("c_m_pf", "pF", 281.0, ranges::kCapacitancePf, "membrane capacitance"),
      number_parameter("g_l_ns", "nS", 30.0, ranges::kConductanceNs, "leak conductance"),
      number_parameter("e_l_mv", "mV", -70.6, ranges::kVoltageMv, "leak reversal potential"),
      number_parameter("v_th_mv", "mV", -50.4, ranges::kVoltageMv,
                       "spike initiation threshold V_T of the exponential"),
      number_parameter("delta_t_mv", "mV", 2.0, kSlopeMv,
                       "slope factor of the exponential; 0 gives a LIF with adaptation "
                       "spiking at v_th_mv"),
      number_parameter("v_peak_mv", "mV", 0.0, ranges::kVoltageMv,
                       "spike detection threshold, at least v_th_mv"),
      number_parameter("v_reset_mv", "mV", -60.0, ranges::kVoltageMv,
                       "reset potential, below v_peak_mv"),
      number_parameter("t_ref_ms", "ms", 0.0, kRefractoryMs,
                       "absolute refractory period (V clamped to v_reset_mv), a multiple of dt_ms"),
      number_parameter("a_ns", "nS", 4.0, kAdaptationNs, "subthreshold adaptation"),
      number_parameter("b_pa", "pA", 80.5, ranges::kCurrentPa,
                       "spike-triggered increment of the adaptation current w"),
      number_parameter("tau_w_ms", "ms", 144.0, ranges::kTimeConstantMs,
                       "adaptation time constant"),
      number_parameter("e_ex_mv", "mV", 0.0, ranges::kVoltageMv, "excitatory reversal potential"),
      number_parameter("e_in_mv", "mV", -85.0, ranges::kVoltageMv, "inhibitory reversal potential"),
      number_parameter("tau_syn_ex_ms", "ms", 0.2, ranges::kTimeConstantMs,
                       "excitatory conductance time constant"),
      number_parameter("tau_syn_in_ms", "ms", 2.0, ranges::kTimeConstantMs,
                       "inhibitory conductance time constant"),
      number_parameter("i_e_pa", "pA", 0.0, ranges::kCurrentPa, "constant input current"),
      number_parameter("error_tol", "1", 1e-6, kTolerance,
                       "absolute and relative error tolerance of the adaptive integrator "
                       "(NEST's gsl_error_tol)"),
      substeps_parameter(),
      choice_parameter("integrator", {"rkf45", "rk4"},
                       "adaptive RKF45 with spikes inside the step (NEST's scheme), or one "
                       "classical RK4 step of dt with the spike test at its end (Brian2's rk4)"),
  });
  return list;
}

std::string text(double value) {
  return config::format_number(value);
}

// NEST's cross-parameter checks.
void check(const AeifCondExpParams& p, const config::Table& t) {
  if (!(p.v_peak_mv >= p.v_th_mv)) {
    throw ConfigError(t.key_path("v_peak_mv"),
                      text(p.v_peak_mv) + " must be at least v_th_mv " + text(p.v_th_mv));
  }
  if (!(p.v_reset_mv < p.v_peak_mv)) {
    throw ConfigError(t.key_path("v_reset_mv"),
                      text(p.v_reset_mv) + " must be below v_peak_mv " + text(p.v_peak_mv));
  }
  // exp((V - V_T) / Delta_T) at V = V_peak times g_L Delta_T must stay far from overflow.
  if (p.delta_t_mv > 0.0 && (p.v_peak_mv - p.v_th_mv) / p.delta_t_mv >= std::log(DBL_MAX / 1e20)) {
    throw ConfigError(t.key_path("delta_t_mv"), text(p.delta_t_mv) +
                                                    " is too small for v_peak_mv - v_th_mv = " +
                                                    text(p.v_peak_mv - p.v_th_mv) +
                                                    ": the exponential would overflow at the peak");
  }
}

AnyValue parse(const config::Table& t, const ModelParseContext& /*context*/) {
  const ParameterReader read(t, declared());
  AeifCondExpParams p;
  p.c_m_pf = read.number("c_m_pf");
  p.g_l_ns = read.number("g_l_ns");
  p.e_l_mv = read.number("e_l_mv");
  p.v_th_mv = read.number("v_th_mv");
  p.delta_t_mv = read.number("delta_t_mv");
  p.v_peak_mv = read.number("v_peak_mv");
  p.v_reset_mv = read.number("v_reset_mv");
  p.t_ref_ms = read.number("t_ref_ms");
  p.a_ns = read.number("a_ns");
  p.b_pa = read.number("b_pa");
  p.tau_w_ms = read.number("tau_w_ms");
  p.e_ex_mv = read.number("e_ex_mv");
  p.e_in_mv = read.number("e_in_mv");
  p.tau_syn_ex_ms = read.number("tau_syn_ex_ms");
  p.tau_syn_in_ms = read.number("tau_syn_in_ms");
  p.i_e_pa = read.number("i_e_pa");
  p.error_tol = read.number("error_tol");
  p.max_substeps = read.integer("max_substeps");
  p.fixed_rk4 = read.choice("integrator") == "rk4";
  t.reject_unknown_keys();
  check(p, t);
  return AnyValue::of(p);
}

AnyValue lower(const AnyValue& params, double dt_ms, const std::string& key) {
  AeifCondExpLowered lowered;
  lowered.params = params.as<AeifCondExpParams>();
  const AeifCondExpParams& p = lowered.params;
  lowered.step_ms = dt_ms;
  lowered.v_spike_mv = p.delta_t_mv > 0.0 ? p.v_peak_mv : p.v_th_mv;
  lowered.refractory_steps =
      static_cast<std::int32_t>(duration_to_steps(p.t_ref_ms, dt_ms, key + ".t_ref_ms"));
  lowered.initial_step_ms = dt_ms < 0.01 ? dt_ms : 0.01;
  lowered.inv_c_m = 1.0 / p.c_m_pf;
  lowered.inv_delta_t = p.delta_t_mv > 0.0 ? 1.0 / p.delta_t_mv : 0.0;
  lowered.inv_tau_syn_ex = 1.0 / p.tau_syn_ex_ms;
  lowered.inv_tau_syn_in = 1.0 / p.tau_syn_in_ms;
  lowered.inv_tau_w = 1.0 / p.tau_w_ms;
  return AnyValue::of(lowered);
}

}  // namespace

NeuronModelInfo describe_aeif_cond_exp() {
  NeuronModelInfo m;
  m.name = "aeif_cond_exp";
  m.summary =
      "adaptive exponential integrate-and-fire (Brette & Gerstner 2005) with exponential "
      "conductances, adaptive RKF45 (NEST aeif_cond_exp)";
  m.weight_unit = WeightUnit::kNanosiemens;
  m.parameters = declared();
  m.state = {
      {"v_m_mv", "mV", "v_m_mv", true, true, "membrane potential (initially e_l_mv)"},
      {"w_pa", "pA", "w_pa", true, true, "adaptation current"},
      {"g_ex_ns", "nS", "g_ex_ns", true, true, "excitatory conductance"},
      {"g_in_ns", "nS", "g_in_ns", true, true, "inhibitory conductance"},
      {"refractory_steps", "steps", "", false, true, "steps of refractoriness left"},
      {"integration_step_ms", "ms", "", false, true, "the adaptive integrator's current step size"},
  };
  m.parse = &parse;
  m.lower = &lower;
  return m;
}

}  // namespace spikeweave::model
