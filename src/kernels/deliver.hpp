#pragma once
// Delivery of received spikes through static synapses into the targets' input ring:
// on a GPU one team per spike, the team's threads over the synapses of the spike's row; on the
// host spike by spike in groups (group prefetching, see HostDeliver). A spike's key is its
// source's receive slot (comm/spike.hpp), so its row's segments (or synapses) are one load from
// the slot table (DeviceSynapses::slot_segment): no search.
#include "comm/spike.hpp"
#include "kernels/prefetch.hpp"
#include "kernels/views.hpp"

namespace spikeweave::kernels {

// Device copy of network::SynapseTables (see there for the layout).
struct DeviceSynapses {
  // Row of each receive slot of the source population on this rank, kNoRow where that source
  // has no synapse in this projection (Projection::bind_receive_slots).
  View<const std::uint32_t*> slot_row;
  // Static delivery instead reads the segments of each receive slot directly: those of slot s
  // are [slot_segment(s), slot_segment(s + 1)), empty where the source has no synapse here. One
  // cold load fewer per received spike than slot -> row -> segments (slot_row is then unset).
  View<const std::uint32_t*> slot_segment;
  // >= 0 when every synapse has this delay (in steps): each row is then one segment, and
  // slot_segment holds synapse offsets (slot s's synapses are [slot_segment(s),
  // slot_segment(s + 1))), so a spike reaches its targets with one cold load before them.
  int uniform_delay = -1;
  View<const std::uint64_t*> row_begin;
  View<const std::uint16_t*> segment_delay;
  View<const std::uint64_t*> segment_begin;
  View<const std::uint32_t*> target;
  View<const float*> weight;
  float homogeneous_weight = 0.0f;
  bool homogeneous = true;
  std::uint64_t rows = 0;
  View<const double*> gain;  // homeostatic gain of each target neuron; empty: none

  // The weight a synapse transmits: its own, times the target's homeostatic gain if any.
  KOKKOS_INLINE_FUNCTION double scaled(double w, std::uint32_t t) const {
    return gain.extent(0) > 0 ? w * gain(t) : w;
  }

  static constexpr std::uint32_t kNoRow = 0xFFFFFFFFu;
  // Row of a receive slot, or `rows` if that source has no synapse in this projection.
  KOKKOS_INLINE_FUNCTION std::uint64_t row_of_slot(std::uint64_t slot) const {
    const std::uint32_t row = slot_row(slot);
    return row == kNoRow ? rows : row;
  }
  // Synapses of a row (the synaptic events one spike of its source causes).
  KOKKOS_INLINE_FUNCTION std::uint64_t row_synapses(std::uint64_t row) const {
    return segment_begin(row_begin(row + 1)) - segment_begin(row_begin(row));
  }
};

// How delivery keeps two threads from adding to one ring entry at once.
enum class Ownership {
  kOneThread,     // one thread delivers every spike (Serial, or one host thread): plain adds
  kTargetBlocks,  // host threads: each owns a block of targets and delivers every spike's
                  // synapses onto its block (plain adds, no atomics)
  kAtomic,        // GPU: a team per spike, atomic adds
};

// The ownership delivery uses on the default execution space. Target blocks cut each segment by
// a binary search, so they need every segment's targets increasing, which the build gives for
// connection rules drawn per target but not for fixed_outdegree (drawn per source): without it,
// threads fall back to atomics.
inline Ownership delivery_ownership(bool segment_targets_increasing) {
  if constexpr (!Kokkos::SpaceAccessibility<ExecSpace, Kokkos::HostSpace>::accessible) {
    return Ownership::kAtomic;
  }
  if (!threads_may_race()) return Ownership::kOneThread;
  return segment_targets_increasing ? Ownership::kTargetBlocks : Ownership::kAtomic;
}

// Block b of `blocks` owns a target population's local targets [block_bound(n, b, blocks),
// block_bound(n, b + 1, blocks)), n being the population's neurons on this rank.
KOKKOS_INLINE_FUNCTION std::uint32_t block_bound(const std::uint32_t n, const int b,
                                                 const int blocks) {
  return static_cast<std::uint32_t>(std::uint64_t{n} * static_cast<std::uint64_t>(b) /
                                    static_cast<std::uint64_t>(blocks));
}

// First position in targets[begin, end) (increasing) whose target is >= t. Word: the targets'
// type (32 bits in the synapse tables, 16 or 32 in direct rows, kernels/direct_rows.hpp).
template <class Word>
KOKKOS_INLINE_FUNCTION std::uint64_t first_target_at_least(const Word* targets, std::uint64_t begin,
                                                           std::uint64_t end, std::uint32_t t) {
  while (begin < end) {
    const std::uint64_t mid = begin + (end - begin) / 2;
    if (static_cast<std::uint32_t>(targets[mid]) < t) {
      begin = mid + 1;
    } else {
      end = mid;
    }
  }
  return begin;
}

// first_target_at_least for a segment cut at a target block's bound t, the segment's targets
// lying in [0, n): they spread over that range, so the first probe is interpolated and a
// galloping search from it touches one or two lines instead of a binary search's ~log2(length)
// (13% of a 2-thread static delivery at scale 1 went to binary searches). t = 0 and t >= n, the
// outer bounds of the first and last block, need no search. Same result as first_target_at_least.
template <class Word>
KOKKOS_INLINE_FUNCTION std::uint64_t find_block_cut(const Word* targets, std::uint64_t begin,
                                                    std::uint64_t end, std::uint32_t t,
                                                    std::uint32_t n) {
  if (t == 0 || begin == end) return begin;
  if (t >= n) return end;
  const std::uint64_t probe = begin + (end - begin) * t / n;  // < end, as t < n
  std::uint64_t step = 1;
  if (static_cast<std::uint32_t>(targets[probe]) < t) {  // the cut lies in (probe, end]
    std::uint64_t below = probe, next = probe + 1;
    while (next < end && static_cast<std::uint32_t>(targets[next]) < t) {
      below = next;
      step *= 2;
      next = below + step;
    }
    return first_target_at_least(targets, below + 1, next < end ? next : end, t);
  }
  std::uint64_t at_least = probe;  // targets[at_least] >= t: the cut lies in [begin, at_least]
  while (at_least > begin) {
    const std::uint64_t next = at_least - begin > step ? at_least - step : begin;
    if (static_cast<std::uint32_t>(targets[next]) < t)
      return first_target_at_least(targets, next + 1, at_least, t);
    at_least = next;
    step *= 2;
  }
  return begin;
}

// The spikes of an interval go to as many ring slots as the interval has lags; spike by spike
// in arrival order (each sender's block in slot order) every add lands in any of them, a working
// set of lags x targets x 8 bytes (1 MB per port for 9,000 targets and 15 lags) that the targets
// streaming through evict from L2. Lag by lag (a stable counting sort), the adds of a lag touch
// one slot's 72 KB. The sum in each ring entry is the same: integer adds. Returns spikes[0,
// count) sorted by lag, in `scratch` (grown as needed) on host backends; elsewhere `spikes`.
inline View<const std::uint64_t*> order_by_lag(const View<const std::uint64_t*>& spikes,
                                               const int count, View<std::uint64_t*>& scratch) {
  if constexpr (!Kokkos::SpaceAccessibility<Kokkos::HostSpace, MemSpace>::accessible) {
    return spikes;
  } else {
    if (scratch.extent(0) < static_cast<std::size_t>(count)) {
      scratch =
          View<std::uint64_t*>(Kokkos::view_alloc(Kokkos::WithoutInitializing, "spikes_by_lag"),
                               static_cast<std::size_t>(count) * 3 / 2);
    }
    int start[comm::kMaxIntervalSteps + 2] = {};
    for (int k = 0; k < count; ++k) ++start[comm::spike_lag(spikes(k)) + 1];
    for (int l = 0; l <= comm::kMaxIntervalSteps; ++l) start[l + 1] += start[l];
    for (int k = 0; k < count; ++k) scratch(start[comm::spike_lag(spikes(k))]++) = spikes(k);
    return scratch;
  }
}

// Runs f over [begin, end) in one thread.
struct SerialRange {
  template <class F>
  KOKKOS_INLINE_FUNCTION void operator()(std::uint64_t begin, std::uint64_t end, const F& f) const {
    for (std::uint64_t j = begin; j < end; ++j) f(j);
  }
};

// Spikes of one source population in this interval: words (receive slot, lag).
struct StaticDeliver {
  using Policy = Kokkos::TeamPolicy<ExecSpace>;
  using Member = Policy::member_type;
  using value_type = std::uint64_t;  // synaptic events, summed by the reduction

  DeviceSynapses syn;
  InputRing ring;
  View<const std::uint64_t*> spikes;
  int spike_count = 0;
  int port = kPortExcitatory;
  std::int64_t first_step = 0;  // first step of the interval in which the spikes were emitted
  int slots = 1;
  Ownership ownership = Ownership::kOneThread;
  int blocks = 1;             // target blocks (kTargetBlocks)
  std::uint32_t targets = 0;  // neurons of the target population on this rank
  static constexpr const char* kLabel = "spikeweave::static_synapse::deliver";

  // Delivers spike k to the synapses of its row whose targets lie in [lo, hi) (every synapse
  // when `whole_row`); `range(begin, end, f)` runs f over synapses [begin, end) of a segment.
  // Returns the synaptic events.
  template <class Range>
  KOKKOS_INLINE_FUNCTION std::uint64_t spike(const int k, const bool whole_row,
                                             const std::uint32_t lo, const std::uint32_t hi,
                                             const bool atomic, const Range& range) const {
    const std::uint64_t word = spikes(k);
    const std::uint64_t slot = comm::spike_key(word);
    return deliver_segments(syn.slot_segment(slot), syn.slot_segment(slot + 1), word, whole_row, lo,
                            hi, atomic, range);
  }

  // Delivers spike `word` through segments [first_seg, end_seg) (its source's row) as `spike`.
  template <class Range>
  KOKKOS_INLINE_FUNCTION std::uint64_t deliver_segments(
      const std::uint64_t first_seg, const std::uint64_t end_seg, const std::uint64_t word,
      const bool whole_row, const std::uint32_t lo, const std::uint32_t hi, const bool atomic,
      const Range& range) const {
    const std::int64_t emitted = first_step + comm::spike_lag(word);
    const bool uniform = syn.uniform_delay >= 0;
    const std::uint32_t* const target = syn.target.data();
    std::uint64_t events = 0;
    // With a uniform delay, [first_seg, end_seg) are synapses: one pass over them.
    const std::uint64_t passes = uniform ? (first_seg < end_seg ? 1 : 0) : end_seg - first_seg;
    for (std::uint64_t pass = 0; pass < passes; ++pass) {
      const std::uint64_t seg = first_seg + pass;
      const int delay = uniform ? syn.uniform_delay : syn.segment_delay(seg);
      const int slot = static_cast<int>((emitted + delay) % slots);
      std::int64_t* const base = &ring(port, slot, 0);
      std::uint64_t begin = uniform ? first_seg : syn.segment_begin(seg);
      std::uint64_t end = uniform ? end_seg : syn.segment_begin(seg + 1);
      if (!whole_row) {  // a segment's targets are increasing (network/build.cpp)
        begin = find_block_cut(target, begin, end, lo, targets);
        end = find_block_cut(target, begin, end, hi, targets);
      }
      events += end - begin;
      if (syn.gain.extent(0) > 0) {
        range(begin, end, [&](const std::uint64_t j) {
          const std::uint32_t t = target[j];
          const double w = syn.homogeneous ? syn.homogeneous_weight : syn.weight(j);
          add_input(base + t, to_fixed(syn.scaled(w, t)), atomic);
        });
      } else if (syn.homogeneous) {
        const std::int64_t w = to_fixed(syn.homogeneous_weight);
        if (atomic) {
          range(begin, end, [&](const std::uint64_t j) { add_input(base + target[j], w, true); });
        } else {
          for (std::uint64_t j = begin; j < end; ++j) base[target[j]] += w;
        }
      } else {
        range(begin, end, [&](const std::uint64_t j) {
          add_input(base + target[j], to_fixed(syn.weight(j)), atomic);
        });
      }
    }
    return events;
  }

  // GPU: one team per spike, its threads over the row's synapses, atomic adds.
  KOKKOS_INLINE_FUNCTION void operator()(const Member& team, std::uint64_t& events) const {
    const std::uint64_t n =
        spike(team.league_rank(), true, 0, 0, true,
              [&](std::uint64_t begin, std::uint64_t end, const auto& f) {
                Kokkos::parallel_for(Kokkos::TeamThreadRange(team, begin, end), f);
              });
    Kokkos::single(Kokkos::PerTeam(team), [&]() { events += n; });
  }
  // Host delivery runs as a one-part HostDeliver (below): group prefetching over the spikes.
  static constexpr int kGroup = 32;

  // See kernels::prefetch_line (kept by GCC in a loop of nothing else).
  KOKKOS_INLINE_FUNCTION static void prefetch(const void* address) { prefetch_line(address); }

  // Scratch of order_by_lag (host backends only).
  View<std::uint64_t*> by_lag;

  // Delivers `n_spikes` spikes; returns the synaptic events.
  std::uint64_t run(std::size_t n_spikes);
};

// Host delivery of received spikes through one or several static projections of one source
// population (its "parts"), from one slot table whose entry of part p for slot s is at
// s * n_parts + p (one part: StaticDeliver's own slot_segment table; several:
// interleave_slot_tables, fused_deliver.hpp, so that a spike's entries for every projection are
// one line instead of one per projection). Each part's synapses are delivered as
// StaticDeliver::deliver_segments delivers them.
//
// A received spike's row is cold (at scale a rank has millions of rows and touches each one
// rarely), and reaching its synapses is a chain of dependent loads: slot -> segments -> targets
// (slot -> targets with a uniform delay). The loop takes the spikes in groups and moves each
// group one link down its chains per step while the group ahead of it delivers (group
// prefetching, software-pipelined across groups): the loads of a group are independent, and the
// misses of the next groups are in flight while this one adds to the ring, so the core is
// neither waiting on one spike's chain nor idle between groups.
struct HostDeliver {
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
  int blocks = 1;               // target blocks (host threads), one per thread; 1: one thread
  View<std::uint64_t*> by_lag;  // scratch of order_by_lag (persists from interval to interval)
  static constexpr const char* kLabel = "spikeweave::static_synapse::deliver";

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
      const std::uint32_t lo = block_bound(part.targets, b, blocks);
      const std::uint32_t hi = block_bound(part.targets, b + 1, blocks);
      for (int i = 0, n = group_size(group); i < n; ++i) {
        events += part.deliver_segments(rows.first[i][p], rows.end[i][p], spikes(first + i),
                                        blocks == 1, lo, hi, false, SerialRange{});
      }
    }
    return events;
  }

  // Block b (one block: one thread) owns each part's targets [n b / blocks, n (b + 1) / blocks)
  // and delivers every spike's synapses onto them with plain adds; group g at step 4 while g + 1
  // is at step 3, g + 2 at step 2 and g + 3 at step 1.
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

  // Delivers the `count` spikes `sorted` (by lag: order_by_lag) emitted in the interval from
  // `first_step`; returns the events.
  std::uint64_t deliver_sorted(const View<const std::uint64_t*>& sorted, const int count,
                               const std::int64_t first_step) {
    std::uint64_t events = 0;
    spikes = sorted;
    spike_count = count;
    for (int p = 0; p < n_parts; ++p) parts[p].first_step = first_step;
    Kokkos::parallel_reduce(kLabel, Kokkos::RangePolicy<ExecSpace, PerBlock>(0, blocks), *this,
                            events);
    return events;
  }
  // Delivers `spikes`' first `n_spikes` (any order) emitted in the interval from `first_step`.
  std::uint64_t run(std::size_t n_spikes, std::int64_t first_step) {
    if (n_spikes == 0) return 0;
    const int count = static_cast<int>(n_spikes);
    return deliver_sorted(order_by_lag(spikes, count, by_lag), count, first_step);
  }
};

inline std::uint64_t StaticDeliver::run(std::size_t n_spikes) {
  std::uint64_t events = 0;
  if (n_spikes == 0) return events;
  spike_count = static_cast<int>(n_spikes);
  if (ownership == Ownership::kAtomic) {
    Kokkos::parallel_reduce(kLabel, Policy(spike_count, Kokkos::AUTO), *this, events);
    return events;
  }
  HostDeliver one;  // this projection alone, from its own slot table
  one.parts[0] = *this;
  one.n_parts = 1;
  one.slot_entries = syn.slot_segment;
  one.blocks = ownership == Ownership::kOneThread ? 1 : blocks;
  return one.deliver_sorted(order_by_lag(spikes, spike_count, by_lag), spike_count, first_step);
}

}  // namespace spikeweave::kernels
