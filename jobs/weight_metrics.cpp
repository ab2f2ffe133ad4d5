#include "jobs/weight_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace spikeweave::jobs {

void WeightMoments::add(double w) {
  WeightMoments one;
  one.count = 1.0;
  one.mean = w;
  add(one);
}

// Pebay (2008), "Formulas for robust, one-pass parallel computation of covariances and
// arbitrary-order statistical moments", eqs. 2.1-2.3 for p = 2, 3, 4.
void WeightMoments::add(const WeightMoments& b) {
  if (b.count == 0) return;
  if (count == 0) {
    *this = b;
    return;
  }
  const double na = count, nb = b.count, n = na + nb;
  const double delta = b.mean - mean, d = delta / n;
  const double m2a = m2, m3a = m3;
  m4 += b.m4 + delta * d * d * d * na * nb * (na * na - na * nb + nb * nb) +
        6.0 * d * d * (na * na * b.m2 + nb * nb * m2a) + 4.0 * d * (na * b.m3 - nb * m3a);
  m3 += b.m3 + delta * d * d * na * nb * (na - nb) + 3.0 * d * (na * b.m2 - nb * m2a);
  m2 += b.m2 + delta * d * na * nb;
  mean += nb * d;
  count = n;
}

std::vector<TargetWeights> summarise_by_target(const std::vector<std::uint64_t>& targets,
                                               const std::vector<double>& weights) {
  std::vector<std::pair<std::uint64_t, double>> synapses;
  for (std::size_t s = 0; s < targets.size(); ++s) synapses.emplace_back(targets[s], weights[s]);
  std::sort(synapses.begin(), synapses.end());
  std::vector<TargetWeights> out;
  for (const auto& [target, w] : synapses) {
    if (out.empty() || out.back().target != target) out.push_back({target, {}});
    out.back().moments.add(w);
  }
  return out;
}

WeightMetrics finish_weight_metrics(std::vector<TargetWeights> summaries) {
  std::sort(summaries.begin(), summaries.end(),
            [](const TargetWeights& a, const TargetWeights& b) { return a.target < b.target; });
  WeightMoments all;
  for (const TargetWeights& t : summaries) all.add(t.moments);
  WeightMetrics m;
  if (all.count == 0) return m;
  m.weight_mean = all.mean;
  const double variance = all.m2 / all.count;
  m.weight_sd = std::sqrt(variance);
  if (variance > 0) {
    const double skewness = (all.m3 / all.count) / std::pow(variance, 1.5);
    const double kurtosis = (all.m4 / all.count) / (variance * variance);
    m.weight_bimodality = (skewness * skewness + 1.0) / kurtosis;
  }
  return m;
}

}  // namespace spikeweave::jobs
