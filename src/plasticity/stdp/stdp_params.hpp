#pragma once
// Parameters of the trace-based STDP rules (stdp_pair, stdp_power_law, stdp_triplet). Plain
// structs; weights are in the target model's weight unit.

namespace spikeweave::plasticity {

enum class Pairing {
  kAllToAll,            // every pre spike pairs with every post spike (traces sum all spikes)
  kNearestSymmetric,    // each spike pairs with the nearest preceding spike of the other side
  kNearestPreCentered,  // pre pairs with the nearest preceding post; post with the pre spikes since
                        // the last post
};

struct StdpPairParams {
  double tau_plus_ms = 20.0;   // presynaptic trace time constant [ms]
  double tau_minus_ms = 20.0;  // postsynaptic trace time constant [ms]
  double lambda = 0.01;        // learning rate (step relative to w_max)
  double alpha = 1.0;          // depression / facilitation ratio
  double mu_plus = 0.0;        // weight dependence of facilitation (0 additive, 1 multiplicative)
  double mu_minus = 0.0;       // weight dependence of depression
  double w_max = 100.0;        // upper bound [weight unit]
  Pairing pairing = Pairing::kAllToAll;
};

struct StdpPowerLawParams {
  double tau_plus_ms = 20.0;
  double tau_minus_ms = 20.0;
  double lambda = 0.1;
  double alpha = 1.0;
  double mu = 0.4;  // facilitation ~ w^mu; depression ~ w
};

struct StdpTripletParams {
  // Defaults: Pfister & Gerstner (2006), minimal all-to-all model, visual cortex data.
  double tau_plus_ms = 16.8;   // r1 (pair) presynaptic trace [ms]
  double tau_x_ms = 101.0;     // r2 (triplet) presynaptic trace [ms]
  double tau_minus_ms = 33.7;  // o1 (pair) postsynaptic trace [ms]
  double tau_y_ms = 125.0;     // o2 (triplet) postsynaptic trace [ms]
  double a2_plus = 5e-10;      // pair facilitation amplitude (relative to w_max)
  double a3_plus = 6.2e-3;     // triplet facilitation amplitude
  double a2_minus = 7e-3;      // pair depression amplitude
  double a3_minus = 2.3e-4;    // triplet depression amplitude
  double w_max = 100.0;
};

}  // namespace spikeweave::plasticity
