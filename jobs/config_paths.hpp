#pragma once
// Helpers for jobs that vary configuration keys through `--set`-style overrides
// (core/config_table.hpp applies them): finding the node a key path names, and writing a double
// as override text that reads back to the same bits.
#include <toml++/toml.h>

#include <string>

namespace spikeweave::jobs {

// The node at a dotted path with [i] indices (`projection[2].weight_mv`), or nullptr.
const toml::node* lookup_key(const toml::table& root, const std::string& path);

// Shortest decimal text (15 to 17 digits) that parses back to exactly `v`, always a TOML float.
std::string override_value_text(double v);

}  // namespace spikeweave::jobs
