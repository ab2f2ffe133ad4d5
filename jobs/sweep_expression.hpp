#pragma once
// The key expressions of a sweep ("-g * 0.1"), compiled once with muparser (Debian
// libmuparser-dev) over the axis names and evaluated at every point. A syntax error or a name
// that is not an axis is a ConfigError naming the key.
#include <memory>
#include <string>
#include <vector>

#include "jobs/sweep_spec.hpp"

namespace spikeweave::jobs {

class SweepKeyEvaluator {
 public:
  explicit SweepKeyEvaluator(const SweepSpec& spec);
  ~SweepKeyEvaluator();
  SweepKeyEvaluator(const SweepKeyEvaluator&) = delete;
  SweepKeyEvaluator& operator=(const SweepKeyEvaluator&) = delete;

  // The value of every key (axes in order, each axis's keys in order), times its scale, at the
  // point whose axis values are `axis_values`. A non-finite result is a ConfigError naming the
  // key and the point.
  std::vector<double> evaluate(const std::vector<double>& axis_values) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace spikeweave::jobs
