// spikeweave inspect FILE.h5: per-population spike counts and mean rates of a run file, or the
// counts of a rate or spiking dataset file (cli/inspect_datasets.hpp).
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/inspect_checkpoint.hpp"
#include "cli/inspect_datasets.hpp"
#include "core/errors.hpp"
#include "io/file_summary.hpp"
#include "io/run_file_reader.hpp"

namespace po = boost::program_options;

namespace spikeweave::cli {

int inspect_command(comm::Context& context, const std::vector<std::string>& args) {
  po::options_description options("Options");
  options.add_options()("help,h", "show this help");
  std::string path;
  po::variables_map vm;
  if (!parse_command_line(
          context, args, options, path, "spikeweave inspect",
          "Usage: spikeweave inspect FILE.h5 | CHECKPOINT_DIR[/latest]\n"
          "Prints the spike count and mean rate of every population in a run file, the\n"
          "shapes and counts of a rate or spiking dataset file, or what a checkpoint holds.\n",
          vm))
    return 0;
  if (path.empty()) throw UserError("spikeweave inspect", "missing FILE.h5 (see --help)");
  if (context.rank() != 0) return 0;
  if (is_checkpoint_path(path)) {
    print_checkpoint(path);
    return 0;
  }
  const io::FileKind kind = io::detect_file_kind(path);
  if (kind == io::FileKind::kRateDataset) {
    print_rate_dataset(path);
    return 0;
  }
  if (kind == io::FileKind::kSpikingDataset) {
    print_spiking_dataset(path);
    return 0;
  }
  const io::RunFileSummary summary = io::read_run_summary(path);
  std::printf("%s: SpikeWeave %s (commit %s), %lld rank(s), %.1f ms simulated\n", path.c_str(),
              summary.version.c_str(), summary.git_commit.c_str(),
              static_cast<long long>(summary.ranks), summary.t_stop_ms);
  std::printf("%-16s %12s %12s %14s\n", "population", "neurons", "spikes", "mean rate (Hz)");
  for (const io::PopulationSpikeSummary& p : summary.populations) {
    const double rate = summary.t_stop_ms > 0 && p.nodes > 0
                            ? static_cast<double>(p.spikes) / (p.nodes * summary.t_stop_ms * 1e-3)
                            : 0.0;
    std::printf("%-16s %12llu %12llu %14.4f\n", p.name.c_str(),
                static_cast<unsigned long long>(p.nodes), static_cast<unsigned long long>(p.spikes),
                rate);
  }
  for (const auto& [name, count] : summary.presentations)
    std::printf("presentations %s: %llu\n", name.c_str(), static_cast<unsigned long long>(count));
  if (summary.has_energy) {
    std::printf(
        "energy estimate: %.6g synaptic events (SynOps), %.6g neuron updates, %.6g spikes\n",
        summary.synops, summary.neuron_updates, summary.energy_spikes);
    for (const auto& [name, joules] : summary.joules)
      std::printf("  %-20s %12.6g J\n", name.c_str(), joules);
  }
  return 0;
}

}  // namespace spikeweave::cli
