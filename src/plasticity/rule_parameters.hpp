#pragma once
// Declarations of plasticity parameters, whose unit and range follow from the key's name: time
// constants and intervals (`*_ms`), rates (`*_hz`), weights (`w_*`, `tag_threshold_*`, in the
// target's weight unit), dimensionless amplitudes otherwise. Plain data (no TOML).
#include <string>

#include "model/parameter_info.hpp"

namespace spikeweave::plasticity {

// The range of a plasticity key by its name; `strictly_positive` excludes 0.
config::Range rule_range(const std::string& key, bool strictly_positive);

// A numeric plasticity parameter with its range (and unit) from rule_range().
model::ParameterInfo rule_parameter(const std::string& name, double fallback,
                                    bool strictly_positive, const std::string& meaning);

}  // namespace spikeweave::plasticity
