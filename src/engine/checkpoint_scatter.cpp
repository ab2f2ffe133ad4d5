// The write-combined scatter of a segmented key set's values into their stored order (see
// TileScatter in checkpoint_state.hpp).
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

// Writes a whole line to `to` (aligned to a line) without reading it first.
void stream_line(void* to, const void* from) {
#if defined(__SSE2__)
  const __m128i* src = static_cast<const __m128i*>(from);
  __m128i* dst = static_cast<__m128i*>(to);
  for (std::size_t k = 0; k < kLineBytes / sizeof(__m128i); ++k)
    _mm_stream_si128(dst + k, _mm_load_si128(src + k));
#else
  std::memcpy(to, from, kLineBytes);
#endif
}

}  // namespace

template <class T>
struct alignas(kLineBytes) TileScatter<T>::Line {
  static constexpr std::size_t kValues = kLineBytes / sizeof(T);
  static_assert(kLineBytes % sizeof(T) == 0 && kValues > 1, "values must tile a line");
  T v[kValues];
};

template <class T>
TileScatter<T>::TileScatter(const StateKeys& keys, const T* in)
    : keys_(keys), in_(in), visit_(keys, true), lines_(visit_.owners_per_tile()) {}

template <class T>
TileScatter<T>::~TileScatter() = default;

namespace {
// Tile k's first stored position.
std::uint64_t tile_start(const StateKeys& keys, const TileVisit& visit, std::size_t k) {
  const std::size_t owner = visit.first_owner(k);
  return owner < keys.starts.size() ? keys.starts[owner] : keys.size();
}
}  // namespace

std::uint64_t largest_tile_entries(const StateKeys& keys, std::size_t owners_per_tile) {
  if (!keys.segmented()) return 0;
  const TileVisit visit(keys, true, owners_per_tile);
  std::uint64_t largest = 0;
  for (std::size_t k = 0; k < visit.tiles(); ++k)
    largest = std::max(largest, tile_start(keys, visit, k + 1) - tile_start(keys, visit, k));
  return largest;
}

template <class T>
std::uint64_t TileScatter<T>::start(std::size_t k) const {
  return tile_start(keys_, visit_, k);
}

template <class T>
void TileScatter<T>::tile(std::size_t k, T* out) {
  constexpr std::size_t kValues = Line::kValues;
  if (k != next_tile_) visit_.seek(k);  // tiles between were another TileScatter's
  next_tile_ = k + 1;
  // Locals, not members, in the loop: the compiler keeps them in registers (stores through
  // `next` and the lines could otherwise alias members and force reloads per entry).
  const std::uint64_t first_stored = start(k);
  const std::size_t first_owner = visit_.first_owner(k);
  const std::uint64_t* starts = keys_.starts.data();
  const T* in = in_;
  Line* lines = lines_.data();
  // Stored position j lies at out + (j - first_stored); its slot in its destination line is
  // (j + base) % kValues: `out` need not be aligned to a line (only to T).
  const std::size_t base =
      static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(out) / sizeof(T) - first_stored) %
      kValues;
  visit_.visit_prefetching(k, in, [&](std::uint64_t i, std::uint64_t j, std::uint32_t o) {
    T* line = lines[o - first_owner].v;
    const std::size_t slot = static_cast<std::size_t>(j + base) % kValues;
    line[slot] = in[i];
    if (slot != kValues - 1) return;
    // The line is full: written whole, or, where it begins before the owner's stream (its head),
    // the stream's part only.
    const std::uint64_t end = j + 1;
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>(kValues, end - starts[o]));
    T* to = out + (end - n - first_stored);
    if (n == kValues) {
      stream_line(to, line);
    } else {
      std::memcpy(to, line + (kValues - n), n * sizeof(T));
    }
  });
  // The last line of each stream that does not end on a line boundary (its tail).
  const std::size_t end_owner = visit_.first_owner(k + 1);
  for (std::size_t o = first_owner; o < end_owner; ++o) {
    const std::uint64_t end = starts[o] + keys_.counts[o];
    const std::size_t slot = static_cast<std::size_t>(end + base) % kValues;
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(slot, keys_.counts[o]));
    if (n > 0)
      std::memcpy(out + (end - n - first_stored), lines[o - first_owner].v + (slot - n),
                  n * sizeof(T));
  }
#if defined(__SSE2__)
  _mm_sfence();  // the non-temporal stores are visible before the values are read back
#endif
}

template class TileScatter<float>;
template class TileScatter<double>;
template class TileScatter<std::int64_t>;

}  // namespace spikeweave::engine
