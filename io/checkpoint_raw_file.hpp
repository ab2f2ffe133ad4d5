#pragma once
// A checkpoint's state file as a plain file beside HDF5's handle: a rank writes its rows of the
// datasets (above all the pieces of a projection's synapse values, the bulk of a checkpoint)
// straight into the datasets' bytes, their aligned middle with O_DIRECT where the file system
// takes it.
//
// Why: a buffered write copies every byte into the page cache, and the page cache takes pages
// nobody freed recently. On the VMs measured here such a page costs a host fault on first touch:
// the copy ran at about 400 MB/s, where dd with O_DIRECT writes 2 GB/s to the same disk
// (benchmarks/RESULTS.md). O_DIRECT sends the rank's own buffers to the disk, which the page cache
// never holds; its offsets, lengths and addresses must be multiples of the disk's block size, so
// a range's head and tail around its aligned middle go through the page cache (they share pages
// with the neighbouring ranges). The file's checksum no longer reads the data back from the page
// cache: each rank hashes the whole chunks of what it writes (io/checksum.hpp).
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

namespace spikeweave::io {

class RawFile {
 public:
  // Offsets, lengths and addresses of direct writes are multiples of this (every block size a
  // Linux file system uses up to the page size).
  static constexpr std::uint64_t kAlignment = 4096;

  // Opens `path` (which exists) for writing; with `direct`, also with O_DIRECT where the file
  // system allows it (else writes are buffered). direct_requested() is false where the environment
  // sets SPIKEWEAVE_CHECKPOINT_DIRECT=0.
  RawFile(const std::string& path, bool direct);
  RawFile(const RawFile&) = delete;
  RawFile& operator=(const RawFile&) = delete;
  ~RawFile();
  static bool direct_requested();

  bool open() const { return fd_ >= 0; }
  // Whether writes go past the page cache where they can.
  bool direct() const { return direct_fd_ >= 0; }

  // Writes data[0, bytes) at `offset` (from one thread at a time): the whole blocks of the range
  // with O_DIRECT if direct(), around them buffered. Data not at `offset` modulo kAlignment in
  // memory go through an aligned buffer of kBounceBytes (a copy in memory, which costs a small
  // part of the page cache's). Returns the error, or "".
  std::string write(const void* data, std::uint64_t bytes, std::uint64_t offset);
  static constexpr std::uint64_t kBounceBytes = std::uint64_t{8} << 20;
  // Starts the disk's writeback of a buffered range's whole pages (a hint; large ranges only:
  // the small blocks' bytes go with the final fsync, and a page that the next write would dirty
  // again is not written twice).
  void start_writeback(std::uint64_t offset, std::uint64_t bytes) const;
  // Waits until this rank's writes are on the disk; the error, or "".
  std::string sync() const;

 private:
  // Writes the whole blocks [first, last) of the file, whose bytes are at `from`, with O_DIRECT
  // (through bounce_ unless `from` is aligned); 0 or the errno.
  int write_direct(const unsigned char* from, std::uint64_t first, std::uint64_t last);
  int fd_ = -1;
  int direct_fd_ = -1;
  std::unique_ptr<unsigned char, void (*)(void*)> bounce_{nullptr, std::free};
};

}  // namespace spikeweave::io
