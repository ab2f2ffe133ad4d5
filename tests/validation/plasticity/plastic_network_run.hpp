#pragma once
// Runs a plastic network in the test process and returns what the STDP validation tests look at:
// the spike trains of named populations and the initial and final synapses of named projections,
// all gathered on every rank (so rank counts can be compared). Recordings stay in memory.
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/memory_run_output.hpp"
#include "common/test_context.hpp"
#include "engine/simulation.hpp"
#include "network/spec.hpp"
#include "plasticity/stdp_harness.hpp"

namespace spikeweave::test {

struct PlasticNetworkResult {
  // Spike times [ms] per node of every recorded population, by population name.
  std::map<std::string, std::vector<std::vector<double>>> spikes_ms;
  // Synapses of each requested projection (sorted by source, target, delay), by projection name.
  std::map<std::string, std::vector<engine::SynapseState>> initial;
  std::map<std::string, std::vector<engine::SynapseState>> final;
};

// Parses `toml` (with `overrides`), runs it to t_stop_ms on `context` and collects the
// projections named in `projections` before and after the run. Collective.
inline PlasticNetworkResult run_plastic_network(comm::Context& context, const std::string& toml,
                                                const std::vector<std::string>& projections,
                                                const std::vector<std::string>& overrides = {}) {
  const network::NetworkSpec spec =
      network::parse_network(toml, "plasticity_validation.toml", overrides);
  engine::Simulation sim(spec, context);
  MemoryRunOutput out(sim.spike_layouts().size(), sim.report_layouts().size(),
                      sim.weight_layouts().size());
  sim.set_output(&out);
  PlasticNetworkResult result;
  for (const std::string& name : projections) {
    if (spec.projection_index(name) < 0) throw std::invalid_argument("no projection " + name);
    result.initial[name] =
        gather_synapses(context, sim.synapse_states(spec.projection_index(name)));
  }
  sim.run_to_end();
  for (const std::string& name : projections) {
    result.final[name] = gather_synapses(context, sim.synapse_states(spec.projection_index(name)));
  }
  for (std::size_t g = 0; g < spec.spike_record.size(); ++g) {
    const network::PopulationSpec& pop = spec.populations[spec.spike_record[g]];
    auto& trains = result.spikes_ms[pop.name];
    trains.assign(pop.size, {});
    for (auto [node, step] :
         out.gather_sorted(context, static_cast<int>(g), spec.simulation.dt_ms)) {
      trains[node].push_back(static_cast<double>(step) * spec.simulation.dt_ms);
    }
  }
  return result;
}

}  // namespace spikeweave::test
