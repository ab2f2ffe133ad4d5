// Configuration parsing: a valid network parses to the expected spec, --set overrides apply,
// and every class of bad input is rejected with a message naming the key and what was expected.
#include <gtest/gtest.h>

#include <string>

#include "core/errors.hpp"
#include "model/lif/lif_params.hpp"
#include "network/spec.hpp"

namespace spikeweave::network {
namespace {

const char* kBase = R"(
[simulation]
dt_ms = 0.1
t_stop_ms = 100.0
seed = 7

[[population]]
name = "exc"
size = 80
model = "lif_psc_exp"
params = { tau_m_ms = 20.0, tau_syn_ex_ms = 0.5 }
init = { v_m_mv = { uniform = [-70.0, -55.0] } }

[[population]]
name = "inh"
size = 20
model = "lif_psc_delta"

[[projection]]
source = "exc"
target = "inh"
connect = { rule = "fixed_indegree", indegree = 10 }
weight_mv = 0.2
delay_ms = 1.5

[[projection]]
source = "inh"
target = "exc"
connect = { rule = "pairwise_bernoulli", p = 0.1 }
weight_pa = { normal = [-50.0, 5.0], max = 0.0 }
delay_ms = { uniform = [0.5, 2.0] }

[[stimulus]]
kind = "poisson"
target = "exc"
rate_hz = 1000.0
weight_pa = 10.0

[[record]]
spikes = ["exc", "inh"]
v_m = { population = "exc", node_ids = [0, 3], every_ms = 0.5 }
)";

NetworkSpec parse(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return parse_network(text, "test.toml", overrides);
}

// Expects a ConfigError whose message contains every fragment.
void expect_error(const std::string& text, const std::vector<std::string>& fragments,
                  const std::vector<std::string>& overrides = {}) {
  try {
    parse(text, overrides);
    FAIL() << "expected a ConfigError containing '" << fragments.front() << "'";
  } catch (const ConfigError& e) {
    for (const std::string& f : fragments) {
      EXPECT_NE(std::string(e.what()).find(f), std::string::npos)
          << "message '" << e.what() << "' lacks '" << f << "'";
    }
  }
}

// The base text with `from` replaced by `to` (the replacement must happen).
std::string edit(const std::string& from, const std::string& to) {
  std::string text = kBase;
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return text.replace(pos, from.size(), to);
}

TEST(Config, ValidNetworkParses) {
  const NetworkSpec net = parse(kBase);
  EXPECT_DOUBLE_EQ(net.simulation.dt_ms, 0.1);
  EXPECT_EQ(net.simulation.steps, 1000);
  EXPECT_EQ(net.simulation.seed, 7u);
  ASSERT_EQ(net.populations.size(), 2u);
  EXPECT_EQ(net.populations[1].first_gid, 80u);
  EXPECT_EQ(net.total_neurons, 100u);
  EXPECT_DOUBLE_EQ(net.populations[0].params.as<model::LifParams>().tau_syn_ex_ms, 0.5);
  EXPECT_DOUBLE_EQ(net.populations[0].params.as<model::LifParams>().c_m_pf, 250.0);  // NEST default
  ASSERT_EQ(net.projections.size(), 2u);
  EXPECT_EQ(net.projections[0].name, "exc_to_inh");
  EXPECT_EQ(net.projections[0].connect.rule, ConnectRule::kFixedIndegree);
  EXPECT_EQ(net.projections[1].receptor, Receptor::kInhibitory);
  EXPECT_EQ(net.projections[1].weight.kind, Distribution::Kind::kNormal);
  EXPECT_EQ(net.min_delay_steps(), 5);
  EXPECT_EQ(net.max_delay_steps(), 20);
  ASSERT_EQ(net.voltage_record.size(), 1u);
  EXPECT_EQ(net.voltage_record[0].every_steps, 5);
  EXPECT_EQ(net.spike_record.size(), 2u);
}

TEST(Config, SetOverridesKeysByPathAndIndex) {
  const NetworkSpec net = parse(kBase, {"simulation.t_stop_ms=250", "projection[0].weight_mv=0.3",
                                        "population[1].size=40", "simulation.output=out/x.h5"});
  EXPECT_EQ(net.simulation.steps, 2500);
  EXPECT_DOUBLE_EQ(net.projections[0].weight.a, 0.3);
  EXPECT_EQ(net.populations[1].size, 40u);
  EXPECT_EQ(net.simulation.output, "out/x.h5");
  EXPECT_NE(net.toml_text.find("250"), std::string::npos);
}

TEST(Config, SetRejectsMalformedOverrides) {
  expect_error(kBase, {"--set", "expected key.path=value"}, {"simulation.t_stop_ms"});
  expect_error(kBase, {"no element 9"}, {"projection[9].weight_mv=1"});
}

TEST(Config, RejectsInvalidToml) {
  expect_error("[simulation\n", {"test.toml:1", "invalid TOML"});
}

TEST(Config, RejectsUnknownKey) {
  expect_error(edit("seed = 7", "seed = 7\nsed = 8"), {"simulation.sed", "unknown key"});
  expect_error(edit("tau_m_ms = 20.0,", "tau_mm_ms = 20.0,"),
               {"population[0].params.tau_mm_ms", "unknown key"});
  expect_error(std::string(kBase) + "\n[extra]\nx = 1\n", {"extra", "unknown key"});
}

TEST(Config, RejectsWrongType) {
  expect_error(edit("t_stop_ms = 100.0", "t_stop_ms = \"long\""),
               {"simulation.t_stop_ms", "expected a number"});
  expect_error(edit("size = 80", "size = 80.5"), {"population[0].size", "expected an integer"});
  expect_error(edit("name = \"exc\"", "name = 3"), {"population[0].name", "expected a string"});
}

TEST(Config, RejectsMissingRequiredKey) {
  expect_error(edit("t_stop_ms = 100.0", ""), {"simulation.t_stop_ms", "required key is missing"});
  expect_error(edit("delay_ms = 1.5", ""), {"projection[0].delay_ms", "required key is missing"});
  expect_error(edit("weight_mv = 0.2", ""), {"projection[0].weight_mv", "required key is missing"});
}

TEST(Config, RejectsNonPositiveSize) {
  expect_error(edit("size = 80", "size = 0"),
               {"population[0].size", "out of range", "1 .. 4294967296"});
  expect_error(edit("size = 20", "size = -5"),
               {"population[1].size", "out of range", "1 .. 4294967296"});
}

TEST(Config, RejectsDelayBelowOrOffTheGrid) {
  expect_error(edit("delay_ms = 1.5", "delay_ms = 0.05"),
               {"projection[0].delay_ms", "below dt_ms 0.1"});
  expect_error(edit("delay_ms = 1.5", "delay_ms = 1.55"),
               {"projection[0].delay_ms", "not a multiple of dt_ms"});
  expect_error(edit("delay_ms = { uniform = [0.5, 2.0] }", "delay_ms = { normal = [1.0, 0.5] }"),
               {"projection[1].delay_ms", "below dt_ms"});
}

TEST(Config, RejectsUnknownPopulationOrModel) {
  expect_error(edit("target = \"inh\"", "target = \"inhib\""),
               {"projection[0].target", "unknown population 'inhib'"});
  expect_error(edit("model = \"lif_psc_delta\"", "model = \"hh\""),
               {"population[1].model", "unknown model 'hh'"});
  expect_error(edit("spikes = [\"exc\", \"inh\"]", "spikes = [\"exc\", \"i\"]"),
               {"record[0].spikes", "'i'"});
}

TEST(Config, RejectsProbabilityOutsideUnitInterval) {
  expect_error(edit("p = 0.1", "p = 1.5"),
               {"projection[1].connect.p", "out of range", "a probability in [0, 1]"});
  expect_error(edit("p = 0.1", "p = -0.1"),
               {"projection[1].connect.p", "out of range", "a probability in [0, 1]"});
}

TEST(Config, RejectsIndegreeAboveSourcesWithoutMultapses) {
  expect_error(edit("indegree = 10 }", "indegree = 81, allow_multapses = false }"),
               {"projection[0].connect.indegree", "81", "80 distinct sources"});
  // With multapses the same in-degree is fine.
  EXPECT_NO_THROW(parse(edit("indegree = 10 }", "indegree = 81 }")));
}

TEST(Config, RejectsWeightKeyOfTheWrongUnit) {
  expect_error(edit("weight_mv = 0.2", "weight_pa = 0.2"),
               {"projection[0].weight_pa", "weight_mv"});
}

TEST(Config, RejectsOtherRangeErrors) {
  expect_error(edit("dt_ms = 0.1", "dt_ms = 0.0"),
               {"simulation.dt_ms", "out of range", "[1e-06, 10]"});
  expect_error(edit("tau_m_ms = 20.0,", "tau_m_ms = -1.0,"),
               {"population[0].params.tau_m_ms", "out of range", "(0, 1e+09]"});
  expect_error(edit("params = { tau_m_ms = 20.0, tau_syn_ex_ms = 0.5 }",
                    "params = { v_reset_mv = -50.0, v_th_mv = -55.0 }"),
               {"population[0].params.v_reset_mv", "below v_th_mv"});
  expect_error(edit("every_ms = 0.5", "every_ms = 0.25"), {"record[0].v_m.every_ms", "multiple"});
  expect_error(edit("node_ids = [0, 3]", "node_ids = [0, 300]"), {"record[0].v_m.node_ids", "300"});
  expect_error(edit("rule = \"fixed_indegree\", indegree = 10", "rule = \"random\""),
               {"projection[0].connect.rule", "unknown rule"});
  expect_error(edit("name = \"inh\"", "name = \"exc\""), {"population[1].name", "defined twice"});
}

}  // namespace
}  // namespace spikeweave::network
