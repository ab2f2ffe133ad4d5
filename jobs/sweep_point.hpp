#pragma once
// One point of a sweep on a group of ranks: builds the point's network, simulates it, and
// computes its metrics on the ranks that ran it (jobs/spike_train_metrics.hpp,
// jobs/weight_metrics.hpp). The group's rank 0 gets the complete result.
#include <cstdint>
#include <string>
#include <vector>

#include "comm/context.hpp"
#include "jobs/spike_train_metrics.hpp"
#include "jobs/sweep_points.hpp"
#include "jobs/weight_metrics.hpp"

namespace spikeweave::jobs {

struct SweepPointResult {
  std::uint64_t index = 0;
  std::vector<PopulationMetrics> populations;  // every population of the network, in order
  std::vector<WeightMetrics> plastic;          // every plastic projection, in order
  double wall_seconds = 0.0;                   // max over the group's ranks
  double cpu_seconds = 0.0;                    // sum over the group's ranks
  // keep_spikes: per population, sorted by (time, node id); otherwise empty.
  std::vector<std::vector<std::uint64_t>> spike_nodes;
  std::vector<std::vector<double>> spike_times_ms;
};

// Names of the populations and plastic projections, as the results list them.
struct SweepTableColumns {
  std::vector<std::string> populations;
  std::vector<std::string> plastic_projections;
  std::vector<std::uint64_t> population_sizes;
};
SweepTableColumns sweep_table_columns(const SweepSpec& spec, const SweepKeyEvaluator& keys);

// Collective over `group`.
SweepPointResult run_sweep_point(comm::Context& group, const SweepSpec& spec,
                                 const SweepKeyEvaluator& keys, const SweepPoint& point);

}  // namespace spikeweave::jobs
