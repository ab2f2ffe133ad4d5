#include "model/neuron_model.hpp"

#include "core/errors.hpp"

namespace spikeweave::model {

// Generated from the registrations in the model folders' CMakeLists (cmake/SpikeWeaveRegistry).
void add_builtin_neuron_models(NeuronModelRegistry& registry);

const StateVariableInfo* NeuronModelInfo::state_variable(const std::string& variable) const {
  for (const StateVariableInfo& s : state) {
    if (s.name == variable) return &s;
  }
  return nullptr;
}

std::string NeuronModelInfo::weight_unit_suffix() const {
  switch (weight_unit) {
    case WeightUnit::kMillivolt:
      return "mv";
    case WeightUnit::kNanosiemens:
      return "ns";
    default:
      return "pa";
  }
}

std::string NeuronModelInfo::weight_unit_name() const {
  switch (weight_unit) {
    case WeightUnit::kMillivolt:
      return "mV";
    case WeightUnit::kNanosiemens:
      return "nS";
    default:
      return "pA";
  }
}

std::string NeuronModelInfo::weight_key() const {
  return "weight_" + weight_unit_suffix();
}

const NeuronModelInfo& NeuronModelRegistry::add(NeuronModelInfo info) {
  if (find(info.name) != nullptr) {
    throw InternalError("neuron model '" + info.name + "' is registered twice");
  }
  if (info.parse == nullptr || info.lower == nullptr) {
    throw InternalError("neuron model '" + info.name + "' has no parser or no lowering");
  }
  models_.push_back(std::move(info));
  return models_.back();
}

const NeuronModelInfo* NeuronModelRegistry::find(const std::string& name) const {
  for (const NeuronModelInfo& m : models_) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

const NeuronModelInfo& NeuronModelRegistry::get(const std::string& name,
                                                const std::string& key) const {
  if (const NeuronModelInfo* m = find(name)) return *m;
  std::string known;
  for (const NeuronModelInfo& m : models_) known += (known.empty() ? "" : ", ") + m.name;
  throw ConfigError(key, "unknown model '" + name + "'; expected one of: " + known);
}

std::vector<const NeuronModelInfo*> NeuronModelRegistry::all() const {
  std::vector<const NeuronModelInfo*> out;
  for (const NeuronModelInfo& m : models_) out.push_back(&m);
  return out;
}

NeuronModelRegistry& neuron_models() {
  static NeuronModelRegistry* registry = [] {
    auto* r = new NeuronModelRegistry();  // never destroyed: specs may outlive static destructors
    add_builtin_neuron_models(*r);
    return r;
  }();
  return *registry;
}

}  // namespace spikeweave::model
