#include "jobs/spike_collector.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "core/errors.hpp"

namespace spikeweave::jobs {

std::uint64_t bits_of(double v) {
  std::uint64_t b;
  std::memcpy(&b, &v, 8);
  return b;
}

double double_of(std::uint64_t bits) {
  double v;
  std::memcpy(&v, &bits, 8);
  return v;
}

std::vector<std::uint64_t> gather_words_to_root(comm::Context& group,
                                                const std::vector<std::uint64_t>& words) {
  std::vector<int> counts(group.size(), 0);
  counts[0] = static_cast<int>(words.size());
  std::vector<std::uint64_t> received;
  std::vector<int> received_counts;
  if (group.alltoallv(words, counts, received, received_counts, false))
    throw InternalError("a rank of the group failed while gathering");
  return received;
}

SortedSpikes gather_spikes_to_root(comm::Context& group, const SpikeCollector& local) {
  const std::size_t P = local.nodes.size();
  std::vector<std::uint64_t> words;
  for (std::size_t p = 0; p < P; ++p) {
    words.push_back(local.nodes[p].size());
    for (std::size_t e = 0; e < local.nodes[p].size(); ++e) {
      words.push_back(local.nodes[p][e]);
      words.push_back(bits_of(local.times_ms[p][e]));
    }
  }
  const std::vector<std::uint64_t> received = gather_words_to_root(group, words);
  SortedSpikes out;
  if (group.rank() != 0) return out;
  std::vector<std::vector<std::pair<double, std::uint64_t>>> spikes(P);
  for (std::size_t at = 0; at < received.size();) {  // rank by rank
    for (std::size_t p = 0; p < P; ++p) {
      const std::uint64_t n = received[at++];
      for (std::uint64_t e = 0; e < n; ++e, at += 2)
        spikes[p].emplace_back(double_of(received[at + 1]), received[at]);
    }
  }
  out.nodes.assign(P, {});
  out.times_ms.assign(P, {});
  for (std::size_t p = 0; p < P; ++p) {
    std::sort(spikes[p].begin(), spikes[p].end());
    for (const auto& [time, node] : spikes[p]) {
      out.times_ms[p].push_back(time);
      out.nodes[p].push_back(node);
    }
  }
  return out;
}

}  // namespace spikeweave::jobs
