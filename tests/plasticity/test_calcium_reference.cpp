// The calcium rule against its brute-force reference (calcium_reference.hpp), to 1e-9 of the
// weight range in double precision, with the presynaptic influx delay, per-synapse dendritic
// delays and a short efficacy time constant so the weights move within two seconds.
#include <gtest/gtest.h>

#include <random>

#include "plasticity/calcium_reference.hpp"
#include "plasticity/stdp_harness.hpp"

namespace spikeweave::test {
namespace {

TEST(CalciumReference, MatchesBruteForceOnRandomTrains) {
  for (const bool bistable : {true, false}) {
    std::mt19937_64 rng(bistable ? 11 : 12);
    std::vector<std::vector<double>> pre(10);
    for (auto& train : pre) train = random_train(rng, 25.0, 1.0, 1980.0, 2.0);
    const std::vector<double> post = random_train(rng, 20.0, 1.0, 1980.0, 2.0);
    const std::string toml =
        "[simulation]\nt_stop_ms = 2000.0\n" + pre_post_populations(pre, 2) +
        R"([[projection]]
source = "pre"
target = "post"
connect = { rule = "all_to_all" }
weight_mv = { uniform = [0.001, 0.009] }
delay_ms = { uniform = [0.5, 3.0] }
plasticity = { rule = "calcium", tau_rho_ms = 3000.0, bistable = )" +
        std::string(bistable ? "true" : "false") +
        R"(, w_min_mv = 0.0, w_max_mv = 0.01, weight_type = "double", sweep_interval_ms = 1e9, history_capacity = 4096 }
)" + forced_post_spikes(post);
    const PlasticRun run = run_plastic(world(), toml);
    ASSERT_EQ(run.synapses.size(), 20u);
    CalciumReferenceParams p;
    p.tau_rho_ms = 3000.0;
    p.bistable = bistable;
    int changed = 0;
    for (std::size_t i = 0; i < run.synapses.size(); ++i) {
      const engine::SynapseState& s = run.synapses[i];
      const double rho0 = run.initial_weights[i] / 0.01;
      const double rho = reference_calcium_rho(
          p, rho0, s.delay_steps * 0.1, run.pre_spikes_ms[s.source], run.post_spikes_ms[s.target]);
      // Both integrate exactly split pieces with RK4 far below its error scale; 1e-9 of the
      // weight range is orders above their rounding and orders below any modelling difference.
      EXPECT_NEAR(s.weight, rho * 0.01, 1e-9 * 0.01)
          << (bistable ? "bistable " : "") << s.source << "->" << s.target;
      changed += std::fabs(s.weight - run.initial_weights[i]) > 1e-5;
    }
    EXPECT_GT(changed, 15);
  }
}

}  // namespace
}  // namespace spikeweave::test
