#pragma once
// Which rank owns which neuron. Plain data and free functions, testable without MPI.
// Neurons are numbered by global id (gid) across all populations; a rank stores the neurons it
// owns, and the synapses onto them, in increasing gid order.
#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.hpp"

namespace spikeweave::partition {

enum class Scheme {
  kRoundRobin,  // gid g lives on rank g mod P (default: balances every population)
  kBlock,       // contiguous blocks of gids of near-equal size
};

struct Partition {
  Scheme scheme = Scheme::kRoundRobin;
  Gid total_neurons = 0;
  int ranks = 1;
};

// "round_robin" or "block"; throws ConfigError naming `key` otherwise.
Scheme parse_scheme(const std::string& name, const std::string& key);
std::string scheme_name(Scheme scheme);

// The rank that owns `gid`.
int owner(const Partition& p, Gid gid);
// How many gids in [begin, end) `rank` owns.
std::uint64_t owned_count(const Partition& p, int rank, Gid begin, Gid end);
// The gids in [begin, end) that `rank` owns, increasing.
std::vector<Gid> owned_gids(const Partition& p, int rank, Gid begin, Gid end);
// Position of `gid` among the gids in [begin, gid] owned by its owner (its local index in the
// population that starts at `begin`).
LocalIndex local_index(const Partition& p, Gid gid, Gid begin);

}  // namespace spikeweave::partition
