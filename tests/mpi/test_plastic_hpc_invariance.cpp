// Rank invariance of a plastic hpc_benchmark (power-law STDP on E->E, float weights, as in
// NEST's benchmark) after 1 s: every E->E weight and the raster are bitwise identical on 1, 2, 3
// and 4 ranks and for both partitions. Down-scaled to 750 neurons (in-degrees scaled with the
// populations: 0.56 M synapses) so that the four rank counts fit in CI; at this size the network
// fires at ~100 Hz, which exercises every path of the rule (windows with several postsynaptic
// spikes, sweeps, the depression table).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/receive_layout.hpp"
#include "validation/plasticity/plastic_network_run.hpp"

namespace spikeweave::test {
namespace {

std::vector<std::string> overrides(const std::string& partition) {
  return {"simulation.output=\"\"",
          "simulation.t_stop_ms=1000.0",
          "simulation.partition=\"" + partition + "\"",
          "population[0].size=600",
          "population[1].size=150",
          "projection[0].connect.indegree=600",
          "projection[1].connect.indegree=600",
          "projection[2].connect.indegree=150",
          "projection[3].connect.indegree=150"};
}

TEST(PlasticHpcInvariance, WeightsAreBitwiseIdenticalOnAnyRankCountAndPartition) {
  comm::Context& world = test::world();
  std::ifstream in(std::string(SPIKEWEAVE_SOURCE_DIR) +
                   "/benchmarks/networks/hpc_benchmark_plastic.toml");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  ASSERT_FALSE(text.empty());
  PlasticNetworkResult reference;
  {
    std::unique_ptr<comm::Context> solo = world.split(world.rank() == 0 ? 0 : 1, world.rank());
    // The reference through receive slots; the runs below deliver the inhibitory population's
    // static projections through direct rows (the excitatory one, plastic, keeps its slots).
    const ScopedReceiveLayout slots("slots");
    if (world.rank() == 0)
      reference = run_plastic_network(*solo, text, {"EE"}, overrides("round_robin"));
  }
  if (world.rank() == 0) {
    const auto& initial = reference.initial.at("EE");
    const auto& final = reference.final.at("EE");
    ASSERT_EQ(final.size(), 600u * 600u);
    // Not vacuous: power-law STDP moves (almost) every weight at these rates.
    int moved = 0;
    for (std::size_t i = 0; i < final.size(); ++i) moved += final[i].weight != initial[i].weight;
    EXPECT_GT(moved, 300000);
  }
  for (const std::string partition : {"round_robin", "block"}) {
    const PlasticNetworkResult run = run_plastic_network(world, text, {"EE"}, overrides(partition));
    if (world.rank() != 0) continue;
    const auto& expected = reference.final.at("EE");
    const auto& got = run.final.at("EE");
    ASSERT_EQ(got.size(), expected.size());
    int mismatches = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
      mismatches += !(got[i].source == expected[i].source && got[i].target == expected[i].target &&
                      got[i].weight == expected[i].weight);
    }
    EXPECT_EQ(mismatches, 0) << partition << " on " << world.size() << " ranks";
    EXPECT_TRUE(run.spikes_ms == reference.spikes_ms)
        << partition << " on " << world.size() << " ranks";
  }
}

}  // namespace
}  // namespace spikeweave::test
