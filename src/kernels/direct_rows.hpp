#pragma once
// Direct rows: static delivery in which a received spike's key is the offset of its source's row
// in one array per source population, so the spike reaches its targets with nothing loaded
// before them. A row is the counts of the population's static projections ("parts", in order),
// then each part's targets (local indices, increasing), parts one after another; rows follow
// the receive slots (increasing gids). Word: 16-bit targets where every part's target population
// has at most 65,536 neurons on this rank, else 32-bit.
//
// Why: at scale nearly every received spike's row is cold, and the receive path's cost is its
// cold lines. Through the slot tables (deliver.hpp) a spike costs the slot entries' line, then
// each part's targets; here it costs the lines of one row (26 bytes with 16-bit targets for a
// source with 9 + 2 synapses on the rank), which the loop requests three groups ahead. Same ring
// sums, bitwise: integer adds. Host backends only, uniform delay per part, no homeostatic gain.
//
// With B row blocks (B > 1: long rows delivered by B threads, choose_row_blocks) a row is
// ordered by target block first: the header holds B x parts counts, block b's count of part p
// at b * parts + p, and the entries are block 0's targets of each part, then block 1's, and so
// on (block b owning the targets [block_bound(n, b, B), block_bound(n, b + 1, B)) of a part's n).
// Why: a thread then reads one contiguous run of the row, as a rank does, with no search for its
// cuts; with the parts' runs interleaved across blocks, 1 thread delivering 2 blocks took 25%
// longer than 1 block at scale 1 (the searches' cold probes and the short runs the hardware
// prefetcher overshoots), block-major 11% (benchmarks/RESULTS.md, "Rows ordered by thread
// block"). A part's synapses keep their order: its runs, block after block, are its targets in
// increasing order.
//
// Where rows are short (choose_split_spikes) the B threads split the spikes instead: each takes
// the spikes of a share of the interval's lags (sorted by lag) and adds each row whole; two lags
// of one part go to two ring slots, so the adds stay plain.
#include <cstdint>
#include <vector>

#include "comm/spike.hpp"
#include "core/errors.hpp"
#include "core/memory_usage.hpp"
#include "kernels/deliver.hpp"
#include "kernels/prefetch.hpp"
#include "kernels/views.hpp"

namespace spikeweave::kernels {

// A row's spike key: its offset, doubled, plus 1 where the row's last entry lies in a later
// 64-byte line than its first. Why: at scale most rows are shorter than a line, and the kernel
// requests a row's second line only where the row reaches it (requesting it always doubled the
// cold lines in flight, which limit the receive path). The keys of a population's rows span
// twice its entries.
KOKKOS_INLINE_FUNCTION constexpr std::uint64_t direct_row_offset(std::uint64_t key) {
  return key >> 1;
}
KOKKOS_INLINE_FUNCTION constexpr bool direct_row_spills(std::uint64_t key) {
  return key & 1u;
}
inline std::uint64_t direct_row_key(const void* rows, std::uint64_t offset, std::uint64_t entries,
                                    std::size_t entry_bytes) {
  const auto first = reinterpret_cast<std::uintptr_t>(rows) + offset * entry_bytes;
  const auto last = first + (entries > 0 ? entries - 1 : 0) * entry_bytes;
  return offset << 1 | (first / 64 != last / 64 ? 1u : 0u);
}

template <class Word>
struct DirectDeliver {
  static constexpr int kMaxParts = HostDeliver::kMaxParts;
  static constexpr int kGroup = 32;
  static constexpr int kAhead = 3;   // groups whose rows are requested ahead of delivery
  using value_type = std::uint64_t;  // synaptic events
  struct PerBlock {};
  static constexpr const char* kLabel = "spikeweave::static_synapse::deliver_direct";

  // One static projection of the population.
  struct Part {
    InputRing ring;
    int port = kPortExcitatory;
    int delay = 0;              // steps, the same for every synapse
    int slots = 1;              // the ring's slots
    float weight = 0.0f;        // the projection's one weight, unless row_weights
    bool row_weights = false;   // weights from row_weight (set between runs)
    std::uint32_t targets = 0;  // neurons of the target population on this rank
  };

  Part parts[kMaxParts];
  int n_parts = 0;
  View<const Word*> rows;
  // Per row entry (the header entries unused), for the parts with row_weights; else empty.
  View<const float*> row_weight;
  View<const std::uint64_t*> spikes;
  int spike_count = 0;
  std::int64_t first_step = 0;
  int blocks = 1;               // target blocks (host threads), one per thread; 1: one thread
  int row_blocks = 1;           // blocks the rows are ordered by: 1, or `blocks`
  bool split_spikes = false;    // blocks take shares of the spikes' lags instead
  View<std::uint64_t*> by_lag;  // scratch of order_by_lag

  // The row's first line (its header and, for most rows at scale, all of it) and, where the row
  // reaches it, the next, for spikes [first, first + n).
  KOKKOS_INLINE_FUNCTION void request_spikes(const int first, const int n) const {
    for (int i = 0; i < n; ++i) {
      const std::uint64_t key = comm::spike_key(spikes(first + i));
      const Word* row = rows.data() + direct_row_offset(key);
      prefetch_line(row);
      if (direct_row_spills(key)) prefetch_line(reinterpret_cast<const char*>(row) + 64);
    }
  }

  // What a block's spikes share, found once per interval instead of per (part, spike) (each a
  // division): per part, ring entry 0 of the slot its spikes of each lag arrive in, and the
  // block's targets [lo, hi).
  struct BlockPlan {
    std::int64_t* base[kMaxParts][comm::kMaxIntervalSteps + 1];
    std::uint32_t lo[kMaxParts], hi[kMaxParts];
    int block = 0;
  };
  // Lags [0, lags); block b of `blocks`.
  KOKKOS_INLINE_FUNCTION void plan(BlockPlan& plan, const int lags, const int b) const {
    plan.block = b;
    for (int p = 0; p < n_parts; ++p) {
      const Part& part = parts[p];
      for (int lag = 0; lag < lags; ++lag) {
        const auto slot = static_cast<int>((first_step + lag + part.delay) % part.slots);
        plan.base[p][lag] = &part.ring(part.port, slot, 0);
      }
      plan.lo[p] = block_bound(part.targets, b, blocks);
      plan.hi[p] = block_bound(part.targets, b + 1, blocks);
    }
  }

  // Adds part `part`'s weights onto the targets at rows entries [position + begin, position + end).
  KOKKOS_INLINE_FUNCTION void add_run(const Part& part, const std::uint64_t position,
                                      const std::uint64_t begin, const std::uint64_t end,
                                      std::int64_t* const base) const {
    const Word* const target = rows.data() + position;
    if (part.row_weights) {
      const float* const weight = row_weight.data() + position;
      for (std::uint64_t j = begin; j < end; ++j) base[target[j]] += to_fixed(weight[j]);
    } else {
      const std::int64_t w = to_fixed(part.weight);
      for (std::uint64_t j = begin; j < end; ++j) base[target[j]] += w;
    }
  }

  // spike() for rows ordered by block: the planned block's runs follow those of the blocks
  // before it, whose counts the header gives.
  KOKKOS_INLINE_FUNCTION std::uint64_t block_runs(const Word* const header,
                                                  const std::uint64_t first, const int lag,
                                                  const BlockPlan& plan) const {
    const int own = plan.block * n_parts;
    std::uint64_t position = first + static_cast<std::uint64_t>(n_parts) * row_blocks;
    for (int i = 0; i < own; ++i) position += header[i];
    std::uint64_t events = 0;
    for (int p = 0; p < n_parts; ++p) {
      const std::uint64_t count = header[own + p];
      add_run(parts[p], position, 0, count, plan.base[p][lag]);
      events += count;
      position += count;
    }
    return events;
  }

  // Delivers spike `word`'s synapses onto the targets of the block planned; returns the events.
  KOKKOS_INLINE_FUNCTION std::uint64_t spike(const std::uint64_t word,
                                             const BlockPlan& plan) const {
    const std::uint64_t first = direct_row_offset(comm::spike_key(word));
    const Word* const header = rows.data() + first;
    const int lag = comm::spike_lag(word);
    if (row_blocks > 1) return block_runs(header, first, lag, plan);
    std::uint64_t position = first + static_cast<std::uint64_t>(n_parts);
    std::uint64_t events = 0;
    for (int p = 0; p < n_parts; ++p) {
      const Part& part = parts[p];
      const std::uint64_t count = header[p];
      const Word* const target = rows.data() + position;
      std::uint64_t begin = 0, end = count;
      if (blocks > 1 && !split_spikes) {  // a row's targets of one part are increasing
        begin = find_block_cut(target, 0, count, plan.lo[p], part.targets);
        end = find_block_cut(target, begin, count, plan.hi[p], part.targets);
      }
      add_run(part, position, begin, end, plan.base[p][lag]);
      events += end - begin;
      position += count;
    }
    return events;
  }

  // Block b owns each part's targets [n b / blocks, n (b + 1) / blocks) and delivers every
  // spike's synapses onto them with plain adds; or, with split_spikes, b delivers the spikes of
  // whole lags, from the lag change nearest its share's start (n b / blocks) to the one nearest
  // its end, onto every target, with plain adds too: the lags of two blocks differ, hence their
  // ring slots (split_spikes needs parts that share a ring port to share a delay). The spikes are
  // sorted by lag (run sorts them).
  KOKKOS_INLINE_FUNCTION void operator()(PerBlock, const int b, std::uint64_t& events) const {
    int begin = 0, end = spike_count;
    if (split_spikes) {
      const auto n = static_cast<std::uint32_t>(spike_count);
      begin = lag_cut(static_cast<int>(block_bound(n, b, blocks)));
      end = lag_cut(static_cast<int>(block_bound(n, b + 1, blocks)));
    }
    if (begin == end) return;
    BlockPlan block;
    plan(block, comm::spike_lag(spikes(end - 1)) + 1, split_spikes ? 0 : b);
    const auto size = [&](const int first) { return end - first < kGroup ? end - first : kGroup; };
    for (int g = 0; g < kAhead && begin + g * kGroup < end; ++g) {
      request_spikes(begin + g * kGroup, size(begin + g * kGroup));
    }
    for (int first = begin; first < end; first += kGroup) {
      const int ahead = first + kAhead * kGroup;
      if (ahead < end) request_spikes(ahead, size(ahead));
      for (int i = first, last = first + size(first); i < last; ++i) {
        events += spike(spikes(i), block);
      }
    }
  }

  // The first of spikes [lo, hi) (sorted by lag) whose lag is above `lag`; hi if none.
  KOKKOS_INLINE_FUNCTION int first_after_lag(int lo, int hi, const int lag) const {
    while (lo < hi) {
      const int mid = lo + (hi - lo) / 2;
      if (comm::spike_lag(spikes(mid)) <= lag) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
  // The spike nearest `at` where the lag changes; 0 and spike_count count as changes.
  // Non-decreasing in `at`.
  KOKKOS_INLINE_FUNCTION int lag_cut(const int at) const {
    if (at <= 0 || at >= spike_count) return at <= 0 ? 0 : spike_count;
    const int lag = comm::spike_lag(spikes(at - 1));
    const int after = first_after_lag(at, spike_count, lag);
    const int before = first_after_lag(0, at - 1, lag - 1);  // the first spike of `lag`
    return at - before <= after - at ? before : after;
  }

  // Delivers `spikes`' first `n_spikes` (any order) emitted in the interval from `first`.
  std::uint64_t run(std::size_t n_spikes, std::int64_t first) {
    std::uint64_t events = 0;
    if (n_spikes == 0) return events;
    require_invariant(row_blocks == 1 || (row_blocks == blocks && !split_spikes),
                      "direct rows must be ordered by the kernel's target blocks or by none");
    spike_count = static_cast<int>(n_spikes);
    spikes = order_by_lag(spikes, spike_count, by_lag);
    first_step = first;
    Kokkos::parallel_reduce(kLabel, Kokkos::RangePolicy<ExecSpace, PerBlock>(0, blocks), *this,
                            events);
    return events;
  }
};

// Row blocks for delivery by `blocks` target blocks: `blocks` where the rows' mean length is at
// least kEntriesPerHeaderEntry times the header that would need (parts x blocks counts), else 1.
// Why: a block-ordered row saves each block its searches and split runs, at the price of a
// header entry per (block, part) in every row, which at scale (rows of ~11 entries, many
// threads) would outgrow the rows; there the threads share the lags instead (choose_split_spikes).
constexpr std::uint64_t kEntriesPerHeaderEntry = 16;
inline int choose_row_blocks(const std::uint64_t synapses, const std::uint64_t rows,
                             const int parts, const int blocks) {
  const std::uint64_t header =
      static_cast<std::uint64_t>(parts) * static_cast<std::uint64_t>(blocks);
  return blocks > 1 && synapses >= kEntriesPerHeaderEntry * header * rows ? blocks : 1;
}

// Whether `blocks` threads take shares of the interval's lags (each spike's whole row) instead of
// blocks of targets: where rows are not ordered by block (short rows) and no two lags reach one
// ring slot (`lags_own_slots`: parts that add into one ring port share their delay). Why: with
// target blocks every thread pays for every received spike's row (its cold lines and the
// searches for its cuts), a cost that grows with the threads and that at scale, where rows hold
// about 11 entries, outweighs the adds (dry run, 2 threads: slower than 1 thread; benchmarks/
// RESULTS.md, "Threads that share the lags"). Lags bound the threads that get work: an interval
// of D steps feeds at most D threads.
inline bool choose_split_spikes(const int row_blocks, const int blocks, const bool lags_own_slots) {
  return blocks > 1 && row_blocks == 1 && lags_own_slots;
}

// The host side of one population's direct rows: their layout from the parts' slot tables, and
// the walks that give each part's synapses back in the synapse tables' order (a part's synapse
// k is its k-th target in row order, block after block: rows follow the slots, which follow the
// tables' rows).
struct DirectRowsLayout {
  // Entries of the rows ordered by `row_blocks` for the parts' slot tables (slot s's synapses of
  // part p are [slot_tables[p](s), slot_tables[p](s + 1))); the largest count of a part in one
  // row; each part's non-empty slots (its rows, as the walks below number them).
  template <class SlotTable>
  static std::uint64_t entries(const std::vector<SlotTable>& slot_tables, const int row_blocks,
                               std::uint64_t& largest_count, std::vector<std::uint64_t>& filled) {
    std::uint64_t total = 0;
    largest_count = 0;
    filled.assign(slot_tables.size(), 0);
    for (std::size_t p = 0; p < slot_tables.size(); ++p) {
      const SlotTable& table = slot_tables[p];
      const std::uint64_t slots = table.extent(0) - 1;
      total += slots * static_cast<std::uint64_t>(row_blocks) + table(slots) - table(0);
      for (std::uint64_t s = 0; s < slots; ++s) {
        const std::uint64_t count = table(s + 1) - table(s);
        largest_count = count > largest_count ? count : largest_count;
        filled[p] += count > 0 ? 1 : 0;
      }
    }
    return total;
  }

  // Writes the rows (host memory), ordered by `row_blocks` over the parts' target populations of
  // `part_targets` neurons (unused where row_blocks is 1), and returns each slot's row key
  // (direct_row_key, from the rows' addresses: the rows must stay where they are).
  // `release_targets`: the targets are not read again (the caller drops them): their pages go
  // back to the system as the copy passes them, so that it needs no more memory than the
  // targets alone.
  template <class RowsView, class SlotTable, class TargetView>
  static std::vector<std::uint32_t> fill(const std::vector<SlotTable>& slot_tables,
                                         const std::vector<TargetView>& targets,
                                         const std::vector<std::uint32_t>& part_targets,
                                         const int row_blocks, const RowsView& rows,
                                         bool release_targets = false) {
    using Word = typename RowsView::non_const_value_type;
    const std::uint64_t slots = slot_tables.empty() ? 0 : slot_tables[0].extent(0) - 1;
    const std::size_t parts = slot_tables.size();
    require_invariant(row_blocks == 1 || part_targets.size() == parts,
                      "block-ordered direct rows need each part's target count");
    std::vector<std::uint32_t> keys(slots);
    std::vector<std::size_t> released(parts, 0);
    std::vector<std::uint64_t> next(parts);  // each part's next synapse of the row
    std::uint64_t position = 0;
    for (std::uint64_t s = 0; s < slots; ++s) {
      if (release_targets) {
        for (std::size_t p = 0; p < parts; ++p) {
          release_read_pages(targets[p].data(),
                             slot_tables[p](s) * sizeof(typename TargetView::value_type),
                             released[p]);
        }
      }
      const std::uint64_t start = position;
      position += parts * static_cast<std::uint64_t>(row_blocks);
      for (std::size_t p = 0; p < parts; ++p) next[p] = slot_tables[p](s);
      for (int b = 0; b < row_blocks; ++b) {
        for (std::size_t p = 0; p < parts; ++p) {
          const std::uint64_t end = slot_tables[p](s + 1);
          const bool last = b + 1 == row_blocks;
          const std::uint32_t bound = last ? 0 : block_bound(part_targets[p], b + 1, row_blocks);
          const std::uint64_t first = next[p];
          while (next[p] < end && (last || targets[p](next[p]) < bound)) {
            rows(position++) = static_cast<Word>(targets[p](next[p]++));
          }
          rows(start + static_cast<std::uint64_t>(b) * parts + p) =
              static_cast<Word>(next[p] - first);
        }
      }
      keys[s] = static_cast<std::uint32_t>(
          direct_row_key(rows.data(), start, position - start, sizeof(Word)));
    }
    require_invariant(position == rows.extent(0), "direct rows must hold every synapse once");
    return keys;
  }

  // Calls f(row, k, position) for part p's synapses k = 0, 1, ... in order: `row` counts the
  // rows in which part p has synapses (the part's rows in its synapse tables), `position` is the
  // entry of the rows holding synapse k's target.
  template <class RowsView, class F>
  static void for_each_synapse(const RowsView& rows, const int parts, const int row_blocks,
                               const int p, const F& f) {
    const std::uint64_t header = static_cast<std::uint64_t>(parts) * row_blocks;
    std::uint64_t position = 0, k = 0, row = 0;
    while (position < rows.extent(0)) {
      std::uint64_t run = position + header;  // the first entry of run (b, q)
      bool any = false;
      for (std::uint64_t i = 0; i < header; ++i) {
        const std::uint64_t count = rows(position + i);
        if (static_cast<int>(i % static_cast<std::uint64_t>(parts)) == p) {
          for (std::uint64_t j = 0; j < count; ++j) f(row, k++, run + j);
          any = any || count > 0;
        }
        run += count;
      }
      if (any) ++row;
      position = run;
    }
  }
};

}  // namespace spikeweave::kernels
