#pragma once
// Identifier and time types. Global neuron ids (gid) number all populations consecutively;
// node_id is the index inside one population; local is the index on this rank.
#include <cstdint>

namespace spikeweave {

using Gid = std::uint64_t;         // global neuron id, 0 .. total_neurons-1
using NodeId = std::uint64_t;      // index inside a population
using LocalIndex = std::uint32_t;  // index of a neuron inside its population on this rank
using Step = std::int64_t;         // simulation time step, time = step * dt

// Largest number of neurons a network may have: random streams key neurons by 32 bits.
inline constexpr Gid kMaxNeurons = Gid{1} << 32;

}  // namespace spikeweave
