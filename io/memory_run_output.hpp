#pragma once
// A RunOutput that keeps this rank's recordings in host memory, appended in the order the run
// file would receive them, so that what is read from it equals the file's datasets: the Python
// module's recordings (python/src) and tests that inspect spikes without HDF5.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "io/run_output.hpp"

namespace spikeweave::io {

class MemoryRunOutput : public RunOutput {
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
    auto& s = spikes.at(static_cast<std::size_t>(group));
    s.node_ids.insert(s.node_ids.end(), node_ids.begin(), node_ids.end());
    s.times_ms.insert(s.times_ms.end(), times_ms.begin(), times_ms.end());
  }
  void append_report(int report, const std::vector<float>& values, std::uint64_t samples) override {
    auto& r = reports.at(static_cast<std::size_t>(report));
    r.values.insert(r.values.end(), values.begin(), values.end());
    r.samples += samples;
  }
  void append_report_state(int report, const std::string& variable,
                           const std::vector<float>& values, std::uint64_t /*samples*/) override {
    auto& s = reports.at(static_cast<std::size_t>(report)).states[variable];
    s.insert(s.end(), values.begin(), values.end());
  }
  void append_weights(int group, const std::vector<double>& values,
                      const std::vector<double>& times_ms) override {
    auto& w = weights.at(static_cast<std::size_t>(group));
    w.values.insert(w.values.end(), values.begin(), values.end());
    w.times_ms.insert(w.times_ms.end(), times_ms.begin(), times_ms.end());
  }
  void commit(const Provenance&) override { committed = true; }

  std::vector<Spikes> spikes;
  std::vector<Report> reports;
  std::vector<Weights> weights;
  bool committed = false;
};

}  // namespace spikeweave::io
