#pragma once
// Host construction of static delivery's receive-slot table (DeviceSynapses::slot_segment): the
// entries of slot s are [table(s), table(s + 1)), segments in general, synapses where every
// synapse has one delay (each row is then a single segment).
#include <cstdint>
#include <string>

#include "core/errors.hpp"
#include "core/memory_usage.hpp"
#include "kernels/deliver.hpp"

namespace spikeweave::kernels {

// The delay (steps) every segment has, or -1 if they differ (or there is none).
template <class DelayView>
int uniform_segment_delay(const DelayView& segment_delay) {
  const auto delay = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), segment_delay);
  if (delay.extent(0) == 0) return -1;
  for (std::uint64_t s = 1; s < delay.extent(0); ++s) {
    if (delay(s) != delay(0)) return -1;
  }
  return delay(0);
}

// Builds the table from the slot -> row table (kNoRow: no synapse) and the rows' segment and
// synapse offsets; `by_synapse` (uniform delay) indexes synapses instead of segments. Huge pages
// where granted: delivery reads it at random, once per received spike and projection.
template <class SlotRowView, class RowBeginView, class SegmentBeginView>
View<const std::uint32_t*> make_slot_segments(const SlotRowView& slot_row_view,
                                              const RowBeginView& row_begin_view,
                                              const SegmentBeginView& segment_begin_view,
                                              bool by_synapse, const std::string& label) {
  const auto slot_row = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), slot_row_view);
  const auto row_begin = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), row_begin_view);
  const auto segment_begin =
      Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), segment_begin_view);
  const auto row_start = [&](std::uint64_t row) {
    return by_synapse ? segment_begin(row_begin(row)) : row_begin(row);
  };
  const std::uint64_t entries = row_start(row_begin.extent(0) - 1);
  require_invariant(entries < DeviceSynapses::kNoRow,
                    "the synapses or delay segments of a static projection must fit in 32 bits");
  const std::uint64_t slots = slot_row.extent(0);
  View<std::uint32_t*> table(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), slots + 1);
  auto host = Kokkos::create_mirror_view(table);
  advise_huge_pages(host.data(), (slots + 1) * sizeof(std::uint32_t));  // the table on the host
  // Slot s's entries end where slot s + 1's begin: a slot without a row begins where the next
  // row does (rows and slots are both in source order).
  host(slots) = static_cast<std::uint32_t>(entries);
  for (std::uint64_t s = slots; s-- > 0;) {
    const std::uint32_t row = slot_row(s);
    host(s) =
        row == DeviceSynapses::kNoRow ? host(s + 1) : static_cast<std::uint32_t>(row_start(row));
  }
  Kokkos::deep_copy(table, host);
  return table;
}

}  // namespace spikeweave::kernels
