#include "partition/partition.hpp"

#include <algorithm>

#include "core/errors.hpp"

namespace spikeweave::partition {
namespace {

// First gid of `rank`'s block: floor(rank * N / P). Exact in 64 bits: N <= 2^32 (kMaxNeurons)
// and rank < 2^31.
Gid block_start(const Partition& p, int rank) {
  return static_cast<Gid>(rank) * p.total_neurons / static_cast<Gid>(p.ranks);
}

// Number of gids in [begin, end) congruent to rank mod P.
std::uint64_t round_robin_count(const Partition& p, int rank, Gid begin, Gid end) {
  if (end <= begin) return 0;
  const Gid ranks = static_cast<Gid>(p.ranks);
  const Gid first = begin + (static_cast<Gid>(rank) + ranks - begin % ranks) % ranks;
  return first < end ? (end - 1 - first) / ranks + 1 : 0;
}

}  // namespace

Scheme parse_scheme(const std::string& name, const std::string& key) {
  if (name == "round_robin") return Scheme::kRoundRobin;
  if (name == "block") return Scheme::kBlock;
  throw ConfigError(key, "unknown partition '" + name + "'; expected \"round_robin\" or \"block\"");
}

std::string scheme_name(Scheme scheme) {
  return scheme == Scheme::kRoundRobin ? "round_robin" : "block";
}

int owner(const Partition& p, Gid gid) {
  if (p.scheme == Scheme::kRoundRobin) return static_cast<int>(gid % static_cast<Gid>(p.ranks));
  auto rank = static_cast<int>(gid * static_cast<Gid>(p.ranks) / p.total_neurons);
  while (rank + 1 < p.ranks && block_start(p, rank + 1) <= gid) ++rank;
  while (rank > 0 && block_start(p, rank) > gid) --rank;
  return rank;
}

std::uint64_t owned_count(const Partition& p, int rank, Gid begin, Gid end) {
  if (p.scheme == Scheme::kRoundRobin) return round_robin_count(p, rank, begin, end);
  const Gid lo = std::max(begin, block_start(p, rank));
  const Gid hi = std::min(end, block_start(p, rank + 1));
  return hi > lo ? hi - lo : 0;
}

std::vector<Gid> owned_gids(const Partition& p, int rank, Gid begin, Gid end) {
  std::vector<Gid> gids;
  gids.reserve(owned_count(p, rank, begin, end));
  if (p.scheme == Scheme::kRoundRobin) {
    const Gid ranks = static_cast<Gid>(p.ranks);
    if (end > begin) {
      for (Gid g = begin + (static_cast<Gid>(rank) + ranks - begin % ranks) % ranks; g < end;
           g += ranks) {
        gids.push_back(g);
      }
    }
  } else {
    const Gid lo = std::max(begin, block_start(p, rank));
    const Gid hi = std::min(end, block_start(p, rank + 1));
    for (Gid g = lo; g < hi; ++g) gids.push_back(g);
  }
  return gids;
}

LocalIndex local_index(const Partition& p, Gid gid, Gid begin) {
  return static_cast<LocalIndex>(owned_count(p, owner(p, gid), begin, gid));
}

}  // namespace spikeweave::partition
