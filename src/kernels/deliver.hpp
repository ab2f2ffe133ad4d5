#pragma once
// Delivery of received spikes through static synapses into the targets' input ring:
// on a GPU one team per spike, the team's threads over the synapses of the spike's row; on the
// host spike by spike in groups (group prefetching, see deliver_pipelined). A spike's key is its
// source's receive slot (comm/spike.hpp), so its row's segments (or synapses) are one load from
// the slot table (DeviceSynapses::slot_segment): no search.
#include "comm/spike.hpp"
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

// First position in targets[begin, end) (increasing) whose target is >= t.
KOKKOS_INLINE_FUNCTION std::uint64_t first_target_at_least(const std::uint32_t* targets,
                                                           std::uint64_t begin, std::uint64_t end,
                                                           std::uint32_t t) {
  while (begin < end) {
    const std::uint64_t mid = begin + (end - begin) / 2;
    if (targets[mid] < t) {
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
KOKKOS_INLINE_FUNCTION std::uint64_t find_block_cut(const std::uint32_t* targets,
                                                    std::uint64_t begin, std::uint64_t end,
                                                    std::uint32_t t, std::uint32_t n) {
  if (t == 0 || begin == end) return begin;
  if (t >= n) return end;
  const std::uint64_t probe = begin + (end - begin) * t / n;  // < end, as t < n
  std::uint64_t step = 1;
  if (targets[probe] < t) {  // the cut lies in (probe, end]
    std::uint64_t below = probe, next = probe + 1;
    while (next < end && targets[next] < t) {
      below = next;
      step *= 2;
      next = below + step;
    }
    return first_target_at_least(targets, below + 1, next < end ? next : end, t);
  }
  std::uint64_t at_least = probe;  // targets[at_least] >= t: the cut lies in [begin, at_least]
  while (at_least > begin) {
    const std::uint64_t next = at_least - begin > step ? at_least - step : begin;
    if (targets[next] < t) return first_target_at_least(targets, next + 1, at_least, t);
    at_least = next;
    step *= 2;
  }
  return begin;
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
  struct PerBlock {};                // host: one iteration per target block (one block: one thread)
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
  // Host: iteration b owns targets [b n / blocks, (b + 1) n / blocks) (all of them when there is
  // one block: one thread) and delivers every spike's synapses onto them with plain adds; with
  // several blocks a spike's row is read by every block, its synapses by one.
  KOKKOS_INLINE_FUNCTION void operator()(PerBlock, const int b, std::uint64_t& events) const {
    const auto lo = static_cast<std::uint32_t>(std::uint64_t{targets} * b / blocks);
    const auto hi = static_cast<std::uint32_t>(std::uint64_t{targets} * (b + 1) / blocks);
    events += deliver_pipelined(blocks == 1, lo, hi);
  }

  // A received spike's row is cold (at scale a rank has millions of rows and touches each one
  // rarely), and reaching its synapses is a chain of dependent loads: slot -> segments ->
  // targets (slot -> targets with a uniform delay). The host loop takes the spikes in groups and
  // moves each group one link down its chains per step while the group ahead of it delivers
  // (group prefetching, software-pipelined across groups): the loads of a group are independent,
  // and the misses of the next groups are in flight while this one adds to the ring, so the core
  // is neither waiting on one spike's chain nor idle between groups.
  static constexpr int kGroup = 32;
  // The rows of a group of spikes: [first_seg, end_seg) as DeviceSynapses::slot_segment says.
  struct GroupRows {
    std::uint64_t first_seg[kGroup];
    std::uint64_t end_seg[kGroup];
  };

  KOKKOS_INLINE_FUNCTION int group_size(const int group) const {
    const int first = group * kGroup;
    return spike_count - first < kGroup ? spike_count - first : kGroup;
  }
  // Step 1 of a group: its slot table entries.
  KOKKOS_INLINE_FUNCTION void prefetch_slots(const int group) const {
    const int first = group * kGroup;
    for (int i = 0, n = group_size(group); i < n; ++i) {
      prefetch(syn.slot_segment.data() + comm::spike_key(spikes(first + i)));
    }
  }
  // Step 2: read the slot entries (prefetched a step before); prefetch the targets (uniform
  // delay: the row's first and last line) or the rows' first segments.
  KOKKOS_INLINE_FUNCTION void load_rows(const int group, GroupRows& rows) const {
    const int first = group * kGroup, n = group_size(group);
    for (int i = 0; i < n; ++i) {
      const std::uint64_t slot = comm::spike_key(spikes(first + i));
      rows.first_seg[i] = syn.slot_segment(slot);
      rows.end_seg[i] = syn.slot_segment(slot + 1);
    }
    for (int i = 0; i < n; ++i) {
      if (rows.first_seg[i] == rows.end_seg[i]) continue;
      if (syn.uniform_delay >= 0) {
        prefetch(syn.target.data() + rows.first_seg[i]);
        prefetch(syn.target.data() + rows.end_seg[i] - 1);
      } else {
        prefetch(syn.segment_begin.data() + rows.first_seg[i]);
        prefetch(syn.segment_delay.data() + rows.first_seg[i]);
      }
    }
  }
  // Step 3 (drawn delays only): prefetch the targets of each row's first segment.
  KOKKOS_INLINE_FUNCTION void prefetch_targets(const int group, const GroupRows& rows) const {
    if (syn.uniform_delay >= 0) return;
    for (int i = 0, n = group_size(group); i < n; ++i) {
      if (rows.first_seg[i] == rows.end_seg[i]) continue;
      prefetch(syn.target.data() + syn.segment_begin(rows.first_seg[i]));
    }
  }
  // Step 4: deliver the group onto targets [lo, hi); returns the events.
  KOKKOS_INLINE_FUNCTION std::uint64_t deliver_rows(const int group, const GroupRows& rows,
                                                    const bool whole_row, const std::uint32_t lo,
                                                    const std::uint32_t hi) const {
    const int first = group * kGroup;
    std::uint64_t events = 0;
    for (int i = 0, n = group_size(group); i < n; ++i) {
      events += deliver_segments(rows.first_seg[i], rows.end_seg[i], spikes(first + i), whole_row,
                                 lo, hi, false, SerialRange{});
    }
    return events;
  }

  // Every spike onto targets [lo, hi), group g at step 4 while g + 1 is at step 3, g + 2 at
  // step 2 and g + 3 at step 1; returns the events.
  KOKKOS_INLINE_FUNCTION std::uint64_t deliver_pipelined(const bool whole_row,
                                                         const std::uint32_t lo,
                                                         const std::uint32_t hi) const {
    const int groups = (spike_count + kGroup - 1) / kGroup;
    GroupRows rows[3];
    for (int g = 0; g < 3 && g < groups; ++g) prefetch_slots(g);
    for (int g = 0; g < 2 && g < groups; ++g) load_rows(g, rows[g]);
    if (groups > 0) prefetch_targets(0, rows[0]);
    std::uint64_t events = 0;
    for (int g = 0; g < groups; ++g) {
      if (g + 3 < groups) prefetch_slots(g + 3);
      if (g + 2 < groups) load_rows(g + 2, rows[(g + 2) % 3]);
      if (g + 1 < groups) prefetch_targets(g + 1, rows[(g + 1) % 3]);
      events += deliver_rows(g, rows[g % 3], whole_row, lo, hi);
    }
    return events;
  }

  // GCC deletes a loop whose only effect is __builtin_prefetch (it counts as no side effect, and
  // C++ loops are taken to terminate): the slot prefetches of FusedStaticDeliver and the target
  // prefetches of prefetch_targets were compiled away. On x86 the prefetch is a volatile asm
  // statement, which is kept.
  KOKKOS_INLINE_FUNCTION static void prefetch(const void* address) {
#if !defined(__CUDA_ARCH__) && !defined(__HIP_DEVICE_COMPILE__) && defined(__x86_64__) && \
    defined(__GNUC__)
    asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(address)));
#elif !defined(__CUDA_ARCH__) && !defined(__HIP_DEVICE_COMPILE__) && defined(__GNUC__)
    __builtin_prefetch(address);
#else
    (void)address;
#endif
  }

  // Scratch of order_by_lag (host backends only).
  View<std::uint64_t*> by_lag;
  // The spikes of an interval go to as many ring slots as the interval has lags; spike by spike
  // in arrival order (each sender's block in slot order) every add lands in any of them, a
  // working set of lags x targets x 8 bytes (1 MB per port for 9,000 targets and 15 lags) that
  // the targets streaming through evict from L2. Lag by lag (a stable counting sort), the adds
  // of a lag touch one slot's 72 KB. The sum in each ring entry is the same: integer adds.
  void order_by_lag() {
    if constexpr (!Kokkos::SpaceAccessibility<Kokkos::HostSpace, MemSpace>::accessible) return;
    if (by_lag.extent(0) < static_cast<std::size_t>(spike_count)) {
      by_lag =
          View<std::uint64_t*>(Kokkos::view_alloc(Kokkos::WithoutInitializing, "spikes_by_lag"),
                               static_cast<std::size_t>(spike_count) * 3 / 2);
    }
    int start[comm::kMaxIntervalSteps + 2] = {};
    for (int k = 0; k < spike_count; ++k) ++start[comm::spike_lag(spikes(k)) + 1];
    for (int l = 0; l <= comm::kMaxIntervalSteps; ++l) start[l + 1] += start[l];
    for (int k = 0; k < spike_count; ++k) by_lag(start[comm::spike_lag(spikes(k))]++) = spikes(k);
    spikes = by_lag;
  }

  // Delivers `n_spikes` spikes; returns the synaptic events.
  std::uint64_t run(std::size_t n_spikes) {
    std::uint64_t events = 0;
    if (n_spikes == 0) return events;
    spike_count = static_cast<int>(n_spikes);
    switch (ownership) {
      case Ownership::kOneThread:
      case Ownership::kTargetBlocks: {
        order_by_lag();
        const int iterations = ownership == Ownership::kOneThread ? 1 : blocks;
        blocks = iterations;
        Kokkos::parallel_reduce(kLabel, Kokkos::RangePolicy<ExecSpace, PerBlock>(0, iterations),
                                *this, events);
        break;
      }
      case Ownership::kAtomic:
        Kokkos::parallel_reduce(kLabel, Policy(spike_count, Kokkos::AUTO), *this, events);
        break;
    }
    return events;
  }
};

}  // namespace spikeweave::kernels
