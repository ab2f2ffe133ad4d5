#pragma once
// The one owner of spikes between the neuron update and delivery: the routing tables, the
// per-interval packing, the exchange through the context and the receiver's split by source
// population. The word format is comm/spike.hpp's.
//
// Routing (built once, collective): this rank numbers the sources it has synapses from
// (`needed_sources`, increasing gids) by their position in that list, its receive slots, and
// tells each owner which of its neurons it needs together with their slots
// (Context::request_sources) and the key each spike of it should carry: its receive slot, or
// where the population's projections keep direct rows (engine/direct_rows.hpp) the offset of
// its row there. Each owner keeps, per local neuron, the (rank, key) pairs of the ranks that
// need it, and sends that rank's key in each spike. On arrival a spike's key indexes each
// projection's slot table or the population's rows directly (kernels/deliver.hpp,
// kernels/direct_rows.hpp): no search, no sort. A population's keys follow the previous one's.
//
// Order without sorting: a sender packs its spikes neuron by neuron (increasing gid, then lag),
// so every block it sends is increasing in the receiver's keys (keys follow gids), and all the
// spikes of one source come from its one owner, together and in lag order. The receiver only
// cuts each block at the population boundaries and concatenates the pieces per population.
//
// Memory on the sender, whichever is smaller: a dense table of one slot per (local neuron, rank),
// 4 bytes each, kNoSlot where that rank does not need the neuron (at scale nearly every rank
// needs every neuron: 4 bytes per pair); or per pair 8 bytes (the rank and the slot) and per
// local neuron 8 bytes (CSR offsets). On the receiving side 4 bytes per (projection, receive
// slot of its source population). Nothing else is kept: the build's lists (the needed sources,
// the requests) are freed as soon as the next step holds what they said.
#include <cstdint>
#include <utility>
#include <vector>

#include "comm/context.hpp"
#include "core/ids.hpp"
#include "partition/partition.hpp"

namespace spikeweave::engine {

class SpikeExchange {
 public:
  // `local_gids[p]`: this rank's neurons of population p (increasing). `population_first_gid`:
  // first gid of each population (increasing). `needed_sources`: gids of all sources with a
  // synapse on this rank (or modulating one), sorted and unique; a source's receive slot is its
  // position there. `row_keys[p]`: population p's key of each of its receive slots (increasing),
  // or empty (missing) where the key is the slot. Collective.
  SpikeExchange(comm::Context& context, const partition::Partition& partition,
                const std::vector<std::vector<Gid>>& local_gids,
                const std::vector<Gid>& population_first_gid, std::vector<Gid> needed_sources,
                std::vector<std::vector<std::uint32_t>> row_keys = {});

  // The first receive slot of each population, then the number of slots: population p's
  // sources are needed_sources[begins[p], begins[p + 1]).
  static std::vector<std::uint64_t> slot_begins(const std::vector<Gid>& population_first_gid,
                                                const std::vector<Gid>& needed_sources);

  // (first slot, slots) of population p: its sources among `needed_sources` (as passed to the
  // constructor, which does not keep them) in receive-slot order.
  std::pair<std::uint64_t, std::uint64_t> slot_range(int population) const {
    const auto p = static_cast<std::size_t>(population);
    return {slot_begin_[p], slot_begin_[p + 1] - slot_begin_[p]};
  }

  // Queues one interval's spikes of population p: `words` (local index, lag) in any order (the
  // compaction writes them lag by lag); `n` of them. Reorders `words` by (local index, lag).
  void add_local_spikes(int population, std::uint64_t* words, std::size_t n);

  // Exchanges the queued spikes (collective) and splits what arrived by source population.
  // Returns true on every rank, moving nothing, if any rank passed `failed`.
  bool exchange(bool failed);

  // After exchange(): the received spikes, population by population, as words (key within the
  // population: the slot, or the row key where row_keys gave one; lag); each source's spikes
  // together and in lag order.
  const std::vector<std::uint64_t>& received() const { return received_; }
  // (first, count) of population p's spikes in received().
  std::pair<std::size_t, std::size_t> population_range(int population) const {
    return population_range_[static_cast<std::size_t>(population)];
  }
  // Offsets of the runs of equal source inside population p's spikes (relative to its first,
  // then its count): for rules that must see one source's spikes in order.
  std::vector<std::uint32_t> source_runs(int population) const;

  std::uint64_t destinations() const { return destinations_; }
  // Whether the sender's table is the dense one (see above).
  bool dense_destinations() const { return dense_; }
  std::uint64_t sent_last() const { return sent_last_; }
  // Bytes of the routing tables on this rank.
  std::uint64_t routing_bytes() const;

 private:
  void build_destinations(const partition::Partition& partition,
                          const std::vector<Gid>& population_first_gid,
                          const std::vector<std::uint64_t>& asked_gids,
                          const std::vector<std::uint32_t>& asked_keys,
                          const std::vector<int>& asked_counts);
  void split_by_population();

  comm::Context& context_;
  std::vector<std::uint64_t> slot_begin_;         // per population + 1: its first receive slot
  std::vector<std::uint64_t> key_begin_;          // per population + 1: its first key
  std::uint32_t flat_neurons_ = 0;                // this rank's neurons, all populations
  std::vector<std::uint32_t> population_offset_;  // flat local index of each population's first
  static constexpr std::uint32_t kNoSlot = 0xFFFFFFFFu;
  bool dense_ = false;
  std::uint64_t destinations_ = 0;                // (local neuron, rank) pairs
  std::vector<std::uint32_t> dense_slot_;         // dense: flat local index x ranks + rank
  std::vector<std::uint64_t> destination_begin_;  // sparse: CSR over flat local indices
  std::vector<std::int32_t> destination_rank_;
  std::vector<std::uint32_t> destination_slot_;       // the destination's key
  std::vector<std::vector<std::uint64_t>> outgoing_;  // per destination rank
  std::vector<std::uint64_t> send_, arrived_, received_;
  std::vector<int> send_counts_, recv_counts_;
  std::vector<std::pair<std::size_t, std::size_t>> population_range_;
  std::uint64_t sent_last_ = 0;
};

}  // namespace spikeweave::engine
