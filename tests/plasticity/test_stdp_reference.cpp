// Every trace-based STDP rule against the brute-force reference (stdp_reference.hpp) on random
// spike trains, to 1e-9 relative in double precision: pair STDP additive, multiplicative and
// Guetig, with all-to-all, nearest-symmetric and nearest-pre-centred pairing; power-law; triplet.
// 20 presynaptic trains x 2 postsynaptic neurons, delays 0.5-3 ms drawn per synapse (so the
// dendritic delay shifts every pairing differently). Also the STDP window of the additive rule.
#include <gtest/gtest.h>

#include <random>

#include "plasticity/stdp_harness.hpp"
#include "plasticity/stdp_reference.hpp"

namespace spikeweave::test {
namespace {

std::string network_toml(const std::string& plasticity, int n_pre, std::uint64_t seed,
                         double duration_ms = 1000.0, bool final_pre_spike = false) {
  std::mt19937_64 rng(seed);
  std::vector<std::vector<double>> pre(n_pre);
  for (auto& train : pre) {
    train = random_train(rng, 25.0, 0.5, duration_ms - 20);
    if (final_pre_spike) train.push_back(duration_ms - 5.0);
  }
  const std::vector<double> post = random_train(rng, 20.0, 0.5, duration_ms - 20);
  return "[simulation]\ndt_ms = 0.1\nt_stop_ms = " + std::to_string(duration_ms) + "\nseed = 5\n" +
         pre_post_populations(pre, 2, "tau_m_ms = 10.0") + R"([[projection]]
source = "pre"
target = "post"
connect = { rule = "all_to_all" }
weight_mv = { uniform = [0.002, 0.008] }
delay_ms = { uniform = [0.5, 3.0] }
plasticity = { )" +
         plasticity + ", weight_type = \"double\" }\n" + forced_post_spikes(post);
}

void expect_matches_reference(const std::string& plasticity, const StdpReferenceParams& ref,
                              std::uint64_t seed) {
  // No sweep during the run: weights change only at presynaptic spikes, as in the reference.
  const std::string toml =
      network_toml(plasticity + ", sweep_interval_ms = 1e9, history_capacity = 4096", 20, seed);
  const PlasticRun run = run_plastic(world(), toml);
  ASSERT_EQ(run.synapses.size(), 40u);
  // The forced postsynaptic spikes happened (about 20 Hz for 1 s on both neurons).
  ASSERT_GT(run.post_spikes_ms[0].size(), 5u);
  ASSERT_EQ(run.post_spikes_ms[0], run.post_spikes_ms[1]);
  int changed = 0;
  for (std::size_t i = 0; i < run.synapses.size(); ++i) {
    const engine::SynapseState& s = run.synapses[i];
    const double expected =
        reference_weight(ref, run.initial_weights[i], s.delay_steps * 0.1,
                         run.pre_spikes_ms[s.source], run.post_spikes_ms[s.target]);
    // Double precision throughout; differences come only from the recursive traces' rounding
    // (a few ulp per step): 1e-9 of the weight scale is far above that and far below any
    // modelling error.
    const double scale = std::max(std::fabs(expected), ref.w_max * 1e-3);
    EXPECT_NEAR(s.weight, expected, 1e-9 * scale)
        << plasticity << " synapse " << s.source << "->" << s.target;
    changed += std::fabs(s.weight - run.initial_weights[i]) > 1e-6 * ref.w_max;
  }
  // The test would be vacuous if the rule did nothing.
  EXPECT_GT(changed, 30) << plasticity;
}

TEST(StdpReference, PairAdditiveAllToAll) {
  StdpReferenceParams p;
  p.w_max = 0.01;
  p.lambda = 0.05;
  p.alpha = 1.1;
  p.tau_minus_ms = 30.0;
  expect_matches_reference(
      "rule = \"stdp_pair\", lambda = 0.05, alpha = 1.1, tau_minus_ms = 30.0, w_max_mv = 0.01", p,
      1);
}

TEST(StdpReference, PairMultiplicativeAndGuetig) {
  StdpReferenceParams p;
  p.w_max = 0.01;
  p.lambda = 0.05;
  p.mu_plus = p.mu_minus = 1.0;
  expect_matches_reference("rule = \"stdp_pair\", lambda = 0.05, mu = 1.0, w_max_mv = 0.01", p, 2);
  p.mu_plus = 0.3;
  p.mu_minus = 0.7;
  expect_matches_reference(
      "rule = \"stdp_pair\", lambda = 0.05, mu_plus = 0.3, mu_minus = 0.7, w_max_mv = 0.01", p, 3);
}

TEST(StdpReference, PairNearestSymmetricAndPreCentered) {
  StdpReferenceParams p;
  p.w_max = 0.01;
  p.lambda = 0.05;
  p.pairing = "nearest_symmetric";
  expect_matches_reference(
      "rule = \"stdp_pair\", lambda = 0.05, w_max_mv = 0.01, pairing = \"nearest\"", p, 4);
  p.pairing = "nearest_pre_centered";
  expect_matches_reference(
      "rule = \"stdp_pair\", lambda = 0.05, w_max_mv = 0.01, pairing = \"nearest_pre_centered\"", p,
      5);
}

TEST(StdpReference, PowerLaw) {
  StdpReferenceParams p;
  p.rule = "stdp_power_law";
  p.lambda = 0.1;
  p.alpha = 0.0513;
  p.mu = 0.4;
  p.tau_plus_ms = 15.0;
  p.tau_minus_ms = 30.0;
  p.w_max = 0.01;  // weight scale for the tolerance only
  expect_matches_reference(
      "rule = \"stdp_power_law\", lambda = 0.1, alpha = 0.0513, mu = 0.4, tau_plus_ms = 15.0, "
      "tau_minus_ms = 30.0",
      p, 6);
}

TEST(StdpReference, Triplet) {
  StdpReferenceParams p;
  p.rule = "stdp_triplet";
  p.w_max = 0.01;
  // Amplitudes larger than the visual-cortex fit so that every term moves the weights visibly.
  p.a2_plus = 0.02;
  p.a3_plus = 0.03;
  p.a2_minus = 0.025;
  p.a3_minus = 0.01;
  p.tau_plus_ms = 16.8;
  p.tau_x_ms = 101.0;
  p.tau_minus_ms = 33.7;
  p.tau_y_ms = 125.0;
  expect_matches_reference(
      "rule = \"stdp_triplet\", a2_plus = 0.02, a3_plus = 0.03, a2_minus = 0.025, "
      "a3_minus = 0.01, w_max_mv = 0.01",
      p, 7);
}

// Sweeps apply the facilitation of idle synapses early; with double weights the arithmetic is
// the same sequence of operations, so after a final presynaptic spike on every source the
// weights are bitwise those of a run without sweeps (and with a far larger history).
TEST(StdpSweep, SweepsAndSmallHistoriesLeaveDoubleWeightsUnchanged) {
  for (const char* rule :
       {"rule = \"stdp_pair\", lambda = 0.05, w_max_mv = 0.01",
        "rule = \"stdp_triplet\", a2_plus = 0.02, a3_plus = 0.03, a2_minus = 0.025, "
        "a3_minus = 0.01, w_max_mv = 0.01",
        "rule = \"stdp_pair\", lambda = 0.05, w_max_mv = 0.01, pairing = "
        "\"nearest_pre_centered\""}) {
    const std::string base = rule;
    const PlasticRun lazy = run_plastic(
        world(), network_toml(base + ", sweep_interval_ms = 1e9, history_capacity = 4096", 20, 8,
                              1000.0, true));
    const PlasticRun swept =
        run_plastic(world(), network_toml(base + ", sweep_interval_ms = 30.0, history_capacity = 8",
                                          20, 8, 1000.0, true));
    ASSERT_EQ(lazy.synapses.size(), swept.synapses.size());
    for (std::size_t i = 0; i < lazy.synapses.size(); ++i) {
      EXPECT_EQ(lazy.synapses[i].weight, swept.synapses[i].weight) << rule << " synapse " << i;
    }
  }
}

TEST(StdpSweep, AHistoryTooSmallForTheSweepIntervalIsAClearError) {
  const std::string toml = network_toml(
      "rule = \"stdp_pair\", lambda = 0.05, w_max_mv = 0.01, sweep_interval_ms = 400.0, "
      "history_capacity = 4",
      20, 9);
  try {
    run_plastic(world(), toml);
    FAIL() << "expected the history overflow to be reported";
  } catch (const engine::RankLocalError& e) {
    EXPECT_NE(std::string(e.what()).find("history_capacity"), std::string::npos) << e.what();
  } catch (const engine::PeerFailure&) {
    // Another rank saw the overflow first; this rank only learns that one did.
  }
}

// The additive pair rule's window: a single pairing at dt = t_post + d - t_pre changes the
// weight by A+ exp(-dt / tau_plus) for dt > 0 and by -A- exp(dt / tau_minus) for dt < 0, with
// A+ = lambda w_max and A- = alpha lambda w_max. Each presynaptic neuron pairs once with the
// single postsynaptic spike, then fires again 600 ms later so the facilitation is applied (the
// rule is event-driven); that second spike's own pairing adds at most exp(-600/20) ~ 1e-13.
TEST(StdpWindow, AdditivePairRuleReproducesTheExponentialWindow) {
  const double t_post = 200.0, delay = 1.0, w0 = 0.005, w_max = 0.01, lambda = 0.01, alpha = 1.2;
  const double tau_plus = 16.8, tau_minus = 33.7;
  std::vector<double> dts;
  std::vector<std::vector<double>> pre;
  for (int i = 0; i <= 200; ++i) {
    const double dt = -100.0 + i;
    dts.push_back(dt);
    const double t_pre = t_post + delay - dt;
    pre.push_back({t_pre, t_pre + 600.0});
  }
  const std::string toml = "[simulation]\nt_stop_ms = 1000.0\n" + pre_post_populations(pre, 1) +
                           R"([[projection]]
source = "pre"
target = "post"
connect = { rule = "all_to_all" }
weight_mv = 0.005
delay_ms = 1.0
plasticity = { rule = "stdp_pair", lambda = 0.01, alpha = 1.2, tau_plus_ms = 16.8, tau_minus_ms = 33.7, w_max_mv = 0.01, weight_type = "double" }
)" + forced_post_spikes({t_post});
  const PlasticRun run = run_plastic(world(), toml);
  ASSERT_EQ(run.post_spikes_ms[0], std::vector<double>{t_post});
  ASSERT_EQ(run.synapses.size(), 201u);
  for (const engine::SynapseState& s : run.synapses) {
    const double dt = dts[s.source];
    double expected = 0.0;
    if (dt > 0) expected = lambda * w_max * std::exp(-dt / tau_plus);
    if (dt < 0) expected = -alpha * lambda * w_max * std::exp(dt / tau_minus);
    // The second presynaptic spike's depression, exp(-(600 - |dt| ...)/tau_minus) <= 1e-6 of A-:
    // bound it explicitly instead of ignoring it.
    const double t_second = t_post + delay - dt + 600.0;
    const double second =
        alpha * lambda * w_max * std::exp(-(t_second - delay - t_post) / tau_minus);
    EXPECT_NEAR(s.weight - w0, expected, second + 1e-12) << "dt = " << dt;
  }
}

}  // namespace
}  // namespace spikeweave::test
