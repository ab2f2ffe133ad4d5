// Rank invariance of plasticity: after 1 s of examples/stdp_demo.toml (800 + 200 LIF neurons,
// pair STDP on the 64,000 E->E synapses, float weights) every E->E weight is bitwise identical
// on 1, 2, 3 and 4 ranks and for both partitions. Rank 0 first runs the network alone (in a
// one-rank sub-communicator) as the reference; then all ranks run it together. Weights are
// compared as (source, target, delay, weight) tuples, so the synapse tables must agree too.
// Bitwise, not approximately: every update is a pure function of the spike times, which are
// themselves rank-invariant, and each synapse is updated in a fixed order by one thread; any
// difference would reveal an order dependence (e.g. a delivery order or a sweep that depends
// on which rank owns what).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "plastic_network_run.hpp"

namespace spikeweave::test {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> overrides(const std::string& partition) {
  return {"simulation.output=\"\"", "simulation.t_stop_ms=1000.0",
          "simulation.partition=\"" + partition + "\""};
}

// Number of synapses whose weight moved by more than `min_change` [pA].
int changed(const std::vector<engine::SynapseState>& before,
            const std::vector<engine::SynapseState>& after, double min_change) {
  int n = 0;
  for (std::size_t i = 0; i < before.size() && i < after.size(); ++i) {
    n += std::fabs(after[i].weight - before[i].weight) > min_change;
  }
  return n;
}

TEST(PlasticRankInvariance, StdpDemoWeightsAreBitwiseIdenticalOnAnyRankCountAndPartition) {
  comm::Context& world = test::world();
  const std::string text =
      read_file(std::string(SPIKEWEAVE_SOURCE_DIR) + "/examples/stdp_demo.toml");
  ASSERT_FALSE(text.empty());
  PlasticNetworkResult reference;
  {
    std::unique_ptr<comm::Context> solo = world.split(world.rank() == 0 ? 0 : 1, world.rank());
    if (world.rank() == 0)
      reference = run_plastic_network(*solo, text, {"EE"}, overrides("round_robin"));
  }
  if (world.rank() == 0) {
    const auto& initial = reference.initial.at("EE");
    const auto& final = reference.final.at("EE");
    // 800 targets x indegree 80.
    ASSERT_EQ(final.size(), 64000u);
    ASSERT_EQ(initial.size(), final.size());
    // Not vacuous: the excitatory neurons fire (~10 Hz in this example) and most weights have
    // moved. A pairing changes a weight by lambda w_max exp(-|dt|/20 ms) = up to 1.6 pA; 0.01 pA
    // is far above float rounding (~1e-5 pA at 80 pA) so only real updates count.
    EXPECT_GT(changed(initial, final, 0.01), 32000) << "fewer than half the E->E weights moved";
    std::uint64_t spikes = 0;
    for (const auto& train : reference.spikes_ms.at("exc")) spikes += train.size();
    EXPECT_GT(spikes, 800u) << "the excitatory population hardly fired";
    std::printf("  reference: %d of %zu E->E weights moved by > 0.01 pA, %llu excitatory spikes\n",
                changed(initial, final, 0.01), final.size(),
                static_cast<unsigned long long>(spikes));
  }
  for (const std::string partition : {"round_robin", "block"}) {
    const PlasticNetworkResult run = run_plastic_network(world, text, {"EE"}, overrides(partition));
    if (world.rank() != 0) continue;
    const auto& expected = reference.final.at("EE");
    const auto& got = run.final.at("EE");
    ASSERT_EQ(got.size(), expected.size()) << partition << " on " << world.size() << " ranks";
    int mismatches = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
      const bool same = got[i].source == expected[i].source &&
                        got[i].target == expected[i].target &&
                        got[i].delay_steps == expected[i].delay_steps &&
                        got[i].weight == expected[i].weight;  // bitwise: both are float values
      if (!same && ++mismatches <= 5) {
        ADD_FAILURE() << partition << " on " << world.size() << " ranks: synapse " << i << " "
                      << got[i].source << "->" << got[i].target << " d=" << got[i].delay_steps
                      << " w=" << got[i].weight << ", expected " << expected[i].source << "->"
                      << expected[i].target << " d=" << expected[i].delay_steps
                      << " w=" << expected[i].weight;
      }
    }
    EXPECT_EQ(mismatches, 0) << partition << " on " << world.size() << " ranks";
    // The rasters agree too (a weight difference without a raster difference would be odd).
    EXPECT_TRUE(run.spikes_ms == reference.spikes_ms)
        << partition << " on " << world.size() << " ranks: spike rasters differ";
  }
}

}  // namespace
}  // namespace spikeweave::test
