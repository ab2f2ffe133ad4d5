// The adaptive LIF models' entries in the registry. The base model's parameters, parser (with its
// checks) and lowering are those of lif_psc_exp and lif_cond_exp (src/model/lif/); this file adds
// the adaptation keys and state. Host only (reads TOML).
#include <vector>

#include "core/errors.hpp"
#include "model/lif_adaptive/lif_adaptive_params.hpp"
#include "model/neuron_model.hpp"
#include "model/parameter_reader.hpp"

namespace spikeweave::model {

NeuronModelInfo describe_lif_psc_exp();
NeuronModelInfo describe_lif_cond_exp();

namespace {
namespace ranges = config::ranges;

constexpr config::Range kThetaPlusMv{0.0, 1e4, false, false, "a non-negative voltage [mV]"};
constexpr config::Range kAdaptationPa{0.0, 1e9, false, false, "a non-negative current [pA]"};

const NeuronModelInfo& base(LifVariant variant) {
  static const NeuronModelInfo psc_exp = describe_lif_psc_exp();
  static const NeuronModelInfo cond_exp = describe_lif_cond_exp();
  return variant == LifVariant::kCondExp ? cond_exp : psc_exp;
}

std::vector<ParameterInfo> adaptation_parameters() {
  return {
      number_parameter("theta_plus_mv", "mV", 0.05, kThetaPlusMv,
                       "rise of the threshold at each spike"),
      number_parameter("tau_theta_ms", "ms", 1e7, ranges::kTimeConstantMs,
                       "decay time constant of the threshold's rise"),
      number_parameter("b_pa", "pA", 0.0, kAdaptationPa,
                       "rise of the adaptation current at each spike (0: none)"),
      number_parameter("tau_w_ms", "ms", 100.0, ranges::kTimeConstantMs,
                       "decay time constant of the adaptation current"),
  };
}

ParameterList adaptive_parameters(LifVariant variant) {
  std::vector<ParameterInfo> list = base(variant).parameters.all();
  for (ParameterInfo& p : adaptation_parameters()) list.push_back(std::move(p));
  return ParameterList(std::move(list));
}

// The lists live as long as the registry (the readers keep references).
const ParameterList& declared(LifVariant variant) {
  static const ParameterList psc_exp = adaptive_parameters(LifVariant::kPscExp);
  static const ParameterList cond_exp = adaptive_parameters(LifVariant::kCondExp);
  return variant == LifVariant::kCondExp ? cond_exp : psc_exp;
}

template <LifVariant kVariant>
AnyValue parse(const config::Table& t, const ModelParseContext& context) {
  const ParameterReader read(t, declared(kVariant));
  LifAdaptiveParams p;
  // Read first: the base parser rejects the keys nobody has read.
  p.theta_plus_mv = read.number("theta_plus_mv");
  p.tau_theta_ms = read.number("tau_theta_ms");
  p.b_pa = read.number("b_pa");
  p.tau_w_ms = read.number("tau_w_ms");
  p.lif = base(kVariant).parse(t, context).template as<LifParams>();
  return AnyValue::of(p);
}

template <LifVariant kVariant>
AnyValue lower(const AnyValue& params, double dt_ms, const std::string& key) {
  LifAdaptiveLowered lowered;
  lowered.variant = kVariant;
  lowered.params = params.as<LifAdaptiveParams>();
  lowered.q = lower_lif(lowered.params.lif, kVariant, dt_ms, key);
  lowered.adapt = lower_lif_adaptation(lowered.params, dt_ms);
  return AnyValue::of(lowered);
}

template <LifVariant kVariant>
NeuronModelInfo describe(const char* name, const char* summary) {
  const NeuronModelInfo& b = base(kVariant);
  NeuronModelInfo m;
  m.name = name;
  m.summary = summary;
  m.weight_unit = b.weight_unit;
  m.parameters = declared(kVariant);
  m.state = b.state;
  m.state.push_back({"theta_mv", "mV", "theta_mv", true, true,
                     "threshold offset: the threshold is v_th_mv + theta_mv"});
  m.state.push_back({"w_pa", "pA", "w_pa", true, true, "adaptation current"});
  m.parse = &parse<kVariant>;
  m.lower = &lower<kVariant>;
  return m;
}

}  // namespace

NeuronModelInfo describe_lif_psc_exp_adaptive() {
  return describe<LifVariant::kPscExp>(
      "lif_psc_exp_adaptive",
      "lif_psc_exp with an adaptive threshold (Diehl & Cook 2015) and an optional adaptation "
      "current");
}
NeuronModelInfo describe_lif_cond_exp_adaptive() {
  return describe<LifVariant::kCondExp>(
      "lif_cond_exp_adaptive",
      "lif_cond_exp with an adaptive threshold (Diehl & Cook 2015) and an optional adaptation "
      "current");
}

}  // namespace spikeweave::model
