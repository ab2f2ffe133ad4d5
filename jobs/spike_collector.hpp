#pragma once
// The spikes of a run kept in memory (no file) for jobs that analyse or store them: each rank
// collects its own neurons' spikes; gather_spikes_to_root brings them to a group's rank 0.
#include <cstdint>
#include <vector>

#include "comm/context.hpp"
#include "io/run_output.hpp"

namespace spikeweave::jobs {

class SpikeCollector final : public io::RunOutput {
 public:
  explicit SpikeCollector(std::size_t groups) : nodes(groups), times_ms(groups) {}
  void append_spikes(int group, const std::vector<std::uint64_t>& node_ids,
                     const std::vector<double>& times) override {
    nodes.at(group).insert(nodes[group].end(), node_ids.begin(), node_ids.end());
    times_ms.at(group).insert(times_ms[group].end(), times.begin(), times.end());
  }
  void append_report(int, const std::vector<float>&, std::uint64_t) override {}
  void append_weights(int, const std::vector<double>&, const std::vector<double>&) override {}
  void commit(const io::Provenance&) override {}

  std::vector<std::vector<std::uint64_t>> nodes;  // per recorded population
  std::vector<std::vector<double>> times_ms;
};

struct SortedSpikes {
  std::vector<std::vector<std::uint64_t>> nodes;  // per population, sorted by (time, node id)
  std::vector<std::vector<double>> times_ms;
};

// Every rank's spikes, on the group's rank 0 (empty elsewhere). Collective over `group`.
SortedSpikes gather_spikes_to_root(comm::Context& group, const SpikeCollector& local);

// Words to the group's rank 0 (alltoallv with nothing for the others): what rank 0 receives,
// rank by rank. Collective; an InternalError if a rank of the group failed.
std::vector<std::uint64_t> gather_words_to_root(comm::Context& group,
                                                const std::vector<std::uint64_t>& words);

std::uint64_t bits_of(double v);
double double_of(std::uint64_t bits);

}  // namespace spikeweave::jobs
