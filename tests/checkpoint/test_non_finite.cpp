// Numerical blow-up detection: a NaN or infinite membrane potential is found on whichever rank
// holds it and reported on every rank with the population, the neuron and the time; a finite
// state reports nothing.
#include <gtest/gtest.h>

#include <limits>

#include "common/test_context.hpp"
#include "engine/simulation.hpp"
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

}  // namespace
}  // namespace spikeweave
