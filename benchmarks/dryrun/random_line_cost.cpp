// What one cold row costs on this machine, apart from any layout: the receive path at P = 1024
// reads about one random 64-byte line per received spike from ~300 MB of rows, then adds into
// the input ring at the ~11 targets the line names. This reads `n` random lines (requested 64
// ahead, as the engine's groups do) from arrays of several sizes in transparent huge pages, and
// after each line does `adds` adds into a 72 KB ring slice (9,000 int64: the E ring of one
// lag), at targets taken from the line (as delivery) or not depending on it.
//
//   random_line_cost [--lines N]
// Prints one JSON object per (array MB, adds, dependent): ns per line. Not a test; figures in
// benchmarks/RESULTS.md ("What a cold row costs on this machine").
#include <sys/mman.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "kernels/prefetch.hpp"

namespace {

constexpr int kAhead = 64;
constexpr std::uint32_t kRing = 9000;

// ns per line: lines at `at` (byte offsets of line starts), `adds` ring adds after each.
double time_lines(const unsigned char* data, const std::vector<std::uint64_t>& at, int adds,
                  bool dependent, std::int64_t* ring) {
  const auto n = static_cast<int>(at.size());
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    if (i + kAhead < n) spikeweave::kernels::prefetch_line(data + at[i + kAhead]);
    const unsigned char* line = data + at[i];
    for (int j = 0; j < adds; ++j) {
      const std::uint32_t seed = dependent ? line[j] : static_cast<std::uint32_t>(i);
      ring[(seed * 37u + static_cast<std::uint32_t>(j) * 811u) % kRing] += line[0];
    }
    if (adds == 0) ring[0] += line[0];
  }
  return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start)
             .count() /
         n;
}

}  // namespace

int main(int argc, char** argv) {
  int lines = 220000;  // the spikes rank 0 receives per interval at P = 1024
  for (int a = 1; a < argc; ++a) {
    if (std::string(argv[a]) == "--lines" && a + 1 < argc) {
      lines = std::atoi(argv[++a]);
    } else {
      std::fprintf(stderr, "usage: random_line_cost [--lines N]\n");
      return 2;
    }
  }
  std::vector<std::int64_t> ring(kRing, 0);
  std::mt19937_64 rng(1);
  for (const std::size_t megabytes : {8, 32, 100, 300, 1000, 3000}) {
    const std::size_t bytes = megabytes << 20;
    void* memory = nullptr;
    if (posix_memalign(&memory, std::size_t{2} << 20, bytes) != 0) return 1;
    madvise(memory, bytes, MADV_HUGEPAGE);
    std::memset(memory, 1, bytes);
    const auto* data = static_cast<const unsigned char*>(memory);
    std::vector<std::uint64_t> at(static_cast<std::size_t>(lines));
    for (const int adds : {0, 11}) {
      for (const bool dependent : {true, false}) {
        if (adds == 0 && !dependent) continue;
        double best = 1e30;
        for (int repeat = 0; repeat < 5; ++repeat) {  // fresh lines each time: none cached
          for (auto& x : at) x = rng() % (bytes / 64) * 64;
          const double ns = time_lines(data, at, adds, dependent, ring.data());
          best = ns < best ? ns : best;
        }
        std::printf("{\"array_mb\": %zu, \"adds\": %d, \"dependent\": %s, \"ns_per_line\": %.2f}\n",
                    megabytes, adds, dependent ? "true" : "false", best);
      }
    }
    std::free(memory);
  }
  return ring[0] == 0 ? 1 : 0;
}
