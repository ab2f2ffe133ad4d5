#pragma once
// The registry of neuron models. A model is one self-describing unit in its own folder under
// src/model/ (see docs/extending.md): its parameters and state variables (documented, see
// parameter_info.hpp), a host-only parser of its TOML table, the lowering of its parameters to
// step counts and propagators, and an engine part that creates its neurons and runs its Kokkos
// update kernel. The parser, the engine, the recorder and the reference tables ask this registry;
// nothing else knows model names. This header includes no TOML and no Kokkos header.
#include <cstdint>
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
class NeuronGroup;
struct GroupArgs;
// Creates the neurons of one population on this rank (see engine/neuron_group.hpp).
using NeuronGroupFactory = std::unique_ptr<NeuronGroup> (*)(const GroupArgs& args);
}  // namespace spikeweave::engine

namespace spikeweave::model {

// What a synapse onto a neuron of the model carries, which decides the weight key's unit.
enum class WeightUnit { kMillivolt, kPicoampere, kNanosiemens, kNone };

struct ModelParseContext {
  std::uint64_t size = 0;  // neurons in the population
  double dt_ms = 0.0;      // the run's resolution, for checks against the time grid
};

struct NeuronModelInfo {
  std::string name;     // the TOML `model` value
  std::string summary;  // one line for the reference tables
  // kNone: a source model, which emits spikes and receives neither synapses nor stimuli.
  WeightUnit weight_unit = WeightUnit::kNone;
  ParameterList parameters;
  std::vector<StateVariableInfo> state;
  // Host only: reads the population's `params` table (rejecting unknown keys) into the model's
  // own parameter struct.
  AnyValue (*parse)(const config::Table& params, const ModelParseContext& context) = nullptr;
  // Lowers parsed parameters to step counts and propagators for resolution dt_ms; `key` names
  // the params table in messages (a refractory period off the time grid, ...).
  AnyValue (*lower)(const AnyValue& params, double dt_ms, const std::string& key) = nullptr;
  // The engine part. Built-in models leave it null: the engine's generated list holds their
  // factories (see cmake/SpikeWeaveRegistry.cmake); models registered at run time set it.
  engine::NeuronGroupFactory make_group = nullptr;

  bool receives_input() const { return weight_unit != WeightUnit::kNone; }
  // The state variable of that name, or null.
  const StateVariableInfo* state_variable(const std::string& variable) const;
  // "weight_mv", "weight_pa" or "weight_ns": the key of a weight onto a neuron of this model.
  std::string weight_key() const;
  // "mv", "pa" or "ns" (keys such as w_max_pa) and "mV", "pA" or "nS" (files).
  std::string weight_unit_suffix() const;
  std::string weight_unit_name() const;
};

class NeuronModelRegistry {
 public:
  // Adds a model; a second model of the same name is a bug (InternalError).
  const NeuronModelInfo& add(NeuronModelInfo info);
  const NeuronModelInfo* find(const std::string& name) const;
  // The model of that name, or a ConfigError at `key` listing the known models.
  const NeuronModelInfo& get(const std::string& name, const std::string& key) const;
  std::vector<const NeuronModelInfo*> all() const;

 private:
  std::deque<NeuronModelInfo> models_;  // a deque: entries never move once added
};

// The registry, holding the built-in models from the first call on.
NeuronModelRegistry& neuron_models();

}  // namespace spikeweave::model
