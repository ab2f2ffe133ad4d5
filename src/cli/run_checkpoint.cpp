#include "cli/run_checkpoint.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <sstream>
#include <system_error>

#include "cli/cli_support.hpp"
#include "cli/stop_signals.hpp"
#include "core/errors.hpp"
#include "core/version.hpp"
#include "engine/checkpoint_state.hpp"
#include "io/checkpoint_dir.hpp"
#include "io/checkpoint_file.hpp"

namespace po = boost::program_options;

namespace spikeweave::cli {
namespace {

// Keys a restart may change: they leave the state layout and the network alone.
const char* const kRestartKeys[] = {"simulation.t_stop_ms", "simulation.output",
                                    "simulation.partition", "simulation.flush_interval_ms"};

std::string override_key(const std::string& assignment) {
  const std::size_t eq = assignment.find('=');
  std::string key = assignment.substr(0, eq);
  while (!key.empty() && key.back() == ' ') key.pop_back();
  while (!key.empty() && key.front() == ' ') key.erase(key.begin());
  return key;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

}  // namespace

void add_checkpoint_options(po::options_description& options, CheckpointOptions& values) {
  options.add_options()(
      "checkpoint-every-ms", po::value<double>(&values.every_ms),
      "write a checkpoint every X ms of model time (at the interval boundary reaching it)")(
      "checkpoint-dir", po::value<std::string>(&values.dir)->default_value("checkpoints"),
      "directory of the checkpoints (DIR/ckpt-<step>, DIR/latest)")(
      "keep-checkpoints", po::value<int>(&values.keep)->default_value(2),
      "complete checkpoints kept, newest first (at least 1)")(
      "restart", po::value<std::string>(&values.restart),
      "continue from a checkpoint: DIR (its latest), DIR/latest or DIR/ckpt-<step>; NET.toml may "
      "be left out");
}

void check_checkpoint_options(const po::variables_map& vm) {
  check_option_ranges(
      vm, {{"checkpoint-every-ms", config::Range{0.0, 1e12, true, false, "a time [ms]"}},
           {"keep-checkpoints", config::Range{1.0, 1e6, false, false, "a count of checkpoints"}}});
}

namespace {

// Rank 0: the checkpoint `path` names, its manifest and sizes checked (not its checksums), and
// whether its state file's header is this checkpoint's: "" or the problem.
std::string check_checkpoint(const std::string& path, Restart& restart) {
  try {
    restart.manifest = io::open_checkpoint(path);
    restart.directory = restart.manifest.directory;
    restart.has_output = restart.manifest.has_file("output.h5");
    const auto source = io::open_checkpoint_state(restart.directory + "/state.h5");
    const io::CheckpointHeader& h = source->header();
    if (h.network_hash != restart.manifest.network_hash) {
      return restart.directory + ": the manifest and state.h5 name different networks";
    }
    // The build uses the header before the checksums are verified: its network must be the one
    // it names (the overrides, a few lines, are checked by the build itself).
    if (io::text_hash(h.network_toml) != h.network_hash) {
      return restart.directory + "/state.h5: its network TOML does not match its hash";
    }
    return "";
  } catch (const UserError& e) {
    return e.what();
  }
}

}  // namespace

void refuse_if_corrupted(const Restart& restart) {
  if (!restart.verifier) return;
  std::string problem;
  if (restart.verification) {
    problem = restart.verification->wait();
  } else {
    try {
      io::verify_checkpoint(restart.path);
    } catch (const UserError& e) {
      problem = e.what();
    }
  }
  if (!problem.empty()) throw FileError("--restart " + restart.path, problem);
}

Restart open_restart(comm::Context& context, const std::string& path) {
  Restart restart;
  restart.path = path;
  restart.verifier = context.rank() == 0;
  std::string problem;
  if (restart.verifier) {
    problem = check_checkpoint(path, restart);
    // A state file that cannot be read, or reads wrong, may be a corrupted one: its checksums
    // decide what to say (as when they were verified before anything was read).
    if (!problem.empty()) {
      try {
        io::verify_checkpoint(path);
      } catch (const UserError& e) {
        problem = e.what();
      }
    }
  }
  context.broadcast(problem, 0);
  if (!problem.empty()) throw FileError("--restart " + path, problem);
  // The checksums are verified on a thread of rank 0 while the network is built: the verification
  // reads the files from the disk (once) while the build keeps the other core busy, and the
  // restore then reads the state where the verification has put it, in the page cache.
  if (restart.verifier) {
    restart.verification = std::make_shared<io::ChecksumVerification>(path, restart.manifest);
  }
  context.broadcast(restart.directory, 0);
  std::string output_flag = restart.has_output ? "1" : "0";
  context.broadcast(output_flag, 0);
  restart.has_output = output_flag == "1";
  std::string error;
  try {
    restart.header = io::open_checkpoint_state(restart.directory + "/state.h5")->header();
  } catch (const UserError& e) {
    error = e.what();
  }
  error = comm::first_error(context, error);
  if (!error.empty()) throw FileError(restart.directory, error);
  return restart;
}

network::NetworkSpec restart_spec(const Restart& restart, const std::string& config_path,
                                  const std::string& config_text,
                                  const std::vector<std::string>& overrides) {
  const io::CheckpointHeader& h = restart.header;
  if (!config_text.empty() && io::text_hash(config_text) != h.network_hash) {
    throw FileError(restart.directory,
                    "the checkpoint belongs to another network: its network hash is " +
                        h.network_hash + ", " + config_path + " has " + io::text_hash(config_text));
  }
  for (const std::string& assignment : overrides) {
    const std::string key = override_key(assignment);
    bool allowed = false;
    for (const char* k : kRestartKeys) allowed = allowed || key == k;
    if (!allowed) {
      throw ConfigError(key,
                        "cannot be changed on a restart: it would change the network or the layout "
                        "of its state (a restart may change simulation.t_stop_ms, "
                        "simulation.output, simulation.partition and "
                        "simulation.flush_interval_ms)");
    }
  }
  std::vector<std::string> all = split_lines(h.overrides);
  all.insert(all.end(), overrides.begin(), overrides.end());
  const std::string source = config_path.empty() ? restart.directory + "/state.h5" : config_path;
  try {
    return network::parse_network(h.network_toml, source, all);
  } catch (const UserError&) {
    refuse_if_corrupted(restart);  // the overrides came from the unverified header
    throw;
  }
}

namespace {

// Restores the simulation from the checkpoint (the checksums aside); a bad checkpoint is a
// FileError on every rank.
void restore_unverified(engine::Simulation& simulation, const Restart& restart) {
  const io::CheckpointHeader& h = restart.header;
  if (h.dt_ms != simulation.spec().simulation.dt_ms ||
      h.interval_steps != simulation.interval_steps()) {
    throw FileError(restart.directory,
                    "written with dt_ms " + std::to_string(h.dt_ms) + " and an interval of " +
                        std::to_string(h.interval_steps) + " steps; this run has " +
                        std::to_string(simulation.spec().simulation.dt_ms) + " and " +
                        std::to_string(simulation.interval_steps()));
  }
  if (h.step > simulation.spec().simulation.steps) {
    throw ConfigError("simulation.t_stop_ms",
                      "the checkpoint is at step " + std::to_string(h.step) +
                          ", beyond this run's end (" +
                          std::to_string(simulation.spec().simulation.steps) + " steps)");
  }
  // Every rank reads the entries it owns; a failure on one rank is agreed before the run.
  std::string error;
  try {
    // The bulk of the state is read where the verification has brought it into the page cache:
    // the disk reads the file once, in order.
    std::function<void(std::uint64_t)> resident;
    if (restart.verification) {
      resident = [v = restart.verification](std::uint64_t bytes) {
        v->wait_resident("state.h5", bytes);
      };
    }
    const auto source = io::open_checkpoint_state(restart.directory + "/state.h5", resident);
    engine::StateReader reader(*source);
    simulation.restore_state(reader, h.step);
  } catch (const UserError& e) {
    error = e.what();
  }
  error = comm::first_error(simulation.context(), error);
  if (!error.empty()) throw FileError(restart.directory, error);
}

}  // namespace

double restore_simulation(engine::Simulation& simulation, Restart& restart) {
  if (restart.verifier && !restart.verification) {
    restart.verification =
        std::make_shared<io::ChecksumVerification>(restart.path, restart.manifest);
  }
  try {
    restore_unverified(simulation, restart);
  } catch (const std::exception&) {
    refuse_if_corrupted(restart);
    throw;
  }
  // Nothing restored is used before the checksums matched.
  std::string problem = restart.verifier ? restart.verification->wait() : std::string();
  simulation.context().broadcast(problem, 0);
  if (!problem.empty()) throw FileError("--restart " + restart.path, problem);
  return restart.verifier ? restart.verification->seconds() : 0.0;
}

Checkpointer::Checkpointer(comm::Context& context, engine::Simulation& simulation,
                           io::RunOutput* output, CheckpointOptions options,
                           std::string network_toml, std::vector<std::string> overrides, bool talk,
                           std::string command_line)
    : context_(context),
      simulation_(simulation),
      output_(output),
      options_(std::move(options)),
      command_line_(std::move(command_line)),
      previous_step_(simulation.step()),
      talk_(talk) {
  const double dt = simulation.spec().simulation.dt_ms;
  every_steps_ = options_.every_ms > 0.0
                     ? std::max<Step>(1, static_cast<Step>(std::llround(options_.every_ms / dt)))
                     : 0;
  check_every_steps_ = std::max<Step>(
      1, static_cast<Step>(std::llround(simulation.spec().simulation.flush_interval_ms / dt)));
  header_.layout_version = io::kCheckpointLayoutVersion;
  header_.interval_steps = simulation.interval_steps();
  header_.ranks = context.size();
  header_.dt_ms = dt;
  header_.network_hash = io::text_hash(network_toml);
  header_.network_toml = std::move(network_toml);
  header_.overrides = join_lines(overrides);
  header_.effective_toml = simulation.spec().toml_text;
  header_.version = std::string(kVersion) + " (commit " + kGitCommit + ")";
  // Periodic checkpoints: their synapse keys are built while the first interval runs.
  if (every_steps_ > 0) simulation_.prepare_checkpoint_keys();
}

bool Checkpointer::at_interval_boundary() {
  const Step step = simulation_.step();
  const bool due = every_steps_ > 0 && step / every_steps_ != previous_step_ / every_steps_;
  const bool check = step / check_every_steps_ != previous_step_ / check_every_steps_;
  // The ranks agree on a stop signal every kSignalIntervals intervals (and at every checkpoint
  // and check): one small reduction, not one per interval. Every rank counts the same intervals.
  const int own_signal = stop_signal();
  const bool agree = ++intervals_ % kSignalIntervals == 0 || due || check;
  const bool stop = agree && context_.any(own_signal != 0);
  if (check || due || stop) check_finite();
  previous_step_ = step;
  if (due || stop) write();
  if (stop) stopped_by_ = own_signal != 0 ? own_signal : -1;
  return stop;
}

void Checkpointer::check_finite() {
  const std::string problem = simulation_.non_finite_state();
  if (problem.empty()) return;
  // What the run recorded up to here is kept: the output is completed and committed.
  simulation_.flush_output();
  if (output_ != nullptr) {
    io::Provenance provenance = simulation_.provenance(command_line_);
    provenance.counters["stopped_by_non_finite_state"] = 1.0;
    output_->commit(provenance);
  }
  throw UserError("simulation", problem);
}

namespace {
double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

Checkpointer::~Checkpointer() {
  finish_pruning();
}

void Checkpointer::finish_pruning() {
  if (pruner_.joinable()) pruner_.join();
}

void Checkpointer::write() {
  const Step step = simulation_.step();
  if (step == last_written_) return;
  finish_pruning();  // the retired checkpoints' names are a staging directory's
  // Phases (seconds, rank 0's clock), printed so that a slow checkpoint says where time goes.
  double flush_s = 0, blocks_s = 0, state_s = 0, publish_s = 0;
  auto start = std::chrono::steady_clock::now();
  const auto begin = start;
  simulation_.flush_output();
  if (output_ != nullptr) output_->sync();
  const std::string staging = io::begin_checkpoint(context_, options_.dir, step);
  flush_s = seconds_since(start);
  start = std::chrono::steady_clock::now();
  engine::StateWriter writer;
  simulation_.save_state(writer);
  // The projections' synapse values are placed in stored order while the file is written
  // (deferred blocks): their time is in the state write's, not in blocks_s.
  blocks_s = seconds_since(start);
  io::CheckpointHeader header = header_;
  header.step = step;
  start = std::chrono::steady_clock::now();
  const io::ChunkHashes hashed = io::write_checkpoint_state(
      context_, staging + "/state.h5", header, writer.blocks(), &simulation_.checkpoint_buffers());
  state_s = seconds_since(start);
  start = std::chrono::steady_clock::now();
  const io::CheckpointManifest manifest = publish(staging, step, header.network_hash, hashed);
  publish_s = seconds_since(start);
  last_written_ = step;
  if (talk_) {
    std::error_code ec;
    const double state_bytes =
        static_cast<double>(std::filesystem::file_size(options_.dir + "/latest/state.h5", ec));
    std::fprintf(stderr,
                 "[spikeweave] checkpoint at t = %.1f ms in %.3f s (state.h5: %.0f bytes written "
                 "in %.3f s; output flush %.3f s, state blocks %.3f s, output copy + fsync + "
                 "checksums + rename %.3f s): %s/latest\n",
                 manifest.time_ms, seconds_since(begin), state_bytes, state_s, flush_s, blocks_s,
                 publish_s, options_.dir.c_str());
  }
}

io::CheckpointManifest Checkpointer::publish(const std::string& staging, Step step,
                                             const std::string& network_hash,
                                             const io::ChunkHashes& hashed) {
  io::CheckpointManifest manifest;
  manifest.step = step;
  manifest.time_ms = static_cast<double>(step) * header_.dt_ms;
  manifest.ranks = context_.size();
  manifest.network_hash = network_hash;
  manifest.files.push_back({"state.h5", 0, ""});
  if (output_ != nullptr) manifest.files.push_back({"output.h5", 0, ""});
  std::string problem;
  if (context_.rank() == 0) {
    try {
      // The state goes to disk while the output is copied; the copy's checksum is computed
      // while copying (publish_checkpoint keeps it). The state's checksum is chunked: the ranks
      // hashed most chunks as they wrote them (most of the file never was in the page cache).
      io::start_writeback(staging + "/state.h5");
      manifest.files.front().checksum = io::chunked_file_checksum(staging + "/state.h5", hashed);
      if (output_ != nullptr) {
        manifest.files.back().checksum =
            io::copy_file_synced(output_->partial_file(), staging + "/output.h5");
      }
      std::vector<std::string> retired;
      problem = io::publish_checkpoint(staging, options_.dir, manifest, options_.keep, &retired);
      auto remove = [](const std::vector<std::string>& paths) {
        std::error_code ec;
        for (const std::string& path : paths) std::filesystem::remove_all(path, ec);
      };
      try {
        if (!retired.empty()) pruner_ = std::thread(remove, retired);
      } catch (const std::system_error&) {
        remove(retired);  // no thread to spare: removed here, as before
      }
    } catch (const UserError& e) {
      problem = e.what();
    }
  }
  context_.broadcast(problem, 0);
  if (!problem.empty()) throw FileError(options_.dir, "checkpoint failed: " + problem);
  return manifest;
}

}  // namespace spikeweave::cli
