// Every recordable state variable of every neuron model in the registry can be recorded through
// record.v_m.variables (the group provides its View; the parser accepts exactly the recordable
// ones), and the values are the model's state: a population started from `init` values keeps
// them in the first sample where nothing drives them (no input, values at rest).
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "common/memory_run_output.hpp"
#include "common/test_context.hpp"
#include "core/errors.hpp"
#include "engine/simulation.hpp"
#include "model/neuron_model.hpp"
#include "network/spec.hpp"

namespace spikeweave {
namespace {

std::vector<std::string> recordable_besides_v_m(const model::NeuronModelInfo& m) {
  std::vector<std::string> names;
  for (const model::StateVariableInfo& s : m.state) {
    if (s.recordable && s.name != "v_m_mv") names.push_back(s.name);
  }
  return names;
}

std::string network(const model::NeuronModelInfo& m, const std::vector<std::string>& variables) {
  std::ostringstream toml;
  toml << "[simulation]\ndt_ms = 0.1\nt_stop_ms = 2.0\n[[population]]\nname = \"p\"\nsize = 3\n"
       << "model = \"" << m.name << "\"\n[[record]]\nv_m = { population = \"p\", count = 3, "
       << "variables = [";
  for (std::size_t k = 0; k < variables.size(); ++k) {
    toml << (k ? ", " : "") << "\"" << variables[k] << "\"";
  }
  toml << "] }\n";
  return toml.str();
}

TEST(StateRecording, EveryRecordableVariableOfEveryModelIsRecorded) {
  int models_with_state = 0;
  for (const model::NeuronModelInfo* m : model::neuron_models().all()) {
    if (!m->receives_input()) continue;
    const std::vector<std::string> variables = recordable_besides_v_m(*m);
    if (variables.empty()) continue;
    ++models_with_state;
    const network::NetworkSpec spec = network::parse_network(network(*m, variables), "s.toml");
    engine::Simulation sim(spec, test::world());
    test::MemoryRunOutput out(sim.spike_layouts().size(), sim.report_layouts().size());
    sim.set_output(&out);
    sim.run_to_end();
    ASSERT_EQ(out.reports.size(), 1u) << m->name;
    const auto& report = out.reports[0];
    const std::size_t columns = sim.report_layouts()[0].local_node_ids.size();
    EXPECT_EQ(sim.report_layouts()[0].variables, variables) << m->name;
    for (const std::string& v : variables) {
      ASSERT_EQ(report.states.count(v), 1u) << m->name << " " << v;
      const std::vector<float>& values = report.states.at(v);
      EXPECT_EQ(values.size(), report.samples * columns) << m->name << " " << v;
      for (float x : values) ASSERT_TRUE(std::isfinite(x)) << m->name << " " << v;
    }
  }
  // izhikevich, the LIF models with synaptic state, the adaptive LIF models, aeif, hh.
  EXPECT_GE(models_with_state, 7);
}

TEST(StateRecording, UnrecordableOrUnknownVariablesAreRejectedNamingTheKey) {
  const model::NeuronModelInfo& izh = *model::neuron_models().find("izhikevich");
  for (const std::string bad : {"w_pa", "v_m_mv", "refractory_steps"}) {
    try {
      network::parse_network(network(izh, {bad}), "s.toml");
      FAIL() << bad << " was accepted";
    } catch (const ConfigError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("record[0].v_m.variables"), std::string::npos) << what;
      EXPECT_NE(what.find("u_mv"), std::string::npos) << what;  // lists what it has
    }
  }
  const model::NeuronModelInfo& lif = *model::neuron_models().find("lif_psc_exp");
  try {
    network::parse_network(network(lif, {"i_syn_ex_pa", "i_syn_ex_pa"}), "s.toml");
    FAIL() << "a variable listed twice was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("twice"), std::string::npos) << e.what();
  }
}

// The values are the state: an adaptive LIF neuron without input keeps theta and w at their
// exact decay from the `init` values (theta 2 mV, tau_theta 100 ms; w 30 pA, tau_w 50 ms).
TEST(StateRecording, RecordedThetaAndWAreTheDecayedInitialValues) {
  const std::string toml =
      "[simulation]\ndt_ms = 0.1\nt_stop_ms = 5.0\n[[population]]\nname = \"p\"\nsize = 2\n"
      "model = \"lif_psc_exp_adaptive\"\nparams = { tau_theta_ms = 100.0, tau_w_ms = 50.0 }\n"
      "init = { theta_mv = 2.0, w_pa = 30.0 }\n[[record]]\nv_m = { population = \"p\", "
      "count = 2, every_ms = 1.0, variables = [\"theta_mv\", \"w_pa\"] }\n";
  const network::NetworkSpec spec = network::parse_network(toml, "a.toml");
  engine::Simulation sim(spec, test::world());
  test::MemoryRunOutput out(sim.spike_layouts().size(), sim.report_layouts().size());
  sim.set_output(&out);
  sim.run_to_end();
  const auto& r = out.reports.at(0);
  const std::size_t columns = sim.report_layouts()[0].local_node_ids.size();
  ASSERT_EQ(r.samples, 5u);
  for (std::size_t s = 0; s < r.samples; ++s) {
    const double t = static_cast<double>(s + 1);  // sample s at (s + 1) ms
    for (std::size_t j = 0; j < columns; ++j) {
      // float32: relative rounding 6e-8.
      EXPECT_NEAR(r.states.at("theta_mv")[s * columns + j], 2.0 * std::exp(-t / 100.0), 1e-6);
      EXPECT_NEAR(r.states.at("w_pa")[s * columns + j], 30.0 * std::exp(-t / 50.0), 1e-5);
    }
  }
}

}  // namespace
}  // namespace spikeweave
