#pragma once
// Peak resident memory of this process, for benchmark records and bytes-per-synapse figures.
#include <sys/mman.h>
#include <sys/resource.h>

#include <cstddef>
#include <cstdint>

namespace spikeweave {

inline std::uint64_t peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024u;  // Linux reports KiB
}

// Asks the kernel to back a large array with transparent huge pages (where the system enables
// them on request): network construction writes synapse rows all over arrays of hundreds of MB,
// and 2 MB pages cut its TLB misses and page faults. A hint only; failure is harmless.
inline void advise_huge_pages(void* data, std::size_t bytes) {
  constexpr std::uintptr_t kHugePage = 2u << 20;
  if (bytes < 4 * kHugePage) return;
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kHugePage - 1) & ~(kHugePage - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kHugePage - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

// Returns to the system the whole 2 MB pages of data[0, bytes) of an array that will not be read
// again before it is freed: a copy into a new layout then needs no more memory than the larger
// of the two (the old array is released as the copy moves through it). `released` (bytes from
// data, initially 0) marks how far earlier calls went; the pages read back as zeros.
inline void release_read_pages(const void* data, std::size_t bytes, std::size_t& released) {
  constexpr std::uintptr_t kHugePage = 2u << 20;
  const auto start = reinterpret_cast<std::uintptr_t>(data);
  const auto begin = (start + released + kHugePage - 1) & ~(kHugePage - 1);
  const auto end = (start + bytes) & ~(kHugePage - 1);
  if (end <= begin) return;
  madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
  released = end - start;
}

}  // namespace spikeweave
