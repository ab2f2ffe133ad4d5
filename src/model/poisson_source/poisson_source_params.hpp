#pragma once
// Parameters of the poisson_source model: neurons that emit independent Poisson spike trains.
// Plain structs.
#include <cstdint>
#include <limits>

namespace spikeweave::model {

struct PoissonSourceParams {
  double rate_hz = 0.0;                                      // firing rate of each source [Hz]
  double start_ms = 0.0;                                     // first time a spike may occur [ms]
  double stop_ms = std::numeric_limits<double>::infinity();  // no spikes after this [ms]
};

// Lowered: active in steps whose interval (s dt, (s+1) dt] lies in [start, stop).
struct PoissonSourceLowered {
  double spike_probability = 0.0;  // per step: 1 - exp(-rate dt)
  std::int64_t first_step = 0;
  std::int64_t stop_step = 0;
};

}  // namespace spikeweave::model
