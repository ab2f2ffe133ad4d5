// A restore's placement of a segmented key set's values from the file into entry order (see
// gather_stored in checkpoint_state.hpp).
//
// Why tiles read from the file: the values are stored owner after owner (per target), and entry
// order is row after row, each row spread over all owners. Placed in entry order from a copy of
// the whole block, every value is read from another owner's stream, all over the block: the
// block had to be in memory whole first (a second copy of the largest state, its pages faulted
// in) and its reads missed the cache (5.7 ns per synapse at scale 4). A tile of owners' rows is
// one stretch of the file: it is read into a buffer reused from tile to tile, and its owners'
// streams are few enough to stay in cache while the runs' cursors move through the tile.
#include <algorithm>
#include <cstdint>
#include <exception>
#include <memory>
#include <thread>
#include <vector>

#include "engine/checkpoint_state.hpp"

namespace spikeweave::engine {
namespace {

// Owners per tile: 2,048 owners' streams (128 KB of live lines) stay in L2, and each tile's
// buffer is one read of a few tens of MB (73.7 MB at scale 4: 9,000 synapses per target).
constexpr std::size_t kGatherOwnersPerTile = 2048;
// Threads that read and place tiles: the restore's own and one more (the machine's second
// core; a third thread gained nothing where it was tried, and the disk is shared anyway).
constexpr unsigned kGatherThreads = 2;
// How far ahead in an owner's stream the next values are prefetched: the tile's buffer is far
// larger than the cache and 2,048 streams are more than the hardware prefetchers follow; an
// owner's next line is asked for while its current one is read (the gather took 1.15 s without
// prefetching, 0.7-0.85 s with 2 to 8 lines ahead, scale 4, two threads, page cache warm). With
// the runs' starts prefetched too (TileVisit::visit_prefetching), one line ahead is as good as
// four or more (a model of the gather on the AMD VM: 0.38 s against 0.39-0.42 s).
constexpr std::size_t kAheadBytes = 64;

// Reads tile [first_owner, end_owner)'s rows into `buffer`, in the keys' stored order (owner o
// at keys.starts[o] - keys.starts[first_owner]); owners whose rows follow one another in the file
// are read together (all of a tile's, on the decomposition that wrote the file).
template <class T>
void read_tile(const StateKeys& keys, const std::vector<io::RowRange>& ranges,
               const io::RawValueRows& file, std::size_t first_owner, std::size_t end_owner,
               T* buffer) {
  const std::uint64_t base = keys.starts[first_owner];
  for (std::size_t o = first_owner; o < end_owner;) {
    const std::uint64_t first = ranges[o].first;
    std::uint64_t count = ranges[o].count;
    const std::uint64_t to = keys.starts[o] - base;
    std::size_t next = o + 1;
    while (next < end_owner && ranges[next].first == first + count) count += ranges[next++].count;
    if (count > 0) file.read(first, count, buffer + to);
    o = next;
  }
}

// Whether owners [a, b)'s rows follow one another in the file, in owner order.
bool contiguous(const std::vector<io::RowRange>& ranges, std::size_t a, std::size_t b) {
  for (std::size_t o = a + 1; o < b; ++o) {
    if (ranges[o].first != ranges[o - 1].first + ranges[o - 1].count) return false;
  }
  return true;
}

// Tiles first, first + stride, ... of the gather, on the calling thread.
template <class T>
void gather_tiles(const StateKeys& keys, const std::vector<io::RowRange>& ranges,
                  const io::RawValueRows& file, T* out, std::size_t first, std::size_t stride) {
  TileVisit visit(keys, true, kGatherOwnersPerTile);
  io::ValueVector<T> buffer;
  for (std::size_t k = first; k < visit.tiles(); k += stride) {
    const std::size_t a = visit.first_owner(k), b = visit.first_owner(k + 1);
    if (a >= b) continue;
    // A tile whose rows are one stretch of the file (all, on the writer's decomposition) is
    // placed from the file's pages where they lie; others are read into a buffer first.
    std::shared_ptr<const void> mapped =
        contiguous(ranges, a, b)
            ? file.map(ranges[a].first, ranges[b - 1].first + ranges[b - 1].count - ranges[a].first)
            : nullptr;
    if (reinterpret_cast<std::uintptr_t>(mapped.get()) % alignof(T) != 0) mapped.reset();
    if (!mapped) {
      if (buffer.empty()) buffer.resize(largest_tile_entries(keys, kGatherOwnersPerTile));
      read_tile(keys, ranges, file, a, b, buffer.data());
    }
    visit.seek(k);
    const T* in = mapped ? static_cast<const T*>(mapped.get()) : buffer.data();
    const std::uint64_t base = keys.starts[a];
    const std::uint64_t last = (b < keys.starts.size() ? keys.starts[b] : keys.size()) - base - 1;
    visit.visit_prefetching(
        k, out, [in, out, base, last](std::uint64_t i, std::uint64_t j, std::uint32_t) {
          out[i] = in[j - base];
          __builtin_prefetch(in + std::min(j - base + kAheadBytes / sizeof(T), last));
        });
  }
}

}  // namespace

template <class T>
void gather_stored(const StateKeys& keys, const std::vector<io::RowRange>& ranges,
                   const io::RawValueRows& file, T* out) {
  if (keys.size() == 0) return;
  const std::size_t tiles = TileVisit(keys, true, kGatherOwnersPerTile).tiles();
  const unsigned threads = static_cast<unsigned>(std::min<std::size_t>(
      {kGatherThreads, tiles, std::max(1u, std::thread::hardware_concurrency())}));
  std::vector<std::exception_ptr> failed(threads);
  std::vector<std::thread> helpers;
  for (unsigned t = 1; t < threads; ++t) {
    helpers.emplace_back([&, t] {
      try {
        gather_tiles(keys, ranges, file, out, t, threads);
      } catch (...) {
        failed[t] = std::current_exception();
      }
    });
  }
  try {
    gather_tiles(keys, ranges, file, out, 0, threads);
  } catch (...) {
    failed[0] = std::current_exception();
  }
  for (std::thread& helper : helpers) helper.join();
  for (const std::exception_ptr& e : failed) {
    if (e) std::rethrow_exception(e);
  }
}

template void gather_stored<float>(const StateKeys&, const std::vector<io::RowRange>&,
                                   const io::RawValueRows&, float*);
template void gather_stored<double>(const StateKeys&, const std::vector<io::RowRange>&,
                                    const io::RawValueRows&, double*);
template void gather_stored<std::int64_t>(const StateKeys&, const std::vector<io::RowRange>&,
                                          const io::RawValueRows&, std::int64_t*);

}  // namespace spikeweave::engine
