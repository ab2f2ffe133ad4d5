#pragma once
// A RunOutput that keeps this rank's recordings in memory, for tests that inspect spikes
// without going through HDF5. gather_sorted() collects all ranks' spikes of a group on every
// rank, sorted by (node_id, time), so rasters from different rank counts can be compared.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "comm/context.hpp"
#include "io/run_output.hpp"

namespace spikeweave::test {

class MemoryRunOutput final : public io::RunOutput {
 public:
  struct Spikes {
    std::vector<std::uint64_t> node_ids;
    std::vector<double> times_ms;
  };
  struct Report {
    std::vector<float> values;  // samples x local recorded neurons, row-major
    std::uint64_t samples = 0;
    std::map<std::string, std::vector<float>> states;  // recorded state variables, same layout
  };

  struct Weights {
    std::vector<double> values;  // samples x local synapses, row-major
    std::vector<double> times_ms;
  };

  MemoryRunOutput(std::size_t spike_group_count, std::size_t report_count,
                  std::size_t weight_groups = 0)
      : spikes(spike_group_count), reports(report_count), weights(weight_groups) {}

  void append_spikes(int group, const std::vector<std::uint64_t>& node_ids,
                     const std::vector<double>& times_ms) override {
    auto& s = spikes.at(group);
    s.node_ids.insert(s.node_ids.end(), node_ids.begin(), node_ids.end());
    s.times_ms.insert(s.times_ms.end(), times_ms.begin(), times_ms.end());
  }
  void append_report(int report, const std::vector<float>& values, std::uint64_t samples) override {
    auto& r = reports.at(report);
    r.values.insert(r.values.end(), values.begin(), values.end());
    r.samples += samples;
  }
  void append_report_state(int report, const std::string& variable,
                           const std::vector<float>& values, std::uint64_t /*samples*/) override {
    auto& s = reports.at(report).states[variable];
    s.insert(s.end(), values.begin(), values.end());
  }
  void append_weights(int group, const std::vector<double>& values,
                      const std::vector<double>& times_ms) override {
    auto& w = weights.at(group);
    w.values.insert(w.values.end(), values.begin(), values.end());
    w.times_ms.insert(w.times_ms.end(), times_ms.begin(), times_ms.end());
  }
  void commit(const io::Provenance&) override { committed = true; }

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

  std::vector<Spikes> spikes;
  std::vector<Report> reports;
  std::vector<Weights> weights;
  bool committed = false;
};

}  // namespace spikeweave::test
