#pragma once
// Network construction on the post-synaptic side: each rank draws only the synapses onto its
// own neurons, from random streams keyed by (seed, projection, target gid) (or source gid for
// fixed_outdegree), so the network is the same for any number of ranks and any partition.
#include <vector>

#include "network/spec.hpp"
#include "network/synapse_tables.hpp"
#include "partition/partition.hpp"

namespace spikeweave::network {

// The neurons of one population on this rank, increasing gid; local index = position.
struct LocalPopulation {
  std::vector<Gid> gids;
};

std::vector<LocalPopulation> local_populations(const NetworkSpec& net,
                                               const partition::Partition& p, int rank);

// Precision of per-synapse weights drawn from a distribution. A constant weight is always stored
// once per projection.
enum class WeightStorage { kFloat, kDouble };

// Builds the local synapses of projection `index`.
SynapseTables build_projection(const NetworkSpec& net, int index, const partition::Partition& p,
                               int rank, WeightStorage storage = WeightStorage::kFloat);

// Number of synapses of each target node of a fixed_total_number projection (all targets):
// a multinomial split of the total drawn as a tree of binomials, the same on every rank.
std::vector<std::uint32_t> total_number_split(std::uint64_t seed, int projection,
                                              std::uint64_t total, std::uint64_t targets);

}  // namespace spikeweave::network
