// A checkpoint's manifest records cached_file_checksum (the file hashed where it lies, mapped);
// a restart verifies it with file_checksum (read in whole buffers): both must agree on every
// length, including files longer than the read buffer (4 MiB) and the mapped window (64 MiB) and
// files whose length is no multiple of 8.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "core/errors.hpp"
#include "io/checkpoint_dir.hpp"
#include "io/checksum.hpp"

namespace spikeweave::io {
namespace {

TEST(CheckpointChecksum, MappedChecksumIsTheReadChecksum) {
  std::mt19937 random(3);
  for (const std::size_t bytes :
       {std::size_t{0}, std::size_t{5}, std::size_t{8}, std::size_t{12345},
        (std::size_t{4} << 20) + 13, (std::size_t{8} << 20), (std::size_t{64} << 20) + 13}) {
    const std::string path = "checksum_" + std::to_string(bytes) + ".bin";
    {
      std::string data(bytes, '\0');
      for (char& c : data) c = static_cast<char>(random() & 0xff);
      std::ofstream(path, std::ios::binary).write(data.data(), static_cast<std::streamsize>(bytes));
    }
    EXPECT_EQ(cached_file_checksum(path), file_checksum(path)) << bytes << " bytes";
    std::remove(path.c_str());
  }
}

// The chunked checksum (io/checksum.hpp) is one function of the file's bytes however it is
// computed: streamed in pieces of any multiple of 8 bytes (a restart's verification), read back
// chunk by chunk (rank 0), or from chunk hashes taken where parts of the file were written.
TEST(CheckpointChecksum, ChunkedChecksumIsTheSameHoweverComputed) {
  std::mt19937 random(7);
  constexpr std::size_t kChunk = kChecksumChunkBytes;
  for (const std::size_t bytes :
       {std::size_t{0}, std::size_t{5}, std::size_t{8}, kChunk, kChunk + 13, 5 * kChunk + 24}) {
    const std::string path = "chunked_" + std::to_string(bytes) + ".bin";
    std::string data(bytes, '\0');
    for (char& c : data) c = static_cast<char>(random() & 0xff);
    std::ofstream(path, std::ios::binary).write(data.data(), static_cast<std::streamsize>(bytes));
    const auto* bytes_of = reinterpret_cast<const unsigned char*>(data.data());
    const std::string expected = chunked_file_checksum(path, ChunkHashes{});
    EXPECT_TRUE(is_chunked_checksum(expected)) << expected;
    EXPECT_FALSE(is_chunked_checksum(file_checksum(path)));
    for (const std::size_t piece : {std::size_t{24}, std::size_t{4096}, kChunk + 8}) {
      ChunkedChecksum streamed;
      for (std::size_t at = 0; at < bytes; at += piece)
        streamed.add(bytes_of + at, std::min(piece, bytes - at));
      EXPECT_EQ(streamed.finish(), expected) << bytes << " bytes in pieces of " << piece;
    }
    // Two writers' parts, split off a chunk boundary: each hashes its whole chunks.
    ChunkHashes parts;
    const std::size_t split = bytes / 2 + 3 < bytes ? bytes / 2 + 3 : bytes;
    parts.add_whole_chunks(bytes_of, 0, split);
    parts.add_whole_chunks(bytes_of + split, split, bytes - split);
    if (bytes >= 5 * kChunk) {
      EXPECT_GE(parts.index.size(), 3u);
    }
    EXPECT_EQ(chunked_file_checksum(path, parts), expected) << bytes << " bytes";
    std::remove(path.c_str());
  }
  // A flipped bit changes it.
  std::string data(3 * kChunk, '\1');
  std::ofstream("chunked_flip.bin", std::ios::binary).write(data.data(), 3 * kChunk);
  const std::string intact = chunked_file_checksum("chunked_flip.bin", ChunkHashes{});
  data[kChunk + 100] ^= 0x04;
  std::ofstream("chunked_flip.bin", std::ios::binary).write(data.data(), 3 * kChunk);
  EXPECT_NE(chunked_file_checksum("chunked_flip.bin", ChunkHashes{}), intact);
  std::remove("chunked_flip.bin");
}

// A published checkpoint of one file, state.h5, of `bytes` random bytes; returns DIR/latest.
std::string small_checkpoint(const std::string& dir, std::size_t bytes) {
  std::filesystem::remove_all(dir);
  const std::string staging = dir + "/.ckpt-000000000001.tmp";
  std::filesystem::create_directories(staging);
  std::mt19937 random(5);
  std::string data(bytes, '\0');
  for (char& c : data) c = static_cast<char>(random() & 0xff);
  std::ofstream(staging + "/state.h5", std::ios::binary)
      .write(data.data(), static_cast<std::streamsize>(bytes));
  CheckpointManifest manifest;
  manifest.step = 1;
  manifest.ranks = 1;
  manifest.network_hash = "0";
  manifest.files.push_back({"state.h5", 0, ""});
  EXPECT_EQ(publish_checkpoint(staging, dir, manifest, 2), "");
  return dir + "/latest";
}

// A restart verifies the checksums on a thread while it reads the state: an intact checkpoint
// passes (and its bytes become readable), a flipped byte is refused with verify_checkpoint's
// message.
TEST(CheckpointChecksum, ConcurrentVerificationRefusesAFlippedByte) {
  const std::size_t bytes = (std::size_t{9} << 20) + 5;  // several read buffers, a partial word
  const std::string path = small_checkpoint("verification_test", bytes);
  {
    ChecksumVerification intact(path, open_checkpoint(path));
    intact.wait_resident("state.h5", bytes);
    EXPECT_EQ(intact.wait(), "");
  }
  {
    std::fstream file(path + "/state.h5", std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(bytes / 2));
    file.put('\x5a');
  }
  std::string expected;
  try {
    verify_checkpoint(path);
  } catch (const FileError& e) {
    expected = e.what();
  }
  EXPECT_NE(expected.find("corrupted"), std::string::npos) << expected;
  ChecksumVerification flipped(path, open_checkpoint(path));
  flipped.wait_resident("state.h5", bytes);  // returns: the verification ends either way
  EXPECT_EQ(flipped.wait(), expected);
  std::filesystem::resize_file(path + "/state.h5", bytes - 8);
  EXPECT_THROW(open_checkpoint(path), FileError);  // truncated: refused before any reading
  std::filesystem::remove_all("verification_test");
}

}  // namespace
}  // namespace spikeweave::io
