#pragma once
// `spikeweave dataset rate`: M random rate networks and their activity into one parallel-HDF5
// file, on any number of ranks, resumable.
//
// Work distribution: a shared counter (work_queue.hpp) hands out networks in batches; a rank
// simulates batches until its round has lasted round_seconds (or its buffer is full), then all
// ranks write their networks in one collective write and mark them done. Network m depends only
// on (seed, m), so the file does not depend on which rank made what, on the number of ranks, or
// on interruptions.
#include <cstdint>
#include <string>

#include "comm/context.hpp"
#include "jobs/rate_dataset_spec.hpp"

namespace spikeweave::jobs {

struct RateDatasetOptions {
  bool overwrite = false;
  bool quiet = false;
  int batch = 0;               // networks per kernel launch (0: the execution space's concurrency)
  double round_seconds = 2.0;  // simulation time between collective writes
  // Per rank: a round ends early when its results reach this size. Small enough to stay mapped
  // and reused round after round: a 512 MB buffer, touched afresh, cost twice the CPU time of the
  // whole run in page faults and cache misses (benchmarks/sections/rate.md).
  double buffer_mb = 64.0;
  double progress_seconds = 2.0;  // rank 0 prints progress at most this often
  bool sync = true;               // fsync each round's data before marking it done
  std::string command_line;
  std::string backend;
  // Test hook: stop (as if killed) after this many rounds; 0: never.
  int stop_after_rounds = 0;
};

struct RateDatasetReport {
  std::uint64_t networks = 0;       // M
  std::uint64_t already_done = 0;   // found done when the run started
  std::uint64_t computed = 0;       // simulated (and written) in this run, all ranks
  std::uint64_t marked = 0;         // of those, marked done (a rerun skips them), all ranks
  std::uint64_t bytes_written = 0;  // raw data, all ranks
  double seconds = 0.0;             // wall time of the run (rank 0)
  double simulate_seconds = 0.0;    // max over ranks
  double write_seconds = 0.0;       // max over ranks
  double cpu_seconds = 0.0;         // user + system CPU time of the run, summed over ranks
  bool complete = false;            // the final file is in place
  int rounds = 0;
};

// Collective. Throws ConfigError / FileError on bad input (on every rank alike).
RateDatasetReport run_rate_dataset(comm::Context& context, const RateDatasetSpec& spec,
                                   const RateDatasetOptions& options);

}  // namespace spikeweave::jobs
