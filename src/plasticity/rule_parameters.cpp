#include "plasticity/rule_parameters.hpp"

#include "core/time_grid.hpp"

namespace spikeweave::plasticity {
namespace {
bool ends_with(const std::string& key, const std::string& suffix) {
  return key.size() >= suffix.size() &&
         key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0;
}
bool is_weight(const std::string& key) {
  return key.rfind("w_", 0) == 0 || key.rfind("tag_threshold_", 0) == 0;
}
}  // namespace

std::int64_t signal_delay_steps(double delay_ms, double dt_ms) {
  return delay_ms > 0 ? interval_to_steps(delay_ms, dt_ms, 0) : 1;
}

config::Range rule_range(const std::string& key, bool strictly_positive) {
  namespace ranges = config::ranges;
  if (ends_with(key, "delay_ms")) return ranges::kDelayMs;
  if (ends_with(key, "_ms")) return strictly_positive ? ranges::kTimeConstantMs : ranges::kDelayMs;
  if (ends_with(key, "_hz")) return strictly_positive ? ranges::kPositiveRateHz : ranges::kRateHz;
  if (is_weight(key)) {
    return strictly_positive ? ranges::kPositiveWeight : ranges::kNonNegativeWeight;
  }
  return strictly_positive ? ranges::kPositive : ranges::kNonNegative;
}

model::ParameterInfo rule_parameter(const std::string& name, double fallback,
                                    bool strictly_positive, const std::string& meaning) {
  std::string unit = "1";
  if (ends_with(name, "_ms")) unit = "ms";
  if (ends_with(name, "_hz")) unit = "Hz";
  if (is_weight(name)) unit = "weight";
  return model::number_parameter(name, unit, fallback, rule_range(name, strictly_positive),
                                 meaning);
}

}  // namespace spikeweave::plasticity
