// Numerical blow-up detection: a NaN or infinite membrane potential or plastic weight is found on
// whichever rank holds it and reported on every rank with the population (projection), the
// neuron (synapse) and the time; a finite state reports nothing. The weight is poisoned through a
// checkpoint written and restored on the same ranks, which also runs the segmented synapse
// blocks (layout 2) through a file.
#include <gtest/gtest.h>

#include <cstdio>
#include <limits>

#include "common/test_context.hpp"
#include "engine/checkpoint_state.hpp"
#include "engine/simulation.hpp"
#include "io/checkpoint_file.hpp"
#include "network/spec.hpp"

namespace spikeweave {
namespace {

const char* kNet = R"(
[simulation]
dt_ms = 0.1
t_stop_ms = 10.0
seed = 3
[[population]]
name = "exc"
size = 50
model = "lif_psc_exp"
[[projection]]
name = "EE"
source = "exc"
target = "exc"
connect = { rule = "fixed_indegree", indegree = 5 }
weight_pa = 10.0
delay_ms = 1.0
plasticity = { rule = "stdp_pair" }
)";

// Sets the value of `gid`'s entry of a state variable, on the rank that holds it.
void poison_neuron(engine::Simulation& sim, Gid gid, double value) {
  engine::NeuronGroup& g = *sim.groups()[0];
  for (std::size_t i = 0; i < g.gids().size(); ++i) {
    if (g.gids()[i] != gid) continue;
    const engine::NeuronStateView v = g.checkpoint_view("v_m_mv");
    Kokkos::deep_copy(Kokkos::subview(v.real, i), value);
  }
}

TEST(NonFinite, MembraneBlowUpNamesPopulationNeuronAndTime) {
  comm::Context& world = test::world();
  engine::Simulation sim(network::parse_network(kNet, "net.toml"), world);
  sim.run(50);
  EXPECT_EQ(sim.non_finite_state(), "");
  poison_neuron(sim, 17, std::numeric_limits<double>::quiet_NaN());
  const std::string message = sim.non_finite_state();
  EXPECT_NE(message.find("population exc, neuron 17"), std::string::npos) << message;
  EXPECT_NE(message.find("v_m_mv is nan"), std::string::npos) << message;
  EXPECT_NE(message.find("t = 5.0"), std::string::npos) << message;
  poison_neuron(sim, 17, 0.0);
  poison_neuron(sim, 33, std::numeric_limits<double>::infinity());
  EXPECT_NE(sim.non_finite_state().find("neuron 33 (gid 33): v_m_mv is inf"), std::string::npos);
}

// The smallest source node id of the synapses onto target gid 0 (on every rank).
std::uint64_t first_source_onto_gid0(engine::Simulation& sim, comm::Context& world) {
  const engine::NeuronGroup& g = *sim.groups()[0];
  const network::SynapseTables& t = sim.projections()[0]->host_tables();
  std::uint64_t found = 0;
  for (std::size_t i = 0; i < g.gids().size(); ++i) {
    if (g.gids()[i] != 0) continue;
    found = ~std::uint64_t{0};
    for (std::uint64_t row = 0; row < t.rows() && found == ~std::uint64_t{0}; ++row) {
      for (std::uint64_t k = t.segment_begin(t.row_begin(row));
           k < t.segment_begin(t.row_begin(row + 1)); ++k) {
        if (t.target(k) == i) found = t.row_source(row);
      }
    }
  }
  return world.sum(found);  // only the rank of gid 0 contributes
}

TEST(NonFinite, WeightBlowUpNamesProjectionSynapseAndTime) {
  comm::Context& world = test::world();
  engine::Simulation sim(network::parse_network(kNet, "net.toml"), world);
  sim.run(50);
  engine::StateWriter writer;
  sim.save_state(writer);
  // Rank 0's first stored weight is that of the first synapse (smallest source) onto its first
  // local target, gid 0 (round robin).
  for (io::CheckpointBlock& b : writer.blocks()) {
    if (b.name == "projection/EE/weight" && world.rank() == 0) {
      io::produce_values(b);  // the values, produced while writing otherwise
      ASSERT_TRUE(b.segmented && b.single && !b.singles.empty());
      b.singles[0] = std::numeric_limits<float>::infinity();
    }
  }
  const std::string path = "non_finite_weight_" + std::to_string(world.size()) + "ranks.h5";
  io::CheckpointHeader header;
  header.layout_version = io::kCheckpointLayoutVersion;
  header.step = sim.step();
  io::write_checkpoint_state(world, path, header, writer.blocks());
  {
    const auto source = io::open_checkpoint_state(path);
    engine::StateReader reader(*source);
    sim.restore_state(reader, sim.step());
  }
  const std::string message = sim.non_finite_state();
  const std::string expected = "projection EE, synapse " +
                               std::to_string(first_source_onto_gid0(sim, world)) +
                               " -> 0 (source node -> target node): the weight is not finite";
  EXPECT_NE(message.find(expected), std::string::npos) << message;
  EXPECT_NE(message.find("t = 5.0"), std::string::npos) << message;
  world.barrier();
  if (world.rank() == 0) std::remove(path.c_str());
}

}  // namespace
}  // namespace spikeweave
