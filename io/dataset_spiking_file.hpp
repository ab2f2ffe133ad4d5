#pragma once
// The spiking-dataset file: M instances of one spiking network, assembled collectively into one
// parallel-HDF5 file once every instance is computed (jobs/spiking_dataset.hpp keeps the
// computed instances in per-instance part files until then).
//
//   /spikes/<population>/node_ids        uint64 [S]   all instances, instance by instance,
//   /spikes/<population>/timestamps      float64 [S]  each sorted by (time, node id) [ms]
//   /spikes/<population>/index_pointers  uint64 [M+1] instance m is [ptr[m], ptr[m+1])
//   /connectivity/<projection>/source    uint64 [C]   node id in the source population
//   /connectivity/<projection>/target    uint64 [C]   node id in the target population
//   /connectivity/<projection>/weight    float64 [C]  initial weight (the target model's unit)
//   /connectivity/<projection>/delay_ms  float64 [C]
//   /connectivity/<projection>/index_pointers uint64 [M+1]
//   /params   [M] compound: network (uint64), seed (uint64), one float64 per varied key
//   /done     [M] uint8 (all 1)
//   /provenance  attributes: spec (canonical description), command line, version, ...
#include <cstdint>
#include <string>
#include <vector>

#include "comm/context.hpp"

namespace spikeweave::io {

// One instance's results (this rank's share when assembling).
struct SpikingInstance {
  std::uint64_t index = 0;
  std::uint64_t seed = 0;
  std::vector<double> varied;                           // one value per varied key
  std::vector<std::vector<std::uint64_t>> spike_nodes;  // per recorded population
  std::vector<std::vector<double>> spike_times_ms;
  std::vector<std::vector<std::uint64_t>> sources, targets;  // per projection
  std::vector<std::vector<double>> weights, delays_ms;
};

struct SpikingDatasetLayout {
  std::uint64_t instances = 0;
  std::vector<std::string> populations;  // recorded spike groups
  std::vector<std::string> projections;
  std::vector<std::string> varied_keys;
  std::string spec;
  std::string command_line;
  std::string backend;
};

// Collective: writes the file at `path` (through "<path>.assembling" and a rename) from the
// instances each rank holds: rank r holds a contiguous range of instances, all ranks together
// hold 0 .. M-1 in order. `counts` (identical on every rank) gives, per instance, the number of
// spikes of each population then of synapses of each projection.
void write_spiking_dataset(comm::Context& context, const std::string& path,
                           const SpikingDatasetLayout& layout,
                           const std::vector<SpikingInstance>& mine,
                           const std::vector<std::uint64_t>& counts);

}  // namespace spikeweave::io
