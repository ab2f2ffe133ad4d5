// spikeweave dataset rate [CONFIG.toml] [options]      random rate networks and their activity
// spikeweave dataset spiking NET.toml --networks M ... instances of a spiking network
#include <Kokkos_Core.hpp>
#include <algorithm>
#include <boost/program_options.hpp>
#include <fstream>
#include <iostream>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "core/errors.hpp"
#include "core/version.hpp"
#include "jobs/rate_dataset.hpp"
#include "jobs/rate_dataset_spec.hpp"
#include "jobs/spiking_dataset.hpp"
#include "network/spec.hpp"

namespace po = boost::program_options;

namespace spikeweave::cli {
namespace {

const char* kDatasetUsage =
    "Usage: spikeweave dataset rate [CONFIG.toml] [options]\n"
    "       spikeweave dataset spiking NET.toml --networks M [--vary key.path=DIST ...] --out "
    "FILE.h5\n"
    "Generates many random networks and their activity into one HDF5 file, on any number of ranks\n"
    "(mpirun/srun). Rerunning the same command resumes an interrupted run; see "
    "docs/rate_networks.md.\n";

const char* kRateUsage =
    "Usage: spikeweave dataset rate [CONFIG.toml] --networks M --neurons N --steps T --out FILE.h5 "
    "[options]\n"
    "M random rate networks  tau dh/dt = -h + W phi(h) + I + noise  (Euler), each with K trials of "
    "T\n"
    "steps, into one HDF5 file: /W, /input, /h0, /activity, /params, /done, /provenance.\n"
    "Options override CONFIG.toml (the [dataset], [rate], [rate.network] tables). A DIST is a "
    "number,\n"
    "uniform:LOW,HIGH, or a TOML table such as '{ normal = [1.5, 0.2], min = 1, max = 2 }', drawn "
    "per\n"
    "network and stored in /params. Rerunning the same command resumes; different parameters are "
    "refused.\n";

// A TOML basic string.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// One JSON record per run (DESIGN.md, benchmarks): rank 0 writes it; a failure is an error on
// every rank.
void write_report(comm::Context& context, const std::string& path,
                  const jobs::RateDatasetSpec& spec, const jobs::RateDatasetReport& r,
                  const std::string& command_line) {
  std::string problem;
  if (context.rank() == 0) {
    std::ofstream out(path);
    std::string escaped;
    for (char c : command_line) {
      if (c == '"' || c == '\\') escaped += '\\';
      escaped += c;
    }
    const double seconds = std::max(r.seconds, 1e-12);
    out << "{\"command\": \"" << escaped << "\", \"git_commit\": \"" << kGitCommit
        << "\", \"backend\": \"" << Kokkos::DefaultExecutionSpace::name()
        << "\", \"ranks\": " << context.size() << ", \"neurons\": " << spec.dynamics.neurons
        << ", \"trials\": " << spec.dynamics.trials << ", \"steps\": " << spec.dynamics.steps
        << ", \"precision\": \"" << (spec.double_precision ? "double" : "float")
        << "\", \"networks\": " << r.networks << ", \"already_done\": " << r.already_done
        << ", \"computed\": " << r.computed << ", \"seconds\": " << r.seconds
        << ", \"simulate_seconds\": " << r.simulate_seconds
        << ", \"write_seconds\": " << r.write_seconds << ", \"bytes_written\": " << r.bytes_written
        << ", \"networks_per_second\": " << r.computed / seconds
        << ", \"gigabytes_per_second\": " << r.bytes_written / seconds * 1e-9
        << ", \"cpu_seconds\": " << r.cpu_seconds
        << ", \"networks_per_cpu_second\": " << r.computed / std::max(r.cpu_seconds, 1e-12)
        << ", \"complete\": " << (r.complete ? "true" : "false") << "}\n";
    if (!out) problem = "cannot write the report";
  }
  context.broadcast(problem, 0);
  if (!problem.empty()) throw FileError(path, problem);
}

int rate_dataset(comm::Context& context, const std::vector<std::string>& args,
                 const std::string& command_line) {
  po::options_description options("Options");
  std::string networks, neurons, trials, steps, dt, tau, gain, sparsity, dale, noise, input_mean,
      input_std, h0_std, nonlinearity, seed, precision, deflate, out;
  std::vector<std::string> overrides;
  jobs::RateDatasetOptions run;
  std::string report_path;
  auto text = [](std::string* target) { return po::value<std::string>(target); };
  options.add_options()("help,h", "show this help")("networks", text(&networks),
                                                    "M, the number of networks (dataset.networks)")(
      "neurons", text(&neurons), "N, neurons per network (rate.neurons)")(
      "trials", text(&trials),
      "K, trials per network: initial states and noise (rate.trials, default 1)")(
      "steps", text(&steps), "T, Euler steps per trial (rate.steps)")(
      "dt-ms", text(&dt), "time step [ms] (rate.dt_ms, default 1)")(
      "nonlinearity", text(&nonlinearity),
      "tanh | relu | sigmoid (rate.nonlinearity, default tanh)")(
      "gain", text(&gain), "DIST: gain g, W ~ N(0, g^2/N) (rate.network.gain, default 1.5)")(
      "sparsity", text(&sparsity),
      "DIST: connection probability p (rate.network.sparsity, default 1)")(
      "dale", text(&dale),
      "DIST: Dale's law with this excitatory fraction f_E (rate.network.dale)")(
      "balanced",
      "Dale networks: inhibition scaled so rows sum to zero on average (rate.network.balanced)")(
      "noise", text(&noise), "DIST: noise sigma [h/sqrt(ms)] (rate.network.noise, default 0)")(
      "tau-ms", text(&tau), "DIST: time constant [ms] (rate.network.tau_ms, default 10)")(
      "input-mean", text(&input_mean),
      "DIST: mean of the constant input I (rate.network.input_mean, default 0)")(
      "input-std", text(&input_std),
      "DIST: spread of I over neurons (rate.network.input_std, default 0)")(
      "h0-std", text(&h0_std),
      "DIST: spread of the initial state (rate.network.h0_std, default 1)")(
      "seed", text(&seed), "seed of every draw (dataset.seed, default 1)")(
      "precision", text(&precision), "float | double: simulation and stored W (dataset.precision)")(
      "record-h", "also store h as /h (dataset.record_h)")(
      "lyapunov", "also estimate each network's largest Lyapunov exponent (dataset.lyapunov)")(
      "deflate", text(&deflate), "compression level 0..9 (dataset.deflate, default 0)")(
      "out,o", text(&out), "output HDF5 file (dataset.output)")(
      "set", po::value<std::vector<std::string>>(&overrides)->composing(),
      "override any key, e.g. --set rate.network.gain=2.0 (repeatable)")(
      "overwrite", "start again even if FILE.h5 or an unfinished run of it exists")(
      "quiet,q", "no progress output")(
      "batch", po::value<int>(&run.batch),
      "networks per kernel launch (default: the backend's concurrency)")(
      "round-seconds", po::value<double>(&run.round_seconds),
      "simulation time between collective writes (default 2)")(
      "buffer-mb", po::value<double>(&run.buffer_mb), "per-rank result buffer (default 64)")(
      "no-sync",
      "do not fsync each round's data before marking it done (safe against killed processes, not "
      "against crashed nodes)")(
      "report", po::value<std::string>(&report_path),
      "write a JSON record of the run (timings, networks/s, bytes) to this file (rank 0)");
  std::string config_path;
  po::variables_map vm;
  if (!parse_command_line(context, args, options, config_path, "spikeweave dataset rate",
                          kRateUsage, vm))
    return 0;
  check_option_ranges(vm, {{"batch", {1, 1 << 20, false, false, "networks per launch"}},
                           {"round-seconds", {0, 1e6, true, false, "a time [s]"}},
                           {"buffer-mb", {0, 1e6, true, false, "a size [MB]"}}});
  const std::string source = config_path.empty() ? "command line" : config_path;
  const std::string config_text =
      config_path.empty() ? "" : read_text_file_collectively(context, config_path);
  // Options first, then --set, in a fixed order: every rank builds the same table.
  std::vector<std::string> assignments;
  auto set = [&](const std::string& key, const std::string& value) {
    if (!value.empty()) assignments.push_back(key + "=" + value);
  };
  set("dataset.networks", networks);
  set("dataset.seed", seed);
  if (!precision.empty()) set("dataset.precision", quoted(precision));
  if (!out.empty()) set("dataset.output", quoted(out));
  if (vm.count("record-h")) set("dataset.record_h", "true");
  if (vm.count("lyapunov")) set("dataset.lyapunov", "true");
  set("dataset.deflate", deflate);
  set("rate.neurons", neurons);
  set("rate.trials", trials);
  set("rate.steps", steps);
  set("rate.dt_ms", dt);
  if (!nonlinearity.empty()) set("rate.nonlinearity", quoted(nonlinearity));
  const std::pair<const char*, std::string*> distributions[] = {
      {"gain", &gain},           {"sparsity", &sparsity}, {"dale", &dale},
      {"noise", &noise},         {"tau_ms", &tau},        {"input_mean", &input_mean},
      {"input_std", &input_std}, {"h0_std", &h0_std}};
  for (const auto& [key, value] : distributions) {
    if (!value->empty()) {
      set(std::string("rate.network.") + key,
          jobs::distribution_to_toml(*value, "--" + std::string(key)));
    }
  }
  if (vm.count("balanced")) set("rate.network.balanced", "true");
  for (const std::string& o : overrides) assignments.push_back(o);
  jobs::RateDatasetSpec spec;
  try {
    spec = jobs::parse_rate_dataset_text(
        config_text, source, assignments,
        "expected --networks, --neurons, --steps and --out (or a CONFIG.toml with [dataset] "
        "and [rate]); see spikeweave dataset rate --help");
  } catch (const ConfigError& e) {
    // Name the option too where the key has one.
    static const std::pair<const char*, const char*> kOptions[] = {
        {"dataset.networks", "--networks"},
        {"dataset.seed", "--seed"},
        {"dataset.output", "--out"},
        {"dataset.precision", "--precision"},
        {"dataset.deflate", "--deflate"},
        {"rate.neurons", "--neurons"},
        {"rate.trials", "--trials"},
        {"rate.steps", "--steps"},
        {"rate.dt_ms", "--dt-ms"},
        {"rate.nonlinearity", "--nonlinearity"},
        {"rate.network.gain", "--gain"},
        {"rate.network.sparsity", "--sparsity"},
        {"rate.network.dale", "--dale"},
        {"rate.network.balanced", "--balanced"},
        {"rate.network.noise", "--noise"},
        {"rate.network.tau_ms", "--tau-ms"},
        {"rate.network.input_mean", "--input-mean"},
        {"rate.network.input_std", "--input-std"},
        {"rate.network.h0_std", "--h0-std"}};
    for (const auto& [key, option] : kOptions) {
      if (e.where() == key) {
        const std::string what = std::string(e.what()).substr(e.where().size() + 2);
        throw ConfigError(std::string(key) + " (" + option + ")", what);
      }
    }
    throw;
  }
  run.overwrite = vm.count("overwrite") > 0;
  run.quiet = vm.count("quiet") > 0;
  run.sync = vm.count("no-sync") == 0;
  run.command_line = command_line;
  run.backend = Kokkos::DefaultExecutionSpace::name();
  const jobs::RateDatasetReport report = jobs::run_rate_dataset(context, spec, run);
  if (!report_path.empty()) write_report(context, report_path, spec, report, command_line);
  return 0;
}

const char* kSpikingUsage =
    "Usage: spikeweave dataset spiking NET.toml --networks M [--vary key.path=DIST ...] --out "
    "FILE.h5 [options]\n"
    "M instances of the spiking network NET.toml, each with its own seed (drawn from --seed and "
    "the instance\n"
    "index) and its own draw of every --vary key, simulated on groups of --ranks-per-network ranks "
    "and\n"
    "written to one HDF5 file: /spikes/<population>, /connectivity/<projection> (source, target, "
    "weight,\n"
    "delay_ms), each with index_pointers [M+1], and /params, /done, /provenance. Finished "
    "instances are\n"
    "kept in FILE.h5.parts/ until all are done: rerunning the command resumes.\n";

int spiking_dataset(comm::Context& context, const std::vector<std::string>& args,
                    const std::string& command_line) {
  po::options_description options("Options");
  jobs::SpikingDatasetSpec spec;
  jobs::SpikingDatasetOptions run;
  std::vector<std::string> vary;
  std::int64_t networks = 0;  // signed, so that -1 is refused as -1 rather than wrapped
  std::int64_t seed = -1;
  options.add_options()("help,h", "show this help")("networks", po::value<std::int64_t>(&networks),
                                                    "M, the number of instances (required)")(
      "vary", po::value<std::vector<std::string>>(&vary)->composing(),
      "key.path=DIST drawn per instance, e.g. 'projection[0].weight_pa=uniform:50,100' "
      "(repeatable)")("set", po::value<std::vector<std::string>>(&spec.set)->composing(),
                      "override a key of NET.toml for every instance (repeatable)")(
      "seed", po::value<std::int64_t>(&seed), "base seed (default: NET.toml's simulation.seed)")(
      "ranks-per-network", po::value<int>(&run.ranks_per_network),
      "ranks simulating one instance (default 1)")("out,o", po::value<std::string>(&spec.output),
                                                   "output HDF5 file (required)")(
      "overwrite", "start again even if FILE.h5 or an unfinished run of it exists")(
      "quiet,q", "no progress output");
  po::variables_map vm;
  if (!parse_command_line(context, args, options, spec.source, "spikeweave dataset spiking",
                          kSpikingUsage, vm))
    return 0;
  if (spec.source.empty())
    throw UserError("spikeweave dataset spiking", "missing NET.toml (see --help)");
  if (!vm.count("networks")) throw ConfigError("--networks", "required: the number of instances");
  check_option_ranges(vm, {{"networks", {1, 1e12, false, false, "a number of instances"}},
                           {"seed", {0, 9.2e18, false, false, "a seed"}},
                           {"ranks-per-network", {1, 1 << 20, false, false, "a number of ranks"}}});
  if (spec.output.empty()) throw ConfigError("--out", "required: the output HDF5 file");
  spec.instances = static_cast<std::uint64_t>(networks);
  spec.network_toml = read_text_file_collectively(context, spec.source);
  for (const std::string& v : vary)
    spec.vary.push_back(jobs::parse_varied_key(v, spec.network_toml));
  if (vm.count("seed")) {
    spec.seed = static_cast<std::uint64_t>(seed);
  } else {
    spec.seed = network::parse_network(spec.network_toml, spec.source, spec.set).simulation.seed;
  }
  run.overwrite = vm.count("overwrite") > 0;
  run.quiet = vm.count("quiet") > 0;
  run.command_line = command_line;
  run.backend = Kokkos::DefaultExecutionSpace::name();
  jobs::run_spiking_dataset(context, spec, run);
  return 0;
}

}  // namespace

int dataset_command(comm::Context& context, const std::vector<std::string>& args,
                    const std::string& command_line) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    if (context.rank() == 0) std::cout << kDatasetUsage;
    return args.empty() ? 1 : 0;
  }
  const std::string kind = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (kind == "rate") return rate_dataset(context, rest, command_line);
  if (kind == "spiking") return spiking_dataset(context, rest, command_line);
  throw UserError("spikeweave dataset",
                  "unknown kind '" + kind + "' (expected rate or spiking; see --help)");
}

}  // namespace spikeweave::cli
