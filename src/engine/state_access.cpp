#include "engine/state_access.hpp"

#include <unordered_map>

#include "core/errors.hpp"
#include "core/value_range.hpp"

namespace spikeweave::engine {

namespace {

// State values are checked by one rule: finite, and small enough for every model's arithmetic.
constexpr config::Range kStateValue{-1e9, 1e9, false, false, "a state value"};

std::string population_key(const NeuronGroup& group) {
  return "population \"" + group.spec().name + "\"";
}

// The View of a checkpointed variable and the offset between it and the declared value (LIF
// models keep the membrane potential relative to e_l_mv).
struct StateAccess {
  NeuronStateView view;
  double offset = 0.0;
};

StateAccess access(NeuronGroup& group, const std::string& variable) {
  const model::StateVariableInfo* info = group.model().state_variable(variable);
  StateAccess a;
  if (info != nullptr && info->checkpointed) a.view = group.checkpoint_view(variable);
  if (!a.view.provided) {
    std::string known;
    for (const model::StateVariableInfo& v : group.model().state)
      if (v.checkpointed) known += (known.empty() ? "" : ", ") + v.name;
    throw ConfigError(population_key(group), "model '" + group.model().name +
                                                 "' has no state variable \"" + variable +
                                                 "\" (it has: " + known + ")");
  }
  if (!a.view.integer && a.view.real.data() != nullptr &&
      a.view.real.data() == group.v_rel_mv().data())
    a.offset = group.e_l_mv();
  return a;
}

void check_node_ids(const std::vector<NodeId>& node_ids, std::uint64_t size,
                    const std::string& key) {
  for (NodeId id : node_ids)
    if (id >= size)
      throw ConfigError(
          key, "node id " + std::to_string(id) + " is not below the size " + std::to_string(size));
}

}  // namespace

NeuronValues neuron_state(Simulation& simulation, int population, const std::string& variable) {
  NeuronGroup& group = *simulation.groups().at(static_cast<std::size_t>(population));
  const StateAccess a = access(group, variable);
  NeuronValues out;
  const Gid first = group.spec().first_gid;
  for (Gid gid : group.gids()) out.node_ids.push_back(gid - first);
  out.values.resize(out.node_ids.size());
  if (a.view.integer) {
    const auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), a.view.int32);
    for (std::size_t i = 0; i < out.values.size(); ++i) out.values[i] = host(i);
  } else {
    const auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), a.view.real);
    for (std::size_t i = 0; i < out.values.size(); ++i) out.values[i] = host(i) + a.offset;
  }
  return out;
}

void set_neuron_state(Simulation& simulation, int population, const std::string& variable,
                      const std::vector<NodeId>& node_ids, const std::vector<double>& values) {
  NeuronGroup& group = *simulation.groups().at(static_cast<std::size_t>(population));
  const std::string key = population_key(group) + "." + variable;
  const StateAccess a = access(group, variable);
  if (a.view.integer) throw ConfigError(key, "a counter of the model; it cannot be set");
  if (node_ids.size() != values.size())
    throw ConfigError(key, std::to_string(node_ids.size()) + " node ids but " +
                               std::to_string(values.size()) + " values");
  check_node_ids(node_ids, group.spec().size, key);
  for (double v : values) config::check_number(v, key, kStateValue);
  std::unordered_map<NodeId, std::size_t> local;  // node id -> local index
  const Gid first = group.spec().first_gid;
  for (std::size_t i = 0; i < group.gids().size(); ++i) local[group.gids()[i] - first] = i;
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), a.view.real);
  for (std::size_t k = 0; k < node_ids.size(); ++k) {
    const auto it = local.find(node_ids[k]);
    if (it != local.end()) host(it->second) = values[k] - a.offset;
  }
  Kokkos::deep_copy(a.view.real, host);
}

void set_weights(Simulation& simulation, int projection, const std::vector<NodeId>& sources,
                 const std::vector<NodeId>& targets, const std::vector<double>& weights) {
  const network::NetworkSpec& spec = simulation.spec();
  const network::ProjectionSpec& p = spec.projections.at(static_cast<std::size_t>(projection));
  const std::string key = "projection \"" + p.name + "\"";
  if (sources.size() != targets.size() || sources.size() != weights.size())
    throw ConfigError(key, "sources, targets and weights differ in length");
  check_node_ids(sources, spec.populations[p.source].size, key + " source");
  check_node_ids(targets, spec.populations[p.target].size, key + " target");
  for (double w : weights) config::check_number(w, key + " weight", config::ranges::kWeight);
  std::unordered_map<std::uint64_t, std::size_t> pair_index;  // (source << 32 | target) -> k
  for (std::size_t k = 0; k < sources.size(); ++k) pair_index[sources[k] << 32 | targets[k]] = k;
  std::vector<std::uint64_t> found(sources.size(), 0);
  std::vector<std::uint64_t> synapses;
  std::vector<double> values;
  for (const SynapseState& s : simulation.synapse_states(projection)) {
    const auto it = pair_index.find(s.source << 32 | s.target);
    if (it == pair_index.end()) continue;
    synapses.push_back(s.index);
    values.push_back(weights[it->second]);
    found[it->second] = 1;
  }
  simulation.context().sum(found);
  for (std::size_t k = 0; k < found.size(); ++k)
    if (found[k] == 0 && pair_index.at(sources[k] << 32 | targets[k]) == k)
      throw ConfigError(key, "no synapse from source " + std::to_string(sources[k]) +
                                 " to target " + std::to_string(targets[k]));
  // Refusals (homeostatic gains, tagging) are decided by the configuration: alike on every rank.
  simulation.projections()
      .at(static_cast<std::size_t>(projection))
      ->set_weights(synapses, values, simulation.step());
}

void set_all_weights(Simulation& simulation, int projection, double weight) {
  const network::ProjectionSpec& p =
      simulation.spec().projections.at(static_cast<std::size_t>(projection));
  config::check_number(weight, "projection \"" + p.name + "\" weight", config::ranges::kWeight);
  Projection& q = *simulation.projections().at(static_cast<std::size_t>(projection));
  std::vector<std::uint64_t> synapses(q.synapses());
  for (std::uint64_t k = 0; k < synapses.size(); ++k) synapses[k] = k;
  q.set_weights(synapses, std::vector<double>(synapses.size(), weight), simulation.step());
}

void set_learning(Simulation& simulation, int projection, bool on) {
  simulation.projections()
      .at(static_cast<std::size_t>(projection))
      ->set_learning(on, simulation.step());
}

void set_stimulus(Simulation& simulation, int stimulus, std::optional<double> rate_hz,
                  std::optional<double> amplitude_pa) {
  const std::string key = "stimulus[" + std::to_string(stimulus) + "]";
  Stimulus& s = *simulation.stimuli().at(static_cast<std::size_t>(stimulus));
  if (rate_hz) s.set_rate_hz(key, *rate_hz);
  if (amplitude_pa) s.set_amplitude_pa(key, *amplitude_pa);
}

}  // namespace spikeweave::engine
