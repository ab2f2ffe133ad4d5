// The host half of the toy model and rule (parameters, TOML parsing): compiled without Kokkos,
// as a unit's describe file is (docs/extending.md).
#include "core/config_table.hpp"
#include "extension/toy_units.hpp"
#include "model/parameter_reader.hpp"

namespace spikeweave::toy {
namespace {

const model::ParameterList& toy_parameters() {
  static const model::ParameterList list({model::number_parameter(
      "threshold_mv", "mV", 1.0, {0.0, 1e4, true, false, "a threshold [mV]"}, "spike threshold")});
  return list;
}

AnyValue parse_toy(const config::Table& t, const model::ModelParseContext&) {
  const model::ParameterReader read(t, toy_parameters());
  ToyParams p;
  p.threshold_mv = read.number("threshold_mv");
  t.reject_unknown_keys();
  return AnyValue::of(p);
}

AnyValue lower_toy(const AnyValue& params, double, const std::string&) {
  return params;
}

const model::ParameterList& toy_rule_parameters() {
  static const model::ParameterList list({
      model::number_parameter("increment_<unit>", "weight", 0.01,
                              config::ranges::kNonNegativeWeight,
                              "weight added by each presynaptic spike"),
      model::number_parameter("w_max_<unit>", "weight", 10.0, config::ranges::kPositiveWeight,
                              "upper bound"),
  });
  return list;
}

AnyValue parse_toy_rule(const config::Table& t, const plasticity::RuleParseContext& context) {
  const model::ParameterReader read(t, toy_rule_parameters(), context.unit_suffix);
  return AnyValue::of(ToyRuleParams{read.number("increment_<unit>"), read.number("w_max_<unit>")});
}

AnyValue lower_toy_rule(const AnyValue& params, double, const std::string&) {
  return params;
}

}  // namespace

model::NeuronModelInfo toy_integrator_info() {
  model::NeuronModelInfo m;
  m.name = "toy_integrator";
  m.summary = "non-leaky integrate-and-fire (test only)";
  m.weight_unit = model::WeightUnit::kMillivolt;
  m.parameters = toy_parameters();
  m.state = {{"v_m_mv", "mV", "", true, true, "membrane potential"}};
  m.parse = &parse_toy;
  m.lower = &lower_toy;
  return m;
}

plasticity::RuleInfo toy_potentiation_info() {
  plasticity::RuleInfo r;
  r.name = "toy_potentiation";
  r.summary = "each presynaptic spike adds a fixed increment (test only)";
  r.parameters = toy_rule_parameters();
  r.synapse_state = {{"weight", "weight", "", false, true, "the weight"}};
  r.parse = &parse_toy_rule;
  r.lower = &lower_toy_rule;
  return r;
}

}  // namespace spikeweave::toy
