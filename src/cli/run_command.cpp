// spikeweave run NET.toml: build the network, simulate, write the output file.
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/run_checkpoint.hpp"
#include "cli/stop_signals.hpp"
#include "comm/dry_run_context.hpp"
#include "core/errors.hpp"
#include "engine/memory_check.hpp"
#include "engine/simulation.hpp"
#include "io/hdf5_run_output.hpp"
#include "io/output_path.hpp"
#include "io/run_output_resume.hpp"
#include "network/energy.hpp"
#include "network/spec.hpp"

namespace po = boost::program_options;

namespace spikeweave::cli {

namespace {
const char* kRunUsage =
    "Usage: spikeweave run NET.toml [options]\n"
    "Builds the network of NET.toml on all ranks and simulates it to simulation.t_stop_ms.\n"
    "Runs as one process without mpirun, or under mpirun/srun on any number of ranks.\n"
    "       spikeweave run --restart DIR[/latest] [NET.toml] [options]\n"
    "Continues a run from a checkpoint, on any number of ranks (README \"Checkpoints and "
    "restarts\").\n";

// The energy estimate of a finished run: its counts times each platform's energies.
io::EnergyRecord energy_record(const network::EnergyTable& table, const io::Provenance& p) {
  io::EnergyRecord e;
  e.present = true;
  e.synops = p.counters.at("synaptic_events");
  e.neuron_updates = p.counters.at("neurons") * std::round(p.t_stop_ms / p.dt_ms);
  e.spikes = p.counters.at("spikes");
  e.table_path = table.path;
  e.table_toml = table.text;
  const network::EnergyCounts counts{e.synops, e.neuron_updates, e.spikes};
  for (const network::EnergyPlatform& platform : table.platforms) {
    e.platforms.push_back({platform.name, platform.source, platform.pj_per_synop,
                           platform.pj_per_neuron_update, platform.pj_per_spike,
                           network::energy_joules(platform, counts)});
  }
  return e;
}
}  // namespace

int run_command(comm::Context& context, const std::vector<std::string>& args,
                const std::string& command_line) {
  po::options_description options("Options");
  std::vector<std::string> overrides;
  std::string output, dry_run, dry_run_rates;
  options.add_options()("help,h", "show this help")(
      "output,o", po::value<std::string>(&output),
      "output HDF5 file (overrides simulation.output)")(
      "set", po::value<std::vector<std::string>>(&overrides)->composing(),
      "override a configuration key, e.g. --set simulation.t_stop_ms=200 "
      "--set 'projection[0].weight_pa=50' (repeatable)")(
      "overwrite", "replace an existing output file (only once the new one is complete)")(
      "quiet,q", "no progress or summary output")(
      "no-memory-check",
      "build even if the network's estimated memory exceeds what the nodes have available")(
      "dry-run", po::value<std::string>(&dry_run),
      "R/P: build and simulate only rank R of P ranks in this one process; the other ranks' "
      "spikes are fabricated (docs/dryrun.md). Writes no output file; prints a JSON record")(
      "dry-run-rates", po::value<std::string>(&dry_run_rates),
      "rates of the fabricated spikes [Hz]: 8.5 or E=8.5,I=9 (default: each population follows "
      "this rank's own neurons)");
  CheckpointOptions checkpoints;
  add_checkpoint_options(options, checkpoints);
  std::string config_path;
  po::variables_map vm;
  if (!parse_command_line(context, args, options, config_path, "spikeweave run", kRunUsage, vm))
    return 0;
  check_checkpoint_options(vm);
  const bool restarting = !checkpoints.restart.empty();
  if (config_path.empty() && !restarting)
    throw UserError("spikeweave run", "missing NET.toml (see --help)");
  const bool quiet = vm.count("quiet") > 0;
  const bool overwrite = vm.count("overwrite") > 0;
  const bool talk = !quiet && context.rank() == 0;

  const std::string text =
      config_path.empty() ? std::string() : read_text_file_collectively(context, config_path);
  if (!output.empty()) overrides.push_back("simulation.output=\"" + output + "\"");
  Restart restart;
  // Checking a checkpoint (its manifest, its files' sizes, its header) is part of reading it
  // back; its checksums are verified from here on, while the network is built and restored.
  const auto verify_start = std::chrono::steady_clock::now();
  if (restarting) restart = open_restart(context, checkpoints.restart);
  const double verify_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - verify_start).count();
  const network::NetworkSpec spec = restarting
                                        ? restart_spec(restart, config_path, text, overrides)
                                        : network::parse_network(text, config_path, overrides);
  std::unique_ptr<comm::DryRunContext> dry;
  if (!dry_run.empty() || !dry_run_rates.empty()) {
    comm::DryRunSettings s{
        0, 1, spec.simulation.partition, {}, spec.simulation.dt_ms, spec.simulation.seed};
    for (const auto& p : spec.populations)
      s.populations.push_back({p.name, p.first_gid, p.size, -1.0});
    dry = comm::make_dry_run_context(context, dry_run, dry_run_rates, std::move(s));
  }
  // The engine talks to "the other ranks" through this: the real ones, or the dry-run's.
  comm::Context& ranks = dry ? *dry : context;
  const std::string output_path = dry ? std::string() : spec.simulation.output;
  // Fail before the (possibly long) build if the output cannot be written or the network cannot
  // fit in memory.
  if (!output_path.empty()) io::check_output_path(context, output_path, overwrite);
  if (!vm.count("no-memory-check")) engine::check_memory(spec, ranks.size(), context);
  const network::EnergyTable energy_table =
      network::find_energy_table(spec.simulation.energy_table,
                                 {SPIKEWEAVE_ENERGY_TABLE_SOURCE, SPIKEWEAVE_ENERGY_TABLE_INSTALL});

  const auto build_start = std::chrono::steady_clock::now();
  engine::Simulation simulation(spec, ranks, restarting || checkpoints.every_ms > 0.0,
                                checkpoints.every_ms > 0.0);
  if (restarting) {
    const auto restore_start = std::chrono::steady_clock::now();
    const double verification_seconds = restore_simulation(simulation, restart);
    const double restore_seconds = context.max(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - restore_start).count());
    if (talk) {
      std::fprintf(stderr,
                   "[spikeweave] restored step %lld from %s in %.3f s, its checksums verified "
                   "meanwhile (after checking its manifest and header in %.3f s; the verification "
                   "took %.3f s from before the build)\n",
                   static_cast<long long>(restart.header.step), restart.directory.c_str(),
                   restore_seconds, verify_seconds, verification_seconds);
    }
  }
  const double build_seconds = ranks.max(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - build_start).count());
  std::vector<std::uint64_t> sizes = {simulation.local_neurons(), simulation.local_synapses()};
  ranks.sum(sizes);
  if (talk) {
    std::fprintf(stderr,
                 "[spikeweave] built %llu neurons and %llu synapses on %d rank(s) in %s; "
                 "communication interval %d steps (%.2f ms)\n",
                 static_cast<unsigned long long>(sizes[0]),
                 static_cast<unsigned long long>(sizes[1]), ranks.size(),
                 format_seconds(build_seconds).c_str(), simulation.interval_steps(),
                 simulation.interval_steps() * spec.simulation.dt_ms);
  }
  std::unique_ptr<io::RunOutput> out;
  if (!output_path.empty()) {
    out = io::create_hdf5_run_output(context, output_path, overwrite, simulation.output_layout());
    if (restarting && restart.has_output) {
      io::append_previous_output(context, *out, simulation.output_layout(),
                                 restart.directory + "/output.h5");
    }
    simulation.set_output(out.get());
  }
  // Checkpoints (on a cadence, or when a stop signal arrives) for every real run.
  std::unique_ptr<Checkpointer> checkpointer;
  if (!dry) {
    std::vector<std::string> run_overrides = overrides;
    if (restarting) {
      run_overrides.clear();
      std::istringstream lines(restart.header.overrides);
      for (std::string line; std::getline(lines, line);)
        if (!line.empty()) run_overrides.push_back(line);
      run_overrides.insert(run_overrides.end(), overrides.begin(), overrides.end());
    }
    checkpointer = std::make_unique<Checkpointer>(context, simulation, out.get(), checkpoints,
                                                  restarting ? restart.header.network_toml : text,
                                                  run_overrides, talk, command_line);
    install_stop_signals();
    simulation.set_interval_hook([&checkpointer] { return checkpointer->at_interval_boundary(); });
  }
  if (dry) {
    dry->begin_time_loop(simulation.step(), simulation.interval_steps(), spec.simulation.steps,
                         [&simulation] { return simulation.local_spike_counts(); });
  }
  const auto run_start = std::chrono::steady_clock::now();
  simulation.run_to_end(ProgressPrinter(context, spec.simulation.dt_ms, quiet));
  const double run_seconds = context.max(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count());
  // A signal in the last interval stops nothing: the run is complete and commits as usual.
  if (checkpointer && checkpointer->stopped_by() != 0 &&
      simulation.step() < spec.simulation.steps) {
    if (talk) {
      std::fprintf(stderr,
                   "[spikeweave] stopped by signal %d at t = %.1f ms after writing a checkpoint; "
                   "continue with: spikeweave run --restart %s/latest\n",
                   checkpointer->stopped_by(),
                   static_cast<double>(simulation.step()) * spec.simulation.dt_ms,
                   checkpoints.dir.c_str());
    }
    return kExitStoppedBySignal;
  }
  io::Provenance provenance = simulation.provenance(command_line);
  provenance.counters["build_seconds"] = build_seconds;
  provenance.counters["simulate_seconds"] = run_seconds;
  provenance.energy = energy_record(energy_table, provenance);
  if (out) out->commit(provenance);
  if (dry) {
    std::cout << dry->record({&simulation.timers(), simulation.local_neurons(),
                              simulation.local_synapses(), simulation.synaptic_events_local(),
                              simulation.spikes_delivered_local(), simulation.local_spike_counts(),
                              simulation.interval_steps(), spec.simulation.t_stop_ms, build_seconds,
                              run_seconds})
              << std::endl;
  }
  const std::vector<std::uint64_t> counts = simulation.global_spike_counts();
  if (talk) {
    const double seconds_simulated = spec.simulation.t_stop_ms * 1e-3;
    for (std::size_t p = 0; p < spec.populations.size(); ++p) {
      const double rate = seconds_simulated > 0 ? static_cast<double>(counts[p]) /
                                                      (spec.populations[p].size * seconds_simulated)
                                                : 0.0;
      std::fprintf(stderr, "[spikeweave] %-12s %10llu spikes, mean rate %8.3f Hz\n",
                   spec.populations[p].name.c_str(), static_cast<unsigned long long>(counts[p]),
                   rate);
    }
    std::fprintf(stderr, "[spikeweave] simulated %.1f ms in %s (real-time factor %.3f)%s%s\n",
                 spec.simulation.t_stop_ms, format_seconds(run_seconds).c_str(),
                 seconds_simulated > 0 ? run_seconds / seconds_simulated : 0.0,
                 output_path.empty() ? "" : "; wrote ", output_path.c_str());
    const io::EnergyRecord& e = provenance.energy;
    std::fprintf(stderr, "[spikeweave] energy estimate: %.4g synaptic events, %.4g neuron updates",
                 e.synops, e.neuron_updates);
    for (const io::EnergyRecord::Platform& p : e.platforms)
      std::fprintf(stderr, "; %s %.3g J", p.name.c_str(), p.joules);
    std::fprintf(stderr, "\n");
  }
  return 0;
}

}  // namespace spikeweave::cli
