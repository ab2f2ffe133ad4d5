#pragma once
// The padding of the rate kernels' arrays (plain: the host-only parameter checks use it too).
#include "core/portable.hpp"

namespace spikeweave::rate {

// Arrays that matmul_rows reads and writes are padded to a multiple of kPad (32, the noise group
// size), itself a multiple of the tile (at most 32 floats with AVX-512).
inline constexpr int kPad = 32;
SPIKEWEAVE_INLINE_FUNCTION int padded(int n) {
  return (n + kPad - 1) / kPad * kPad;
}

}  // namespace spikeweave::rate
