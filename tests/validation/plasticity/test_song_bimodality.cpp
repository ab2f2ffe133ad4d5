// Competitive Hebbian learning through STDP (Song, Miller & Abbott 2000, Nat Neurosci 3:919):
// one integrate-and-fire neuron driven by 1000 excitatory Poisson inputs through additive pair
// STDP (mu = 0) with depression slightly dominating (A-/A+ = 1.05, tau+ = tau- = 20 ms) ends with
// a bimodal weight distribution (most synapses near 0 or near w_max: their Fig. 1) and an output
// rate that STDP has brought down and made much less dependent on the input rate (their Fig. 2A;
// fewer strong synapses at higher input rate, Fig. 2B). Multiplicative STDP (mu = 1, van Rossum
// et al. 2000) instead ends unimodal, around w* = 1/(1 + alpha) of w_max.
//
// The model, and what differs from SMA:
//  - Current-based LIF (lif_psc_exp) instead of their conductance-based neuron, with SMA's
//    voltages (rest -70, threshold -54, reset -60 mV) and tau_m = 20 ms, tau_syn = 5 ms. A
//    synapse at w_max = 30 pA gives a 0.38 mV PSP, 2-3 times SMA's g_max = 0.015 g_leak near
//    threshold: larger PSPs make each input's causal effect, and so the splitting, faster.
//  - SMA's 200 inhibitory Poisson inputs at 10 Hz: a 2000 Hz Poisson stimulus of -40 pA per
//    neuron (-32 mV mean), so that the neuron needs about 40% of its total weight at w_max to
//    reach threshold on average and the learned state is fluctuation-driven.
//  - Learning rate lambda = A+/w_max = 0.01 instead of 0.005 (twice as fast), 8 postsynaptic
//    neurons sharing the same inputs (8000 synapses: better statistics at the same cost), and
//    dt = 0.25 ms; the runs cover 400 s (10 Hz inputs) and 250 s (20 Hz, where learning is
//    twice as fast) of model time: 37 s of wall time for both together on one core. The
//    distribution is then clearly bimodal but still sharpening (SMA ran longer); the thresholds
//    below are set for that state.
// All weights start at w_max / 2 (a narrow normal, sd 0.05 w_max: unimodal, BC = 1/3).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <sstream>

#include "plastic_network_run.hpp"
#include "weight_statistics.hpp"

namespace spikeweave::test {
namespace {

constexpr int kPostNeurons = 8;
constexpr double kWMaxPa = 30.0;
constexpr double kAlpha = 1.05;
constexpr double kLambda = 0.01;

std::string song_toml(double input_rate_hz, double mu, double t_stop_ms) {
  std::ostringstream toml;
  toml << R"([simulation]
dt_ms = 0.25
t_stop_ms = )"
       << t_stop_ms << R"(
seed = 2000

[[population]]
name = "input"
size = 1000
model = "poisson_source"
params = { rate_hz = )"
       << input_rate_hz << R"( }

[[population]]
name = "post"
size = )"
       << kPostNeurons << R"(
model = "lif_psc_exp"
params = { e_l_mv = -70.0, v_th_mv = -54.0, v_reset_mv = -60.0, tau_m_ms = 20.0, c_m_pf = 250.0, t_ref_ms = 2.0, tau_syn_ex_ms = 5.0, tau_syn_in_ms = 5.0 }

[[projection]]
name = "stdp"
source = "input"
target = "post"
connect = { rule = "all_to_all" }
weight_pa = { normal = [15.0, 1.5], min = 0.0, max = 30.0 }
delay_ms = 1.0
plasticity = { rule = "stdp_pair", tau_plus_ms = 20.0, tau_minus_ms = 20.0, lambda = )"
       << kLambda << ", alpha = " << kAlpha << ", mu = " << mu << ", w_max_pa = " << kWMaxPa
       << R"(, history_capacity = 1024 }

[[stimulus]]
kind = "poisson"
target = "post"
rate_hz = 2000.0
weight_pa = -40.0

[[record]]
spikes = ["post"]
)";
  return toml.str();
}

struct SongResult {
  WeightStatistics initial, final;
  double rate_start_hz = 0.0;  // output rate over the first second
  double rate_end_hz = 0.0;    // output rate over the last 50 s
};

SongResult run_song(double input_rate_hz, double mu, double t_stop_ms) {
  const PlasticNetworkResult run =
      run_plastic_network(world(), song_toml(input_rate_hz, mu, t_stop_ms), {"stdp"});
  SongResult r;
  auto normalised = [](const std::vector<engine::SynapseState>& synapses) {
    std::vector<double> w;
    for (const auto& s : synapses) w.push_back(s.weight / kWMaxPa);
    return w;
  };
  r.initial = weight_statistics(normalised(run.initial.at("stdp")));
  r.final = weight_statistics(normalised(run.final.at("stdp")));
  const double end_window_ms = 50000.0;
  std::uint64_t start = 0, end = 0;
  for (const auto& train : run.spikes_ms.at("post")) {
    for (double t : train) {
      start += t < 1000.0;
      end += t >= t_stop_ms - end_window_ms;
    }
  }
  r.rate_start_hz = static_cast<double>(start) / kPostNeurons;
  r.rate_end_hz = static_cast<double>(end) / kPostNeurons / (end_window_ms / 1000.0);
  if (world().rank() == 0) {
    std::printf(
        "  inputs %.0f Hz, mu %.0f: output %.1f Hz -> %.1f Hz; final weights: mean %.3f, "
        "<0.1: %.3f, >0.9: %.3f, in [0.3,0.7]: %.3f, BC %.3f (initial BC %.3f)\n"
        "    deciles: %s\n",
        input_rate_hz, mu, r.rate_start_hz, r.rate_end_hz, r.final.mean, r.final.weak,
        r.final.strong, r.final.middle, r.final.bimodality, r.initial.bimodality,
        r.final.histogram().c_str());
  }
  return r;
}

// The smallest count among the deciles between the two end ones: the bottom of the valley.
std::size_t valley(const WeightStatistics& s) {
  std::size_t v = s.deciles[2];
  for (int b = 3; b < 9; ++b) v = std::min(v, s.deciles[b]);
  return v;
}

TEST(SongMillerAbbott, AdditiveStdpMakesWeightsBimodalAndRegulatesTheOutputRate) {
  const SongResult at10 = run_song(10.0, 0.0, 400000.0);
  const SongResult at20 = run_song(20.0, 0.0, 250000.0);
  for (const SongResult* r : {&at10, &at20}) {
    const char* which = r == &at10 ? "10 Hz inputs" : "20 Hz inputs";
    ASSERT_EQ(r->final.n, 1000u * kPostNeurons);
    // Start: unimodal (a normal has BC = 1/3; 0.45 leaves room for sampling error of 8000).
    EXPECT_LT(r->initial.bimodality, 0.45) << which;
    // End: bimodal. BC above 5/9 (the uniform distribution's value) with a margin of 0.05
    // (its sampling error for 8000 weights is ~0.01); measured 0.70-0.71 and 0.78-0.79 over
    // four seeds.
    EXPECT_GT(r->final.bimodality, 5.0 / 9.0 + 0.05) << which;
    // Both modes exist: the top decile holds at least 1.25 times the synapses of the emptiest
    // decile between the ends (a valley between two peaks; measured 2.2 and 1.5-1.9), and the
    // lowest decile twice as many (most synapses are pushed to zero: depression dominates).
    EXPECT_GT(r->final.deciles[9], valley(r->final) * 5 / 4) << which << ": no upper mode";
    EXPECT_GT(r->final.deciles[0], 2 * valley(r->final)) << which << ": no lower mode";
    // Weights left the middle: from all of them in [0.3, 0.7] at the start to a minority (a
    // uniform distribution would have 40%); measured 23-25% and 13-14%.
    EXPECT_GT(r->initial.middle, 0.99) << which;
    EXPECT_LT(r->final.middle, 0.35) << which;
    // Output rate regulated down: from 75-240 Hz (all weights at w_max / 2 drive the neuron far
    // above threshold) to 11-19 Hz.
    EXPECT_LT(r->rate_end_hz, 0.5 * r->rate_start_hz) << which;
  }
  const auto near_bounds = [](const WeightStatistics& s) {
    return static_cast<double>(s.deciles[0] + s.deciles[1] + s.deciles[8] + s.deciles[9]) /
           static_cast<double>(s.n);
  };
  // Most synapses ended near a bound (within 0.2 w_max): measured 61-63% and 76% (uniform: 40%).
  EXPECT_GT(near_bounds(at10.final), 0.5);
  EXPECT_GT(near_bounds(at20.final), 0.5);
  // Fig. 2A: doubling the input rate nearly triples the output rate with the initial weights
  // (the neuron is mean-driven), but changes the learned rate much less. Thresholds: initial
  // ratio > 2.5 (measured 2.8-3.1 over four seeds), learned ratio < 1.8 (measured 1.4-1.6). The
  // residual dependence grows with the learning noise: 2.2 at lambda = 0.02 (in a shorter run
  // of this model), which is why lambda is not larger.
  const double start_ratio = at20.rate_start_hz / at10.rate_start_hz;
  const double end_ratio = at20.rate_end_hz / at10.rate_end_hz;
  EXPECT_GT(start_ratio, 2.5);
  EXPECT_LT(end_ratio, 1.8);
  EXPECT_LT(end_ratio, start_ratio / 1.6);
  // Fig. 2B: at the higher input rate fewer synapses are strong and the mean weight is lower
  // (each strong input brings twice the spikes): measured mean 0.37 vs 0.19 w_max, strong
  // fraction 11% vs 3%.
  EXPECT_LT(at20.final.mean, 0.75 * at10.final.mean);
  EXPECT_LT(at20.final.strong, at10.final.strong);
}

// Multiplicative STDP: facilitation lambda (1 - w) K+, depression alpha lambda w K-. With
// uncorrelated Poisson inputs the drift vanishes at w* = 1/(1 + alpha) = 0.488 w_max; causal
// pre-post correlations raise it a little, the finite learning rate lowers it by ~0.35 lambda
// nu_post tau (measured for uncorrelated trains), and each weight fluctuates around it with sd
// ~ sqrt(lambda) ~ 0.05: one peak, far from both bounds, whatever the input rate.
TEST(SongMillerAbbott, MultiplicativeStdpEndsUnimodal) {
  const SongResult r = run_song(10.0, 1.0, 60000.0);
  ASSERT_EQ(r.final.n, 1000u * kPostNeurons);
  EXPECT_LT(r.final.bimodality, 5.0 / 9.0 - 0.1);  // unimodal: measured 0.34 (a normal: 1/3)
  EXPECT_LT(r.final.outer(), 0.01);
  EXPECT_GT(r.final.middle, 0.95);
  EXPECT_NEAR(r.final.mean, 1.0 / (1.0 + kAlpha), 0.05);  // measured 0.485
}

}  // namespace
}  // namespace spikeweave::test
