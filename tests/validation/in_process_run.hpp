#pragma once
// Runs a configuration inside the test process: parse, build on the test's ranks, record into
// memory. Helpers to read spikes and per-neuron interspike-interval statistics.
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common/memory_run_output.hpp"
#include "common/test_context.hpp"
#include "engine/simulation.hpp"
#include "network/spec.hpp"

namespace spikeweave::validation {

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Members are built in declaration order: the spec outlives the simulation that refers to it.
struct InProcessRun {
  InProcessRun(const std::string& toml_text, const std::string& name,
               const std::vector<std::string>& overrides = {},
               comm::Context& context = test::world())
      : spec(network::parse_network(toml_text, name, overrides)),
        sim(spec, context),
        out(sim.spike_layouts().size(), sim.report_layouts().size()) {
    sim.set_output(&out);
  }
  // Index of population `name` among the recorded spike groups (-1 if not recorded).
  int spike_group(const std::string& name) const {
    const int p = spec.population_index(name);
    for (std::size_t g = 0; g < spec.spike_record.size(); ++g) {
      if (spec.spike_record[g] == p) return static_cast<int>(g);
    }
    return -1;
  }

  network::NetworkSpec spec;
  engine::Simulation sim;
  test::MemoryRunOutput out;
};

// Spike statistics of one population from sorted (node_id, step) pairs, counting only spikes
// at steps >= first_step (to drop a start-up transient).
struct SpikeStatistics {
  std::uint64_t spikes = 0;      // spikes in the window
  double mean_cv = 0.0;          // mean over neurons with >= min_intervals ISIs of std/mean
  std::uint64_t cv_neurons = 0;  // neurons that entered mean_cv
  std::uint64_t isi_count = 0;   // all interspike intervals in the window
  double pooled_cv = 0.0;        // std/mean of all intervals of all neurons together
};

inline SpikeStatistics spike_statistics(
    const std::vector<std::pair<std::uint64_t, std::int64_t>>& sorted, std::int64_t first_step,
    int min_intervals = 2) {
  SpikeStatistics s;
  double cv_sum = 0.0, pooled_sum = 0.0, pooled_sum_sq = 0.0;
  std::size_t k = 0;
  while (k < sorted.size()) {
    const std::uint64_t node = sorted[k].first;
    std::vector<std::int64_t> steps;
    for (; k < sorted.size() && sorted[k].first == node; ++k) {
      if (sorted[k].second >= first_step) steps.push_back(sorted[k].second);
    }
    s.spikes += steps.size();
    if (steps.size() < 2) continue;
    const std::size_t n = steps.size() - 1;
    s.isi_count += n;
    double sum = 0.0, sum_sq = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double d = static_cast<double>(steps[i + 1] - steps[i]);
      sum += d;
      sum_sq += d * d;
    }
    pooled_sum += sum;
    pooled_sum_sq += sum_sq;
    if (static_cast<int>(n) < min_intervals) continue;
    const double mean = sum / n;
    const double variance = std::max(0.0, sum_sq / n - mean * mean);
    cv_sum += std::sqrt(variance) / mean;
    ++s.cv_neurons;
  }
  s.mean_cv = s.cv_neurons > 0 ? cv_sum / static_cast<double>(s.cv_neurons) : 0.0;
  if (s.isi_count > 1) {
    const double mean = pooled_sum / static_cast<double>(s.isi_count);
    const double variance = pooled_sum_sq / static_cast<double>(s.isi_count) - mean * mean;
    s.pooled_cv = std::sqrt(std::max(0.0, variance)) / mean;
  }
  return s;
}

}  // namespace spikeweave::validation
