// Reward-modulated STDP against its brute-force reference (dopamine_reference.hpp), to 1e-9
// relative in double precision: random pre, post and dopamine spike trains, delays 0.5-3 ms, a
// dopamine baseline b > 0 so both terms of the weight integral matter, weights that hit bounds.
#include <gtest/gtest.h>

#include <random>

#include "plasticity/dopamine_reference.hpp"
#include "plasticity/stdp_harness.hpp"

namespace spikeweave::test {
namespace {

TEST(DopamineReference, MatchesBruteForceOnRandomTrains) {
  std::mt19937_64 rng(42);
  std::vector<std::vector<double>> pre(12);
  for (auto& train : pre) train = random_train(rng, 20.0, 1.0, 1980.0);
  const std::vector<double> post = random_train(rng, 15.0, 1.0, 1980.0);
  const std::vector<double> dopamine = random_train(rng, 4.0, 1.0, 1980.0);
  const std::string toml = "[simulation]\nt_stop_ms = 2000.0\n" + pre_post_populations(pre, 2) +
                           R"([[population]]
name = "DA"
size = 1
model = "spike_source"
params = { spike_times_ms = )" +
                           toml_times(dopamine) +
                           R"( }
[[projection]]
source = "pre"
target = "post"
connect = { rule = "all_to_all" }
weight_mv = { uniform = [0.002, 0.008] }
delay_ms = { uniform = [0.5, 3.0] }
plasticity = { rule = "stdp_dopamine", dopamine_population = "DA", a_plus = 0.004, a_minus = 0.005, tau_c_ms = 300.0, tau_n_ms = 100.0, b = 0.002, w_min_mv = 0.0, w_max_mv = 0.01, weight_type = "double", sweep_interval_ms = 1e9, history_capacity = 4096 }
)" + forced_post_spikes(post);
  const PlasticRun run = run_plastic(world(), toml);
  ASSERT_EQ(run.synapses.size(), 24u);
  ASSERT_EQ(run.post_spikes_ms[0].size(), post.size());
  for (std::size_t k = 0; k < post.size(); ++k)
    ASSERT_NEAR(run.post_spikes_ms[0][k], post[k], 1e-9);
  DopamineReferenceParams p;
  p.a_plus = 0.004;
  p.a_minus = 0.005;
  p.tau_c_ms = 300.0;
  p.tau_n_ms = 100.0;
  p.b = 0.002;
  p.w_max = 0.01;
  std::vector<double> arrival;  // the default dopamine delay is one step
  for (double t : dopamine) arrival.push_back(t + 0.1);
  int changed = 0, at_bound = 0;
  for (std::size_t i = 0; i < run.synapses.size(); ++i) {
    const engine::SynapseState& s = run.synapses[i];
    const double expected = reference_dopamine_weight(
        p, run.initial_weights[i], s.delay_steps * 0.1, run.pre_spikes_ms[s.source],
        run.post_spikes_ms[s.target], arrival);
    // Exact integration in double precision on both sides; only rounding differs.
    EXPECT_NEAR(s.weight, expected, 1e-9 * p.w_max) << s.source << "->" << s.target;
    changed += std::fabs(s.weight - run.initial_weights[i]) > 1e-6 * p.w_max;
    at_bound += s.weight == 0.0 || s.weight == p.w_max;
  }
  EXPECT_GT(changed, 20);
  std::printf("[dopamine] %d of %zu weights changed, %d at a bound\n", changed, run.synapses.size(),
              at_bound);
}

}  // namespace
}  // namespace spikeweave::test
