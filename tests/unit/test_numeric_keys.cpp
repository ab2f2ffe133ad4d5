// Table-driven validation test generated from the schema: every numeric key that the parser
// reads for a network (recorded with its documented range by config::SchemaRecorder) is set
// through --set to NaN, +inf, -inf, a huge value, zero and a negative value. Each case must either
// be refused with a ConfigError naming the key, or be accepted because the key's range allows it,
// and then the network must be read with that value (the parser asked for the key and found it)
// and simulate to its end. No case may be accepted and ignored.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "common/test_context.hpp"
#include "core/errors.hpp"
#include "core/schema_recorder.hpp"
#include "engine/simulation.hpp"
#include "jobs/rate_dataset_spec.hpp"
#include "network/spec.hpp"

namespace spikeweave {
namespace {

// Every case simulates 5 ms (a probe of t_stop_ms itself comes after and wins).
const char* const kShortRun = "simulation.t_stop_ms=5.0";

std::string read_file(const std::string& relative) {
  std::ifstream in(std::string(SPIKEWEAVE_SOURCE_DIR) + "/" + relative);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every numeric key the parse of `text` reads, by path (the first note of each path).
std::map<std::string, config::NumericKey> numeric_keys(const std::string& text) {
  config::SchemaRecorder recorder;
  network::parse_network(text, "base.toml", {kShortRun});
  std::map<std::string, config::NumericKey> keys;
  for (const auto& key : recorder.keys()) keys.emplace(key.path, key);
  return keys;
}

struct Probe {
  std::string text;  // TOML value
  double value;      // its numeric value
};

std::vector<Probe> probes(bool integer) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<Probe> p = {{"nan", std::nan("")}, {"inf", inf}, {"-inf", -inf}};
  if (integer) {
    p.push_back({"9223372036854775807", 9.223372036854775807e18});
    p.push_back({"0", 0.0});
    p.push_back({"-1", -1.0});
  } else {
    p.push_back({"1e300", 1e300});
    p.push_back({"0.0", 0.0});
    p.push_back({"-1.0", -1.0});
  }
  return p;
}

// A refusal names the key: its full path, or its table's path and its own name (cross-key
// checks such as "v_reset_mv: ... must be below v_th_mv" report on the other key).
bool names_key(const std::string& message, const std::string& path) {
  if (message.find(path) != std::string::npos) return true;
  const std::size_t dot = path.rfind('.');
  if (dot == std::string::npos) return false;
  return message.find(path.substr(0, dot)) != std::string::npos &&
         message.find(path.substr(dot + 1)) != std::string::npos;
}

struct Outcome {
  int refused = 0;
  int accepted = 0;
};

void probe_key(const std::string& base, const config::NumericKey& key, Outcome& outcome) {
  for (const Probe& probe : probes(key.integer)) {
    const std::string assignment = key.path + "=" + probe.text;
    SCOPED_TRACE("--set " + assignment);
    config::SchemaRecorder recorder;
    network::NetworkSpec spec;
    try {
      spec = network::parse_network(base, "base.toml", {kShortRun, assignment});
    } catch (const ConfigError& e) {
      EXPECT_TRUE(names_key(e.what(), key.path)) << "refused without naming the key: " << e.what();
      ++outcome.refused;
      continue;
    }
    // Accepted: the parser must have read the key, found the value and had a range holding it.
    bool read = false;
    for (const auto& seen : recorder.keys()) {
      if (seen.path == key.path && seen.present) {
        read = true;
        EXPECT_TRUE(seen.range.contains(probe.value))
            << "accepted " << probe.text << " outside the documented range "
            << seen.range.describe();
      }
    }
    EXPECT_TRUE(read) << "accepted, but the parser never read " << key.path;
    EXPECT_TRUE(std::isfinite(probe.value)) << "a non-finite value was accepted";
    // ... and the network must simulate to its end with it.
    engine::Simulation simulation(spec, test::world());
    simulation.run_to_end();
    EXPECT_EQ(simulation.step(), spec.simulation.steps);
    ++outcome.accepted;
  }
}

void probe_every_key(const std::string& relative_path) {
  const std::string base = read_file(relative_path);
  ASSERT_FALSE(base.empty()) << relative_path;
  const auto keys = numeric_keys(base);
  // The schema covers this network: a few dozen numeric keys at least.
  EXPECT_GE(keys.size(), 20u);
  Outcome outcome;
  for (const auto& [path, key] : keys) probe_key(base, key, outcome);
  // Every non-finite and huge probe is refused, so at least half of all cases are.
  EXPECT_GE(outcome.refused, static_cast<int>(keys.size()) * 4);
  std::printf("%s: %zu numeric keys, %d cases refused, %d accepted and simulated\n",
              relative_path.c_str(), keys.size(), outcome.refused, outcome.accepted);
}

TEST(NumericKeys, EveryKeyOfEveryModelAndRuleIsCheckedByItsRange) {
  probe_every_key("tests/unit/schema/every_model_and_rule.toml");
}

TEST(NumericKeys, EveryKeyOfTheIntegrationNetworkIsCheckedByItsRange) {
  probe_every_key("tests/integration/small_net.toml");
}

// The rate-dataset file's keys ([dataset], [rate], [rate.network]) go through the same rule;
// an accepted value must give networks that pass the rate model's own validation.
TEST(NumericKeys, EveryKeyOfTheRateDatasetIsCheckedByItsRange) {
  const std::string text = read_file("examples/dataset_rate_dale.toml");
  auto parse = [&text](const std::vector<std::string>& overrides) {
    return jobs::parse_rate_dataset_text(text, "dataset.toml", overrides);
  };
  std::map<std::string, config::NumericKey> keys;
  {
    config::SchemaRecorder recorder;
    parse({});
    for (const auto& key : recorder.keys()) keys.emplace(key.path, key);
  }
  EXPECT_GE(keys.size(), 15u);
  for (const auto& [path, key] : keys) {
    for (const Probe& probe : probes(key.integer)) {
      SCOPED_TRACE("--set " + path + "=" + probe.text);
      try {
        const jobs::RateDatasetSpec spec = parse({path + "=" + probe.text});
        EXPECT_TRUE(std::isfinite(probe.value));
        rate::validate(jobs::draw_network_params(spec, 0), spec.dynamics, "");
      } catch (const ConfigError& e) {
        EXPECT_TRUE(names_key(e.what(), path)) << e.what();
      }
    }
  }
}

// Distributions: every number inside them is checked too.
TEST(NumericKeys, DistributionsAreCheckedByTheKeysRange) {
  const std::string base = read_file("tests/unit/schema/every_model_and_rule.toml");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"projection[0].weight_pa={ normal = [nan, 1.0] }",
       "weight_pa.normal[0]: nan is not a finite"},
      {"projection[0].weight_pa={ normal = [10.0, inf] }",
       "weight_pa.normal[1]: inf is not a finite"},
      {"projection[0].weight_pa={ normal = [10.0, -1.0] }",
       "weight_pa.normal[1]: -1 is out of range"},
      {"projection[0].weight_pa={ uniform = [0.0, inf] }", "weight_pa.uniform[1]: inf"},
      {"projection[0].weight_pa={ uniform = [-inf, 1.0] }", "weight_pa.uniform[0]: -inf"},
      {"projection[0].weight_pa={ normal = [10.0, 1.0], max = inf }", "weight_pa.max: inf"},
      {"projection[0].weight_pa={ normal = [10.0, 1e6] }", "can draw values outside"},
      {"population[0].init.v_m_mv={ uniform = [nan, 1.0] }", "v_m_mv.uniform[0]: nan"},
      {"projection[1].delay_ms={ uniform = [1.0, nan] }", "delay_ms.uniform[1]: nan"},
      {"projection[0].weight_pa={ uniform = [1.0, 2.0], max = 0.5 }",
       "its min and max leave nothing"},
      {"projection[0].weight_pa={ normal = [10.0, 1.0], min = 50.0 }",
       "its min and max exclude almost all"},
  };
  for (const auto& [assignment, fragment] : cases) {
    SCOPED_TRACE(assignment);
    try {
      network::parse_network(base, "base.toml", {assignment});
      ADD_FAILURE() << "accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  }
}

// Step counts must fit: t_stop_ms / dt_ms beyond 2^53 steps is refused, naming the key.
TEST(NumericKeys, StepCountOverflowIsRefused) {
  const std::string base = read_file("tests/unit/schema/every_model_and_rule.toml");
  try {
    network::parse_network(base, "base.toml",
                           {"simulation.dt_ms=1e-6", "simulation.t_stop_ms=1e10"});
    ADD_FAILURE() << "accepted 1e16 steps";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("simulation.t_stop_ms"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("2^53"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace spikeweave
