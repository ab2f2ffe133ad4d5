// The parrot model's entry in the registry. Host only (reads TOML).
#include "model/neuron_model.hpp"
#include "model/parameter_reader.hpp"

namespace spikeweave::model {
namespace {

AnyValue parse(const config::Table& t, const ModelParseContext& /*context*/) {
  t.reject_unknown_keys();
  return AnyValue::of(0);
}

AnyValue lower(const AnyValue& /*params*/, double /*dt_ms*/, const std::string& /*key*/) {
  return AnyValue::of(0);
}

}  // namespace

// A parrot neuron turns the input events of a stimulus (an encoder, spike_times, poisson) into
// spikes of its own, so that they can feed projections (plastic ones included): what NEST's
// parrot_neuron does for generators.
NeuronModelInfo describe_parrot() {
  NeuronModelInfo m;
  m.name = "parrot";
  m.summary =
      "spikes in every step in which excitatory input arrives (any positive weight), at most once "
      "per step; no parameters (NEST parrot_neuron); turns encoder stimuli into spike trains";
  m.weight_unit = WeightUnit::kMillivolt;
  m.parse = &parse;
  m.lower = &lower;
  return m;
}

}  // namespace spikeweave::model
