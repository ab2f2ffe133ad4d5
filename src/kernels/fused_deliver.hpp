#pragma once
// Host delivery of one source population's received spikes through all of its static
// projections at once (E -> E and E -> I, say), from one interleaved slot table.
//
// At scale a received spike's cost is its cold cache lines: per projection, its slot table
// entry and its targets (StaticDeliver). The projections of one source population are indexed
// by the same receive slots, so their slot entries can sit side by side: entry (s, p) of
// projection p for slot s is at s * parts + p, and a spike's entries for every projection (and
// the next slot's, which end its rows) are one line instead of one line per projection. The
// spikes are also sorted by lag once instead of once per projection. Each part's synapses are
// delivered exactly as StaticDeliver delivers them (integer ring sums: bitwise the same).
#include <string>
#include <vector>

#include "core/memory_usage.hpp"
#include "kernels/deliver.hpp"

namespace spikeweave::kernels {

struct FusedStaticDeliver {
  static constexpr int kMaxParts = 4;
  static constexpr int kGroup = StaticDeliver::kGroup;
  using value_type = std::uint64_t;  // synaptic events
  struct PerBlock {};

  // Each projection's delivery: its synapses, ring, port, ownership; its own slot table is
  // unused (slot_entries holds it).
  StaticDeliver parts[kMaxParts];
  int n_parts = 0;
  View<const std::uint32_t*> slot_entries;  // (slots + 1) x n_parts, slot-major
  View<const std::uint64_t*> spikes;
  int spike_count = 0;
  int blocks = 1;  // target blocks (host threads), one per thread; 1: one thread
  // Sorts the spikes by lag for every part (StaticDeliver::order_by_lag; its scratch persists
  // from interval to interval).
  StaticDeliver lag_sort;
  static constexpr const char* kLabel = "spikeweave::static_synapse::deliver_fused";

  // Entries [first[i][p], end[i][p]) of spike i of a group in part p.
  struct GroupRows {
    std::uint64_t first[kGroup][kMaxParts];
    std::uint64_t end[kGroup][kMaxParts];
  };

  KOKKOS_INLINE_FUNCTION int group_size(const int group) const {
    const int first = group * kGroup;
    return spike_count - first < kGroup ? spike_count - first : kGroup;
  }
  KOKKOS_INLINE_FUNCTION const std::uint32_t* entries_of(const std::uint64_t word) const {
    return slot_entries.data() + comm::spike_key(word) * static_cast<std::uint64_t>(n_parts);
  }
  // Step 1: the slot entries of the group's spikes (this slot's and the next one's: first and
  // last byte, mostly one line).
  KOKKOS_INLINE_FUNCTION void prefetch_slots(const int group) const {
    const int first = group * kGroup;
    for (int i = 0, n = group_size(group); i < n; ++i) {
      const std::uint32_t* e = entries_of(spikes(first + i));
      StaticDeliver::prefetch(e);
      StaticDeliver::prefetch(e + 2 * n_parts - 1);
    }
  }
  // Step 2: read the entries; prefetch each part's targets (uniform delay) or segments.
  KOKKOS_INLINE_FUNCTION void load_rows(const int group, GroupRows& rows) const {
    const int first = group * kGroup, n = group_size(group);
    for (int i = 0; i < n; ++i) {
      const std::uint32_t* e = entries_of(spikes(first + i));
      for (int p = 0; p < n_parts; ++p) {
        rows.first[i][p] = e[p];
        rows.end[i][p] = e[n_parts + p];
      }
    }
    for (int p = 0; p < n_parts; ++p) {
      const DeviceSynapses& syn = parts[p].syn;
      for (int i = 0; i < n; ++i) {
        if (rows.first[i][p] == rows.end[i][p]) continue;
        if (syn.uniform_delay >= 0) {
          StaticDeliver::prefetch(syn.target.data() + rows.first[i][p]);
          StaticDeliver::prefetch(syn.target.data() + rows.end[i][p] - 1);
        } else {
          StaticDeliver::prefetch(syn.segment_begin.data() + rows.first[i][p]);
          StaticDeliver::prefetch(syn.segment_delay.data() + rows.first[i][p]);
        }
      }
    }
  }
  // Step 3 (parts with drawn delays): the targets of each row's first segment.
  KOKKOS_INLINE_FUNCTION void prefetch_targets(const int group, const GroupRows& rows) const {
    for (int p = 0; p < n_parts; ++p) {
      const DeviceSynapses& syn = parts[p].syn;
      if (syn.uniform_delay >= 0) continue;
      for (int i = 0, n = group_size(group); i < n; ++i) {
        if (rows.first[i][p] == rows.end[i][p]) continue;
        StaticDeliver::prefetch(syn.target.data() + syn.segment_begin(rows.first[i][p]));
      }
    }
  }
  // Step 4: deliver the group; block b of `blocks` owns each part's targets
  // [n b / blocks, n (b + 1) / blocks). Returns the events.
  KOKKOS_INLINE_FUNCTION std::uint64_t deliver_rows(const int group, const GroupRows& rows,
                                                    const int b) const {
    const int first = group * kGroup;
    std::uint64_t events = 0;
    for (int p = 0; p < n_parts; ++p) {
      const StaticDeliver& part = parts[p];
      const auto lo = static_cast<std::uint32_t>(std::uint64_t{part.targets} * b / blocks);
      const auto hi = static_cast<std::uint32_t>(std::uint64_t{part.targets} * (b + 1) / blocks);
      for (int i = 0, n = group_size(group); i < n; ++i) {
        events += part.deliver_segments(rows.first[i][p], rows.end[i][p], spikes(first + i),
                                        blocks == 1, lo, hi, false, SerialRange{});
      }
    }
    return events;
  }

  // Block b: the groups pipelined as in StaticDeliver::deliver_pipelined.
  KOKKOS_INLINE_FUNCTION void operator()(PerBlock, const int b, std::uint64_t& events) const {
    const int groups = (spike_count + kGroup - 1) / kGroup;
    GroupRows rows[3];
    for (int g = 0; g < 3 && g < groups; ++g) prefetch_slots(g);
    for (int g = 0; g < 2 && g < groups; ++g) load_rows(g, rows[g]);
    if (groups > 0) prefetch_targets(0, rows[0]);
    for (int g = 0; g < groups; ++g) {
      if (g + 3 < groups) prefetch_slots(g + 3);
      if (g + 2 < groups) load_rows(g + 2, rows[(g + 2) % 3]);
      if (g + 1 < groups) prefetch_targets(g + 1, rows[(g + 1) % 3]);
      events += deliver_rows(g, rows[g % 3], b);
    }
  }

  // Delivers `n_spikes` spikes emitted in the interval from `first_step`; returns the events.
  std::uint64_t run(std::size_t n_spikes, std::int64_t first_step) {
    std::uint64_t events = 0;
    if (n_spikes == 0) return events;
    lag_sort.spikes = spikes;
    lag_sort.spike_count = static_cast<int>(n_spikes);
    lag_sort.order_by_lag();
    spikes = lag_sort.spikes;
    spike_count = lag_sort.spike_count;
    for (int p = 0; p < n_parts; ++p) parts[p].first_step = first_step;
    Kokkos::parallel_reduce(kLabel, Kokkos::RangePolicy<ExecSpace, PerBlock>(0, blocks), *this,
                            events);
    return events;
  }
};

// Interleaves the slot tables of the parts (each (slots + 1) entries, StaticDeliver's
// DeviceSynapses::slot_segment): entry s * tables.size() + p is tables[p](s). Host memory
// (fused delivery runs on host backends only); huge pages where granted (read at random).
template <class Table>
View<const std::uint32_t*> interleave_slot_tables(const std::vector<Table>& tables,
                                                  const std::string& label) {
  const std::size_t parts = tables.size();
  const std::size_t entries = tables.empty() ? 0 : tables[0].extent(0);
  View<std::uint32_t*> out(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), entries * parts);
  auto host_out = Kokkos::create_mirror_view(out);  // the table itself on host backends
  advise_huge_pages(host_out.data(), host_out.span() * sizeof(std::uint32_t));
  for (std::size_t p = 0; p < parts; ++p) {
    const auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), tables[p]);
    for (std::size_t s = 0; s < entries; ++s) host_out(s * parts + p) = host(s);
  }
  Kokkos::deep_copy(out, host_out);
  return out;
}

}  // namespace spikeweave::kernels
