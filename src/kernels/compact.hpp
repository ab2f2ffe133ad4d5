#pragma once
// Compaction of the fired flags of one interval into a list of (local index, lag) spikes.
#include <cstring>

#include "comm/spike.hpp"
#include "kernels/views.hpp"

namespace spikeweave::kernels {

// A spike word (comm/spike.hpp) keyed by the neuron's local index.
KOKKOS_INLINE_FUNCTION std::uint64_t pack_local_spike(std::uint64_t local, int lag) {
  return comm::pack_spike(local, lag);
}

// Flags are scanned eight at a time, in blocks of eight words: most words of a step's flags
// are zero (few neurons fire in a step), a zero block costs one test, and a word's count of set
// flags is the popcount of its 0/1 bytes.
inline constexpr std::int64_t kCompactWord = 8;
inline constexpr std::int64_t kCompactBlockWords = 8;

// The eight flags at flat positions [8 w, 8 w + 8) as one word (the last word is zero-padded).
KOKKOS_INLINE_FUNCTION std::uint64_t flag_word(const std::uint8_t* flat, std::int64_t w,
                                               std::int64_t total) {
  const std::int64_t first = w * kCompactWord;
  std::uint64_t word = 0;
  if (first + kCompactWord <= total) {
    std::memcpy(&word, flat + first, sizeof word);  // one unaligned load, no aliasing issue
  } else {
    for (std::int64_t k = first; k < total; ++k) {
      word |= static_cast<std::uint64_t>(flat[k]) << (8 * (k - first));
    }
  }
  return word;
}

// A word of flags with every non-zero byte made 1: the top bit of ((b & 0x7f) + 0x7f) | b is set
// iff b != 0.
KOKKOS_INLINE_FUNCTION std::uint64_t ones_for_set_flags(std::uint64_t word) {
  constexpr std::uint64_t kLow7 = 0x7f7f7f7f7f7f7f7fULL;
  return ((((word & kLow7) + kLow7) | word) >> 7) & 0x0101010101010101ULL;
}

// Set bits of a word, and the index of its lowest set bit (word != 0).
KOKKOS_INLINE_FUNCTION int bits_set(std::uint64_t word) {
#if defined(__CUDA_ARCH__) || defined(__HIP_DEVICE_COMPILE__)
  return __popcll(word);
#else
  return __builtin_popcountll(word);
#endif
}
KOKKOS_INLINE_FUNCTION int lowest_bit(std::uint64_t word) {
#if defined(__CUDA_ARCH__) || defined(__HIP_DEVICE_COMPILE__)
  return __ffsll(static_cast<long long>(word)) - 1;
#else
  return __builtin_ctzll(word);
#endif
}

// Writes the spikes of lags [0, lags) into `out` (grown when too small), ordered by lag then
// local index; returns how many there are.
inline std::size_t compact_spikes(const FiredFlags& fired, int lags, View<std::uint64_t*>& out) {
  const int n = static_cast<int>(fired.extent(1));
  const std::int64_t total_flags = static_cast<std::int64_t>(lags) * n;
  const std::int64_t words = (total_flags + kCompactWord - 1) / kCompactWord;
  const std::int64_t blocks = (words + kCompactBlockWords - 1) / kCompactBlockWords;
  for (;;) {
    const View<std::uint64_t*> buffer = out;
    const std::size_t capacity = buffer.extent(0);
    const std::uint8_t* const flat = fired.data();
    std::uint64_t count = 0;
    Kokkos::parallel_scan(
        "spikeweave::compact_spikes", Kokkos::RangePolicy<ExecSpace>(0, blocks),
        KOKKOS_LAMBDA(const std::int64_t b, std::uint64_t& offset, const bool final) {
          const std::int64_t w0 = b * kCompactBlockWords;
          const std::int64_t w1 = w0 + kCompactBlockWords < words ? w0 + kCompactBlockWords : words;
          std::uint64_t block[kCompactBlockWords] = {};
          std::uint64_t any = 0;
          for (std::int64_t w = w0; w < w1; ++w) {
            block[w - w0] = flag_word(flat, w, total_flags);
            any |= block[w - w0];
          }
          if (any == 0) return;
          for (std::int64_t w = w0; w < w1; ++w) {
            std::uint64_t word = ones_for_set_flags(block[w - w0]);
            if (!final) {
              offset += static_cast<std::uint64_t>(bits_set(word));
              continue;
            }
            // Flags are LayoutRight (lag, neuron): flat index k = lag n + i. Divide only for
            // the few flags that are set.
            while (word != 0) {
              const std::int64_t k = w * kCompactWord + lowest_bit(word) / 8;
              word &= word - 1;
              if (offset < capacity) {
                const std::int64_t lag = k / n;
                buffer(offset) = pack_local_spike(static_cast<std::uint64_t>(k - lag * n),
                                                  static_cast<int>(lag));
              }
              offset += 1;
            }
          }
        },
        count);
    if (count <= capacity) return count;
    Kokkos::resize(out, count + count / 2 + 16);
  }
}

}  // namespace spikeweave::kernels
