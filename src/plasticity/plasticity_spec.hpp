#pragma once
// Plasticity of a projection, as configured in its `plasticity = { rule = ..., ... }` table.
// Parameters carry their unit in the name; weights are in the target model's weight unit (pA or
// mV), like the projection's weight. Every rule runs on the synapse's own rank, event-driven:
// the synapse is updated when a presynaptic spike reaches it (and by periodic sweeps), from
// presynaptic traces kept per source and the postsynaptic spike history kept per target neuron.
// The shared keys (weight_type, history_capacity, sweep_interval_ms, homeostatic_scaling,
// tagging) are read here; a rule's own keys by the rule (plasticity/rule.hpp).
#include <cstdint>
#include <optional>
#include <string>

#include "core/any_value.hpp"
#include "plasticity/rule.hpp"

namespace spikeweave::config {
class Table;
}

namespace spikeweave::plasticity {

// Synaptic scaling (Turrigiano et al. 1998; van Rossum, Bi & Turrigiano 2000): every incoming
// weight of the projection is multiplied by a per-neuron gain g with
// dg/dt = g (target - r) / (target tau), r the neuron's rate estimated with an exponential
// trace of time constant rate_tau_ms.
struct HomeostaticScalingParams {
  double target_rate_hz = 5.0;
  double tau_ms = 10000.0;      // scaling time constant [ms]
  double rate_tau_ms = 1000.0;  // rate estimate time constant [ms]
};

// Synaptic tagging and capture with consolidation (after Clopath et al. 2008, Frey & Morris
// 1997): the spike-timing rule writes early-phase changes; an early change larger than
// tag_threshold tags the synapse; the early part decays back with tau_early_ms; a neuron-wide
// protein signal p (rising towards 1 while the neuron's rate exceeds protein_rate_threshold_hz,
// or while the dopamine concentration of a stdp_dopamine projection exceeds
// protein_dopamine_threshold, decaying with tau_protein_ms otherwise) converts tagged early
// changes into a late, consolidated weight: dz/dt = p * early / tau_consolidation_ms.
struct TaggingParams {
  double tag_threshold = 1.0;  // [weight unit]
  double tau_early_ms = 20000.0;
  double tau_consolidation_ms = 2000.0;
  double protein_rate_threshold_hz = 30.0;
  double protein_dopamine_threshold = 0.0;  // [1/ms]; 0: dopamine does not trigger
  double tau_protein_ms = 1000.0;
  double rate_tau_ms = 500.0;
  double update_interval_ms = 10.0;  // slow processes are integrated this often
};

struct PlasticitySpec {
  const RuleInfo* rule = nullptr;  // the registry's entry (never null once parsed)
  AnyValue params;                 // the rule's own parameter struct (RuleInfo::parse)
  std::optional<HomeostaticScalingParams> homeostatic;
  std::optional<TaggingParams> tagging;
  bool double_weights = false;       // weight_type = "double" (default "float")
  int history_capacity = 128;        // postsynaptic spikes kept per neuron
  double sweep_interval_ms = 500.0;  // idle synapses catch up with postsynaptic spikes this often
  std::string key;                   // "projection[i].plasticity"
};

// What the engine needs of a projection's plasticity, in steps (see network/lowered_network.hpp).
struct LoweredPlasticity {
  AnyValue rule;                   // RuleInfo::lower
  std::int64_t sweep_steps = 1;    // sweep_interval_ms
  std::int64_t tagging_steps = 1;  // tagging.update_interval_ms
};
LoweredPlasticity lower_plasticity(const PlasticitySpec& plasticity, double dt_ms);

// The homeostatic scaling's keys (also the homeostatic_scaling rule's), the tagging table's and
// the keys every rule shares (weight_type, history_capacity, sweep_interval_ms).
const model::ParameterList& homeostatic_scaling_parameters();
const model::ParameterList& tagging_parameter_list();
const model::ParameterList& shared_plasticity_parameters();
HomeostaticScalingParams parse_homeostatic_scaling(const config::Table& table);

// Parses `plasticity` for a projection whose weights are in the unit `weight_unit_suffix`
// ("pa", "mv" or "ns"): bounds are given as w_max_pa, w_max_mv or w_max_ns.
PlasticitySpec parse_plasticity(const config::Table& table, const std::string& weight_unit_suffix);

}  // namespace spikeweave::plasticity
