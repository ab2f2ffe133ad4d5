#pragma once
// Who needs which spikes. At build time each rank tells the owners of the sources it has
// synapses from that it needs them; each owner keeps, per local neuron, the ranks to send its
// spikes to. Per interval, spikes go only to those ranks (MPI_Alltoallv through the context).
#include <cstdint>
#include <vector>

#include "comm/context.hpp"
#include "core/ids.hpp"
#include "partition/partition.hpp"

namespace spikeweave::engine {

class SpikeRouter {
 public:
  // `local_gids[p]`: this rank's neurons of population p (increasing). `needed_sources`: gids of
  // all sources with a synapse on this rank, sorted and unique. Collective.
  SpikeRouter(comm::Context& context, const partition::Partition& partition,
              const std::vector<std::vector<Gid>>& local_gids,
              const std::vector<Gid>& population_first_gid, const std::vector<Gid>& needed_sources);

  // Appends a spike of population p's local neuron `local` at `lag` to the send buffers.
  void add(int population, std::uint32_t local, int lag);
  // Exchanges the buffered spikes; `received` gets every spike sent to this rank, sorted
  // (packed gid << 8 | lag). Returns true on every rank if any rank passed `failed`.
  bool exchange(std::vector<std::uint64_t>& received, bool failed);

  std::uint64_t destinations() const { return destination_rank_.size(); }
  std::uint64_t sent_last() const { return sent_last_; }

 private:
  comm::Context& context_;
  std::vector<std::uint32_t>
      population_offset_;      // flat local index of each population's first neuron
  std::vector<Gid> flat_gid_;  // gid of each flat local index
  std::vector<std::uint64_t> destination_begin_;  // CSR over flat local indices
  std::vector<std::int32_t> destination_rank_;
  std::vector<std::vector<std::uint64_t>> outgoing_;  // per destination rank
  std::vector<std::uint64_t> send_;
  std::vector<int> send_counts_, recv_counts_;
  std::uint64_t sent_last_ = 0;
};

}  // namespace spikeweave::engine
