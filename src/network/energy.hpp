#pragma once
// The energy estimate of a run: operation counts (synaptic events, neuron updates, spikes) times
// published energies per operation, read from an editable table
// (examples/energy_per_operation.toml). Host only (TOML).
#include <string>
#include <vector>

namespace spikeweave::network {

struct EnergyPlatform {
  std::string name;
  std::string source;                 // where the figures come from
  double pj_per_synop = 0.0;          // [pJ] per synaptic event
  double pj_per_neuron_update = 0.0;  // [pJ] per neuron and step
  double pj_per_spike = 0.0;          // [pJ] per emitted spike
  double pj_per_mac = 0.0;            // [pJ] per multiply-accumulate of a dense network (0: n/a)
};

struct EnergyTable {
  std::string path;  // the file read ("" when none was found)
  std::string text;  // its contents, recorded in the output
  std::vector<EnergyPlatform> platforms;
};

struct EnergyCounts {
  double synops = 0.0;
  double neuron_updates = 0.0;
  double spikes = 0.0;
};

// Parses a table; throws ConfigError naming the file and key on a bad entry.
EnergyTable parse_energy_table(const std::string& text, const std::string& path);

// The table a run uses: `configured` (simulation.energy_table; must exist) if given, else
// $SPIKEWEAVE_ENERGY_TABLE, else the first of `defaults` that exists, else an empty table.
EnergyTable find_energy_table(const std::string& configured,
                              const std::vector<std::string>& defaults);

// [J] = 1e-12 (synops pj_per_synop + neuron_updates pj_per_neuron_update + spikes pj_per_spike).
double energy_joules(const EnergyPlatform& platform, const EnergyCounts& counts);

}  // namespace spikeweave::network
