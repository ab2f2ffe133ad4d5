// The LIF models' entries in the registry: parameters, state variables, parser and lowering.
// Host only (reads TOML).
#include "core/errors.hpp"
#include "model/lif/lif_params.hpp"
#include "model/neuron_model.hpp"
#include "model/parameter_reader.hpp"

namespace spikeweave::model {
namespace {
namespace ranges = config::ranges;

// The refractory period is counted in an int of steps.
constexpr config::Range kRefractoryMs{0.0, 1e6, false, false, "a refractory period [ms]"};
constexpr double kInf = std::numeric_limits<double>::infinity();

ParameterList lif_parameters(LifVariant variant) {
  const bool cond = variant == LifVariant::kCondExp;
  std::vector<ParameterInfo> list = {
      number_parameter("c_m_pf", "pF", 250.0, ranges::kCapacitancePf, "membrane capacitance"),
  };
  if (!cond) {
    list.push_back(number_parameter("tau_m_ms", "ms", 10.0, ranges::kTimeConstantMs,
                                    "membrane time constant"));
  }
  list.push_back(number_parameter("e_l_mv", "mV", -70.0, ranges::kVoltageMv, "resting potential"));
  list.push_back(number_parameter("v_th_mv", "mV", -55.0, ranges::kVoltageMv, "spike threshold"));
  list.push_back(number_parameter("v_reset_mv", "mV", cond ? -60.0 : -70.0, ranges::kVoltageMv,
                                  "reset potential, below v_th_mv"));
  list.push_back(number_parameter("t_ref_ms", "ms", 2.0, kRefractoryMs,
                                  "absolute refractory period, a multiple of dt_ms"));
  list.push_back(
      number_parameter("i_e_pa", "pA", 0.0, ranges::kCurrentPa, "constant input current"));
  list.push_back(number_parameter("v_min_mv", "mV", -kInf, ranges::kVoltageMv,
                                  "lower bound of V_m, at most v_reset_mv"));
  if (cond) {
    list.push_back(number_parameter("g_l_ns", "nS", 16.6667, ranges::kConductanceNs,
                                    "leak conductance; tau_m = c_m_pf / g_l_ns"));
    list.push_back(number_parameter("e_ex_mv", "mV", 0.0, ranges::kVoltageMv,
                                    "excitatory reversal potential"));
    list.push_back(number_parameter("e_in_mv", "mV", -85.0, ranges::kVoltageMv,
                                    "inhibitory reversal potential"));
    list.push_back(choice_parameter("integrator", {"exponential_euler", "euler"},
                                    "exponential Euler (stable for any step) or forward Euler"));
  }
  if (variant != LifVariant::kPscDelta) {
    list.push_back(number_parameter("tau_syn_ex_ms", "ms", cond ? 0.2 : 2.0,
                                    ranges::kTimeConstantMs, "excitatory synaptic time constant"));
    list.push_back(number_parameter("tau_syn_in_ms", "ms", 2.0, ranges::kTimeConstantMs,
                                    "inhibitory synaptic time constant"));
  }
  return ParameterList(std::move(list));
}

std::vector<StateVariableInfo> lif_state(LifVariant variant) {
  std::vector<StateVariableInfo> state = {
      {"v_m_mv", "mV", "v_m_mv", true, true, "membrane potential"},
      {"refractory_steps", "steps", "", false, true, "steps of refractoriness left"},
  };
  if (variant == LifVariant::kPscExp || variant == LifVariant::kPscAlpha) {
    state.push_back(
        {"i_syn_ex_pa", "pA", "i_syn_ex_pa", true, true, "excitatory synaptic current"});
    state.push_back(
        {"i_syn_in_pa", "pA", "i_syn_in_pa", true, true, "inhibitory synaptic current"});
  }
  if (variant == LifVariant::kPscAlpha) {
    state.push_back({"di_syn_ex", "pA/ms", "", false, true, "derivative state of the ex. current"});
    state.push_back({"di_syn_in", "pA/ms", "", false, true, "derivative state of the in. current"});
  }
  if (variant == LifVariant::kCondExp) {
    state.push_back({"g_ex_ns", "nS", "g_ex_ns", true, true, "excitatory conductance"});
    state.push_back({"g_in_ns", "nS", "g_in_ns", true, true, "inhibitory conductance"});
  }
  return state;
}

// The parameter lists live as long as the registry (the readers keep references).
const ParameterList& declared(LifVariant variant) {
  static const ParameterList lists[] = {
      lif_parameters(LifVariant::kPscDelta), lif_parameters(LifVariant::kPscExp),
      lif_parameters(LifVariant::kPscAlpha), lif_parameters(LifVariant::kCondExp)};
  return lists[static_cast<int>(variant)];
}

LifParams parse_lif(const config::Table& t, LifVariant variant) {
  const ParameterReader read(t, declared(variant));
  const bool cond = variant == LifVariant::kCondExp;
  LifParams p;
  p.c_m_pf = read.number("c_m_pf");
  if (!cond) p.tau_m_ms = read.number("tau_m_ms");
  p.e_l_mv = read.number("e_l_mv");
  p.v_th_mv = read.number("v_th_mv");
  p.v_reset_mv = read.number("v_reset_mv");
  p.t_ref_ms = read.number("t_ref_ms");
  p.i_e_pa = read.number("i_e_pa");
  p.v_min_mv = read.number("v_min_mv");
  if (cond) {
    p.g_l_ns = read.number("g_l_ns");
    p.e_ex_mv = read.number("e_ex_mv");
    p.e_in_mv = read.number("e_in_mv");
    if (t.has("tau_m_ms")) {
      throw ConfigError(t.key_path("tau_m_ms"),
                        "lif_cond_exp takes g_l_ns; tau_m is c_m_pf / g_l_ns");
    }
    p.tau_m_ms = p.c_m_pf / p.g_l_ns;
    p.exponential_euler = read.choice("integrator") == "exponential_euler";
  }
  if (variant != LifVariant::kPscDelta) {
    p.tau_syn_ex_ms = read.number("tau_syn_ex_ms");
    p.tau_syn_in_ms = read.number("tau_syn_in_ms");
  }
  t.reject_unknown_keys();
  if (!(p.v_reset_mv < p.v_th_mv)) {
    throw ConfigError(
        t.key_path("v_reset_mv"),
        std::to_string(p.v_reset_mv) + " must be below v_th_mv " + std::to_string(p.v_th_mv));
  }
  if (!(p.v_min_mv <= p.v_reset_mv)) {
    throw ConfigError(t.key_path("v_min_mv"), "must not exceed v_reset_mv");
  }
  return p;
}

template <LifVariant kVariant>
AnyValue parse(const config::Table& params, const ModelParseContext& /*context*/) {
  return AnyValue::of(parse_lif(params, kVariant));
}

template <LifVariant kVariant>
AnyValue lower(const AnyValue& params, double dt_ms, const std::string& key) {
  LifLowered lowered;
  lowered.variant = kVariant;
  lowered.params = params.as<LifParams>();
  lowered.q = lower_lif(lowered.params, kVariant, dt_ms, key);
  return AnyValue::of(lowered);
}

template <LifVariant kVariant>
NeuronModelInfo describe(const char* name, WeightUnit unit, const char* summary) {
  NeuronModelInfo m;
  m.name = name;
  m.summary = summary;
  m.weight_unit = unit;
  m.parameters = declared(kVariant);
  m.state = lif_state(kVariant);
  m.parse = &parse<kVariant>;
  m.lower = &lower<kVariant>;
  return m;
}

}  // namespace

NeuronModelInfo describe_lif_psc_delta() {
  return describe<LifVariant::kPscDelta>(
      "lif_psc_delta", WeightUnit::kMillivolt,
      "LIF, synaptic input is a voltage jump [mV] (NEST iaf_psc_delta)");
}
NeuronModelInfo describe_lif_psc_exp() {
  return describe<LifVariant::kPscExp>(
      "lif_psc_exp", WeightUnit::kPicoampere,
      "LIF, exponentially decaying synaptic currents [pA] (NEST iaf_psc_exp)");
}
NeuronModelInfo describe_lif_psc_alpha() {
  return describe<LifVariant::kPscAlpha>(
      "lif_psc_alpha", WeightUnit::kPicoampere,
      "LIF, alpha-shaped synaptic currents [pA] peaking at the weight (NEST iaf_psc_alpha)");
}
NeuronModelInfo describe_lif_cond_exp() {
  return describe<LifVariant::kCondExp>(
      "lif_cond_exp", WeightUnit::kNanosiemens,
      "LIF, exponentially decaying conductances [nS] with reversal potentials (NEST "
      "iaf_cond_exp)");
}

}  // namespace spikeweave::model
