// The write-combined scatter of a segmented key set's values into their stored order (see
// scatter_stored in checkpoint_state.hpp).
//
// Why: a plain scatter stores each value into one of a tile's 2,048 owner streams; every store
// that starts a destination line makes the core read that line from memory first (a read for
// ownership), only to overwrite it whole soon after, and the misses of 2,048 streams are more
// than the prefetchers follow. Here each owner's current line is staged in a buffer of the tile
// (2,048 x 64 bytes: in L2), and a line is written to the destination once it is full, with
// non-temporal stores that need no read of the line. The lines an owner's stream shares with its
// neighbours' streams (its head and tail, unless aligned) are written with plain copies.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "engine/checkpoint_state.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace spikeweave::engine {
namespace {

constexpr std::size_t kLineBytes = 64;  // a cache line, and the unit of a non-temporal write

template <class T>
class LineScatter {
 public:
  static constexpr std::size_t kPerLine = kLineBytes / sizeof(T);
  static_assert(kLineBytes % sizeof(T) == 0 && kPerLine > 1, "values must tile a line");

  LineScatter(const StateKeys& keys, T* out)
      : starts_(keys.starts.data()),
        counts_(keys.counts.data()),
        out_(out),
        // The slot of stored position j in its line is (j + base_) % kPerLine: out_ need not be
        // aligned to a line (only to T), the destination's line boundaries are what count.
        base_((reinterpret_cast<std::uintptr_t>(out) / sizeof(T)) % kPerLine),
        lines_(owners_per_tile(keys)) {}

  // Value v of owner o (of the tile that begins at owner `first`) goes to stored position j.
  void put(T v, std::size_t j, std::uint32_t o, std::size_t first) {
    T* line = lines_[o - first].v;
    const std::size_t slot = (j + base_) % kPerLine;
    line[slot] = v;
    if (slot == kPerLine - 1) write_line(line, j + 1, o);
  }

  // Writes what is left in the lines of owners [first, end), whose streams are complete: the
  // last line of each stream that does not end on a line boundary.
  void finish_tile(std::size_t first, std::size_t end) {
    for (std::size_t o = first; o < end; ++o) {
      const std::size_t stream_end = starts_[o] + counts_[o];
      const std::size_t slot = (stream_end + base_) % kPerLine;
      const std::size_t n = std::min<std::size_t>(slot, counts_[o]);
      const T* line = lines_[o - first].v;
      if (n > 0) std::memcpy(out_ + (stream_end - n), line + (slot - n), n * sizeof(T));
    }
  }

 private:
  struct alignas(kLineBytes) Line {
    T v[kPerLine];
  };

  // The line of owner o that ends just before stored position `end` is full: written whole, or,
  // if it begins before the owner's stream (the stream's head), its part of the stream only.
  void write_line(const T* line, std::size_t end, std::uint32_t o) {
    const std::size_t n = std::min<std::size_t>(kPerLine, end - starts_[o]);
    if (n == kPerLine) {
      stream_line(out_ + (end - kPerLine), line);
    } else {
      std::memcpy(out_ + (end - n), line + (kPerLine - n), n * sizeof(T));
    }
  }

  static void stream_line(T* to, const T* from) {
#if defined(__SSE2__)
    const __m128i* src = reinterpret_cast<const __m128i*>(from);
    __m128i* dst = reinterpret_cast<__m128i*>(to);
    for (std::size_t k = 0; k < kLineBytes / sizeof(__m128i); ++k)
      _mm_stream_si128(dst + k, _mm_load_si128(src + k));
#else
    std::memcpy(to, from, kLineBytes);
#endif
  }

  const std::uint64_t* starts_;
  const std::uint64_t* counts_;
  T* out_;
  std::size_t base_;
  std::vector<Line> lines_;
};

}  // namespace

template <class T>
void scatter_stored(const StateKeys& keys, const T* in, T* out) {
  LineScatter<T> lines(keys, out);
  std::size_t first = 0;
  visit_segmented(
      keys, true,
      [&](std::size_t i, std::size_t j, std::uint32_t o) { lines.put(in[i], j, o, first); },
      [&](std::size_t tile_first, std::size_t tile_end) {
        lines.finish_tile(tile_first, tile_end);
        first = tile_end;
      });
#if defined(__SSE2__)
  _mm_sfence();  // the non-temporal stores are visible before the buffer is written to the file
#endif
}

template void scatter_stored<float>(const StateKeys&, const float*, float*);
template void scatter_stored<double>(const StateKeys&, const double*, double*);
template void scatter_stored<std::int64_t>(const StateKeys&, const std::int64_t*, std::int64_t*);

}  // namespace spikeweave::engine
