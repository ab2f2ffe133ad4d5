#pragma once
// Reading back a run's output file (serial HDF5), for `spikeweave inspect` and for tests.
#include <cstdint>
#include <string>
#include <vector>

namespace spikeweave::io {

struct PopulationSpikeSummary {
  std::string name;
  std::uint64_t nodes = 0;
  std::uint64_t spikes = 0;
};

struct RunFileSummary {
  std::vector<PopulationSpikeSummary> populations;
  double t_stop_ms = 0.0;
  std::int64_t ranks = 0;
  std::string version;
  std::string git_commit;
  bool has_energy = false;  // /provenance/energy (runs before the energy estimate lack it)
  double synops = 0.0, neuron_updates = 0.0, energy_spikes = 0.0;
  std::vector<std::pair<std::string, double>> joules;                // per platform
  std::vector<std::pair<std::string, std::uint64_t>> presentations;  // per encoder: count
};

struct SpikeTrains {
  std::vector<std::uint64_t> node_ids;
  std::vector<double> times_ms;
};

// Throws FileError naming the path if the file is missing or is not a SpikeWeave run file.
RunFileSummary read_run_summary(const std::string& path);
SpikeTrains read_spikes(const std::string& path, const std::string& population);

}  // namespace spikeweave::io
