#pragma once
// The one spike format: a 64-bit word with a key in the high 56 bits and the lag (step inside the
// communication interval) in the low 8. What the key names depends on where the word is:
// - leaving the neuron update (kernels/compact.hpp), the neuron's local index in its population;
// - on the wire and after the receiver's split by population (engine/spike_exchange.hpp), the
//   receiver's key for the source, which each sender learnt at build time: its receive slot
//   (its position among the sources of that population this rank has synapses from), or where
//   the population's projections keep direct rows (kernels/direct_rows.hpp) its row's key
//   (the row's offset, doubled, plus a bit saying whether it reaches a second cache line).
//   Either indexes the synapses directly: no search per received spike.
// Sorting words sorts by key, then by lag. Only this header takes words apart.
#include <Kokkos_Core.hpp>
#include <cstdint>

namespace spikeweave::comm {

using PackedSpike = std::uint64_t;

inline constexpr int kLagBits = 8;
// The communication interval is capped so that a lag fits in kLagBits.
inline constexpr int kMaxIntervalSteps = (1 << kLagBits) - 1;
// Keys are below 2^56.
inline constexpr std::uint64_t kMaxSpikeKey = (std::uint64_t{1} << (64 - kLagBits)) - 1;

KOKKOS_INLINE_FUNCTION constexpr PackedSpike pack_spike(std::uint64_t key, int lag) {
  return (key << kLagBits) | static_cast<std::uint64_t>(lag);
}
KOKKOS_INLINE_FUNCTION constexpr std::uint64_t spike_key(PackedSpike s) {
  return s >> kLagBits;
}
KOKKOS_INLINE_FUNCTION constexpr int spike_lag(PackedSpike s) {
  return static_cast<int>(s & ((1u << kLagBits) - 1));
}

}  // namespace spikeweave::comm
