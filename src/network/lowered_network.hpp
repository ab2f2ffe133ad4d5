#pragma once
// The network spec lowered once for its resolution dt: every conversion of milliseconds to steps
// and every propagator the time loop needs, computed in one place (with the grid and overflow
// checks of core/time_grid.hpp) before the first step. The simulation owns one by value, and the
// parts it creates read their population's or projection's entry from it.
#include <vector>

#include "core/any_value.hpp"
#include "network/spec.hpp"

namespace spikeweave::network {

struct LoweredNetwork {
  NetworkSpec spec;
  Step flush_steps = 1;      // simulation.flush_interval_ms
  Step min_delay_steps = 1;  // shortest synaptic delay (1 without projections)
  Step max_delay_steps = 1;  // longest synaptic delay
  // Per population: the model's lowered parameters (NeuronModelInfo::lower).
  std::vector<AnyValue> models;
  // Per projection: its plasticity lowered (default for static projections).
  std::vector<plasticity::LoweredPlasticity> plasticity;
};

// Lowers a parsed spec. Errors (a time off the grid) name the key, as the parser's do.
LoweredNetwork lower_network(const NetworkSpec& spec);

}  // namespace spikeweave::network
