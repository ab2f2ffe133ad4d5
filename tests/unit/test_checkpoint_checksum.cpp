// A checkpoint's manifest records cached_file_checksum (the file hashed where it lies, mapped);
// a restart verifies it with file_checksum (read in whole buffers): both must agree on every
// length, including files longer than the read buffer (4 MiB) and the mapped window (64 MiB) and
// files whose length is no multiple of 8.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "io/checkpoint_dir.hpp"

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

}  // namespace
}  // namespace spikeweave::io
