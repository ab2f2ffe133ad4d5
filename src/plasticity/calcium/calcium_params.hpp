#pragma once
// Parameters of the calcium-based rule (calcium). Plain structs.
#include <cstdint>
#include <string>

namespace spikeweave::plasticity {

// Calcium-based plasticity (Graupner & Brunel 2012): defaults are their "DP" parameter set.
// The efficacy rho in [0, 1] maps to the weight w_min + rho (w_max - w_min). Optionally the
// dopamine of a designated population scales the potentiation rate:
// gamma_p (1 + dopamine_gain n(t) tau_n), n jumping by 1/tau_n per dopamine spike.
struct CalciumParams {
  double tau_ca_ms = 20.0;          // calcium decay [ms]
  double c_pre = 1.0;               // calcium jump per presynaptic spike
  double c_post = 2.0;              // calcium jump per postsynaptic spike
  double pre_delay_ms = 13.7;       // delay of the presynaptic (NMDA) influx [ms]
  double theta_d = 1.0;             // depression threshold
  double theta_p = 1.3;             // potentiation threshold
  double gamma_d = 200.0;           // depression rate
  double gamma_p = 321.808;         // potentiation rate
  double tau_rho_ms = 150000.0;     // efficacy time constant [ms]
  double rho_star = 0.5;            // unstable fixed point between the two stable states
  bool bistable = true;             // include the cubic term
  double w_min = 0.0, w_max = 1.0;  // [weight unit]
  std::string dopamine_population;  // "" = no modulation
  double dopamine_gain = 1.0;
  double tau_n_ms = 200.0;
  double dopamine_delay_ms = 0.0;  // 0 = dt
};

// Lowered: the delays in steps.
struct CalciumLowered {
  CalciumParams params;
  int pre_delay_steps = 0;                // presynaptic influx delay
  std::int64_t dopamine_delay_steps = 1;  // 0 ms means one step
};

}  // namespace spikeweave::plasticity
