#pragma once
// The [[stimulus]] entries on this rank: each writes into its target population's input ring
// for the steps of an interval before the neurons are updated.
#include <memory>
#include <vector>

#include "engine/neuron_group.hpp"
#include "io/run_output.hpp"
#include "network/encoding.hpp"

namespace spikeweave::engine {

class Stimulus {
 public:
  virtual ~Stimulus() = default;
  // Adds this stimulus' input for steps [first_step, first_step + steps).
  virtual void apply(Step first_step, int steps) = 0;
  // Encoders: the presentation schedule (which row is shown when), for the output file.
  virtual const network::EncoderPlan* encoder_plan() const { return nullptr; }
  // Between runs (the Python module): a new rate of a poisson stimulus, or a new amplitude of a
  // dc one, from the next step on. Other kinds refuse with a UserError naming `key`.
  virtual void set_rate_hz(const std::string& key, double rate_hz);
  virtual void set_amplitude_pa(const std::string& key, double amplitude_pa);
};

// Encoder stimuli read their data files here, on every rank alike: a missing or bad file is a
// FileError naming it, before the first step and before any output is created.
std::vector<std::unique_ptr<Stimulus>> make_stimuli(
    const network::NetworkSpec& net, std::vector<std::unique_ptr<NeuronGroup>>& groups);

// The presentation schedule of every encoder stimulus (the same on every rank).
std::vector<io::PresentationLog> presentation_logs(
    const network::NetworkSpec& net, const std::vector<std::unique_ptr<Stimulus>>& stimuli);

}  // namespace spikeweave::engine
