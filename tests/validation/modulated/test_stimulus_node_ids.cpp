// `[[stimulus]]` entries with `node_ids` must reach those neurons only. The modulated-plasticity
// protocols force single neurons to fire at chosen times; this checks the stimulus route for it
// (spike_times and dc), on 1 and 2 ranks.
//
// It found (2026-11-22) that kernels::ConstantInput indexed the input ring with the loop index
// instead of targets(i), so a stimulus on node_ids = [k] drove the rank's first local neurons.
#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <sstream>

#include "modulated_run.hpp"

namespace spikeweave::test {
namespace {

TEST(StimulusNodeIds, SpikeTimesAndDcReachOnlyTheChosenNeurons) {
  // 10 silent neurons; a 100 mV kick at 10 and 50 ms to node 3, at 15 and 55 ms to node 7, and
  // a 2000 pA current to node 5 from 20 ms on (far above rheobase 250 pA: fires repeatedly).
  const std::string toml = R"(
[simulation]
dt_ms = 0.1
t_stop_ms = 100.0

[[population]]
name = "exc"
size = 10
model = "lif_psc_delta"
params = { e_l_mv = 0.0, v_th_mv = 20.0, v_reset_mv = 0.0, tau_m_ms = 20.0, c_m_pf = 250.0 }

[[stimulus]]
kind = "spike_times"
target = "exc"
node_ids = [3]
times_ms = [10.0, 50.0]
weight_mv = 100.0

[[stimulus]]
kind = "spike_times"
target = "exc"
node_ids = [7]
times_ms = [15.0, 55.0]
weight_mv = 100.0

[[stimulus]]
kind = "dc"
target = "exc"
node_ids = [5]
amplitude_pa = 2000.0
start_ms = 20.0

[[record]]
spikes = ["exc"]
)";
  StagedRun run(toml, "node_ids.toml");
  run.run_to_end();
  const auto spikes = run.spikes_ms("exc");
  std::set<int> fired;
  std::ostringstream where;
  for (int i = 0; i < 10; ++i) {
    if (spikes[i].empty()) continue;
    fired.insert(i);
    where << " node " << i << ": " << spikes[i].size() << " spikes, first at " << spikes[i][0]
          << " ms;";
  }
  if (printing_rank()) std::printf("[node_ids] fired:%s\n", where.str().c_str());
  EXPECT_EQ(fired, (std::set<int>{3, 5, 7}));
  ASSERT_EQ(spikes[3].size(), 2u);
  EXPECT_NEAR(spikes[3][0], 10.0, 1e-9);
  EXPECT_NEAR(spikes[3][1], 50.0, 1e-9);
  ASSERT_EQ(spikes[7].size(), 2u);
  EXPECT_NEAR(spikes[7][0], 15.0, 1e-9);
  EXPECT_NEAR(spikes[7][1], 55.0, 1e-9);
  // dc 2000 pA into 250 pF, tau 20 ms: V -> 160 mV, first crossing of 20 mV after
  // -tau ln(1 - 20/160) = 2.67 ms, i.e. a few spikes per 10 ms from 20 ms on.
  ASSERT_GE(spikes[5].size(), 10u);
  EXPECT_GT(spikes[5][0], 20.0);
  EXPECT_LT(spikes[5][0], 24.0);
}

}  // namespace
}  // namespace spikeweave::test
