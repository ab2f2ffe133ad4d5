#include "io/checksum.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/errors.hpp"

namespace spikeweave::io {

std::uint64_t fnv_words(std::uint64_t h, const unsigned char* data, std::size_t n) {
  std::size_t k = 0;
  for (; k + 8 <= n; k += 8) {
    std::uint64_t word;
    std::memcpy(&word, data + k, 8);
    h = (h ^ word) * kFnvPrime;
  }
  if (k < n) {
    std::uint64_t word = 0;
    std::memcpy(&word, data + k, n - k);
    h = (h ^ word) * kFnvPrime;
  }
  return h;
}

std::string hex64(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

namespace {
// Words [first_word, first_word + n / 8) of a chunk (n a multiple of 8 but at the chunk's end)
// into its 4 streams: word i into streams[i % 4].
void add_to_streams(std::uint64_t (&streams)[kChunkStreams], std::uint64_t first_word,
                    const unsigned char* data, std::size_t n) {
  std::size_t k = 0;
  std::uint64_t word_index = first_word;
  auto one = [&](std::uint64_t word) {
    std::uint64_t& h = streams[word_index++ % kChunkStreams];
    h = (h ^ word) * kFnvPrime;
  };
  for (; k + 8 <= n && word_index % kChunkStreams != 0; k += 8) {
    std::uint64_t word;
    std::memcpy(&word, data + k, 8);
    one(word);
  }
  std::uint64_t h0 = streams[0], h1 = streams[1], h2 = streams[2], h3 = streams[3];
  for (; k + 32 <= n; k += 32) {  // the 4 chains side by side
    std::uint64_t w[4];
    std::memcpy(w, data + k, 32);
    h0 = (h0 ^ w[0]) * kFnvPrime;
    h1 = (h1 ^ w[1]) * kFnvPrime;
    h2 = (h2 ^ w[2]) * kFnvPrime;
    h3 = (h3 ^ w[3]) * kFnvPrime;
    word_index += 4;
  }
  streams[0] = h0, streams[1] = h1, streams[2] = h2, streams[3] = h3;
  for (; k + 8 <= n; k += 8) {
    std::uint64_t word;
    std::memcpy(&word, data + k, 8);
    one(word);
  }
  if (k < n) {
    std::uint64_t word = 0;
    std::memcpy(&word, data + k, n - k);
    one(word);
  }
}

std::uint64_t fold_streams(const std::uint64_t (&streams)[kChunkStreams]) {
  std::uint64_t h = kFnvOffset;
  for (const std::uint64_t s : streams) h = (h ^ s) * kFnvPrime;
  return h;
}
}  // namespace

std::uint64_t chunk_hash(const unsigned char* data, std::size_t n) {
  std::uint64_t streams[kChunkStreams] = {kFnvOffset, kFnvOffset, kFnvOffset, kFnvOffset};
  add_to_streams(streams, 0, data, n);
  return fold_streams(streams);
}

bool is_chunked_checksum(const std::string& checksum) {
  return checksum.rfind(kChunkedChecksumPrefix, 0) == 0;
}

void ChunkHashes::add_whole_chunks(const void* data, std::uint64_t offset, std::uint64_t bytes) {
  const auto* base = static_cast<const unsigned char*>(data);
  const std::uint64_t end = offset + bytes;
  for (std::uint64_t c = (offset + kChecksumChunkBytes - 1) / kChecksumChunkBytes;
       (c + 1) * kChecksumChunkBytes <= end; ++c) {
    index.push_back(c);
    hash.push_back(chunk_hash(base + (c * kChecksumChunkBytes - offset),
                              static_cast<std::size_t>(kChecksumChunkBytes)));
  }
}

std::vector<std::uint64_t> ChunkHashes::words() const {
  std::vector<std::uint64_t> out;
  out.reserve(2 * index.size());
  for (std::size_t i = 0; i < index.size(); ++i) {
    out.push_back(index[i]);
    out.push_back(hash[i]);
  }
  return out;
}

void ChunkHashes::add_words(const std::uint64_t* words, std::size_t n) {
  for (std::size_t i = 0; i + 1 < n; i += 2) {
    index.push_back(words[i]);
    hash.push_back(words[i + 1]);
  }
}

void ChunkedChecksum::add(const unsigned char* data, std::size_t n) {
  while (n > 0) {
    const std::size_t take =
        static_cast<std::size_t>(std::min<std::uint64_t>(n, kChecksumChunkBytes - filled_));
    add_to_streams(streams_, filled_ / 8, data, take);
    filled_ += take;
    data += take;
    n -= take;
    if (filled_ == kChecksumChunkBytes) end_chunk();
  }
}

void ChunkedChecksum::end_chunk() {
  combined_ = (combined_ ^ fold_streams(streams_)) * kFnvPrime;
  for (std::uint64_t& h : streams_) h = kFnvOffset;
  filled_ = 0;
}

std::string ChunkedChecksum::finish() {
  if (filled_ > 0) end_chunk();  // the file's last, partial chunk
  return kChunkedChecksumPrefix + hex64(combined_);
}

std::string chunked_file_checksum(const std::string& path, const ChunkHashes& known) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw FileError(path, std::string("cannot read: ") + std::strerror(errno));
  const std::uint64_t bytes = static_cast<std::uint64_t>(::lseek(fd, 0, SEEK_END));
  const std::uint64_t chunks = (bytes + kChecksumChunkBytes - 1) / kChecksumChunkBytes;
  std::vector<std::uint64_t> hashes(chunks);
  std::vector<bool> have(chunks, false);
  for (std::size_t i = 0; i < known.index.size(); ++i) {
    if (known.index[i] >= chunks || (known.index[i] + 1) * kChecksumChunkBytes > bytes) {
      ::close(fd);
      throw FileError(path, "a chunk hash beyond the file's " + std::to_string(bytes) + " bytes");
    }
    hashes[known.index[i]] = known.hash[i];
    have[known.index[i]] = true;
  }
  std::vector<unsigned char> buffer(kChecksumChunkBytes);
  std::string problem;
  for (std::uint64_t c = 0; c < chunks && problem.empty(); ++c) {
    if (have[c]) continue;
    const std::uint64_t at = c * kChecksumChunkBytes;
    const std::size_t n = static_cast<std::size_t>(std::min(kChecksumChunkBytes, bytes - at));
    std::size_t got = 0;
    while (got < n) {
      const ssize_t r = ::pread(fd, buffer.data() + got, n - got, static_cast<off_t>(at + got));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) {
        problem = r == 0 ? "ends early" : std::string("cannot read: ") + std::strerror(errno);
        break;
      }
      got += static_cast<std::size_t>(r);
    }
    hashes[c] = chunk_hash(buffer.data(), n);
  }
  ::close(fd);
  if (!problem.empty()) throw FileError(path, problem);
  std::uint64_t combined = kFnvOffset;
  for (const std::uint64_t h : hashes) combined = (combined ^ h) * kFnvPrime;
  return kChunkedChecksumPrefix + hex64(combined);
}

}  // namespace spikeweave::io
