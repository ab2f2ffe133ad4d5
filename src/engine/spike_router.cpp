#include "engine/spike_router.hpp"

#include <algorithm>

#include "comm/spike.hpp"
#include "core/errors.hpp"

namespace spikeweave::engine {

SpikeRouter::SpikeRouter(comm::Context& context, const partition::Partition& partition,
                         const std::vector<std::vector<Gid>>& local_gids,
                         const std::vector<Gid>& population_first_gid,
                         const std::vector<Gid>& needed_sources)
    : context_(context) {
  const int ranks = context.size();
  for (const auto& gids : local_gids) {
    population_offset_.push_back(static_cast<std::uint32_t>(flat_gid_.size()));
    flat_gid_.insert(flat_gid_.end(), gids.begin(), gids.end());
  }
  // Tell each owner which of its neurons this rank needs.
  std::vector<int> counts(ranks, 0);
  for (Gid g : needed_sources) ++counts[partition::owner(partition, g)];
  std::vector<int> offsets(ranks + 1, 0);
  for (int r = 0; r < ranks; ++r) offsets[r + 1] = offsets[r] + counts[r];
  std::vector<std::uint64_t> requests(needed_sources.size());
  {
    std::vector<int> cursor(offsets.begin(), offsets.end() - 1);
    for (Gid g : needed_sources) requests[cursor[partition::owner(partition, g)]++] = g;
  }
  std::vector<std::uint64_t> asked;
  std::vector<int> asked_counts;
  context.alltoallv(requests, counts, asked, asked_counts, false);

  // Flat local index of a gid owned here.
  auto flat_index = [&](Gid g) {
    const auto pop = static_cast<std::size_t>(
        std::upper_bound(population_first_gid.begin(), population_first_gid.end(), g) -
        population_first_gid.begin() - 1);
    return population_offset_[pop] +
           partition::local_index(partition, g, population_first_gid[pop]);
  };
  destination_begin_.assign(flat_gid_.size() + 1, 0);
  for (std::uint64_t g : asked) ++destination_begin_[flat_index(g) + 1];
  for (std::size_t i = 0; i < flat_gid_.size(); ++i)
    destination_begin_[i + 1] += destination_begin_[i];
  destination_rank_.resize(asked.size());
  std::vector<std::uint64_t> cursor(destination_begin_.begin(), destination_begin_.end() - 1);
  std::size_t k = 0;
  for (int r = 0; r < ranks; ++r) {
    for (int c = 0; c < asked_counts[r]; ++c, ++k) {
      const std::uint64_t flat = flat_index(asked[k]);
      require_invariant(flat_gid_[flat] == asked[k],
                        "a rank asked for a neuron this rank does not own");
      destination_rank_[cursor[flat]++] = r;
    }
  }
  outgoing_.resize(ranks);
  send_counts_.assign(ranks, 0);
}

void SpikeRouter::add(int population, std::uint32_t local, int lag) {
  const std::uint64_t flat = population_offset_[population] + local;
  const comm::PackedSpike spike = comm::pack_spike(flat_gid_[flat], lag);
  for (std::uint64_t d = destination_begin_[flat]; d < destination_begin_[flat + 1]; ++d) {
    outgoing_[destination_rank_[d]].push_back(spike);
  }
}

bool SpikeRouter::exchange(std::vector<std::uint64_t>& received, bool failed) {
  send_.clear();
  for (std::size_t r = 0; r < outgoing_.size(); ++r) {
    send_counts_[r] = static_cast<int>(outgoing_[r].size());
    send_.insert(send_.end(), outgoing_[r].begin(), outgoing_[r].end());
    outgoing_[r].clear();
  }
  sent_last_ = send_.size();
  if (context_.alltoallv(send_, send_counts_, received, recv_counts_, failed)) return true;
  // Sorting by (gid, lag) gives a delivery order independent of the ranks the spikes came from.
  std::sort(received.begin(), received.end());
  return false;
}

}  // namespace spikeweave::engine
