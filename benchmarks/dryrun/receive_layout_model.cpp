// A model of the receive path of rank 0 at P = 1024 (static hpc_benchmark, 11,250 neurons per
// rank, every rank receiving every spike), to decide the next layout before building it into the
// engine. Four layouts deliver the same fabricated spikes into the same kind of input ring, one
// interval at a time, alternating, so that the machine's drift falls on all of them alike:
//   slots    the receive slots (kernels/deliver.hpp, fused_deliver.hpp): a spike carries
//            its source's receive slot; an interleaved slot table gives each projection's first
//            synapse (one line), then each projection's targets (one or two lines each);
//   direct   the spike carries the offset of its source's row in one array per source
//            population: a header of per-projection counts, then both projections' targets
//            (32-bit), so a spike costs the lines of one row and nothing before it;
//   direct16 the same with 16-bit targets (a rank's target populations below 65,536 neurons);
//   spill16  direct16 as the engine keys it (kernels/direct_rows.hpp): the key also says whether
//            the row reaches a second cache line, which alone is then requested (direct16
//            requests the line 62 bytes on, the next line for nearly every row).
// Each runs the engine's group prefetching (32 spikes a group, a stage per cold load) after a
// stable sort by lag. `--cached` draws every spike from 64 sources per population: rows in
// cache, what is left is the ring adds and the loop (the floor).
//
//   receive_layout_model [--intervals N] [--cached]
// Prints one JSON object per layout: ns per received spike, ms per interval. Not a test; figures
// in benchmarks/RESULTS.md ("A layout for the next receive path").
#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "kernels/prefetch.hpp"

namespace {

using spikeweave::kernels::prefetch_line;  // the engine's (kept by GCC in prefetch-only loops)

// Zeroed memory in transparent huge pages where granted, as the engine's tables.
template <class T>
T* huge_array(std::size_t n) {
  void* p = nullptr;
  const std::size_t bytes = n * sizeof(T) + (std::size_t{2} << 20);
  if (posix_memalign(&p, std::size_t{2} << 20, bytes) != 0) std::abort();
  madvise(p, bytes, MADV_HUGEPAGE);
  std::memset(p, 0, bytes);
  return static_cast<T*>(p);
}

constexpr int kRanks = 1024;
constexpr int kLags = 15;                 // communication interval: 1.5 ms of 0.1 ms steps
constexpr int kDelaySteps = 15;           // every synapse 1.5 ms
constexpr int kRingSlots = 30;            // delay + interval
constexpr int kGroup = 32;                // spikes per prefetch group, as HostDeliver
constexpr std::int64_t kWeightFixed = 7;  // any integer: the adds are what is timed
constexpr std::uint32_t kTargets[2] = {9000, 2250};  // E and I neurons on the rank
constexpr int kLayouts = 4;

// One source population of the whole network (E: 9,216,000; I: 2,304,000) and its two
// projections onto this rank's E and I neurons, every layout built from the same rows.
struct Population {
  std::uint64_t sources = 0;
  double synapses_per_row[2] = {0.0, 0.0};  // per (source, projection): in-degree x targets / size
  double rate_hz = 0.0;
  std::uint32_t* slot_first = nullptr;  // slots: (sources + 1) x 2, interleaved
  std::uint32_t* targets[2] = {nullptr, nullptr};
  std::uint32_t* rows32 = nullptr;  // direct: [count0 | count1 << 16][targets0][targets1]
  std::uint16_t* rows16 = nullptr;  // direct16: [count0][count1][targets0][targets1]
  std::vector<std::uint32_t> row32_at, row16_at;  // what the sender would hold per (source, rank)
  std::vector<std::uint32_t> spill16_key;         // spill16: row16_at doubled, + 1 if it spills
  std::int64_t* ring[2] = {nullptr, nullptr};
};

void build_rows(Population& pop, std::mt19937_64& rng) {
  std::vector<std::uint32_t> count[2];
  std::uint64_t total[2] = {0, 0};
  for (int q = 0; q < 2; ++q) {
    std::poisson_distribution<int> draw(pop.synapses_per_row[q]);
    count[q].resize(pop.sources);
    for (auto& c : count[q]) total[q] += c = static_cast<std::uint32_t>(draw(rng));
  }
  pop.slot_first = huge_array<std::uint32_t>((pop.sources + 1) * 2);
  for (int q = 0; q < 2; ++q) pop.targets[q] = huge_array<std::uint32_t>(total[q] + 1);
  pop.rows32 = huge_array<std::uint32_t>(pop.sources + total[0] + total[1]);
  pop.rows16 = huge_array<std::uint16_t>(2 * pop.sources + total[0] + total[1]);
  pop.row32_at.resize(pop.sources);
  pop.row16_at.resize(pop.sources);
  std::uint64_t first[2] = {0, 0}, at32 = 0, at16 = 0;
  std::vector<std::uint32_t> row;
  for (std::uint64_t s = 0; s < pop.sources; ++s) {
    pop.row32_at[s] = static_cast<std::uint32_t>(at32);
    pop.row16_at[s] = static_cast<std::uint32_t>(at16);
    pop.rows32[at32++] = count[0][s] | (count[1][s] << 16);
    pop.rows16[at16++] = static_cast<std::uint16_t>(count[0][s]);
    pop.rows16[at16++] = static_cast<std::uint16_t>(count[1][s]);
    for (int q = 0; q < 2; ++q) {
      pop.slot_first[s * 2 + q] = static_cast<std::uint32_t>(first[q]);
      std::uniform_int_distribution<std::uint32_t> target(0, kTargets[q] - 1);
      row.resize(count[q][s]);
      for (auto& t : row) t = target(rng);
      std::sort(row.begin(), row.end());  // a segment's targets increase (network/build.cpp)
      for (std::uint32_t t : row) {
        pop.targets[q][first[q]++] = t;
        pop.rows32[at32++] = t;
        pop.rows16[at16++] = static_cast<std::uint16_t>(t);
      }
    }
  }
  pop.spill16_key.resize(pop.sources);
  for (std::uint64_t s = 0; s < pop.sources; ++s) {
    const std::uint16_t* header = pop.rows16 + pop.row16_at[s];
    const auto start = reinterpret_cast<std::uintptr_t>(header);
    const auto last =
        start + (std::uintptr_t{2} + header[0] + header[1] - 1) * sizeof(std::uint16_t);
    pop.spill16_key[s] = pop.row16_at[s] << 1 | (start / 64 != last / 64 ? 1u : 0u);
  }
  pop.slot_first[pop.sources * 2] = static_cast<std::uint32_t>(first[0]);
  pop.slot_first[pop.sources * 2 + 1] = static_cast<std::uint32_t>(first[1]);
  for (int q = 0; q < 2; ++q) pop.ring[q] = huge_array<std::int64_t>(kRingSlots * kTargets[q]);
}

int group_size(int group, int n) {
  return std::min(kGroup, n - group * kGroup);
}
std::uint64_t key_of(std::uint64_t word) {
  return word >> 8;
}
std::int64_t ring_slot(std::uint64_t word, std::int64_t first_step) {
  return (first_step + static_cast<std::int64_t>(word & 255) + kDelaySteps) % kRingSlots;
}

// The engine's path: slot entries of group g + 3 requested, g + 2's entries read and its
// targets requested, g delivered.
std::uint64_t deliver_slots(const Population& pop, const std::uint64_t* spikes, int n,
                            std::int64_t first_step) {
  struct Rows {
    std::uint32_t first[kGroup][2], end[kGroup][2];
  } rows[3];
  const int groups = (n + kGroup - 1) / kGroup;
  const auto entries = [&](std::uint64_t w) { return pop.slot_first + key_of(w) * 2; };
  const auto request_slots = [&](int g) {
    for (int i = 0; i < group_size(g, n); ++i) {
      prefetch_line(entries(spikes[g * kGroup + i]));
      prefetch_line(entries(spikes[g * kGroup + i]) + 3);
    }
  };
  const auto load = [&](int g, Rows& r) {
    for (int i = 0; i < group_size(g, n); ++i) {
      const std::uint32_t* e = entries(spikes[g * kGroup + i]);
      for (int q = 0; q < 2; ++q) {
        r.first[i][q] = e[q];
        r.end[i][q] = e[2 + q];
        if (r.first[i][q] == r.end[i][q]) continue;
        prefetch_line(pop.targets[q] + r.first[i][q]);
        prefetch_line(pop.targets[q] + r.end[i][q] - 1);
      }
    }
  };
  for (int g = 0; g < 3 && g < groups; ++g) request_slots(g);
  for (int g = 0; g < 2 && g < groups; ++g) load(g, rows[g]);
  std::uint64_t events = 0;
  for (int g = 0; g < groups; ++g) {
    if (g + 3 < groups) request_slots(g + 3);
    if (g + 2 < groups) load(g + 2, rows[(g + 2) % 3]);
    const Rows& r = rows[g % 3];
    for (int q = 0; q < 2; ++q) {
      for (int i = 0; i < group_size(g, n); ++i) {
        std::int64_t* base =
            pop.ring[q] + ring_slot(spikes[g * kGroup + i], first_step) * kTargets[q];
        for (std::uint32_t j = r.first[i][q]; j < r.end[i][q]; ++j)
          base[pop.targets[q][j]] += kWeightFixed;
        events += r.end[i][q] - r.first[i][q];
      }
    }
  }
  return events;
}

// Direct rows (Word: 32- or 16-bit targets; the header is one Word per projection for 16 bits,
// one 32-bit word for both otherwise), requested three groups ahead: the row's first two lines,
// or (Spill: keys are offset * 2 + spills) its first line and the next where the row reaches it.
template <class Word, bool Spill = false>
std::uint64_t deliver_direct(const Word* rows, const Population& pop, const std::uint64_t* spikes,
                             int n, std::int64_t first_step) {
  constexpr int kHeader = sizeof(Word) == 2 ? 2 : 1;
  const int groups = (n + kGroup - 1) / kGroup;
  const auto row_of = [&](std::uint64_t w) { return rows + (Spill ? key_of(w) >> 1 : key_of(w)); };
  const auto request_rows = [&](int g) {
    for (int i = 0; i < group_size(g, n); ++i) {
      const std::uint64_t w = spikes[g * kGroup + i];
      const Word* row = row_of(w);
      prefetch_line(row);
      if (!Spill) {
        prefetch_line(row + 64 / sizeof(Word) - 1);
      } else if (key_of(w) & 1) {
        prefetch_line(reinterpret_cast<const char*>(row) + 64);
      }
    }
  };
  for (int g = 0; g < 3 && g < groups; ++g) request_rows(g);
  std::uint64_t events = 0;
  for (int g = 0; g < groups; ++g) {
    if (g + 3 < groups) request_rows(g + 3);
    for (int i = 0; i < group_size(g, n); ++i) {
      const std::uint64_t w = spikes[g * kGroup + i];
      const Word* row = row_of(w);
      const std::uint32_t n0 = kHeader == 2 ? row[0] : (row[0] & 0xFFFFu);
      const std::uint32_t n1 = kHeader == 2 ? row[1] : (static_cast<std::uint32_t>(row[0]) >> 16);
      const std::int64_t slot = ring_slot(w, first_step);
      std::int64_t* e = pop.ring[0] + slot * kTargets[0];
      std::int64_t* in = pop.ring[1] + slot * kTargets[1];
      for (std::uint32_t j = 0; j < n0; ++j) e[row[kHeader + j]] += kWeightFixed;
      for (std::uint32_t j = 0; j < n1; ++j) in[row[kHeader + n0 + j]] += kWeightFixed;
      events += n0 + n1;
    }
  }
  return events;
}

// One interval's spikes of `pop` as the senders' blocks arrive (rank r's sources are r mod P,
// increasing), keyed per layout; each source fires in the interval with probability
// 1 - (1 - rate dt)^15 at a uniform lag.
void draw_spikes(const Population& pop, bool cached, std::mt19937_64& rng,
                 std::vector<std::uint64_t> (&keyed)[kLayouts]) {
  std::bernoulli_distribution fires(1.0 - std::pow(1.0 - pop.rate_hz * 1e-4, kLags));
  std::uniform_int_distribution<int> lag(0, kLags - 1);
  for (auto& k : keyed) k.clear();
  for (std::uint64_t r = 0; r < kRanks; ++r) {
    for (std::uint64_t s = r; s < pop.sources; s += kRanks) {
      if (!fires(rng)) continue;
      const std::uint64_t source = cached ? s % 64 : s;
      const auto l = static_cast<std::uint64_t>(lag(rng));
      keyed[0].push_back(source << 8 | l);
      keyed[1].push_back(std::uint64_t{pop.row32_at[source]} << 8 | l);
      keyed[2].push_back(std::uint64_t{pop.row16_at[source]} << 8 | l);
      keyed[3].push_back(std::uint64_t{pop.spill16_key[source]} << 8 | l);
    }
  }
}

// Stable counting sort by lag (kernels::order_by_lag).
void order_by_lag(const std::vector<std::uint64_t>& in, std::vector<std::uint64_t>& out) {
  int start[kLags + 1] = {};
  for (std::uint64_t w : in) ++start[(w & 255) + 1];
  for (int l = 0; l < kLags; ++l) start[l + 1] += start[l];
  out.resize(in.size());
  for (std::uint64_t w : in) out[static_cast<std::size_t>(start[w & 255]++)] = w;
}

}  // namespace

int main(int argc, char** argv) {
  int intervals = 100;
  bool cached = false;
  for (int a = 1; a < argc; ++a) {
    const std::string arg = argv[a];
    if (arg == "--intervals" && a + 1 < argc) {
      intervals = std::atoi(argv[++a]);
    } else if (arg == "--cached") {
      cached = true;
    } else {
      std::fprintf(stderr, "usage: receive_layout_model [--intervals N] [--cached]\n");
      return 2;
    }
  }
  std::mt19937_64 rng(1);
  // 11,250 neurons per rank x 1024; in-degrees 9,000 (E) and 2,250 (I); rates of the dry runs.
  Population pops[2];
  pops[0].sources = 9216000;
  pops[1].sources = 2304000;
  pops[0].rate_hz = 12.804;
  pops[1].rate_hz = 12.649;
  for (int p = 0; p < 2; ++p) {
    const double indegree = p == 0 ? 9000.0 : 2250.0;
    for (int q = 0; q < 2; ++q) {
      pops[p].synapses_per_row[q] = indegree * kTargets[q] / static_cast<double>(pops[p].sources);
    }
    build_rows(pops[p], rng);
  }
  const char* names[kLayouts] = {"slots", "direct", "direct16", "spill16"};
  double seconds[kLayouts] = {};
  std::uint64_t events[kLayouts] = {}, spikes = 0;
  std::vector<std::uint64_t> keyed[kLayouts], sorted;
  for (int interval = 0; interval < intervals; ++interval) {
    const std::int64_t first_step = std::int64_t{interval} * kLags;
    for (const Population& pop : pops) {
      draw_spikes(pop, cached, rng, keyed);
      spikes += keyed[0].size();
      for (int layout = 0; layout < kLayouts; ++layout) {
        const auto start = std::chrono::steady_clock::now();
        order_by_lag(keyed[layout], sorted);
        const int n = static_cast<int>(sorted.size());
        events[layout] +=
            layout == 0   ? deliver_slots(pop, sorted.data(), n, first_step)
            : layout == 1 ? deliver_direct(pop.rows32, pop, sorted.data(), n, first_step)
            : layout == 2 ? deliver_direct(pop.rows16, pop, sorted.data(), n, first_step)
                          : deliver_direct<std::uint16_t, true>(pop.rows16, pop, sorted.data(), n,
                                                                first_step);
        seconds[layout] +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      }
    }
  }
  for (int layout = 0; layout < kLayouts; ++layout) {
    std::printf(
        "{\"layout\": \"%s\", \"cached\": %s, \"intervals\": %d, \"spikes_per_interval\": %.0f, "
        "\"events\": %llu, \"ns_per_spike\": %.2f, \"ms_per_interval\": %.3f}\n",
        names[layout], cached ? "true" : "false", intervals,
        static_cast<double>(spikes) / intervals, static_cast<unsigned long long>(events[layout]),
        seconds[layout] / static_cast<double>(spikes) * 1e9, seconds[layout] / intervals * 1e3);
  }
  for (int layout = 1; layout < kLayouts; ++layout) {
    if (events[layout] != events[0]) return 1;
  }
  return 0;
}
