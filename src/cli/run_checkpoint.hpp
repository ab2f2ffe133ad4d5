#pragma once
// `spikeweave run` with checkpoints: the options, the restart from a checkpoint (what may change
// on it), and the hook that writes checkpoints at interval boundaries on a cadence or when a
// stop signal arrived (README "Checkpoints and restarts").
#include <boost/program_options.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "comm/context.hpp"
#include "engine/simulation.hpp"
#include "io/checkpoint_data.hpp"
#include "io/checkpoint_dir.hpp"
#include "io/checksum.hpp"
#include "io/run_output.hpp"
#include "network/spec.hpp"

namespace spikeweave::cli {

struct CheckpointOptions {
  double every_ms = 0.0;  // 0: no checkpoints on a cadence (a stop signal still writes one)
  std::string dir = "checkpoints";
  int keep = 2;         // complete checkpoints kept (the newest ones)
  std::string restart;  // the checkpoint to continue, or ""
};

void add_checkpoint_options(boost::program_options::options_description& options,
                            CheckpointOptions& values);
// Range checks of the checkpoint options (a ConfigError naming the option).
void check_checkpoint_options(const boost::program_options::variables_map& vm);

// A checkpoint to continue, known on every rank. Its checksums are verified while the state is
// restored (restore_simulation), on rank 0.
struct Restart {
  std::string path;       // as given to --restart
  std::string directory;  // the checkpoint's own directory (DIR/latest resolved)
  io::CheckpointHeader header;
  bool has_output = false;          // holds a copy of the run's output as of its step
  bool verifier = false;            // this rank (0) verifies the checksums
  io::CheckpointManifest manifest;  // the verifier's
  std::shared_ptr<io::ChecksumVerification> verification;  // the verifier's, once started
};

// Collective. Rank 0 resolves the checkpoint and checks its manifest, its files' sizes and its
// header (the network TOML against its hash), then starts verifying the checksums on a thread
// (the build goes on meanwhile; restore_simulation waits for it); every rank reads its header. A
// bad checkpoint is a FileError on every rank.
Restart open_restart(comm::Context& context, const std::string& path);

// Rank 0, where reading a checkpoint failed: a checkpoint whose checksums do not match is refused
// as such (the FileError a verification before reading would have thrown), whatever else reading
// it ran into. Other ranks, or a checkpoint that passes: nothing.
void refuse_if_corrupted(const Restart& restart);

// The network a restart continues: the checkpoint's TOML and overrides, then `overrides`, which
// may only change keys that leave the state layout alone (simulation.t_stop_ms, .output,
// .partition, .flush_interval_ms); anything else is a ConfigError naming the key. A NET.toml
// given beside --restart (`config_text` not empty) must be the checkpoint's network.
network::NetworkSpec restart_spec(const Restart& restart, const std::string& config_path,
                                  const std::string& config_text,
                                  const std::vector<std::string>& overrides);

// Collective: restores the simulation from the checkpoint (refusing one with another
// resolution or communication interval); returns once rank 0's verification of its checksums,
// started by open_restart, succeeded (else a FileError on every rank, as open_restart's was).
// Returns the seconds the verification took (rank 0; 0 elsewhere).
double restore_simulation(engine::Simulation& simulation, Restart& restart);

// Writes checkpoints at interval boundaries. Install with simulation.set_interval_hook.
class Checkpointer {
 public:
  Checkpointer(comm::Context& context, engine::Simulation& simulation, io::RunOutput* output,
               CheckpointOptions options, std::string network_toml,
               std::vector<std::string> overrides, bool talk, std::string command_line);
  // The interval hook: writes a checkpoint when the cadence or a stop signal (agreed over the
  // ranks) asks for one; returns true to stop the run. Every flush interval and before every
  // checkpoint it looks for NaN or infinite state: a blow-up commits the output written so far
  // and is a UserError naming the population (projection), neuron (synapse) and time.
  bool at_interval_boundary();
  // Collective: writes the checkpoint of the current step.
  void write();
  // The stop signal the run ended on, or 0.
  int stopped_by() const { return stopped_by_; }
  // Waits for the removal of checkpoints beyond --keep-checkpoints (see publish).
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  comm::Context& context_;
  engine::Simulation& simulation_;
  io::RunOutput* output_;
  CheckpointOptions options_;
  io::CheckpointHeader header_;
  void check_finite();
  // Rank 0 completes the state file's checksum from the chunks `hashed` as it was written,
  // copies the output file into the staging directory and publishes the checkpoint; collective
  // (every rank learns whether it failed).
  io::CheckpointManifest publish(const std::string& staging, Step step,
                                 const std::string& network_hash, const io::ChunkHashes& hashed);
  // Rank 0: waits for the thread that removes the checkpoints the last publish retired.
  void finish_pruning();

  static constexpr std::uint64_t kSignalIntervals = 8;
  std::uint64_t intervals_ = 0;
  std::string command_line_;
  Step every_steps_ = 0;
  Step check_every_steps_ = 1;
  Step previous_step_ = 0;
  Step last_written_ = -1;
  int stopped_by_ = 0;
  bool talk_ = false;
  std::thread pruner_;  // rank 0: removes retired checkpoints while the run goes on
};

}  // namespace spikeweave::cli
