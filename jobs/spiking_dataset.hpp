#pragma once
// `spikeweave dataset spiking NET.toml --networks M --vary key.path=DIST ...`: M instances of a
// spiking network, each with its own seed and its own draws of the varied keys, simulated by the
// engine on sub-communicators of `ranks_per_network` ranks (work handed out by a shared counter),
// and assembled into one parallel-HDF5 file (io/dataset_spiking_file.hpp).
//
// Resumable: each finished instance is saved at once as "<out>.parts/instance_<m>.bin" (written
// to a temporary name, then renamed, with a checksum), so a kill at any moment loses at most the
// instances in progress. Rerunning skips saved instances; when all exist, they are assembled
// collectively into "<out>" and the parts removed. The instance seed and the varied values of
// instance m are drawn from (seed, m) and the engine's results do not depend on the number of
// ranks, so the file does not depend on ranks, grouping or interruptions.
#include <cstdint>
#include <string>
#include <vector>

#include "comm/context.hpp"
#include "core/distribution.hpp"

namespace spikeweave::jobs {

struct VariedKey {
  std::string key;       // e.g. projection[0].weight_pa
  Distribution values;   // drawn per instance
  bool integer = false;  // the key holds an integer in NET.toml: draws are rounded
};

struct SpikingDatasetSpec {
  std::string network_toml;      // NET.toml's text
  std::string source;            // its path, for messages
  std::vector<std::string> set;  // --set overrides applied to every instance
  std::vector<VariedKey> vary;
  std::uint64_t instances = 0;  // M
  std::uint64_t seed = 0;       // base seed (default: NET.toml's simulation.seed)
  std::string output;
};

struct SpikingDatasetOptions {
  bool overwrite = false;
  bool quiet = false;
  int ranks_per_network = 1;
  std::string command_line;
  std::string backend;
  // Test hook: after this many instances (per group leader), stop as if killed; 0: never.
  int stop_after_instances = 0;
};

struct SpikingDatasetReport {
  std::uint64_t instances = 0;
  std::uint64_t already_done = 0;
  std::uint64_t computed = 0;  // all ranks
  bool complete = false;
  double seconds = 0.0;
};

// Parses "key.path=DIST" (DIST as for rate datasets: a number, uniform:A,B, or a TOML table).
VariedKey parse_varied_key(const std::string& assignment, const std::string& network_toml);

// Checks the spec (parses NET.toml with the overrides of instance 0 and of the extreme draws).
// Collective-free; throws ConfigError identically on every rank.
void validate(const SpikingDatasetSpec& spec);

// The overrides that make instance m: the --set ones, the varied keys' draws, the seed.
std::vector<std::string> instance_overrides(const SpikingDatasetSpec& spec, std::uint64_t m,
                                            std::vector<double>* varied = nullptr,
                                            std::uint64_t* seed = nullptr);

std::string canonical_spec(const SpikingDatasetSpec& spec);

SpikingDatasetReport run_spiking_dataset(comm::Context& context, const SpikingDatasetSpec& spec,
                                         const SpikingDatasetOptions& options);

}  // namespace spikeweave::jobs
