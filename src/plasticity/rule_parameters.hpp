#pragma once
// Declarations of plasticity parameters, whose unit and range follow from the key's name: time
// constants and intervals (`*_ms`), rates (`*_hz`), weights (`w_*`, `tag_threshold_*`, in the
// target's weight unit), dimensionless amplitudes otherwise. Plain data (no TOML).
#include <cstdint>
#include <string>

#include "model/parameter_info.hpp"

namespace spikeweave::plasticity {

// The range of a plasticity key by its name; `strictly_positive` excludes 0.
config::Range rule_range(const std::string& key, bool strictly_positive);

// Steps from a modulator spike to its effect: delay_ms rounded to steps, 0 meaning one step.
std::int64_t signal_delay_steps(double delay_ms, double dt_ms);

// A numeric plasticity parameter with its range (and unit) from rule_range().
model::ParameterInfo rule_parameter(const std::string& name, double fallback,
                                    bool strictly_positive, const std::string& meaning);

}  // namespace spikeweave::plasticity
