#include "engine/spike_exchange.hpp"

#include <algorithm>

#include "comm/spike.hpp"
#include "core/errors.hpp"

namespace spikeweave::engine {

std::vector<std::uint64_t> SpikeExchange::slot_begins(const std::vector<Gid>& population_first_gid,
                                                      const std::vector<Gid>& needed_sources) {
  std::vector<std::uint64_t> begins;
  for (Gid first : population_first_gid) {
    begins.push_back(static_cast<std::uint64_t>(
        std::lower_bound(needed_sources.begin(), needed_sources.end(), first) -
        needed_sources.begin()));
  }
  begins.push_back(needed_sources.size());
  return begins;
}

SpikeExchange::SpikeExchange(comm::Context& context, const partition::Partition& partition,
                             const std::vector<std::vector<Gid>>& local_gids,
                             const std::vector<Gid>& population_first_gid,
                             std::vector<Gid> needed_sources,
                             std::vector<std::vector<std::uint32_t>> row_keys)
    : context_(context) {
  const int ranks = context.size();
  // Below kNoSlot, so that the dense table can mark the pairs without a destination.
  require_invariant(needed_sources.size() < kNoSlot, "a rank's receive slots must fit in 32 bits");
  slot_begin_ = slot_begins(population_first_gid, needed_sources);
  row_keys.resize(population_first_gid.size());
  // Each population's keys follow the previous one's: its slots, or its rows' offsets.
  key_begin_.assign(1, 0);
  for (std::size_t p = 0; p < row_keys.size(); ++p) {
    const std::uint64_t slots = slot_begin_[p + 1] - slot_begin_[p];
    require_invariant(row_keys[p].empty() || row_keys[p].size() == slots,
                      "direct rows need one offset per receive slot");
    const std::uint64_t span = row_keys[p].empty() ? slots : row_keys[p].back() + std::uint64_t{1};
    key_begin_.push_back(key_begin_.back() + span);
  }
  require_invariant(key_begin_.back() < kNoSlot, "a rank's spike keys must fit in 32 bits");
  for (const auto& gids : local_gids) {
    population_offset_.push_back(flat_neurons_);
    flat_neurons_ += static_cast<std::uint32_t>(gids.size());
  }
  // Ask each owner for its neurons this rank needs, each with its receive slot.
  std::vector<int> counts(ranks, 0);
  for (Gid g : needed_sources) ++counts[partition::owner(partition, g)];
  std::vector<int> cursor(ranks, 0);
  for (int r = 1; r < ranks; ++r) cursor[r] = cursor[r - 1] + counts[r - 1];
  std::vector<std::uint64_t> gids(needed_sources.size());
  std::vector<std::uint32_t> keys(needed_sources.size());
  std::size_t pop = 0;
  for (std::size_t slot = 0; slot < needed_sources.size(); ++slot) {
    while (slot >= slot_begin_[pop + 1]) ++pop;
    const std::uint64_t in_population = slot - slot_begin_[pop];
    const int q = partition::owner(partition, needed_sources[slot]);
    gids[cursor[q]] = needed_sources[slot];
    keys[cursor[q]++] = static_cast<std::uint32_t>(
        key_begin_[pop] + (row_keys[pop].empty() ? in_population : row_keys[pop][in_population]));
  }
  std::vector<Gid>().swap(needed_sources);
  std::vector<std::vector<std::uint32_t>>().swap(row_keys);
  std::vector<std::uint64_t> asked_gids;
  std::vector<std::uint32_t> asked_keys;
  std::vector<int> asked_counts;
  context.request_sources(gids, keys, counts, asked_gids, asked_keys, asked_counts);
  std::vector<std::uint64_t>().swap(gids);
  std::vector<std::uint32_t>().swap(keys);
  build_destinations(partition, population_first_gid, asked_gids, asked_keys, asked_counts);
  outgoing_.resize(ranks);
  send_counts_.assign(ranks, 0);
  population_range_.assign(population_first_gid.size(), {0, 0});
}

void SpikeExchange::build_destinations(const partition::Partition& partition,
                                       const std::vector<Gid>& population_first_gid,
                                       const std::vector<std::uint64_t>& asked_gids,
                                       const std::vector<std::uint32_t>& asked_keys,
                                       const std::vector<int>& asked_counts) {
  // Flat local index of an asked gid (owned here), found twice rather than stored (4 bytes per
  // pair at the build's peak).
  const auto flat_of = [&](Gid g) {
    require_invariant(
        partition::owner(partition, g) == context_.rank() && g >= population_first_gid.front(),
        "a rank asked for a neuron this rank does not own");
    const auto pop = static_cast<std::size_t>(
        std::upper_bound(population_first_gid.begin(), population_first_gid.end(), g) -
        population_first_gid.begin() - 1);
    const std::uint64_t flat =
        population_offset_[pop] + partition::local_index(partition, g, population_first_gid[pop]);
    require_invariant(flat < flat_neurons_, "a rank asked for a neuron this rank does not own");
    return flat;
  };
  const auto ranks = static_cast<std::uint64_t>(asked_counts.size());
  destinations_ = asked_gids.size();
  const std::uint64_t dense_bytes = std::uint64_t{flat_neurons_} * ranks * sizeof(std::uint32_t);
  const std::uint64_t sparse_bytes =
      destinations_ * (sizeof(std::int32_t) + sizeof(std::uint32_t)) +
      (std::uint64_t{flat_neurons_} + 1) * sizeof(std::uint64_t);
  dense_ = dense_bytes <= sparse_bytes;
  if (dense_) {
    dense_slot_.assign(flat_neurons_ * ranks, kNoSlot);
    std::size_t k = 0;
    for (std::uint64_t r = 0; r < ranks; ++r) {
      for (int c = 0; c < asked_counts[r]; ++c, ++k) {
        dense_slot_[flat_of(asked_gids[k]) * ranks + r] = asked_keys[k];
      }
    }
    return;
  }
  destination_begin_.assign(flat_neurons_ + 1, 0);
  for (Gid g : asked_gids) ++destination_begin_[flat_of(g) + 1];
  for (std::uint32_t i = 0; i < flat_neurons_; ++i) {
    destination_begin_[i + 1] += destination_begin_[i];
  }
  destination_rank_.resize(asked_gids.size());
  destination_slot_.resize(asked_gids.size());
  std::vector<std::uint64_t> cursor(destination_begin_.begin(), destination_begin_.end() - 1);
  std::size_t k = 0;
  for (std::uint64_t r = 0; r < ranks; ++r) {
    for (int c = 0; c < asked_counts[r]; ++c, ++k) {
      const std::uint64_t d = cursor[flat_of(asked_gids[k])]++;
      destination_rank_[d] = static_cast<std::int32_t>(r);
      destination_slot_[d] = asked_keys[k];
    }
  }
}

void SpikeExchange::add_local_spikes(int population, std::uint64_t* words, std::size_t n) {
  // Neuron by neuron: what each destination receives is then increasing in its slots.
  std::sort(words, words + n);
  const std::uint32_t offset = population_offset_[static_cast<std::size_t>(population)];
  const std::size_t ranks = outgoing_.size();
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint64_t flat = offset + comm::spike_key(words[k]);
    const int lag = comm::spike_lag(words[k]);
    if (dense_) {
      const std::uint32_t* slot = dense_slot_.data() + flat * ranks;
      for (std::size_t r = 0; r < ranks; ++r) {
        if (slot[r] != kNoSlot) outgoing_[r].push_back(comm::pack_spike(slot[r], lag));
      }
      continue;
    }
    for (std::uint64_t d = destination_begin_[flat]; d < destination_begin_[flat + 1]; ++d) {
      outgoing_[static_cast<std::size_t>(destination_rank_[d])].push_back(
          comm::pack_spike(destination_slot_[d], lag));
    }
  }
}

bool SpikeExchange::exchange(bool failed) {
  send_.clear();
  for (std::size_t r = 0; r < outgoing_.size(); ++r) {
    send_counts_[r] = static_cast<int>(outgoing_[r].size());
    send_.insert(send_.end(), outgoing_[r].begin(), outgoing_[r].end());
    outgoing_[r].clear();
  }
  sent_last_ = send_.size();
  if (context_.exchange_spikes(send_, send_counts_, arrived_, recv_counts_, failed)) return true;
  split_by_population();
  return false;
}

// Each rank's block is increasing in keys: cut it at the populations' first keys and append
// the pieces to their population, keys made relative to the population's first.
void SpikeExchange::split_by_population() {
  const std::size_t pops = population_range_.size();
  std::vector<std::size_t> size(pops, 0);
  std::vector<std::size_t> cuts(recv_counts_.size() * (pops + 1));
  std::size_t block = 0;
  for (std::size_t r = 0; r < recv_counts_.size(); ++r) {
    const auto begin = arrived_.begin() + static_cast<std::ptrdiff_t>(block);
    const auto end = begin + recv_counts_[r];
    for (std::size_t p = 0; p <= pops; ++p) {
      cuts[r * (pops + 1) + p] = static_cast<std::size_t>(
          p == pops ? end - arrived_.begin()
                    : std::lower_bound(begin, end, comm::pack_spike(key_begin_[p], 0)) -
                          arrived_.begin());
      if (p > 0) size[p - 1] += cuts[r * (pops + 1) + p] - cuts[r * (pops + 1) + p - 1];
    }
    block += static_cast<std::size_t>(recv_counts_[r]);
  }
  received_.resize(arrived_.size());
  std::size_t first = 0;
  for (std::size_t p = 0; p < pops; ++p) {
    population_range_[p] = {first, size[p]};
    const std::uint64_t base = comm::pack_spike(key_begin_[p], 0);
    std::size_t out = first;
    for (std::size_t r = 0; r < recv_counts_.size(); ++r) {
      for (std::size_t k = cuts[r * (pops + 1) + p]; k < cuts[r * (pops + 1) + p + 1]; ++k) {
        received_[out++] = arrived_[k] - base;
      }
    }
    first += size[p];
  }
}

std::vector<std::uint32_t> SpikeExchange::source_runs(int population) const {
  const auto [first, count] = population_range(population);
  std::vector<std::uint32_t> runs;
  for (std::size_t k = 0; k < count; ++k) {
    if (k == 0 ||
        comm::spike_key(received_[first + k]) != comm::spike_key(received_[first + k - 1])) {
      runs.push_back(static_cast<std::uint32_t>(k));
    }
  }
  runs.push_back(static_cast<std::uint32_t>(count));
  return runs;
}

std::uint64_t SpikeExchange::routing_bytes() const {
  return dense_slot_.size() * sizeof(std::uint32_t) +
         destination_begin_.size() * sizeof(std::uint64_t) +
         destination_rank_.size() * sizeof(std::int32_t) +
         destination_slot_.size() * sizeof(std::uint32_t) +
         (slot_begin_.size() + key_begin_.size()) * sizeof(std::uint64_t);
}

}  // namespace spikeweave::engine
