// The engine's central promise: the spike raster of examples/brunel.toml over 1 s is bitwise
// identical for any number of ranks and for both partitions. Rank 0 first runs the network
// alone (in a one-rank sub-communicator) as the reference, through the receive slots; then all
// ranks run it together with each partition through direct rows (every Brunel projection is
// static with one delay and one weight), and the sorted (population, node_id, step) rasters must
// be equal: the two receive paths deliver the same input.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <tuple>

#include "common/memory_run_output.hpp"
#include "common/receive_layout.hpp"
#include "common/test_context.hpp"
#include "engine/simulation.hpp"
#include "engine/state_access.hpp"
#include "network/spec.hpp"

namespace spikeweave {
namespace {

using Raster = std::vector<std::pair<std::uint64_t, std::int64_t>>;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// All spikes of all recorded populations; node ids offset by the population's first gid.
Raster raster_of(comm::Context& context, const network::NetworkSpec& spec,
                 test::MemoryRunOutput& out) {
  Raster all;
  for (std::size_t g = 0; g < spec.spike_record.size(); ++g) {
    const Gid first = spec.populations[spec.spike_record[g]].first_gid;
    for (auto [node, step] :
         out.gather_sorted(context, static_cast<int>(g), spec.simulation.dt_ms)) {
      all.emplace_back(node + first, step);
    }
  }
  return all;
}

// Runs brunel.toml (`text`) with the given partition; its raster.
Raster run(comm::Context& context, const std::string& text, const std::string& partition) {
  const network::NetworkSpec spec = network::parse_network(
      text, "brunel.toml",
      {"simulation.output=\"\"", "simulation.partition=\"" + partition + "\""});
  engine::Simulation sim(spec, context);
  test::MemoryRunOutput out(sim.spike_layouts().size(), sim.report_layouts().size());
  sim.set_output(&out);
  sim.run_to_end();
  return raster_of(context, spec, out);
}

TEST(RankInvariance, BrunelRasterIsBitwiseIdenticalForAnyRankCountAndPartition) {
  comm::Context& world = test::world();
  const std::string text = read_file(std::string(SPIKEWEAVE_SOURCE_DIR) + "/examples/brunel.toml");
  Raster reference;
  {
    std::unique_ptr<comm::Context> solo = world.split(world.rank() == 0 ? 0 : 1, world.rank());
    const test::ScopedReceiveLayout slots("slots");
    if (world.rank() == 0) reference = run(*solo, text, "round_robin");
  }
  // About 470,000 spikes in 1 s (37.5 Hz x 12,500 neurons): a raster, not a trivially empty one.
  if (world.rank() == 0) {
    EXPECT_GT(reference.size(), 400000u);
  }
  for (const std::string partition : {"round_robin", "block"}) {
    const Raster raster = run(world, text, partition);
    if (world.rank() == 0) {
      ASSERT_EQ(raster.size(), reference.size()) << partition << " on " << world.size() << " ranks";
      EXPECT_TRUE(raster == reference) << partition << " on " << world.size() << " ranks";
    }
  }
}

// Brunel's four projections (static, one delay, one weight each) move into direct rows: the
// connections read back through the rows equal those the synapse tables hold with receive slots
// (same sources, targets, delays, weights and synapse indices), and the targets take 2 bytes
// instead of 4 (16-bit targets: at most 10,000 neurons per population), so the rank's synapse
// memory falls by at least one byte per synapse.
// One process alone: the 1-rank run of this test binary checks it (2-4 ranks would repeat it).
TEST(RankInvariance, DirectRowsHoldTheSameConnectionsInFewerBytes) {
  comm::Context& world = test::world();
  if (world.size() != 1) GTEST_SKIP() << "checked by the 1-rank run";
  const network::NetworkSpec spec = network::parse_network(
      read_file(std::string(SPIKEWEAVE_SOURCE_DIR) + "/examples/brunel.toml"), "brunel.toml",
      {"simulation.output=\"\""});
  std::uint64_t slot_bytes = 0;
  std::vector<std::vector<engine::SynapseState>> through_slots;
  {
    const test::ScopedReceiveLayout slots("slots");
    const engine::Simulation sim(spec, world);
    slot_bytes = sim.local_synapse_bytes();
    for (std::size_t p = 0; p < spec.projections.size(); ++p)
      through_slots.push_back(sim.synapse_states(static_cast<int>(p)));
  }
  const engine::Simulation sim(spec, world);
  EXPECT_LE(sim.local_synapse_bytes() + sim.local_synapses(), slot_bytes);
  for (std::size_t p = 0; p < spec.projections.size(); ++p) {
    const std::vector<engine::SynapseState> direct = sim.synapse_states(static_cast<int>(p));
    ASSERT_EQ(direct.size(), through_slots[p].size()) << "projection " << p;
    ASSERT_GT(direct.size(), 0u);
    int mismatches = 0;
    for (std::size_t i = 0; i < direct.size(); ++i) {
      const engine::SynapseState& a = direct[i];
      const engine::SynapseState& b = through_slots[p][i];
      mismatches += !(a.source == b.source && a.target == b.target &&
                      a.delay_steps == b.delay_steps && a.weight == b.weight && a.index == b.index);
    }
    EXPECT_EQ(mismatches, 0) << "projection " << p;
  }
}

// Runs `spec` on one process in two halves; between them `change` may alter the simulation.
Raster run_in_halves(comm::Context& context, const network::NetworkSpec& spec,
                     const std::function<void(engine::Simulation&)>& change) {
  engine::Simulation sim(spec, context);
  test::MemoryRunOutput out(sim.spike_layouts().size(), sim.report_layouts().size());
  sim.set_output(&out);
  sim.run(spec.simulation.steps / 2);
  change(sim);
  sim.run(spec.simulation.steps - spec.simulation.steps / 2);
  return raster_of(context, spec, out);
}

// run_in_halves through the receive slots (the reference) and through direct rows: the rasters
// are bitwise equal, and hold more than `min_spikes` spikes (not a trivially empty comparison).
void expect_direct_as_slots(comm::Context& context, const network::NetworkSpec& spec,
                            const std::function<void(engine::Simulation&)>& change,
                            std::size_t min_spikes, const char* what) {
  Raster through_slots;
  {
    const test::ScopedReceiveLayout slots("slots");
    through_slots = run_in_halves(context, spec, change);
  }
  const Raster direct = run_in_halves(context, spec, change);
  EXPECT_GT(direct.size(), min_spikes) << what;
  EXPECT_TRUE(direct == through_slots) << what;
}

// Weights set between runs go into the rows' own weight array, position by position: Brunel
// with every 7th E->E synapse and every 5th E->I synapse given its own weight (E->E and E->I
// are the two parts of the E rows) spikes as through the receive slots, bitwise. And rows with
// 32-bit targets (a target population of 70,000 neurons on the rank) deliver as the slots do.
TEST(RankInvariance, DirectRowsTakeSetWeightsAndWideTargetsAsSlotsDo) {
  comm::Context& world = test::world();
  if (world.size() != 1) GTEST_SKIP() << "checked by the 1-rank run";
  const network::NetworkSpec brunel = network::parse_network(
      read_file(std::string(SPIKEWEAVE_SOURCE_DIR) + "/examples/brunel.toml"), "brunel.toml",
      {"simulation.output=\"\"", "simulation.t_stop_ms=200"});
  const auto set_some = [](engine::Simulation& sim) {
    for (const auto& [projection, every, base] : {std::tuple{0, 7, 0.05}, std::tuple{1, 5, 0.3}}) {
      std::vector<NodeId> sources, targets;
      std::vector<double> weights;
      const std::vector<engine::SynapseState> states = sim.synapse_states(projection);
      for (std::size_t i = 0; i < states.size(); i += every) {
        sources.push_back(states[i].source);
        targets.push_back(states[i].target);
        weights.push_back(base + 0.001 * static_cast<double>(i % 97));
      }
      engine::set_weights(sim, projection, sources, targets, weights);
    }
  };
  expect_direct_as_slots(world, brunel, set_some, 50000, "weights set between runs");

  // 70,000 excitatory neurons driven by Poisson input, 20 recurrent synapses each: spikes, and
  // targets past 16 bits.
  const network::NetworkSpec wide = network::parse_network(
      "[simulation]\ndt_ms = 0.1\nt_stop_ms = 50.0\nseed = 3\noutput = \"\"\n"
      "[[population]]\nname = \"wide\"\nsize = 70000\nmodel = \"lif_psc_exp\"\n"
      "params = { tau_syn_ex_ms = 0.5, tau_syn_in_ms = 0.5 }\n"
      "[[projection]]\nsource = \"wide\"\ntarget = \"wide\"\n"
      "connect = { rule = \"fixed_indegree\", indegree = 20 }\nweight_pa = 40.0\n"
      "delay_ms = 1.0\n"
      "[[stimulus]]\nkind = \"poisson\"\ntarget = \"wide\"\nrate_hz = 20000.0\n"
      "weight_pa = 87.8\n"
      "[[record]]\nspikes = \"all\"\n",
      "wide.toml", {});
  expect_direct_as_slots(
      world, wide, [](engine::Simulation&) {}, 10000, "32-bit targets");
}

}  // namespace
}  // namespace spikeweave
