#pragma once
// Peak resident memory of this process, for benchmark records and bytes-per-synapse figures.
#include <sys/resource.h>

#include <cstdint>

namespace spikeweave {

inline std::uint64_t peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024u;  // Linux reports KiB
}

}  // namespace spikeweave
