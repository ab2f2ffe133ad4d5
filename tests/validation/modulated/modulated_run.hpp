#pragma once
// Runs a network in the test process in stages, so the modulated-plasticity tests can read the
// synapses of a projection at chosen model times (weights are event-driven: what they read is
// each synapse's weight as of its last update, at most one sweep interval old), and the spike
// trains of recorded populations at the end. Everything returned is gathered on every rank.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/memory_run_output.hpp"
#include "common/test_context.hpp"
#include "engine/simulation.hpp"
#include "network/spec.hpp"
#include "plasticity/stdp_harness.hpp"

namespace spikeweave::test {

// Members are built in declaration order: the spec outlives the simulation that refers to it.
class StagedRun {
 public:
  StagedRun(const std::string& toml, const std::string& name, comm::Context& context = world())
      : context_(context),
        spec_(network::parse_network(toml, name)),
        sim_(spec_, context),
        out_(sim_.spike_layouts().size(), sim_.report_layouts().size(),
             sim_.weight_layouts().size()) {
    sim_.set_output(&out_);
  }

  // Advances to model time t_ms (a multiple of dt, not before the current time). Collective.
  void run_until(double t_ms) {
    const auto target = static_cast<Step>(std::llround(t_ms / spec_.simulation.dt_ms));
    if (target < sim_.step()) throw std::invalid_argument("run_until: time is in the past");
    sim_.run(target - sim_.step());
  }
  void run_to_end() { sim_.run_to_end(); }
  double now_ms() const { return static_cast<double>(sim_.step()) * spec_.simulation.dt_ms; }

  // All ranks' synapses of the named projection, sorted by (source, target, delay). Collective.
  std::vector<engine::SynapseState> synapses(const std::string& projection) {
    const int p = spec_.projection_index(projection);
    if (p < 0) throw std::invalid_argument("no projection " + projection);
    return gather_synapses(context_, sim_.synapse_states(p));
  }

  // Spike times [ms] of each node of a recorded population, all ranks. Collective.
  std::vector<std::vector<double>> spikes_ms(const std::string& population) {
    const int p = spec_.population_index(population);
    for (std::size_t g = 0; g < spec_.spike_record.size(); ++g) {
      if (spec_.spike_record[g] != p) continue;
      std::vector<std::vector<double>> trains(spec_.populations[p].size);
      for (auto [node, step] :
           out_.gather_sorted(context_, static_cast<int>(g), spec_.simulation.dt_ms)) {
        trains[node].push_back(static_cast<double>(step) * spec_.simulation.dt_ms);
      }
      return trains;
    }
    throw std::invalid_argument("population " + population + " is not recorded");
  }

  const network::NetworkSpec& spec() const { return spec_; }
  engine::Simulation& simulation() { return sim_; }

 private:
  comm::Context& context_;
  network::NetworkSpec spec_;
  engine::Simulation sim_;
  MemoryRunOutput out_;
};

// Spikes of `train` in [from_ms, to_ms).
inline std::size_t count_in(const std::vector<double>& train, double from_ms, double to_ms) {
  return static_cast<std::size_t>(std::lower_bound(train.begin(), train.end(), to_ms) -
                                  std::lower_bound(train.begin(), train.end(), from_ms));
}

// The q-quantile (0 <= q <= 1) of `values`, by linear interpolation between order statistics.
inline double quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const double x = q * static_cast<double>(values.size() - 1);
  const auto i = static_cast<std::size_t>(x);
  if (i + 1 >= values.size()) return values.back();
  return values[i] + (x - static_cast<double>(i)) * (values[i + 1] - values[i]);
}

// Rank 0 prints the measured figures (the tests gather everything on every rank).
inline bool printing_rank() {
  return world().rank() == 0;
}

inline double mean_of(const std::vector<double>& values) {
  double sum = 0.0;
  for (double v : values) sum += v;
  return values.empty() ? 0.0 : sum / static_cast<double>(values.size());
}

}  // namespace spikeweave::test
