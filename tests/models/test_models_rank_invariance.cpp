// A small network of the izhikevich, adaptive LIF, aeif_cond_exp and hh_psc_alpha models
// (recurrent, with Poisson drive and distributed initial values) gives the bitwise same raster on
// 1-4 ranks and for both partitions: rank 0 runs it alone first as the reference (as
// tests/mpi/test_rank_invariance).
#include <gtest/gtest.h>

#include "common/memory_run_output.hpp"
#include "common/test_context.hpp"
#include "engine/simulation.hpp"
#include "network/spec.hpp"

namespace spikeweave {
namespace {

using Raster = std::vector<std::pair<std::uint64_t, std::int64_t>>;

constexpr const char* kNetwork = R"(
[simulation]
dt_ms = 0.1
t_stop_ms = 300.0
seed = 11

[[population]]
name = "izh_rs"
size = 60
model = "izhikevich"
params = { a = 0.02, b = 0.2, c_mv = -65.0, d = 8.0, i_e_pa = 3.0 }
init = { v_m_mv = { uniform = [-70.0, -55.0] } }

[[population]]
name = "izh_fs"
size = 20
model = "izhikevich"
params = { a = 0.1, b = 0.2, c_mv = -65.0, d = 2.0, i_e_pa = 2.0, consistent_integration = false }

[[population]]
name = "adaptive_exp"
size = 40
model = "lif_psc_exp_adaptive"
params = { theta_plus_mv = 0.5, tau_theta_ms = 100.0, b_pa = 20.0, tau_w_ms = 80.0 }
init = { v_m_mv = { uniform = [-70.0, -56.0] } }

[[population]]
name = "adaptive_cond"
size = 40
model = "lif_cond_exp_adaptive"
params = { theta_plus_mv = 0.05, tau_theta_ms = 1e7, tau_syn_ex_ms = 1.0, tau_syn_in_ms = 2.0 }
init = { v_m_mv = { uniform = [-65.0, -56.0] }, theta_mv = { uniform = [0.0, 2.0] } }

[[population]]
name = "adex"
size = 40
model = "aeif_cond_exp"
params = { t_ref_ms = 2.0, a_ns = 2.0, b_pa = 40.0, tau_w_ms = 100.0, i_e_pa = 450.0 }
init = { v_m_mv = { uniform = [-70.0, -55.0] }, w_pa = { uniform = [0.0, 50.0] } }

[[population]]
name = "hh"
size = 20
model = "hh_psc_alpha"
params = { i_e_pa = 400.0 }
init = { v_m_mv = { uniform = [-70.0, -60.0] } }

[[projection]]
source = "izh_rs"
target = "izh_fs"
connect = { rule = "fixed_indegree", indegree = 10 }
weight_mv = 3.0
delay_ms = 1.0

[[projection]]
source = "izh_fs"
target = "izh_rs"
connect = { rule = "fixed_indegree", indegree = 5 }
weight_mv = -2.0
delay_ms = 1.5

[[projection]]
source = "izh_rs"
target = "adaptive_exp"
connect = { rule = "fixed_indegree", indegree = 10 }
weight_pa = 60.0
delay_ms = 1.0

[[projection]]
source = "adaptive_exp"
target = "adaptive_cond"
connect = { rule = "fixed_indegree", indegree = 10 }
weight_ns = 2.0
delay_ms = 2.0

[[projection]]
source = "adaptive_cond"
target = "adaptive_exp"
connect = { rule = "fixed_indegree", indegree = 5 }
weight_pa = -40.0
delay_ms = 1.0

[[projection]]
source = "adaptive_exp"
target = "adex"
connect = { rule = "fixed_indegree", indegree = 10 }
weight_ns = 1.0
delay_ms = 1.0

[[projection]]
source = "adex"
target = "adaptive_cond"
connect = { rule = "fixed_indegree", indegree = 5 }
weight_ns = -1.0
delay_ms = 1.5

[[projection]]
source = "adaptive_exp"
target = "hh"
connect = { rule = "fixed_indegree", indegree = 10 }
weight_pa = 50.0
delay_ms = 1.0

[[projection]]
source = "hh"
target = "adex"
connect = { rule = "fixed_indegree", indegree = 5 }
weight_ns = 1.0
delay_ms = 2.0

[[stimulus]]
kind = "poisson"
target = "hh"
rate_hz = 4000.0
weight_pa = 60.0

[[stimulus]]
kind = "poisson"
target = "adex"
rate_hz = 8000.0
weight_ns = 2.0

[[stimulus]]
kind = "poisson"
target = "izh_rs"
rate_hz = 2000.0
weight_mv = 1.5

[[stimulus]]
kind = "poisson"
target = "adaptive_exp"
rate_hz = 8000.0
weight_pa = 40.0

[[stimulus]]
kind = "poisson"
target = "adaptive_cond"
rate_hz = 8000.0
weight_ns = 1.5

[[record]]
spikes = "all"
)";

Raster run(comm::Context& context, const std::string& partition) {
  const network::NetworkSpec spec = network::parse_network(
      kNetwork, "models.toml", {"simulation.partition=\"" + partition + "\""});
  engine::Simulation sim(spec, context);
  test::MemoryRunOutput out(sim.spike_layouts().size(), sim.report_layouts().size());
  sim.set_output(&out);
  sim.run_to_end();
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

TEST(ModelsRankInvariance, RasterIsBitwiseIdenticalForAnyRankCountAndPartition) {
  comm::Context& world = test::world();
  Raster reference;
  {
    std::unique_ptr<comm::Context> solo = world.split(world.rank() == 0 ? 0 : 1, world.rank());
    if (world.rank() == 0) reference = run(*solo, "round_robin");
  }
  if (world.rank() == 0) {
    // Every population fires: a raster, not a trivially empty one.
    std::printf("[models rank invariance] %zu spikes\n", reference.size());
    std::vector<int> per_population(6, 0);
    for (const auto& [gid, step] : reference) {
      ++per_population[gid < 60    ? 0
                       : gid < 80  ? 1
                       : gid < 120 ? 2
                       : gid < 160 ? 3
                       : gid < 200 ? 4
                                   : 5];
    }
    for (int p = 0; p < 6; ++p) {
      std::printf("[models rank invariance] population %d: %d spikes\n", p, per_population[p]);
      EXPECT_GT(per_population[p], 20) << "population " << p;
    }
  }
  for (const std::string partition : {"round_robin", "block"}) {
    const Raster raster = run(world, partition);
    if (world.rank() == 0) {
      ASSERT_EQ(raster.size(), reference.size()) << partition << " on " << world.size() << " ranks";
      EXPECT_TRUE(raster == reference) << partition << " on " << world.size() << " ranks";
    }
  }
}

}  // namespace
}  // namespace spikeweave
