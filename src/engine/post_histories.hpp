#pragma once
// Postsynaptic spike histories of the populations that are targets of plastic projections.
// Projections register the trace time constants they need before the first step; the histories
// are appended once per interval, before delivery.
#include <map>
#include <vector>

#include "kernels/post_history.hpp"
#include "network/spec.hpp"

namespace spikeweave::engine {

class NeuronGroup;
class StateWriter;
class StateReader;

class PostHistories {
 public:
  // Registers a trace channel (time constant tau_ms) of population p's history with at least
  // `capacity` spikes kept per neuron; returns the channel index.
  int require_channel(int population, double tau_ms, int capacity);
  // Allocates the registered histories (after all projections registered).
  void allocate(const std::vector<std::unique_ptr<NeuronGroup>>& groups, double dt_ms);
  // The device history of population p (valid after allocate).
  const kernels::PostHistory& history(int population) const { return histories_.at(population); }
  // Appends the interval's spikes of every tracked population.
  void append(const std::vector<std::unique_ptr<NeuronGroup>>& groups, Step first_step, int steps);
  // True if any read needed a spike the history no longer held (then clears the flag).
  bool take_overflow();
  bool empty() const { return requests_.empty(); }
  // Checkpoints: every history under "post_history/<population>/...", keyed by gid.
  void save_state(StateWriter& w, const std::vector<std::unique_ptr<NeuronGroup>>& groups) const;
  void restore_state(StateReader& r, const std::vector<std::unique_ptr<NeuronGroup>>& groups);
  std::uint64_t bytes() const;

 private:
  struct Request {
    std::vector<double> taus_ms;
    int capacity = 2;
  };
  std::map<int, Request> requests_;
  std::map<int, kernels::PostHistory> histories_;
};

}  // namespace spikeweave::engine
