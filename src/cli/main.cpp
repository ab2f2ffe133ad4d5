// The `spikeweave` executable: a thin layer over the library.
//   spikeweave run NET.toml | inspect FILE.h5 | dataset | fit | report FILE.h5 | --help | --version
// Error policy: configuration and file errors are detected identically on every rank (the
// configuration is read once and broadcast, path checks are agreed collectively), so rank 0
// prints them once and every rank exits 1. An error that only one rank saw during the time loop
// is printed by that rank ("rank r: ...") and the others exit 1 silently. Anything else is a bug:
// printed with its rank, then all ranks are aborted so that none hangs.
#include <Kokkos_Core.hpp>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "comm/mpi/mpi_context.hpp"
#include "core/errors.hpp"
#include "core/version.hpp"
#include "engine/simulation.hpp"

namespace {

const char* kUsage =
    "SpikeWeave: distributed simulation of spiking networks with plasticity.\n"
    "\n"
    "Usage: spikeweave COMMAND [options]\n"
    "Commands:\n"
    "  run NET.toml      build and simulate a network, write spikes/reports to HDF5\n"
    "  inspect FILE.h5   spike counts and mean rates of a run file\n"
    "  models            the neuron models and plasticity rules with their parameters\n"
    "  dataset rate|spiking ...  many random networks and their activity into one HDF5 file\n"
    "  sweep SWEEP.toml --out F  a hyperparameter sweep into one HDF5 table of network metrics\n"
    "  fit DATA.h5 --network M   recover a rate network's W from its activity (BPTT + Adam)\n"
    "  report FILE.h5 [-o report.html]  one self-contained HTML page of a run or dataset\n"
    "  task digits|ecg|ecg-real [options]  encode data, learn features, fit and score a readout\n"
    "Options:\n"
    "  --help            this help (COMMAND --help for a command's options)\n"
    "  --version         version, git commit and Kokkos backend\n"
    "Run on many ranks with: mpirun -np N spikeweave run NET.toml (or srun).\n";

int dispatch(spikeweave::comm::Context& context, int argc, char** argv) {
  using namespace spikeweave;
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    if (context.rank() == 0) std::cout << kUsage;
    return args.empty() ? 1 : 0;
  }
  if (args[0] == "--version") {
    if (context.rank() == 0) {
      std::cout << "spikeweave " << kVersion << " (commit " << kGitCommit << ", Kokkos backend "
                << Kokkos::DefaultExecutionSpace::name() << ")\n";
    }
    return 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "run") return cli::run_command(context, args, command_line);
  if (command == "inspect") return cli::inspect_command(context, args);
  if (command == "dataset") return cli::dataset_command(context, args, command_line);
  if (command == "fit") return cli::fit_command(context, args, command_line);
  if (command == "report") return cli::report_command(context, args);
  if (command == "sweep") return cli::sweep_command(context, args, command_line);
  if (command == "models") return cli::models_command(context, args);
  if (command == "task") return cli::task_command(context, args);
  throw UserError(
      "spikeweave",
      "unknown command '" + command +
          "' (expected run, inspect, models, dataset, sweep, fit, report or task; see --help)");
}

// `--kokkos-num-threads=N` (Kokkos 3.7 and later; documented in the README) is
// `--kokkos-threads=N` to older Kokkos such as Debian's 3.4, which would otherwise ignore it.
void translate_thread_option(std::vector<char*>& kokkos_args, std::vector<std::string>& storage) {
#if defined(KOKKOS_VERSION) && KOKKOS_VERSION < 30700
  const std::string modern = "--kokkos-num-threads", old = "--kokkos-threads";
  storage.reserve(kokkos_args.size());
  for (char*& arg : kokkos_args) {
    const std::string text(arg);
    if (text.rfind(modern, 0) != 0) continue;
    storage.push_back(old + text.substr(modern.size()));
    arg = storage.back().data();
  }
#else
  (void)kokkos_args;
  (void)storage;
#endif
}

}  // namespace

int main(int argc, char** argv) {
  using namespace spikeweave;
  comm::mpi::Environment mpi(&argc, &argv);
  int exit_code = 0;
  {
    // Kokkos sees only its own --kokkos-* options (it would otherwise answer our --help), and
    // the commands only theirs.
    std::vector<char*> kokkos_args{argv[0]}, command_args{argv[0]};
    std::vector<std::string> kokkos_option_storage;
    for (int i = 1; i < argc; ++i) {
      const bool for_kokkos = std::string(argv[i]).rfind("--kokkos-", 0) == 0;
      (for_kokkos ? kokkos_args : command_args).push_back(argv[i]);
    }
    translate_thread_option(kokkos_args, kokkos_option_storage);
    int kokkos_argc = static_cast<int>(kokkos_args.size());
    Kokkos::ScopeGuard kokkos(kokkos_argc, kokkos_args.data());
    command_args.push_back(nullptr);
    const int command_argc = static_cast<int>(command_args.size()) - 1;
    std::unique_ptr<comm::Context> context = comm::mpi::make_mpi_context();
    const int rank = context->rank();
    try {
      exit_code = dispatch(*context, command_argc, command_args.data());
    } catch (const engine::PeerFailure&) {
      exit_code = 1;
    } catch (const engine::RankLocalError& e) {
      std::fprintf(stderr, "spikeweave: rank %d: %s\n", rank, e.what());
      exit_code = 1;
    } catch (const UserError& e) {
      if (rank == 0) std::fprintf(stderr, "spikeweave: error: %s\n", e.what());
      exit_code = 1;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "spikeweave: rank %d: %s\n", rank, e.what());
      std::fflush(stderr);
      if (context->size() > 1) comm::abort_all_ranks(2);
      exit_code = 2;
    }
  }
  return exit_code;
}
