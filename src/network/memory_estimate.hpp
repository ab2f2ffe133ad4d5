#pragma once
// What one rank's part of a network will need in memory, estimated from the spec alone before
// anything is built, so that a network that cannot fit is refused in milliseconds instead of
// failing in an allocator (or the kernel's OOM killer) minutes into the build.
#include <cstdint>
#include <string>

#include "network/spec.hpp"

namespace spikeweave::network {

struct MemoryEstimate {
  double synapses = 0.0;        // expected synapses on this rank
  double synapse_bytes = 0.0;   // their tables: targets, weights, delays, plastic state
  double neuron_bytes = 0.0;    // neuron state and input rings
  double baseline_bytes = 0.0;  // the process itself (MPI, Kokkos, HDF5, code)
  double total() const { return synapse_bytes + neuron_bytes + baseline_bytes; }
};

// Expected number of synapses of a projection (the mean for random rules).
double expected_synapses(const NetworkSpec& spec, const ProjectionSpec& projection);

// One rank's share when the network is split over `ranks` ranks (targets are spread evenly by
// either partition). Bytes per synapse follow the measured layout (4.3-4.6 bytes for a static
// synapse with a shared weight and delay; docs in README "Machine limits").
MemoryEstimate estimate_rank_memory(const NetworkSpec& spec, int ranks);

// "12.3 GB" and the like, for messages.
std::string format_bytes(double bytes);

}  // namespace spikeweave::network
