#pragma once
// The registry of plasticity rules. A rule is one self-describing unit in its own folder under
// src/plasticity/ (see docs/extending.md): its parameters and its per-synapse, per-source and
// per-target state (documented), a host-only parser of its keys in the projection's
// `plasticity` table, the lowering of its times to steps, and an engine part that creates the
// plastic projection running its kernels (the at_spike / update / after_spike / catch_up policy
// of kernels/plastic_deliver.hpp). The parser, the engine, the recorder and the reference tables
// ask this registry. This header includes no TOML and no Kokkos header.
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "core/any_value.hpp"
#include "model/parameter_info.hpp"

namespace spikeweave::config {
class Table;
}
namespace spikeweave::engine {
class Projection;
struct PlasticArgs;
// Creates a plastic projection on this rank (see engine/plastic_projection.hpp).
using PlasticProjectionFactory = std::unique_ptr<Projection> (*)(PlasticArgs& args);
}  // namespace spikeweave::engine

namespace spikeweave::plasticity {

struct RuleParseContext {
  std::string unit_suffix;  // "pa", "mv" or "ns": the target's weight unit (w_max_<unit> keys)
};

struct RuleInfo {
  std::string name;                 // the `rule` value
  std::string summary;              // one line for the reference tables
  model::ParameterList parameters;  // the rule's own keys ("<unit>" for the weight unit)
  std::vector<model::StateVariableInfo> synapse_state;  // recordable ones: record.weights.variables
  std::vector<model::StateVariableInfo> source_state;   // per presynaptic neuron (row)
  std::vector<model::StateVariableInfo> target_state;   // per postsynaptic neuron
  // False for a rule that writes no spike-timing changes: its parameters are the homeostatic
  // scaling's, and its projection keeps static weights scaled by the target's gain.
  bool spike_timing = true;
  // Host only: reads the rule's keys from the `plasticity` table (the shared keys are read by
  // parse_plasticity; the caller rejects unknown keys).
  AnyValue (*parse)(const config::Table& table, const RuleParseContext& context) = nullptr;
  // Lowers parsed parameters (delays of plasticity signals) to steps for resolution dt_ms.
  AnyValue (*lower)(const AnyValue& params, double dt_ms, const std::string& key) = nullptr;
  // The population whose spikes modulate the rule (dopamine), or "" (may be null: none).
  std::string (*modulator_population)(const AnyValue& params) = nullptr;
  // The engine part; null for built-in rules, whose factories the engine's generated list holds.
  engine::PlasticProjectionFactory make_projection = nullptr;

  // Names of the per-synapse variables a [[record]] weights entry may ask for.
  std::vector<std::string> recordable() const;
};

class RuleRegistry {
 public:
  const RuleInfo& add(RuleInfo info);  // a second rule of the same name is an InternalError
  const RuleInfo* find(const std::string& name) const;
  // The rule of that name, or a ConfigError at `key` listing the known rules.
  const RuleInfo& get(const std::string& name, const std::string& key) const;
  std::vector<const RuleInfo*> all() const;

 private:
  std::deque<RuleInfo> rules_;  // entries never move once added
};

// The registry, holding the built-in rules from the first call on.
RuleRegistry& rules();

}  // namespace spikeweave::plasticity
