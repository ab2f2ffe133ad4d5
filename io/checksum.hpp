#pragma once
// The checksums of checkpoint files (io/SCHEMA.md): 64-bit FNV-1a over little-endian 8-byte words.
#include <cstddef>
#include <cstdint>
#include <string>

namespace spikeweave::io {

inline constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
inline constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

// FNV-1a from `h` over the 8-byte words of data[0, n) (a trailing partial word is zero-padded):
// one multiply per word keeps the checksum of a large state file well above disk speed.
std::uint64_t fnv_words(std::uint64_t h, const unsigned char* data, std::size_t n);

// `value` as 16 hex digits.
std::string hex64(std::uint64_t value);

}  // namespace spikeweave::io
