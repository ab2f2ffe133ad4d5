#pragma once
// The names of the rate model's transfer functions (plain: no Kokkos, for the host-only parsers;
// the functions themselves are in nonlinearity.hpp).
#include <string>

namespace spikeweave::rate {

enum class Nonlinearity : int { kTanh = 0, kRelu = 1, kSigmoid = 2 };

// "tanh", "relu", "sigmoid".
std::string nonlinearity_name(Nonlinearity phi);
// Throws ConfigError naming `key` for anything else.
Nonlinearity parse_nonlinearity(const std::string& name, const std::string& key);

}  // namespace spikeweave::rate
