#pragma once
// Plasticity of a projection, as configured in its `plasticity = { rule = ..., ... }` table.
// Parameters carry their unit in the name; weights are in the target model's weight unit (pA or
// mV), like the projection's weight. Every rule runs on the synapse's own rank, event-driven:
// the synapse is updated when a presynaptic spike reaches it (and by periodic sweeps), from
// presynaptic traces kept per source and the postsynaptic spike history kept per target neuron.
#include <optional>
#include <string>

#include "core/config_table.hpp"

namespace spikeweave::plasticity {

enum class RuleKind {
  kStdpPair,      // pair STDP (NEST stdp_synapse; van Rossum 2000; Guetig 2003)
  kStdpPowerLaw,  // power-law STDP (NEST stdp_pl_synapse_hom; Morrison 2007)
  kStdpTriplet,   // minimal triplet rule (Pfister & Gerstner 2006)
  kStdpDopamine,  // reward-modulated STDP (Izhikevich 2007; NEST stdp_dopamine_synapse)
  kCalcium,       // calcium-based rule (Graupner & Brunel 2012)
  kNone,          // no spike-timing rule: static weights (with homeostatic scaling only)
};

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

// Synaptic scaling (Turrigiano et al. 1998; van Rossum, Bi & Turrigiano 2000): every incoming
// weight of the projection is multiplied by a per-neuron gain g with
// dg/dt = g (target - r) / (target tau), r the neuron's rate estimated with an exponential
// trace of time constant rate_tau_ms.
struct HomeostaticScalingParams {
  double target_rate_hz = 5.0;
  double tau_ms = 10000.0;      // scaling time constant [ms]
  double rate_tau_ms = 1000.0;  // rate estimate time constant [ms]
};

// Synaptic tagging and capture with consolidation (after Clopath et al. 2008, Frey & Morris
// 1997): the spike-timing rule writes early-phase changes; an early change larger than
// tag_threshold tags the synapse; the early part decays back with tau_early_ms; a neuron-wide
// protein signal p (rising towards 1 while the neuron's rate exceeds protein_rate_threshold_hz,
// or while the dopamine concentration of a stdp_dopamine projection exceeds
// protein_dopamine_threshold, decaying with tau_protein_ms otherwise) converts tagged early
// changes into a late, consolidated weight: dz/dt = p * early / tau_consolidation_ms.
struct TaggingParams {
  double tag_threshold = 1.0;  // [weight unit]
  double tau_early_ms = 20000.0;
  double tau_consolidation_ms = 2000.0;
  double protein_rate_threshold_hz = 30.0;
  double protein_dopamine_threshold = 0.0;  // [1/ms]; 0: dopamine does not trigger
  double tau_protein_ms = 1000.0;
  double rate_tau_ms = 500.0;
  double update_interval_ms = 10.0;  // slow processes are integrated this often
};

struct PlasticitySpec {
  RuleKind rule = RuleKind::kStdpPair;
  StdpPairParams pair;
  StdpPowerLawParams power_law;
  StdpTripletParams triplet;
  StdpDopamineParams dopamine;
  CalciumParams calcium;
  std::optional<HomeostaticScalingParams> homeostatic;
  std::optional<TaggingParams> tagging;
  bool double_weights = false;       // weight_type = "double" (default "float")
  int history_capacity = 128;        // postsynaptic spikes kept per neuron
  double sweep_interval_ms = 500.0;  // idle synapses catch up with postsynaptic spikes this often
  std::string key;                   // "projection[i].plasticity"
};

// Parses `plasticity` for a projection whose weights use `weight_key` ("weight_pa" or
// "weight_mv"): bounds are given as w_max_pa / w_max_mv.
PlasticitySpec parse_plasticity(const config::Table& table, const std::string& weight_unit_suffix);

std::string rule_name(RuleKind rule);

}  // namespace spikeweave::plasticity
