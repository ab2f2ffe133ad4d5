// spikeweave fit DATA.h5 --network M: recover network M's weights from its stored activity by
// gradient descent (Adam) through the Euler loop, with the dataset's noise realisation.
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "core/errors.hpp"
#include "io/dataset_fit_file.hpp"
#include "io/dataset_rate_file.hpp"
#include "io/output_path.hpp"
#include "jobs/rate_dataset_spec.hpp"
#include "rate/fit.hpp"

namespace po = boost::program_options;

namespace spikeweave::cli {
namespace {

const char* kFitUsage =
    "Usage: spikeweave fit DATA.h5 --network M [options]\n"
    "Fits W of network M of a rate dataset (spikeweave dataset rate) to its stored activity: Adam "
    "on\n"
    "the mean squared error of the trace, gradients by backpropagation through the Euler loop, "
    "with\n"
    "the dataset's input, initial states and noise realisation (regenerated from its seed). Starts "
    "from\n"
    "W = 0. Prints the loss reduction and the correlation of the fitted with the stored W; --out "
    "writes\n"
    "them (and the loss curve) to an HDF5 file. Runs on rank 0; other ranks wait.\n";

struct Settings {
  std::string dataset, out, precision = "double";
  std::uint64_t network = 0;
  rate::FitOptions fit;
  bool quiet = false;
  bool overwrite = false;
};

template <class Real>
io::FitRecord fit_network(const Settings& s, const std::string& command_line) {
  io::RateDatasetReader reader(s.dataset);
  const jobs::RateDatasetSpec spec =
      jobs::parse_rate_dataset_text(reader.spec_toml(), s.dataset + ":/provenance/spec");
  if (s.network >= spec.networks) {
    throw ConfigError("--network", "the dataset has networks 0 .. " +
                                       std::to_string(spec.networks - 1) + ", not " +
                                       std::to_string(s.network));
  }
  if (!reader.done(s.network)) {
    throw FileError(s.dataset, "network " + std::to_string(s.network) +
                                   " is not done yet (the run is unfinished)");
  }
  const rate::NetworkParams params = jobs::draw_network_params(spec, s.network);
  const rate::Coefficients c = rate::coefficients(params, spec.dynamics);
  rate::Network<Real> guess;
  guess.dynamics = spec.dynamics;
  guess.a = c.a;
  guess.noise_scale = c.noise_scale;
  guess.seed = spec.seed;
  guess.index = static_cast<std::uint32_t>(s.network);
  const std::vector<double> w_true = reader.weights(s.network);
  const std::vector<double> input = reader.input(s.network);
  const std::vector<double> h0 = reader.h0(s.network);
  guess.w.assign(w_true.size(), Real(0));
  guess.input.assign(input.begin(), input.end());
  if (s.fit.fit_input) std::fill(guess.input.begin(), guess.input.end(), Real(0));
  guess.h0.assign(h0.begin(), h0.end());
  const std::vector<float> activity = reader.activity(s.network);
  const std::vector<Real> target(activity.begin(), activity.end());
  rate::FitOptions options = s.fit;
  const auto start = std::chrono::steady_clock::now();
  double last_print = 0.0;
  if (!s.quiet) {
    options.progress = [&](int iteration, double loss) {
      const double t =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (iteration == 0 || t - last_print >= 2.0) {
        last_print = t;
        std::fprintf(stderr, "[spikeweave] fit: iteration %d / %d, loss %.4e (%.1f s)\n", iteration,
                     options.iterations, loss, t);
      }
      return true;
    };
  }
  const rate::FitResult<Real> result = rate::fit(guess, target, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  io::FitRecord record;
  record.dataset = s.dataset;
  record.network = s.network;
  record.neurons = spec.dynamics.neurons;
  record.trials = spec.dynamics.trials;
  record.w_fit.assign(result.network.w.begin(), result.network.w.end());
  record.w_true = w_true;
  record.loss = result.loss;
  if (s.fit.fit_input)
    record.input_fit.assign(result.network.input.begin(), result.network.input.end());
  if (s.fit.fit_h0) record.h0_fit.assign(result.network.h0.begin(), result.network.h0.end());
  const double initial = result.loss.empty() ? result.final_loss : result.loss.front();
  record.numbers["initial_loss"] = initial;
  record.numbers["final_loss"] = result.final_loss;
  record.numbers["correlation"] = rate::correlation(record.w_fit, w_true);
  record.numbers["learning_rate"] = s.fit.learning_rate;
  record.numbers["iterations"] = static_cast<double>(result.loss.size());
  record.numbers["seconds"] = seconds;
  record.command_line = command_line;
  if (!s.quiet) {
    std::fprintf(
        stderr,
        "[spikeweave] fit: network %llu, loss %.4e -> %.4e (%.3g-fold) in %zu iterations (%.1f s); "
        "correlation of fitted and stored W %.4f\n",
        static_cast<unsigned long long>(s.network), initial, result.final_loss,
        initial / std::max(result.final_loss, 1e-300), result.loss.size(), seconds,
        record.numbers["correlation"]);
  }
  return record;
}

}  // namespace

int fit_command(comm::Context& context, const std::vector<std::string>& args,
                const std::string& command_line) {
  Settings s;
  po::options_description options("Options");
  options.add_options()("help,h", "show this help")("network", po::value<std::uint64_t>(&s.network),
                                                    "index of the network to fit (required)")(
      "iterations", po::value<int>(&s.fit.iterations), "Adam steps (default 2000)")(
      "learning-rate", po::value<double>(&s.fit.learning_rate),
      "Adam learning rate (default 0.01)")("fit-input", "also fit the input I (starting from 0)")(
      "fit-h0", "also fit the initial states h0")("stop-loss", po::value<double>(&s.fit.stop_loss),
                                                  "stop once the loss is below this")(
      "precision", po::value<std::string>(&s.precision), "double | float (default double)")(
      "out,o", po::value<std::string>(&s.out), "write the result to this HDF5 file")(
      "overwrite", "replace an existing --out file")("quiet,q", "no progress output");
  po::variables_map vm;
  if (!parse_command_line(context, args, options, s.dataset, "spikeweave fit", kFitUsage, vm))
    return 0;
  if (s.dataset.empty()) throw UserError("spikeweave fit", "missing DATA.h5 (see --help)");
  if (!vm.count("network"))
    throw ConfigError("--network", "required: the index of the network to fit");
  check_option_ranges(vm, {{"network", {0, 1e15, false, false, "a network index"}},
                           {"iterations", {1, 1e9, false, false, "a number of Adam steps"}},
                           {"learning-rate", {0, 1e6, true, false, "a learning rate"}},
                           {"stop-loss", {0, 1e6, false, false, "a loss"}}});
  if (s.precision != "double" && s.precision != "float") {
    throw ConfigError("--precision", "expected double or float, got '" + s.precision + "'");
  }
  s.fit.fit_input = vm.count("fit-input") > 0;
  s.fit.fit_h0 = vm.count("fit-h0") > 0;
  s.quiet = vm.count("quiet") > 0;
  s.overwrite = vm.count("overwrite") > 0;
  if (!s.out.empty()) io::check_output_path(context, s.out, s.overwrite);
  // Rank 0 fits; its error, if any, is raised on every rank.
  std::string problem;
  if (context.rank() == 0) {
    try {
      const io::FitRecord record = s.precision == "double" ? fit_network<double>(s, command_line)
                                                           : fit_network<float>(s, command_line);
      if (!s.out.empty()) io::write_fit_file(s.out, record);
    } catch (const UserError& e) {
      problem = e.what();
    }
  } else {
    s.quiet = true;
  }
  context.broadcast(problem, 0);
  if (!problem.empty()) throw UserError("", problem);
  return 0;
}

}  // namespace spikeweave::cli
