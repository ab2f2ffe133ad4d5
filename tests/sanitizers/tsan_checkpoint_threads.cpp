// ThreadSanitizer on the checkpoint's own threads (std::thread, no OpenMP): the write pipeline's
// lanes (io::PiecePipeline over TileScatters, taking their buffers from a pool that a thread
// fills meanwhile, as the simulation's reserve does), the restore's two-thread tiled gather and the
// restart's checksum verification thread with a reader waiting behind it. Built with
// -fsanitize=thread against Debian's Serial Kokkos (no threads of its own) and without MPI, so
// that nothing uninstrumented runs on a second thread: any report is a race in this code.
#include <gtest/gtest.h>

#include <Kokkos_Core.hpp>
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/state_keys_fixtures.hpp"
#include "engine/checkpoint_state.hpp"
#include "io/checkpoint_dir.hpp"
#include "io/piece_pipeline.hpp"

namespace spikeweave::engine {
namespace {

using namespace fixtures;

TEST(TsanCheckpointThreads, PipelineLanes) {
  const StateKeys keys = projection_like(5 * kOwnersPerTile + 100, 12, 3);
  std::vector<float> in(keys.size());
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>(i % 1013);
  // A block is produced once (its TileScatters move on): one per pipeline.
  auto block = [&] {
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
    return b;
  };
  ASSERT_GE(block().pieces.size() - 1, 6u);
  EXPECT_EQ(joined_pieces(block(), 2), plain_scatter(keys, in));
  // Checkpoints' pipelines take and give the pool's buffers while a thread reserves them.
  io::BufferPool pool;
  std::thread reserve([&pool] { pool.reserve(4, 1 << 20); });
  EXPECT_EQ(joined_pieces(block(), 2, &pool), plain_scatter(keys, in));
  EXPECT_EQ(joined_pieces(block(), 2, &pool), plain_scatter(keys, in));
  reserve.join();
  EXPECT_EQ(joined_pieces(block(), 2, &pool), plain_scatter(keys, in));
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

// A published checkpoint of one 24 MB file of random bytes (its last byte flipped afterwards if
// `corrupt`), opened as a restart opens it.
io::CheckpointManifest one_file_checkpoint(const std::string& dir, bool corrupt) {
  namespace fs = std::filesystem;
  fs::remove_all(dir);
  fs::create_directories(dir + "/.staging");
  std::vector<char> bytes(24u << 20);
  std::mt19937 random(5);
  for (char& b : bytes) b = static_cast<char>(random());
  std::ofstream(dir + "/.staging/state.h5", std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  io::CheckpointManifest manifest;
  manifest.step = 10;
  manifest.ranks = 1;
  manifest.network_hash = "0123456789abcdef";
  manifest.files.push_back({"state.h5", bytes.size(), ""});
  EXPECT_EQ(io::publish_checkpoint(dir + "/.staging", dir, manifest, 2), "");
  if (corrupt) {
    std::fstream f(dir + "/latest/state.h5", std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(static_cast<std::streamoff>(bytes.size() - 1));
    f.put(static_cast<char>(~bytes.back()));
  }
  return io::open_checkpoint(dir + "/latest");
}

// The verification thread and a reader that waits behind it, megabyte by megabyte: intact, the
// verification passes; corrupted, it names the file, and the reader's waits still end.
TEST(TsanCheckpointThreads, ChecksumVerificationWithAReader) {
  const std::string dir = std::filesystem::temp_directory_path() / "spikeweave_tsan_checkpoint";
  for (const bool corrupt : {false, true}) {
    const io::CheckpointManifest manifest = one_file_checkpoint(dir, corrupt);
    io::ChecksumVerification verification(dir + "/latest", manifest);
    for (std::uint64_t bytes = 1u << 20; bytes <= manifest.files[0].bytes; bytes += 1u << 20)
      verification.wait_resident("state.h5", bytes);
    const std::string problem = verification.wait();
    if (corrupt) {
      EXPECT_NE(problem.find("corrupted"), std::string::npos) << problem;
    } else {
      EXPECT_EQ(problem, "");
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace spikeweave::engine

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  Kokkos::ScopeGuard kokkos(argc, argv);
  return RUN_ALL_TESTS();
}
