#pragma once
// A simulation's state read and set between runs, by population and node id or by synapse (the
// Python module's getters and setters). Every rank is given the same request and acts on its own
// neurons and synapses, so the outcome does not depend on the decomposition. All values are in
// the units the model's registry entry declares, absolute (not relative to a resting potential).
#include <optional>
#include <string>
#include <vector>

#include "engine/simulation.hpp"

namespace spikeweave::engine {

struct NeuronValues {
  std::vector<NodeId> node_ids;  // this rank's neurons of the population, in local order
  std::vector<double> values;
};

// The model's checkpointed state variable `variable` ("v_m_mv", "g_ex_ns", "w_pa", ...) of this
// rank's neurons of population p. Unknown variables are a ConfigError listing the model's.
NeuronValues neuron_state(Simulation& simulation, int population, const std::string& variable);

// Sets `variable` of the listed neurons (node ids in the population, each < its size; a repeated
// id takes its last value). Counters (refractory steps) cannot be set. Values must be finite.
void set_neuron_state(Simulation& simulation, int population, const std::string& variable,
                      const std::vector<NodeId>& node_ids, const std::vector<double>& values);

// Sets the weight of every synapse from source node id to target node id of each listed pair
// (several synapses of one pair alike) in projection q. Collective: a pair with no synapse on any
// rank is a ConfigError on every rank, and then nothing is changed.
void set_weights(Simulation& simulation, int projection, const std::vector<NodeId>& sources,
                 const std::vector<NodeId>& targets, const std::vector<double>& weights);

// Sets the weight of every synapse of projection q to `weight`.
void set_all_weights(Simulation& simulation, int projection, double weight);

// Switches the plasticity of projection q off (weights stay, traces go on) or on again.
void set_learning(Simulation& simulation, int projection, bool on);

// A new rate of a poisson stimulus or amplitude of a dc stimulus, from the next step on.
void set_stimulus(Simulation& simulation, int stimulus, std::optional<double> rate_hz,
                  std::optional<double> amplitude_pa);

}  // namespace spikeweave::engine
