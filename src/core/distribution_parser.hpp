#pragma once
// Host only (TOML): reads a Distribution from its TOML node.
#include <toml++/toml.h>

#include <string>

#include "core/distribution.hpp"
#include "core/value_range.hpp"

namespace spikeweave {

// Parses a distribution node; errors name `key`. Every number in it (the constant, the uniform
// bounds, the normal's mean, min and max) must lie in `range`, and a normal's sd must be finite
// and >= 0, so that no draw can leave the key's documented range.
Distribution parse_distribution(const toml::node& node, const std::string& key,
                                const config::Range& range);

}  // namespace spikeweave
