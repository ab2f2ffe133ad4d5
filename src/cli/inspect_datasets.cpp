#include "cli/inspect_datasets.hpp"

#include <cstdio>

#include "io/file_summary.hpp"

namespace spikeweave::cli {

void print_rate_dataset(const std::string& path) {
  const io::RateDatasetSummary s = io::read_rate_dataset_summary(path);
  std::printf(
      "%s: rate dataset, %llu networks (%llu done), %llu neurons, %llu trials, %llu steps\n",
      path.c_str(), static_cast<unsigned long long>(s.networks),
      static_cast<unsigned long long>(s.done), static_cast<unsigned long long>(s.neurons),
      static_cast<unsigned long long>(s.trials), static_cast<unsigned long long>(s.steps));
}

void print_spiking_dataset(const std::string& path) {
  const io::SpikingDatasetSummary s = io::read_spiking_dataset_summary(path);
  std::printf("%s: spiking dataset, %llu instances (%llu done)\n", path.c_str(),
              static_cast<unsigned long long>(s.instances),
              static_cast<unsigned long long>(s.done));
  for (const auto& [name, spikes] : s.spikes)
    std::printf("population %s: %llu spikes\n", name.c_str(),
                static_cast<unsigned long long>(spikes));
  for (const auto& [name, synapses] : s.synapses)
    std::printf("projection %s: %llu synapses\n", name.c_str(),
                static_cast<unsigned long long>(synapses));
}

}  // namespace spikeweave::cli
