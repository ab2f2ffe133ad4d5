// libFuzzer harness: the --set and --vary parsers. Each input line is one assignment; lines
// starting with '~' are --vary assignments (key=DIST). They are applied to a small valid network,
// which is then parsed and validated, and each --vary value's first draws are applied too.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "jobs/spiking_dataset.hpp"
#include "network/spec.hpp"

namespace {
const char* const kBase = R"(
[simulation]
dt_ms = 0.1
t_stop_ms = 10.0
seed = 1
[[population]]
name = "exc"
size = 20
model = "lif_psc_exp"
params = { tau_m_ms = 10.0 }
[[population]]
name = "in"
size = 5
model = "poisson_source"
params = { rate_hz = 10.0 }
[[projection]]
source = "in"
target = "exc"
connect = { rule = "fixed_indegree", indegree = 2 }
weight_pa = { uniform = [1.0, 2.0] }
delay_ms = 1.0
plasticity = { rule = "stdp_pair", w_max_pa = 5.0 }
[[stimulus]]
kind = "poisson"
target = "exc"
rate_hz = 100.0
weight_pa = 1.0
[[record]]
spikes = "all"
)";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream lines(std::string(reinterpret_cast<const char*>(data), size));
  spikeweave::jobs::SpikingDatasetSpec dataset;
  dataset.network_toml = kBase;
  dataset.seed = 3;
  std::string line;
  try {
    while (std::getline(lines, line)) {
      if (!line.empty() && line[0] == '~') {
        dataset.vary.push_back(spikeweave::jobs::parse_varied_key(line.substr(1), kBase));
      } else {
        dataset.set.push_back(line);
      }
    }
    for (std::uint64_t m = 0; m < 2; ++m) {
      const std::vector<std::string> overrides =
          spikeweave::jobs::instance_overrides(dataset, m, nullptr, nullptr);
      spikeweave::network::parse_network(kBase, "fuzz.toml", overrides);
    }
  } catch (const spikeweave::UserError&) {
  }
  return 0;
}
