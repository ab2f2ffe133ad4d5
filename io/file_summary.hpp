#pragma once
// What kind of SpikeWeave file a path holds, and the counts of the dataset files, for
// `spikeweave inspect` (run files: io/run_file_reader.hpp). Serial HDF5, any process.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace spikeweave::io {

enum class FileKind { kRun, kRateDataset, kSpikingDataset, kOther };

// Throws FileError for a missing or non-HDF5 file; kOther for HDF5 that is none of SpikeWeave's
// kinds (the run-file reader then names what is missing).
FileKind detect_file_kind(const std::string& path);

struct RateDatasetSummary {
  std::uint64_t networks = 0, done = 0;
  std::uint64_t neurons = 0, trials = 0, steps = 0;
};

struct SpikingDatasetSummary {
  std::uint64_t instances = 0, done = 0;
  std::vector<std::pair<std::string, std::uint64_t>> spikes;    // per population, all instances
  std::vector<std::pair<std::string, std::uint64_t>> synapses;  // per projection, all instances
};

RateDatasetSummary read_rate_dataset_summary(const std::string& path);
SpikingDatasetSummary read_spiking_dataset_summary(const std::string& path);

}  // namespace spikeweave::io
