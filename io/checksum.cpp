#include "io/checksum.hpp"

#include <cstdio>
#include <cstring>

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

}  // namespace spikeweave::io
