#pragma once
// The toy neuron model and plasticity rule of test_toy_model_and_rule.cpp: their parameter
// structs (shared by both halves) and their registry entries without the engine parts (from the
// host-only half, toy_units_host.cpp, which reads TOML).
#include "model/neuron_model.hpp"
#include "plasticity/rule.hpp"

namespace spikeweave::toy {

struct ToyParams {
  double threshold_mv = 1.0;
};

struct ToyRuleParams {
  double increment = 0.0;
  double w_max = 0.0;
};

// Entries with parse and lower set; the test adds the engine factories and registers them.
model::NeuronModelInfo toy_integrator_info();
plasticity::RuleInfo toy_potentiation_info();

}  // namespace spikeweave::toy
