// spikeweave sweep SWEEP.toml --out FILE.h5 [--ranks-per-point k] [--shard I/N] ...
// spikeweave sweep --merge OUT.h5 SHARD.h5 [SHARD.h5 ...] [--overwrite]
#include <Kokkos_Core.hpp>
#include <boost/program_options.hpp>
#include <iostream>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "core/errors.hpp"
#include "jobs/sweep.hpp"
#include "jobs/sweep_spec.hpp"
#include "jobs/sweep_validate.hpp"

namespace po = boost::program_options;

namespace spikeweave::cli {
namespace {

const char* kSweepUsage =
    "Usage: spikeweave sweep SWEEP.toml --out FILE.h5 [--ranks-per-point K] [--overwrite] "
    "[--quiet]\n"
    "       spikeweave sweep --merge OUT.h5 SHARD.h5 [SHARD.h5 ...] [--overwrite]\n"
    "Runs every point of the sweep file (a base network, axes over any configuration keys, a "
    "design:\n"
    "grid, list, random or latin_hypercube) on groups of K ranks, and writes one HDF5 table: "
    "/points,\n"
    "/metrics/<population>/<metric>, /done, /provenance (README, section Sweeps). Rerunning the "
    "same\n"
    "command resumes; a changed sweep file is refused. --shard I/N runs every N-th point (a "
    "SLURM\n"
    "array task); --merge joins the shards' files.\n";

// "I/N" of --shard.
void parse_shard(const std::string& text, jobs::SweepOptions& options) {
  const std::size_t slash = text.find('/');
  try {
    if (slash == std::string::npos) throw std::invalid_argument(text);
    options.shard_index = std::stoull(text.substr(0, slash));
    options.shard_count = std::stoull(text.substr(slash + 1));
  } catch (const std::exception&) {
    throw ConfigError("--shard", "expected I/N (e.g. 3/16), got '" + text + "'");
  }
  if (options.shard_count < 1 || options.shard_index >= options.shard_count)
    throw ConfigError("--shard", "expected I/N with 0 <= I < N, got '" + text + "'");
}

int merge(comm::Context& context, const std::vector<std::string>& args,
          const std::string& command_line) {
  std::vector<std::string> files;
  bool overwrite = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--overwrite") {
      overwrite = true;
    } else if (args[i] == "--quiet" || args[i] == "-q") {
      continue;
    } else if (!args[i].empty() && args[i][0] == '-') {
      throw UserError("spikeweave sweep --merge", "unknown option '" + args[i] + "'");
    } else {
      files.push_back(args[i]);
    }
  }
  if (files.size() < 2)
    throw UserError("spikeweave sweep --merge", "expected OUT.h5 and at least one SHARD.h5");
  const std::vector<std::string> shards(files.begin() + 1, files.end());
  jobs::merge_sweep_files(context, shards, files[0], overwrite, command_line);
  return 0;
}

}  // namespace

int sweep_command(comm::Context& context, const std::vector<std::string>& args,
                  const std::string& command_line) {
  if (!args.empty() && args[0] == "--merge") return merge(context, args, command_line);
  po::options_description options("Options");
  jobs::SweepOptions run;
  std::string shard;
  options.add_options()("help,h", "show this help")("out,o", po::value<std::string>(&run.output),
                                                    "output HDF5 file (required)")(
      "ranks-per-point", po::value<int>(&run.ranks_per_point),
      "ranks simulating one point (default 1; all ranks: points one after another)")(
      "shard", po::value<std::string>(&shard),
      "I/N: only the points i with i mod N = I (a SLURM array task; merge with --merge)")(
      "overwrite", "start again even if FILE.h5 or an unfinished run of it exists")(
      "quiet,q", "no progress output");
  std::string sweep_path;
  po::variables_map vm;
  if (!parse_command_line(context, args, options, sweep_path, "spikeweave sweep", kSweepUsage, vm))
    return 0;
  if (sweep_path.empty()) throw UserError("spikeweave sweep", "missing SWEEP.toml (see --help)");
  if (run.output.empty()) throw ConfigError("--out", "required: the output HDF5 file");
  if (!shard.empty()) parse_shard(shard, run);
  const std::string sweep_toml = read_text_file_collectively(context, sweep_path);
  jobs::SweepSpec spec = jobs::parse_sweep(sweep_toml, sweep_path);
  spec.base_toml = read_text_file_collectively(context, spec.base_path);
  jobs::validate_sweep(spec);
  run.overwrite = vm.count("overwrite") > 0;
  run.quiet = vm.count("quiet") > 0;
  run.command_line = command_line;
  run.backend = Kokkos::DefaultExecutionSpace::name();
  jobs::run_sweep(context, spec, run);
  return 0;
}

}  // namespace spikeweave::cli
