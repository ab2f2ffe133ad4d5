#pragma once
// Parameters of reward-modulated STDP (stdp_dopamine). Plain structs.
#include <cstdint>
#include <string>

namespace spikeweave::plasticity {

struct StdpDopamineParams {
  std::string dopamine_population;  // spikes of this population are the dopamine signal
  double tau_plus_ms = 20.0;        // STDP window, potentiation side [ms]
  double tau_minus_ms = 20.0;       // STDP window, depression side [ms]
  double a_plus = 1.0;              // eligibility increase per pairing (times the pre trace)
  double a_minus = 1.5;             // eligibility decrease per pairing (times the post trace)
  double tau_c_ms = 1000.0;         // eligibility trace time constant [ms]
  double tau_n_ms = 200.0;          // dopamine trace time constant [ms]
  double b = 0.0;                   // dopamine baseline [1/ms]
  double dopamine_delay_ms = 0.0;   // from a dopamine spike to its effect on n; 0 = dt
  double w_min = 0.0;
  double w_max = 200.0;
};

// Lowered: the dopamine delay in steps (0 ms means one step).
struct StdpDopamineLowered {
  StdpDopamineParams params;
  std::int64_t dopamine_delay_steps = 1;
};

}  // namespace spikeweave::plasticity
