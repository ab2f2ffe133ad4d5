#pragma once
// The neuron models SpikeWeave knows, their names in the TOML, and what a synapse onto each
// carries (a voltage jump, a current or a conductance), which decides the weight key's unit.
#include <string>
#include <vector>

namespace spikeweave::model {

enum class ModelKind {
  kLifPscDelta,    // LIF, synaptic input is a voltage jump [mV]
  kLifPscExp,      // LIF, exponentially decaying current [pA]
  kLifPscAlpha,    // LIF, alpha-shaped current [pA], peak = weight at t = tau_syn
  kLifCondExp,     // LIF, exponentially decaying conductances [nS] with reversal potentials
  kPoissonSource,  // emits Poisson spikes at rate_hz; receives no input
  kSpikeSource,    // emits spikes at given times; receives no input
};

enum class WeightUnit { kMillivolt, kPicoampere, kNanosiemens, kNone };

ModelKind parse_model_kind(const std::string& name, const std::string& key);
std::string model_name(ModelKind kind);
std::vector<std::string> model_names();

// True for models that integrate a membrane potential (and can be projection targets).
bool is_lif(ModelKind kind);
WeightUnit weight_unit(ModelKind kind);
// "weight_mv", "weight_pa" or "weight_ns": the TOML key of a weight onto a neuron of this model.
std::string weight_key(ModelKind kind);
// "mv", "pa" or "ns" (for keys such as w_max_pa) and "mV", "pA" or "nS" (for files).
std::string weight_unit_suffix(ModelKind kind);
std::string weight_unit_name(ModelKind kind);

}  // namespace spikeweave::model
