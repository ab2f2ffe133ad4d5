#pragma once
// `spikeweave sweep SWEEP.toml --out FILE.h5`: every point of a sweep (jobs/sweep_points.hpp)
// simulated on groups of `ranks_per_point` ranks, handed out dynamically, its metrics computed
// by the ranks that ran it, and the table written collectively into one parallel-HDF5 file
// (io/sweep_file.hpp).
//
// Resumable with the machinery of `dataset spiking` (jobs/resumable_job.hpp): each finished
// point is saved at once as "<out>.parts/point_<i>.bin"; rerunning skips them, and refuses a
// changed sweep file, naming what changed. Everything in the table except wall and CPU seconds
// is a function of the sweep file alone: not of ranks, grouping, interruptions or shards.
#include <cstdint>
#include <string>
#include <vector>

#include "comm/context.hpp"
#include "jobs/sweep_spec.hpp"

namespace spikeweave::jobs {

struct SweepOptions {
  std::string output;
  int ranks_per_point = 1;
  bool overwrite = false;
  bool quiet = false;
  // A SLURM array task: rows i with i % shard_count == shard_index only (others NaN, done 0).
  std::uint64_t shard_index = 0, shard_count = 1;
  std::string command_line;
  std::string backend;
};

struct SweepReport {
  std::uint64_t points = 0;  // rows of this run (its shard)
  std::uint64_t already_done = 0;
  std::uint64_t computed = 0;
  bool complete = false;
  double seconds = 0.0;
};

// `spec` must have passed validate_sweep. Collective.
SweepReport run_sweep(comm::Context& context, const SweepSpec& spec, const SweepOptions& options);

// `spikeweave sweep --merge OUT.h5 SHARD.h5 ...`: the shards of one sweep (same sweep file, any
// shard counts) into one file, as an unsharded run would have written it. Every row must be
// done in exactly one shard. Collective.
void merge_sweep_files(comm::Context& context, const std::vector<std::string>& shards,
                       const std::string& output, bool overwrite, const std::string& command_line);

}  // namespace spikeweave::jobs
