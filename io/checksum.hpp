#pragma once
// The checksums of checkpoint files (io/SCHEMA.md): 64-bit FNV-1a over little-endian 8-byte words,
// of a whole file ("plain"), or of each 1 MiB chunk of the file, the chunks' hashes then hashed in
// turn ("chunked", written as "c20:" and 16 hex digits; a chunk's words are hashed in 4 interleaved
// FNV-1a streams, word i into stream i % 4, and the chunk's hash is FNV-1a over the 4 streams'
// hashes: the 4 chains of multiplies run side by side, about 4x the speed of one). A chunk's hash
// depends on its own bytes only, so every rank hashes the chunks that lie inside what it writes of
// a state file, from its own buffers, and rank 0 reads back only the rest (the state file's bulk is
// written past the page cache, which a read-back would have to fill from the disk).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace spikeweave::io {

inline constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
inline constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

// FNV-1a from `h` over the 8-byte words of data[0, n) (a trailing partial word is zero-padded):
// one multiply per word keeps the checksum of a large state file well above disk speed.
std::uint64_t fnv_words(std::uint64_t h, const unsigned char* data, std::size_t n);

// `value` as 16 hex digits.
std::string hex64(std::uint64_t value);

inline constexpr std::uint64_t kChecksumChunkBytes = std::uint64_t{1} << 20;
inline constexpr int kChunkStreams = 4;
// The hash of one chunk, data[0, n) (n <= kChecksumChunkBytes; the last word zero-padded).
std::uint64_t chunk_hash(const unsigned char* data, std::size_t n);
inline constexpr const char* kChunkedChecksumPrefix = "c20:";
// Whether a manifest's checksum is a chunked one (else plain).
bool is_chunked_checksum(const std::string& checksum);

// Hashes of some chunks of a file: chunk index and hash, in the order added.
struct ChunkHashes {
  std::vector<std::uint64_t> index;
  std::vector<std::uint64_t> hash;
  // Adds the hashes of the whole chunks that lie inside the file's bytes [offset, offset +
  // bytes), which are data[0, bytes).
  void add_whole_chunks(const void* data, std::uint64_t offset, std::uint64_t bytes);
  // As 64-bit words (index, hash, index, hash, ...), and back: for an exchange between ranks.
  std::vector<std::uint64_t> words() const;
  void add_words(const std::uint64_t* words, std::size_t n);
};

// The chunked checksum of a file read in order: add() takes its bytes in pieces whose lengths are
// multiples of 8, but the last.
class ChunkedChecksum {
 public:
  void add(const unsigned char* data, std::size_t n);
  std::string finish();

 private:
  void end_chunk();
  std::uint64_t combined_ = kFnvOffset;
  std::uint64_t streams_[kChunkStreams] = {kFnvOffset, kFnvOffset, kFnvOffset, kFnvOffset};
  std::uint64_t filled_ = 0;  // bytes of the current chunk so far
};

// The chunked checksum of the file `path`: the chunks in `known` (hashed where they were written)
// taken as they are, the others read. Throws FileError if the file cannot be read or `known`
// names a chunk beyond its end.
std::string chunked_file_checksum(const std::string& path, const ChunkHashes& known);

}  // namespace spikeweave::io
