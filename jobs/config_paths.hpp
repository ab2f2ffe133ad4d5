#pragma once
// Helpers for jobs that vary configuration keys through `--set`-style overrides
// (core/config_table.hpp applies them): finding the node a key path names, and writing a double
// as override text that reads back to the same bits.
#include <toml++/toml.h>

#include <string>

#include "jobs/override_value.hpp"

namespace spikeweave::jobs {

// The node at a dotted path with [i] indices (`projection[2].weight_mv`), or nullptr.
const toml::node* lookup_key(const toml::table& root, const std::string& path);

}  // namespace spikeweave::jobs
