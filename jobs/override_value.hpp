#pragma once
// Writing a double as `--set` override text that reads back to the same bits (plain: no TOML).
#include <string>

namespace spikeweave::jobs {

// Shortest decimal text (15 to 17 digits) that parses back to exactly `v`, always a TOML float.
std::string override_value_text(double v);

}  // namespace spikeweave::jobs
