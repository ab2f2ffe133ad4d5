// The state file's deferred blocks written straight into the file beside HDF5 (O_DIRECT for each
// piece's aligned middle, or buffered with SPIKEWEAVE_CHECKPOINT_DIRECT=0), and the chunked
// checksum whose chunks the ranks hash as they write (io/checksum.hpp): on 1 and 3 ranks, with
// pieces whose file offsets are not aligned, the values read back are the ones produced, the
// checksum completed from the ranks' chunk hashes is the one read back from the file, and a
// published checkpoint verifies, and is refused once a byte inside a rank-hashed chunk flips.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include "common/test_context.hpp"
#include "core/errors.hpp"
#include "io/checkpoint_dir.hpp"
#include "io/checkpoint_file.hpp"
#include "io/checkpoint_raw_file.hpp"
#include "io/checksum.hpp"

namespace spikeweave {
namespace {

// The value of global row r: distinct bits per row, so a misplaced row shows.
float value_of(std::uint64_t r) {
  return static_cast<float>(r % 1000003) * 0.5f + 1.0f;
}

// Rank r's rows: 3,000,003 + 17 r (12 MB and odd byte counts, so that pieces and ranks start at
// unaligned file offsets), in uneven pieces (two of one row), produced by two lanes.
io::CheckpointBlock deferred_block(comm::Context& world, std::uint64_t& first_row) {
  const std::uint64_t rows = 3000003 + 17 * static_cast<std::uint64_t>(world.rank());
  first_row = world.exclusive_prefix_sum(rows);
  io::CheckpointBlock b;
  b.name = "projection/p/weight";
  b.key_width = 1;
  b.single = true;
  for (std::uint64_t i = 0; i < rows; ++i) b.keys.push_back(first_row + i);
  b.pieces = {0, 1, 1000001, 1000002, 2100007, rows};
  b.lanes = 2;
  const std::uint64_t first = first_row;
  const std::vector<std::uint64_t> pieces = b.pieces;
  b.produce = [first, pieces](std::size_t k, void* out, unsigned) {
    auto* values = static_cast<float*>(out);
    for (std::uint64_t i = pieces[k]; i < pieces[k + 1]; ++i)
      values[i - pieces[k]] = value_of(first + i);
  };
  return b;
}

io::CheckpointHeader header_of(comm::Context& world) {
  io::CheckpointHeader h;
  h.layout_version = io::kCheckpointLayoutVersion;
  h.step = 1;
  h.interval_steps = 1;
  h.ranks = world.size();
  h.dt_ms = 0.1;
  h.network_hash = "0";
  return h;
}

void write_and_check(bool direct) {
  comm::Context& world = test::world();
  if (direct) {
    unsetenv("SPIKEWEAVE_CHECKPOINT_DIRECT");
  } else {
    setenv("SPIKEWEAVE_CHECKPOINT_DIRECT", "0", 1);
  }
  const std::string dir = std::string("state_write_") + (direct ? "direct" : "buffered");
  const std::string staging = dir + "/.ckpt-000000000001.tmp";
  if (world.rank() == 0) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(staging);
  }
  world.barrier();
  std::uint64_t first_row = 0;
  std::vector<io::CheckpointBlock> blocks;
  blocks.push_back(deferred_block(world, first_row));
  const io::ChunkHashes hashed =
      io::write_checkpoint_state(world, staging + "/state.h5", header_of(world), blocks);
  unsetenv("SPIKEWEAVE_CHECKPOINT_DIRECT");
  if (world.rank() != 0) {
    EXPECT_TRUE(hashed.index.empty());
    world.barrier();
    return;
  }
  // Each rank's three large pieces (4 to 4.4 MB) hold at least 2 whole 1 MiB chunks each; rank 0
  // has every rank's hashes.
  EXPECT_GE(hashed.index.size(), 6u * static_cast<std::size_t>(world.size()));
  const std::string path = staging + "/state.h5";
  const std::string checksum = io::chunked_file_checksum(path, hashed);
  EXPECT_EQ(checksum, io::chunked_file_checksum(path, io::ChunkHashes{}));
  {
    std::unique_ptr<io::CheckpointSource> source = io::open_checkpoint_state(path);
    std::vector<io::CheckpointBlockSummary> summary = io::checkpoint_block_summaries(path);
    ASSERT_EQ(summary.size(), 1u);
    const std::uint64_t entries = summary[0].entries;
    const io::CheckpointBlock read = source->read_ranges("projection/p/weight", {{0, entries}});
    ASSERT_EQ(read.singles.size(), entries);
    std::uint64_t wrong = 0;
    for (std::uint64_t r = 0; r < entries; ++r) wrong += read.singles[r] != value_of(r);
    EXPECT_EQ(wrong, 0u) << "rows read back differ from those produced";
  }
  io::CheckpointManifest manifest;
  manifest.step = 1;
  manifest.ranks = world.size();
  manifest.network_hash = "0";
  manifest.files.push_back({"state.h5", 0, checksum});
  ASSERT_EQ(io::publish_checkpoint(staging, dir, manifest, 2), "");
  EXPECT_NO_THROW(io::verify_checkpoint(dir + "/latest"));
  {
    // A byte in the middle of the values: inside a chunk some rank hashed from its buffer.
    const std::uint64_t at = std::filesystem::file_size(dir + "/latest/state.h5") / 2;
    std::fstream file(dir + "/latest/state.h5", std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(static_cast<std::streamoff>(at));
    const char was = static_cast<char>(file.get());
    file.seekp(static_cast<std::streamoff>(at));
    file.put(static_cast<char>(was ^ 0x10));
  }
  std::string refusal;
  try {
    io::verify_checkpoint(dir + "/latest");
  } catch (const FileError& e) {
    refusal = e.what();
  }
  EXPECT_NE(refusal.find("corrupted"), std::string::npos) << refusal;
  std::filesystem::remove_all(dir);
  world.barrier();
}

// RawFile::write puts every byte where it belongs, for ranges with and without a head, an aligned
// middle and a tail, from buffers at and off the file's alignment; direct where the file system
// takes O_DIRECT (the build directory's).
TEST(StateWrite, RawFileWritesEveryRangeInPlace) {
  if (test::world().rank() != 0) return;
  const std::string path = "raw_file_test.bin";
  constexpr std::uint64_t kBytes = 5 * io::RawFile::kAlignment * 8;
  std::filesystem::remove(path);
  std::ofstream(path).close();
  std::vector<unsigned char> expected(kBytes, 0);
  io::ValueVector<double> buffer(kBytes / 8 + io::RawFile::kAlignment);
  auto* aligned = reinterpret_cast<unsigned char*>(buffer.data());
  aligned += (io::RawFile::kAlignment -
              reinterpret_cast<std::uintptr_t>(aligned) % io::RawFile::kAlignment) %
             io::RawFile::kAlignment;
  {
    io::RawFile file(path, true);
    ASSERT_TRUE(file.open());
    const int probe = ::open(path.c_str(), O_WRONLY | O_DIRECT);
    EXPECT_EQ(file.direct(), probe >= 0);
    if (probe >= 0) ::close(probe);
    unsigned char next = 1;
    // (offset, bytes, whether the buffer sits at offset modulo the alignment)
    const std::uint64_t a = io::RawFile::kAlignment;
    for (const auto& [offset, bytes, congruent] :
         {std::tuple{a * 2, a * 3, true}, std::tuple{a * 6 + 100, a * 4 + 7, true},
          std::tuple{a * 12 + 3, a * 2, false}, std::tuple{a * 16 + 5, std::uint64_t{9}, true},
          std::tuple{std::uint64_t{1}, a - 2, true}, std::tuple{a * 20, a * 8 + 1, true}}) {
      unsigned char* from = aligned + (congruent ? offset % a : 1);
      for (std::uint64_t i = 0; i < bytes; ++i) from[i] = expected[offset + i] = next++;
      EXPECT_EQ(file.write(from, bytes, offset), "") << offset;
    }
    EXPECT_EQ(file.sync(), "");
  }
  std::vector<unsigned char> got(kBytes, 0);
  std::ifstream(path, std::ios::binary).read(reinterpret_cast<char*>(got.data()), kBytes);
  EXPECT_TRUE(got == expected);
  std::filesystem::remove(path);
}

TEST(StateWrite, DirectWritesReadBackAndVerify) {
  write_and_check(true);
}

TEST(StateWrite, BufferedWritesReadBackAndVerify) {
  write_and_check(false);
}

}  // namespace
}  // namespace spikeweave
