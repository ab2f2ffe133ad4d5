// ThreadSanitizer on the checkpoint's own threads (std::thread, no OpenMP): the write pipeline's
// lanes (io::PiecePipeline over TileScatters) and the restore's two-thread tiled gather. Built with
// -fsanitize=thread against Debian's Serial Kokkos (no threads of its own) and without MPI, so
// that nothing uninstrumented runs on a second thread: any report is a race in this code.
#include <gtest/gtest.h>

#include <Kokkos_Core.hpp>
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "common/state_keys_fixtures.hpp"
#include "engine/checkpoint_state.hpp"
#include "io/piece_pipeline.hpp"

namespace spikeweave::engine {
namespace {

using namespace fixtures;

TEST(TsanCheckpointThreads, PipelineLanes) {
  const StateKeys keys = projection_like(5 * kOwnersPerTile + 100, 12, 3);
  std::vector<float> in(keys.size());
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>(i % 1013);
  io::CheckpointBlock b;
  b.single = true;
  std::vector<std::shared_ptr<TileScatter<float>>> lanes;
  for (int l = 0; l < 2; ++l)
    lanes.push_back(std::make_shared<TileScatter<float>>(keys, in.data()));
  for (std::size_t k = 0; k <= lanes[0]->tiles(); ++k) b.pieces.push_back(lanes[0]->start(k));
  b.lanes = 2;
  b.produce = [lanes](std::size_t k, void* out, unsigned lane) {
    lanes[lane]->tile(k, static_cast<float*>(out));
  };
  const std::size_t pieces = b.pieces.size() - 1;
  ASSERT_GE(pieces, 6u);
  EXPECT_EQ(joined_pieces(b, 2), plain_scatter(keys, in));
}

TEST(TsanCheckpointThreads, TwoThreadGather) {
  const StateKeys keys = projection_like(5 * 2048 + 100, 12, 4);
  std::vector<float> in(keys.size());
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>(i % 1021);
  const std::vector<float> stored = plain_scatter(keys, in);
  std::vector<io::RowRange> ranges(keys.owners.size());
  for (std::size_t o = 0; o < ranges.size(); ++o) ranges[o] = {keys.starts[o], keys.counts[o]};
  std::vector<float> out(keys.size(), -1.0f);
  gather_stored(keys, ranges, MemoryRows(stored), out.data());
  EXPECT_EQ(out, in);
}

}  // namespace
}  // namespace spikeweave::engine

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  Kokkos::ScopeGuard kokkos(argc, argv);
  return RUN_ALL_TESTS();
}
