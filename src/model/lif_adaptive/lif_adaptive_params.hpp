#pragma once
// Parameters of the adaptive LIF models: lif_psc_exp or lif_cond_exp (their parameters and
// propagators, src/model/lif/) plus an adaptive threshold (Diehl & Cook 2015) and an optional
// spike-triggered adaptation current. Plain structs: the kernels include this header; the TOML
// parser lives in lif_adaptive_describe.cpp.
#include <string>

#include "model/lif/lif_params.hpp"

namespace spikeweave::model {

struct LifAdaptiveParams {
  LifParams lif;  // the base model's parameters (same keys, same defaults)
  // The threshold is v_th_mv + theta; theta jumps by theta_plus_mv at each spike and decays to 0
  // with tau_theta_ms (Diehl & Cook 2015: 0.05 mV and 1e7 ms).
  double theta_plus_mv = 0.05;
  double tau_theta_ms = 1e7;
  // Adaptation current w [pA], subtracted from the input: jumps by b_pa at each spike and decays
  // with tau_w_ms (the names of NEST's aeif models; b_pa = 0 turns it off).
  double b_pa = 0.0;
  double tau_w_ms = 100.0;
};

// Per-step factors of the adaptation, next to the base model's propagators.
struct LifAdaptation {
  double theta_decay = 1.0;  // exp(-h / tau_theta)
  double theta_plus_mv = 0.0;
  double w_decay = 1.0;  // exp(-h / tau_w)
  double b_pa = 0.0;
  double v_from_w = 0.0;  // psc_exp: mV per pA of w over one step (exact, as a synaptic current)
};

struct LifAdaptiveLowered {
  LifVariant variant = LifVariant::kPscExp;
  LifAdaptiveParams params;
  LifPropagators q;
  LifAdaptation adapt;
};

LifAdaptation lower_lif_adaptation(const LifAdaptiveParams& p, double dt_ms);

}  // namespace spikeweave::model
