// for_each_stored's tiled visit (many owners, runs sorted by owner) must place every entry where
// the plain visit in entry order does: the checkpoint's synapse values are stored by that
// position, so any difference would change the file and break restarts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/state_keys_fixtures.hpp"
#include "engine/checkpoint_state.hpp"
#include "io/checkpoint_raw_file.hpp"
#include "io/piece_pipeline.hpp"

namespace spikeweave::engine {
namespace {

using namespace fixtures;

std::vector<std::size_t> positions(const StateKeys& keys) {
  std::vector<std::size_t> at(keys.size(), ~std::size_t{0});
  for_each_stored(keys, [&](std::size_t i, std::size_t j) { at[i] = j; });
  return at;
}

TEST(CheckpointOrder, TiledVisitPlacesEveryEntryAsTheEntryOrderDoes) {
  for (const std::size_t owners : {std::size_t{100}, kOwnersPerTile + 1, 3 * kOwnersPerTile + 7}) {
    const StateKeys tiled = projection_like(owners, 40, static_cast<unsigned>(owners));
    StateKeys plain = tiled;
    plain.runs.clear();  // no runs: the plain visit in entry order
    const std::vector<std::size_t> expected = positions(plain);
    EXPECT_EQ(positions(tiled), expected) << owners << " owners";
    std::vector<bool> taken(expected.size(), false);
    for (std::size_t j : expected) {
      ASSERT_LT(j, taken.size());
      EXPECT_FALSE(taken[j]);
      taken[j] = true;
    }
  }
}

// A restore's placement shares the tiles out among threads, one TileVisit each (tiles t, t + n,
// ...), and seek() moves the cursors forward by a galloping search from where they are (or
// from the runs' starts, backwards): every order must give the entry-order positions.
std::vector<std::size_t> positions_visiting(const StateKeys& keys,
                                            const std::vector<std::vector<std::size_t>>& orders,
                                            bool prefetching) {
  std::vector<std::size_t> at(keys.size(), ~std::size_t{0});
  const std::vector<float> entries(keys.size(), 0.0f);
  for (const std::vector<std::size_t>& order : orders) {
    TileVisit visit(keys, true);
    for (const std::size_t k : order) {
      visit.seek(k);
      auto record = [&](std::uint64_t i, std::uint64_t j, std::uint32_t) { at[i] = j; };
      if (prefetching) {
        visit.visit_prefetching(k, entries.data(), record);
      } else {
        visit.visit(k, record);
      }
    }
  }
  return at;
}

TEST(CheckpointOrder, TilesVisitedInAnyOrderPlaceEveryEntryAsTheEntryOrderDoes) {
  for (const std::size_t owners : {kOwnersPerTile + 1, 5 * kOwnersPerTile + 7}) {
    for (const std::size_t rows : {std::size_t{1}, std::size_t{3}, std::size_t{40}}) {
      const StateKeys keys = projection_like(owners, rows, static_cast<unsigned>(owners + rows));
      StateKeys plain = keys;
      plain.runs.clear();
      const std::vector<std::size_t> expected = positions(plain);
      const std::size_t tiles = TileVisit(keys, true).tiles();
      std::vector<std::size_t> even, odd, backwards, skipping;
      for (std::size_t k = 0; k < tiles; ++k) (k % 2 == 0 ? even : odd).push_back(k);
      for (std::size_t k = tiles; k-- > 0;) backwards.push_back(k);
      skipping = {tiles - 1, 0};  // the last tile, then back to the first
      for (std::size_t k = 1; k + 1 < tiles; ++k) skipping.push_back(k);
      for (const bool prefetching : {false, true}) {
        const std::string what = std::to_string(owners) + " owners, " + std::to_string(rows) +
                                 " rows" + (prefetching ? ", prefetching" : "");
        EXPECT_EQ(positions_visiting(keys, {even, odd}, prefetching), expected) << what;
        EXPECT_EQ(positions_visiting(keys, {backwards}, prefetching), expected) << what;
        EXPECT_EQ(positions_visiting(keys, {skipping}, prefetching), expected) << what;
      }
    }
  }
}

// scatter_stored into a buffer that begins `shift` values after a line boundary, with guards.
template <class T>
std::vector<T> combined_scatter(const StateKeys& keys, const std::vector<T>& in,
                                std::size_t shift) {
  const T guard = static_cast<T>(-12345);
  std::vector<T> padded(in.size() + 2 * 64 / sizeof(T) + 2, guard);
  std::size_t at = 0;  // the first element of `padded` on a 64-byte boundary, then `shift` on
  while (reinterpret_cast<std::uintptr_t>(padded.data() + at) % 64 != 0) ++at;
  at += shift;
  scatter_stored(keys, in.data(), padded.data() + at);
  for (std::size_t k = 0; k < at; ++k) EXPECT_EQ(padded[k], guard) << "before, " << k;
  for (std::size_t k = at + in.size(); k < padded.size(); ++k) EXPECT_EQ(padded[k], guard);
  return std::vector<T>(padded.begin() + static_cast<long>(at),
                        padded.begin() + static_cast<long>(at + in.size()));
}

template <class T>
void expect_same_scatter(const StateKeys& keys, unsigned seed, const std::string& what) {
  std::mt19937 random(seed);
  std::vector<T> in(keys.size());
  for (T& v : in) v = static_cast<T>(random() % 1000000) / static_cast<T>(7);
  const std::vector<T> expected = plain_scatter(keys, in);
  for (std::size_t shift = 0; shift < 64 / sizeof(T); shift += 3)
    EXPECT_EQ(combined_scatter(keys, in, shift), expected) << what << ", shift " << shift;
}

TEST(CheckpointOrder, WriteCombinedScatterStoresAsThePlainScatter) {
  const std::size_t tile = kOwnersPerTile;
  const std::vector<std::pair<std::vector<std::uint64_t>, std::size_t>> cases = {
      {{}, 3},                                // no owners
      {{0}, 2},                               // one empty owner
      {{1}, 1},                               // a single owner, a single entry
      {{37}, 5},                              // a single owner, head and tail in a line
      {{16, 0, 15, 17, 1, 0, 33}, 4},         // around line sizes
      {random_counts(500, 1), 30},            // one tile
      {random_counts(tile, 2), 25},           // exactly one tile
      {random_counts(tile + 1, 3), 25},       // a tile boundary and a one-owner tile
      {random_counts(2 * tile + 300, 4), 9},  // several tiles
      {random_counts(tile + 50, 5), 0},       // no runs: one tile of all owners, entry order
  };
  unsigned seed = 100;
  for (const auto& [counts, rows] : cases) {
    const StateKeys keys = with_counts(counts, rows, ++seed);
    const std::string what =
        std::to_string(counts.size()) + " owners, " + std::to_string(rows) + " runs";
    expect_same_scatter<float>(keys, seed, what + ", float");
    expect_same_scatter<double>(keys, seed, what + ", double");
  }
}

// Tile by tile into separate buffers (how a checkpoint writes a deferred block), each at its own
// offset from a line boundary: the tiles, concatenated, are the plain scatter.
TEST(CheckpointOrder, TilesIntoSeparateBuffersStoreAsThePlainScatter) {
  const std::vector<std::uint64_t> counts = random_counts(3 * kOwnersPerTile + 11, 7);
  const StateKeys keys = with_counts(counts, 17, 8);
  std::vector<float> in(keys.size());
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>(i) * 0.5f;
  const std::vector<float> expected = plain_scatter(keys, in);
  TileScatter<float> scatter(keys, in.data());
  ASSERT_EQ(scatter.tiles(), 4u);
  std::vector<float> joined;
  for (std::size_t k = 0; k < scatter.tiles(); ++k) {
    const std::size_t rows = scatter.start(k + 1) - scatter.start(k);
    std::vector<float> buffer(rows + 16, -1.0f);
    const std::size_t shift = (5 * k + 3) % 16;
    scatter.tile(k, buffer.data() + shift);
    joined.insert(joined.end(), buffer.begin() + static_cast<long>(shift),
                  buffer.begin() + static_cast<long>(shift + rows));
  }
  EXPECT_EQ(joined, expected);
}

// StateWriter::put defers a projection's float values (produced while the file is written);
// produced, they are the plain scatter's.
TEST(CheckpointOrder, DeferredBlockProducesThePlainScatter) {
  const StateKeys keys = with_counts(random_counts(kOwnersPerTile + 300, 9), 11, 10);
  Kokkos::View<float*, Kokkos::HostSpace> weight("weight", keys.size());
  std::vector<float> in(keys.size());
  for (std::size_t i = 0; i < in.size(); ++i) weight(i) = in[i] = static_cast<float>(i % 977);
  StateWriter writer;
  writer.put("projection/p/weight", keys, weight);
  io::CheckpointBlock& b = writer.blocks().at(0);
  ASSERT_TRUE(static_cast<bool>(b.produce));
  EXPECT_EQ(b.entries(), keys.size());
  io::produce_values(b);
  EXPECT_FALSE(static_cast<bool>(b.produce));
  EXPECT_EQ(std::vector<float>(b.singles.begin(), b.singles.end()), plain_scatter(keys, in));
}

// The deferred block's pieces produced by two lanes on their own threads (io::PiecePipeline:
// each lane's TileScatter skips the other's tiles) and joined in order: the plain scatter.
TEST(CheckpointOrder, PiecesOfTwoLanesJoinToThePlainScatter) {
  const StateKeys keys = with_counts(random_counts(4 * kOwnersPerTile + 300, 12), 13, 10);
  Kokkos::View<float*, Kokkos::HostSpace> weight("weight", keys.size());
  std::vector<float> in(keys.size());
  for (std::size_t i = 0; i < in.size(); ++i) weight(i) = in[i] = static_cast<float>(i % 1009);
  StateWriter writer;
  writer.put("projection/p/weight", keys, weight);
  const io::CheckpointBlock& b = writer.blocks().at(0);
  ASSERT_EQ(b.lanes, 2u);
  const std::size_t pieces = b.pieces.size() - 1;
  ASSERT_EQ(pieces, 5u);
  EXPECT_EQ(joined_pieces(b, 2), plain_scatter(keys, in));
}

// A lane's failure reaches the writer at that piece, and the pipeline still ends (its threads
// joined) when the writer stops there.
TEST(CheckpointOrder, PipelineRethrowsALanesFailure) {
  io::CheckpointBlock b;
  b.single = true;
  b.pieces = {0, 4, 8, 12, 16, 20};
  b.lanes = 2;
  b.produce = [](std::size_t k, void* out, unsigned lane) {
    if (k == 3) throw std::runtime_error("piece 3 failed");
    if (lane != k % 2) throw std::logic_error("piece on the wrong lane");
    std::fill_n(static_cast<float*>(out), 4, static_cast<float>(k));
  };
  io::PiecePipeline pipeline(b, 5, sizeof(float), 2);
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(*static_cast<const float*>(pipeline.wait(k)), static_cast<float>(k));
    pipeline.release(k);
  }
  EXPECT_THROW(pipeline.wait(3), std::runtime_error);
}

// With shifts (a raw write's O_DIRECT alignment: piece k bound for file offset f is produced at f
// modulo the alignment), each piece lies that many bytes past an aligned address, whole.
TEST(CheckpointOrder, PipelinePlacesPiecesAtTheirShifts) {
  io::CheckpointBlock b;
  b.single = true;
  b.pieces = {0, 3, 1000, 1001, 5000};
  b.lanes = 2;
  b.produce = [&b](std::size_t k, void* out, unsigned) {
    for (std::uint64_t i = b.pieces[k]; i < b.pieces[k + 1]; ++i)
      static_cast<float*>(out)[i - b.pieces[k]] = static_cast<float>(i);
  };
  const std::vector<std::uint64_t> shifts = {0, 12, 4092, 4};
  io::PiecePipeline pipeline(b, 4, sizeof(float), 2, shifts);
  for (std::size_t k = 0; k < 4; ++k) {
    const auto* values = static_cast<const float*>(pipeline.wait(k));
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(values) % io::RawFile::kAlignment, shifts[k]);
    for (std::uint64_t i = b.pieces[k]; i < b.pieces[k + 1]; ++i)
      ASSERT_EQ(values[i - b.pieces[k]], static_cast<float>(i)) << "piece " << k;
    pipeline.release(k);
  }
}

// With two buffers per lane (the default depth), a lane produces its next piece while the writer
// still holds its last one: all four pieces of two lanes are ready with none released (with one
// buffer per lane, wait(2) would wait for release(0) forever).
TEST(CheckpointOrder, PipelineLanesProduceIntoTwoBuffersEach) {
  io::CheckpointBlock b;
  b.single = true;
  b.pieces = {0, 4, 8, 12, 16};
  b.lanes = 2;
  b.produce = [](std::size_t k, void* out, unsigned) {
    std::fill_n(static_cast<float*>(out), 4, static_cast<float>(k));
  };
  io::PiecePipeline pipeline(b, 4, sizeof(float), 2);
  std::set<const void*> places;
  for (std::size_t k = 0; k < 4; ++k) {
    const void* values = pipeline.wait(k);
    EXPECT_EQ(*static_cast<const float*>(values), static_cast<float>(k));
    places.insert(values);
  }
  EXPECT_EQ(places.size(), 4u);  // four buffers, none shared
  for (std::size_t k = 0; k < 4; ++k) pipeline.release(k);
}

// A BufferPool keeps nothing before a reserve; then the reserved count, the largest first; take
// hands out the smallest buffer that is large enough, or a new one.
TEST(CheckpointOrder, BufferPoolKeepsWhatWasReserved) {
  io::BufferPool pool;
  pool.give(io::BufferPool::fresh(4096));
  EXPECT_EQ(pool.held_bytes(), 0u);
  pool.reserve(2, 10000);
  EXPECT_EQ(pool.held_bytes(), 2 * 10000u);
  pool.reserve(2, 8000);  // two large enough are held already
  EXPECT_EQ(pool.held_bytes(), 2 * 10000u);
  io::BufferPool::Buffer large = pool.take(20000);  // none fits: a new one
  EXPECT_EQ(large.size() * sizeof(double), 20000u);
  EXPECT_EQ(pool.held_bytes(), 2 * 10000u);
  io::BufferPool::Buffer small = pool.take(100);
  EXPECT_EQ(small.size() * sizeof(double), 10000u);
  EXPECT_EQ(pool.held_bytes(), 10000u);
  pool.give(std::move(large));
  pool.give(std::move(small));  // three for two places: the smallest goes
  EXPECT_EQ(pool.held_bytes(), 10000u + 20000u);
}

// A pipeline with a pool produces what one without does, at every depth, in the pool's buffers,
// and gives them back.
TEST(CheckpointOrder, PipelineTakesItsBuffersFromThePool) {
  const StateKeys keys = with_counts(random_counts(4 * kOwnersPerTile + 300, 14), 15, 10);
  Kokkos::View<float*, Kokkos::HostSpace> weight("weight", keys.size());
  std::vector<float> in(keys.size());
  for (std::size_t i = 0; i < in.size(); ++i) weight(i) = in[i] = static_cast<float>(i % 1013);
  // A deferred block is produced once (its TileScatters move on): one per pipeline.
  auto block = [&] {
    StateWriter writer;
    writer.put("projection/p/weight", keys, weight);
    return std::move(writer.blocks().at(0));
  };
  const std::uint64_t piece_bytes = largest_tile_entries(keys) * sizeof(float);
  ASSERT_GT(piece_bytes, 0u);
  io::BufferPool pool;
  pool.reserve(4, io::PiecePipeline::buffer_bytes(piece_bytes + io::RawFile::kAlignment));
  std::vector<std::pair<const char*, const char*>> held;  // the pool's buffers
  {
    std::vector<io::BufferPool::Buffer> taken;
    for (int k = 0; k < 4; ++k) taken.push_back(pool.take(1));
    for (const io::BufferPool::Buffer& t : taken) {
      const char* start = reinterpret_cast<const char*>(t.data());
      held.emplace_back(start, start + t.size() * sizeof(double));
    }
    for (io::BufferPool::Buffer& t : taken) pool.give(std::move(t));
  }
  const std::uint64_t held_bytes = pool.held_bytes();
  for (const unsigned depth : {1u, 2u, 3u})
    EXPECT_EQ(joined_pieces(block(), 2, &pool, depth), plain_scatter(keys, in))
        << "depth " << depth;
  EXPECT_EQ(pool.held_bytes(), held_bytes);
  const io::CheckpointBlock b = block();
  const std::size_t pieces = b.pieces.size() - 1;
  io::PiecePipeline pipeline(b, pieces, sizeof(float), 2, {}, {}, &pool);
  for (std::size_t k = 0; k < pieces; ++k) {
    const char* values = static_cast<const char*>(pipeline.wait(k));
    EXPECT_TRUE(std::any_of(
        held.begin(), held.end(),
        [&](const auto& range) { return values >= range.first && values < range.second; }))
        << "piece " << k << " outside the pool's buffers";
    pipeline.release(k);
  }
}

// gather_stored (a restore's placement, tile by tile on two threads, from the file's rows) puts
// every entry's value where the plain gather in entry order does: on the decomposition that wrote
// the file (each tile one read) and on another one (the owners' rows elsewhere in the file, here
// in reverse order).
TEST(CheckpointOrder, TiledGatherPlacesAsThePlainGather) {
  for (const std::size_t rows : {std::size_t{0}, std::size_t{13}}) {
    const StateKeys keys = with_counts(random_counts(3 * kOwnersPerTile + 11, 11), rows, 12);
    std::vector<float> stored(keys.size());
    for (std::size_t j = 0; j < stored.size(); ++j) stored[j] = static_cast<float>(j) + 0.25f;
    std::vector<float> expected(keys.size(), -1.0f);
    for_each_stored(keys, [&](std::size_t i, std::size_t j) { expected[i] = stored[j]; });

    std::vector<io::RowRange> same(keys.owners.size()), reversed(keys.owners.size());
    std::vector<float> reversed_file;
    for (std::size_t o = keys.owners.size(); o-- > 0;) {
      same[o] = {keys.starts[o], keys.counts[o]};
      reversed[o] = {reversed_file.size(), keys.counts[o]};
      reversed_file.insert(reversed_file.end(), stored.begin() + static_cast<long>(keys.starts[o]),
                           stored.begin() + static_cast<long>(keys.starts[o] + keys.counts[o]));
    }
    std::vector<float> out(keys.size(), -1.0f);
    gather_stored(keys, same, MemoryRows(stored), out.data());
    EXPECT_EQ(out, expected) << rows << " runs, the writer's decomposition";
    std::fill(out.begin(), out.end(), -1.0f);
    gather_stored(keys, reversed, MemoryRows(reversed_file), out.data());
    EXPECT_EQ(out, expected) << rows << " runs, another decomposition";
  }
}

}  // namespace
}  // namespace spikeweave::engine
