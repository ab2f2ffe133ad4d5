#pragma once
// What the engine would write to the run file, kept in host memory for the Python module:
// recordings appended in the order the file receives them, so that what Python reads equals the
// CLI's datasets.
#include <cstdint>
#include <vector>

#include "io/run_output.hpp"

namespace spikeweave::python {

class MemoryOutput final : public io::RunOutput {
 public:
  struct Spikes {
    std::vector<std::uint64_t> node_ids;
    std::vector<double> times_ms;
  };
  struct Report {
    std::vector<float> values;  // row-major: samples x local recorded neurons
    std::uint64_t samples = 0;
  };
  struct Weights {
    std::vector<double> values;  // row-major: samples x local recorded synapses
    std::vector<double> times_ms;
  };

  explicit MemoryOutput(io::RunOutputLayout layout)
      : layout_(std::move(layout)),
        spikes_(layout_.spike_groups.size()),
        reports_(layout_.reports.size()),
        weights_(layout_.weights.size()) {}

  void append_spikes(int group, const std::vector<std::uint64_t>& node_ids,
                     const std::vector<double>& times_ms) override {
    Spikes& s = spikes_.at(static_cast<std::size_t>(group));
    s.node_ids.insert(s.node_ids.end(), node_ids.begin(), node_ids.end());
    s.times_ms.insert(s.times_ms.end(), times_ms.begin(), times_ms.end());
  }
  void append_report(int report, const std::vector<float>& values, std::uint64_t samples) override {
    Report& r = reports_.at(static_cast<std::size_t>(report));
    r.values.insert(r.values.end(), values.begin(), values.end());
    r.samples += samples;
  }
  void append_weights(int group, const std::vector<double>& values,
                      const std::vector<double>& times_ms) override {
    Weights& w = weights_.at(static_cast<std::size_t>(group));
    w.values.insert(w.values.end(), values.begin(), values.end());
    w.times_ms.insert(w.times_ms.end(), times_ms.begin(), times_ms.end());
  }
  void commit(const io::Provenance& /*provenance*/) override {}

  const io::RunOutputLayout& layout() const { return layout_; }
  const Spikes& spikes(std::size_t group) const { return spikes_.at(group); }
  const Report& report(std::size_t report) const { return reports_.at(report); }
  const Weights& weights(std::size_t group) const { return weights_.at(group); }

 private:
  io::RunOutputLayout layout_;
  std::vector<Spikes> spikes_;
  std::vector<Report> reports_;
  std::vector<Weights> weights_;
};

}  // namespace spikeweave::python
