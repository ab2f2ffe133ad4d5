#pragma once
// Parameters of the source models: populations whose neurons only emit spikes.
#include <limits>
#include <vector>

#include "core/config_table.hpp"

namespace spikeweave::model {

struct PoissonSourceParams {
  double rate_hz = 0.0;                                      // firing rate of each source [Hz]
  double start_ms = 0.0;                                     // first time a spike may occur [ms]
  double stop_ms = std::numeric_limits<double>::infinity();  // no spikes after this [ms]
};

struct SpikeSourceParams {
  // Spike times of each neuron [ms], one list per neuron (or one list shared by all).
  std::vector<std::vector<double>> spike_times_ms;
};

PoissonSourceParams parse_poisson_source_params(const config::Table& params);
SpikeSourceParams parse_spike_source_params(const config::Table& params, std::uint64_t size);

}  // namespace spikeweave::model
