#pragma once
// The [[stimulus]] entries on this rank: each writes into its target population's input ring
// for the steps of an interval before the neurons are updated.
#include <memory>
#include <vector>

#include "engine/neuron_group.hpp"

namespace spikeweave::engine {

class Stimulus {
 public:
  virtual ~Stimulus() = default;
  // Adds this stimulus' input for steps [first_step, first_step + steps).
  virtual void apply(Step first_step, int steps) = 0;
};

std::vector<std::unique_ptr<Stimulus>> make_stimuli(
    const network::NetworkSpec& net, std::vector<std::unique_ptr<NeuronGroup>>& groups);

}  // namespace spikeweave::engine
