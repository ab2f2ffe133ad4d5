#include "plasticity/plasticity_spec.hpp"

#include "core/config_table.hpp"
#include "core/errors.hpp"
#include "core/time_grid.hpp"
#include "model/parameter_reader.hpp"
#include "plasticity/rule_parameters.hpp"

namespace spikeweave::plasticity {
namespace {

using config::Table;

const model::ParameterList& tagging_parameters() {
  static const model::ParameterList list({
      rule_parameter("tag_threshold_<unit>", 1.0, true, "early change that tags a synapse"),
      rule_parameter("tau_early_ms", 20000.0, true, "decay of early changes"),
      rule_parameter("tau_consolidation_ms", 2000.0, true, "consolidation time constant"),
      rule_parameter("protein_rate_threshold_hz", 30.0, true, "rate that triggers proteins"),
      rule_parameter("protein_dopamine_threshold", 0.0, false,
                     "dopamine [1/ms] that triggers proteins; 0: none"),
      rule_parameter("tau_protein_ms", 1000.0, true, "protein time constant"),
      rule_parameter("rate_tau_ms", 500.0, true, "rate estimate time constant"),
      rule_parameter("update_interval_ms", 10.0, true, "slow processes are integrated this often"),
  });
  return list;
}

TaggingParams parse_tagging(const Table& t, const std::string& unit) {
  const model::ParameterReader read(t, tagging_parameters(), unit);
  TaggingParams g;
  g.tag_threshold = read.number("tag_threshold_<unit>");
  g.tau_early_ms = read.number("tau_early_ms");
  g.tau_consolidation_ms = read.number("tau_consolidation_ms");
  g.protein_rate_threshold_hz = read.number("protein_rate_threshold_hz");
  g.protein_dopamine_threshold = read.number("protein_dopamine_threshold");
  g.tau_protein_ms = read.number("tau_protein_ms");
  g.rate_tau_ms = read.number("rate_tau_ms");
  g.update_interval_ms = read.number("update_interval_ms");
  t.reject_unknown_keys();
  return g;
}

const model::ParameterList& shared_parameters() {
  static const model::ParameterList list([] {
    model::ParameterInfo capacity = model::number_parameter(
        "history_capacity", "1", 128.0, {2, 65536, false, false, "a number of remembered spikes"},
        "postsynaptic spikes kept per neuron");
    capacity.kind = model::ParameterKind::kInteger;
    return std::vector<model::ParameterInfo>{
        model::choice_parameter("weight_type", {"float", "double"}, "storage of plastic weights"),
        capacity,
        rule_parameter("sweep_interval_ms", 500.0, true,
                       "idle synapses catch up with postsynaptic spikes this often"),
    };
  }());
  return list;
}

}  // namespace

const model::ParameterList& homeostatic_scaling_parameters() {
  static const model::ParameterList list({
      rule_parameter("target_rate_hz", 5.0, true, "rate the scaling drives each neuron to"),
      rule_parameter("tau_ms", 10000.0, true, "scaling time constant"),
      rule_parameter("rate_tau_ms", 1000.0, true, "rate estimate time constant"),
  });
  return list;
}

const model::ParameterList& tagging_parameter_list() {
  return tagging_parameters();
}
const model::ParameterList& shared_plasticity_parameters() {
  return shared_parameters();
}

HomeostaticScalingParams parse_homeostatic_scaling(const Table& t) {
  const model::ParameterReader read(t, homeostatic_scaling_parameters());
  HomeostaticScalingParams h;
  h.target_rate_hz = read.number("target_rate_hz");
  h.tau_ms = read.number("tau_ms");
  h.rate_tau_ms = read.number("rate_tau_ms");
  return h;
}

PlasticitySpec parse_plasticity(const Table& t, const std::string& unit) {
  PlasticitySpec p;
  p.key = t.path();
  p.rule = &rules().get(t.string("rule"), t.key_path("rule"));
  p.params = p.rule->parse(t, {unit});
  if (!p.rule->spike_timing) p.homeostatic = p.params.as<HomeostaticScalingParams>();
  if (const auto h = t.optional_table("homeostatic_scaling")) {
    if (p.homeostatic) throw ConfigError(h->path(), "homeostatic_scaling is already the rule");
    p.homeostatic = parse_homeostatic_scaling(*h);
    h->reject_unknown_keys();
  }
  if (const auto g = t.optional_table("tagging")) {
    if (!p.rule->spike_timing) {
      throw ConfigError(g->path(), "tagging needs a spike-timing rule to write early changes");
    }
    p.tagging = parse_tagging(*g, unit);
  }
  const model::ParameterReader read(t, shared_parameters());
  p.double_weights = read.choice("weight_type") == "double";
  p.history_capacity = static_cast<int>(read.integer("history_capacity"));
  p.sweep_interval_ms = read.number("sweep_interval_ms");
  t.reject_unknown_keys();
  return p;
}

LoweredPlasticity lower_plasticity(const PlasticitySpec& p, double dt_ms) {
  LoweredPlasticity lowered;
  lowered.rule = p.rule->lower(p.params, dt_ms, p.key);
  lowered.sweep_steps = interval_to_steps(p.sweep_interval_ms, dt_ms, 1);
  if (p.tagging) lowered.tagging_steps = interval_to_steps(p.tagging->update_interval_ms, dt_ms, 1);
  return lowered;
}

}  // namespace spikeweave::plasticity
