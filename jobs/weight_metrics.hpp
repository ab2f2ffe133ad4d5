#pragma once
// Final weights of a plastic projection: mean, standard deviation and bimodality coefficient.
// Synapses live on their target's rank, so each rank summarises the synapses of its targets,
// one target at a time (weights sorted), and the group's rank 0 combines the summaries in
// target order (Pebay's update of central moments): the same bits on any number of ranks.
#include <cstdint>
#include <vector>

#include "jobs/spike_train_metrics.hpp"

namespace spikeweave::jobs {

struct WeightMoments {
  double count = 0.0;
  double mean = 0.0;
  double m2 = 0.0, m3 = 0.0, m4 = 0.0;  // sums of (w - mean)^k
  void add(double w);
  void add(const WeightMoments& other);
};

struct TargetWeights {
  std::uint64_t target = 0;
  WeightMoments moments;
};

// One summary per target node of (target, weight) pairs of this rank's synapses.
std::vector<TargetWeights> summarise_by_target(const std::vector<std::uint64_t>& targets,
                                               const std::vector<double>& weights);

struct WeightMetrics {
  double weight_mean = kUndefined;
  double weight_sd = kUndefined;          // population standard deviation
  double weight_bimodality = kUndefined;  // (skewness^2 + 1) / kurtosis; > 5/9: bimodal
};

// Combines every target's summary (any order; combined in target order).
WeightMetrics finish_weight_metrics(std::vector<TargetWeights> summaries);

}  // namespace spikeweave::jobs
