#pragma once
// The in-memory RunOutput for tests that inspect spikes without going through HDF5.
// gather_sorted() collects all ranks' spikes of a group on every
// rank, sorted by (node_id, time), so rasters from different rank counts can be compared.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "comm/context.hpp"
#include "io/memory_run_output.hpp"

namespace spikeweave::test {

// io::MemoryRunOutput, with a gather of all ranks' spikes for comparisons.
class MemoryRunOutput final : public io::MemoryRunOutput {
 public:
  using io::MemoryRunOutput::MemoryRunOutput;

  // All ranks' spikes of `group` as sorted (node_id, step) pairs, on every rank. Collective.
  std::vector<std::pair<std::uint64_t, std::int64_t>> gather_sorted(comm::Context& context,
                                                                    int group, double dt_ms) const {
    const Spikes& s = spikes.at(group);
    // Pack (node_id, step) in one word each for an all-to-all-based gather.
    std::vector<std::uint64_t> mine;
    for (std::size_t k = 0; k < s.node_ids.size(); ++k) {
      mine.push_back(s.node_ids[k]);
      mine.push_back(static_cast<std::uint64_t>(std::llround(s.times_ms[k] / dt_ms)));
    }
    const int ranks = context.size();
    std::vector<std::uint64_t> send;
    std::vector<int> counts(ranks, static_cast<int>(mine.size()));
    for (int r = 0; r < ranks; ++r) send.insert(send.end(), mine.begin(), mine.end());
    std::vector<std::uint64_t> all;
    std::vector<int> received;
    context.alltoallv(send, counts, all, received, false);
    std::vector<std::pair<std::uint64_t, std::int64_t>> pairs;
    for (std::size_t k = 0; k + 1 < all.size(); k += 2) {
      pairs.emplace_back(all[k], static_cast<std::int64_t>(all[k + 1]));
    }
    std::sort(pairs.begin(), pairs.end());
    return pairs;
  }
};

}  // namespace spikeweave::test
