#pragma once
// `spikeweave inspect` of dataset files: the counts the Python readers return too
// (python3 -m spikeweave summary prints the same lines).
#include <string>

namespace spikeweave::cli {

// "<path>: rate dataset, M networks (D done), N neurons, K trials, T steps"
void print_rate_dataset(const std::string& path);
// "<path>: spiking dataset, M instances (D done)", then one line per population
// ("population exc: S spikes") and per projection ("projection exc_to_exc: C synapses").
void print_spiking_dataset(const std::string& path);

}  // namespace spikeweave::cli
