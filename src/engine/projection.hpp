#pragma once
// One projection on this rank: its synapse tables in the execution space's memory and the
// kernel that delivers spikes through them into the target population's ring.
#include "kernels/deliver.hpp"
#include "network/build.hpp"

namespace spikeweave::engine {

class Projection {
 public:
  Projection(const network::NetworkSpec& net, int index, network::SynapseTables tables,
             kernels::InputRing target_ring);

  // Delivers the spikes of the source population (packed node_id << 8 | lag, sorted) that were
  // emitted in the interval starting at `first_step`.
  void deliver(const kernels::View<const std::uint64_t*>& spikes, std::size_t n, Step first_step);

  int source() const { return source_; }
  int target() const { return target_; }
  std::uint64_t synapses() const { return tables_.synapses; }
  std::uint64_t bytes() const { return tables_.bytes(); }
  const network::SynapseTables& host_tables() const { return tables_; }
  // Source gids with at least one synapse here.
  std::vector<Gid> source_gids(Gid source_first_gid) const;

 private:
  network::SynapseTables tables_;  // host; aliases the device views on host backends
  kernels::StaticDeliver deliver_;
  int source_;
  int target_;
};

}  // namespace spikeweave::engine
