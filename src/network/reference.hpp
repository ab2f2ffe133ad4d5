#pragma once
// The reference of every registered neuron model and plasticity rule as Markdown tables:
// parameters (key, unit, default, range, meaning) and state variables. `spikeweave models`
// prints it and the README's "Model and rule reference" section is this text (a test checks).
#include <string>

namespace spikeweave::network {

std::string models_reference_markdown();

}  // namespace spikeweave::network
