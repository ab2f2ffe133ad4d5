#pragma once
// Parameters of the spike_source model: neurons that emit spikes at given times. Plain structs.
#include <cstdint>
#include <vector>

namespace spikeweave::model {

struct SpikeSourceParams {
  // Spike times of each neuron [ms], one list per neuron (or one list shared by all).
  std::vector<std::vector<double>> spike_times_ms;
};

// Lowered: the emission steps of each neuron, sorted, in CSR form.
struct SpikeSourceLowered {
  std::vector<std::uint64_t> begin;  // per neuron list (or 1 shared list) + 1 offsets
  std::vector<std::int64_t> steps;   // emission step of each spike
  bool shared = false;               // one list for every neuron
};

}  // namespace spikeweave::model
