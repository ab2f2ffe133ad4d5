#pragma once
// A spike on the wire: the source's gid and the lag (step inside the communication interval)
// packed into one 64-bit word, gid in the high 56 bits and lag in the low 8. Sorting packed
// spikes sorts by gid, then by lag, which is the deterministic delivery order.
#include <Kokkos_Core.hpp>
#include <cstdint>

#include "core/ids.hpp"

namespace spikeweave::comm {

using PackedSpike = std::uint64_t;

inline constexpr int kLagBits = 8;
// The communication interval is capped so that a lag fits in kLagBits.
inline constexpr int kMaxIntervalSteps = (1 << kLagBits) - 1;

KOKKOS_INLINE_FUNCTION constexpr PackedSpike pack_spike(Gid gid, int lag) {
  return (gid << kLagBits) | static_cast<std::uint64_t>(lag);
}
KOKKOS_INLINE_FUNCTION constexpr Gid spike_gid(PackedSpike s) {
  return s >> kLagBits;
}
KOKKOS_INLINE_FUNCTION constexpr int spike_lag(PackedSpike s) {
  return static_cast<int>(s & ((1u << kLagBits) - 1));
}

}  // namespace spikeweave::comm
