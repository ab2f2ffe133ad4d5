#pragma once
// The parameters of one rate network and of the dynamics shared by a dataset.
//
// Model (Euler):  h[t+1] = h[t] + (dt/tau) (-h[t] + W phi(h[t]) + I) + sqrt(dt) sigma xi[t],
//                 x[t] = phi(h[t]),  xi ~ N(0, 1) independent per neuron, trial and step.
// W[i][j] is the weight from neuron j onto neuron i (row: target, column: source).
#include <cstdint>
#include <string>

#include "rate/nonlinearity_kind.hpp"

namespace spikeweave::rate {

struct NetworkParams {
  double gain = 1.5;                 // g: the weights' second moment is g^2 / N
  double sparsity = 1.0;             // p: probability that W[i][j] != 0 (1 = dense)
  bool dale = false;                 // column signs fixed by Dale's law
  double excitatory_fraction = 0.8;  // f_E: the first round(f_E N) columns are excitatory
  bool balanced = false;             // Dale: inhibitory magnitudes scaled so E[sum_j W[i][j]] = 0
  double noise = 0.0;                // sigma [h / sqrt(ms)]
  double input_mean = 0.0;           // I[i] = input_mean + input_std z[i]  [h]
  double input_std = 0.0;            // [h]
  double h0_std = 1.0;               // h[0] ~ N(0, h0_std^2) per neuron and trial [h]
  double tau_ms = 10.0;              // time constant [ms]
};

struct Dynamics {
  int neurons = 0;     // N
  int trials = 1;      // K: independent initial states and noise per network
  int steps = 0;       // T: Euler steps (the trace has T rows, x after step 1 .. T)
  double dt_ms = 1.0;  // [ms]
  Nonlinearity phi = Nonlinearity::kTanh;
};

// Throws ConfigError naming `where` (e.g. "network 12" or "--gain") if a value is out of range.
void validate(const NetworkParams& params, const Dynamics& dynamics, const std::string& where);
void validate(const Dynamics& dynamics, const std::string& where);

// Number of excitatory columns under Dale's law: round(f_E N).
int excitatory_count(const NetworkParams& params, int neurons);

// The per-network constants the kernels use, derived once on the host.
struct Coefficients {
  double a = 0.1;            // dt / tau
  double noise_scale = 0.0;  // sqrt(dt) sigma
  double scale_exc = 0.0;    // magnitude scale of excitatory (or all, without Dale) columns
  double scale_inh = 0.0;    // magnitude scale of inhibitory columns
  int n_exc = 0;             // columns j < n_exc are excitatory (Dale)
  double sparsity = 1.0;
  int dale = 0;
  double input_mean = 0.0;
  double input_std = 0.0;
  double h0_std = 1.0;
};
Coefficients coefficients(const NetworkParams& params, const Dynamics& dynamics);

}  // namespace spikeweave::rate
