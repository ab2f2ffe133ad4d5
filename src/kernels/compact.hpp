#pragma once
// Compaction of the fired flags of one interval into a list of (local index, lag) spikes.
#include "kernels/views.hpp"

namespace spikeweave::kernels {

// Packs local index and lag as (local << 8) | lag.
KOKKOS_INLINE_FUNCTION std::uint64_t pack_local_spike(std::uint64_t local, int lag) {
  return (local << 8) | static_cast<std::uint64_t>(lag);
}

// Writes the spikes of lags [0, lags) into `out` (grown when too small), ordered by lag then
// local index; returns how many there are.
inline std::size_t compact_spikes(const FiredFlags& fired, int lags, View<std::uint64_t*>& out) {
  const int n = static_cast<int>(fired.extent(1));
  const std::int64_t total_flags = static_cast<std::int64_t>(lags) * n;
  for (;;) {
    const View<std::uint64_t*> buffer = out;
    const std::size_t capacity = buffer.extent(0);
    const std::uint8_t* const flat = fired.data();
    std::uint64_t count = 0;
    Kokkos::parallel_scan(
        "spikeweave::compact_spikes", Kokkos::RangePolicy<ExecSpace>(0, total_flags),
        KOKKOS_LAMBDA(const std::int64_t k, std::uint64_t& offset, const bool final) {
          // Flags are LayoutRight (lag, neuron): flat index k = lag n + i. Divide only for the
          // few flags that are set.
          if (flat[k]) {
            if (final && offset < capacity) {
              const std::int64_t lag = k / n;
              buffer(offset) =
                  pack_local_spike(static_cast<std::uint64_t>(k - lag * n), static_cast<int>(lag));
            }
            offset += 1;
          }
        },
        count);
    if (count <= capacity) return count;
    Kokkos::resize(out, count + count / 2 + 16);
  }
}

}  // namespace spikeweave::kernels
