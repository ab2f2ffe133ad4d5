#pragma once
// What a rate dataset is made of: the TOML form (also built from the CLI options), the per-
// network parameter draws and the canonical text that the file's provenance records.
//
//   [dataset]                       # how many, where, in which form
//   networks = 1000                 # M
//   seed = 1
//   output = "data.h5"
//   precision = "float"             # of the simulation and of W, input, h0 in the file
//   record_h = false                # also store h
//   lyapunov = false                # also estimate each network's largest Lyapunov exponent
//   lyapunov_steps = 2000           # ... averaged over this many steps
//   lyapunov_transient_steps = 1000 # ... after this many
//   deflate = 0                     # 0 .. 9 (compressed at the end, see io/dataset_rate_file.hpp)
//   [rate]                          # shared by all networks
//   neurons = 50                    # N
//   trials = 10                     # K
//   steps = 100                     # T
//   dt_ms = 1.0
//   nonlinearity = "tanh"           # tanh | relu | sigmoid
//   [rate.network]                  # each a number or a distribution drawn per network
//   gain = 1.5                      # or { uniform = [0.5, 2.0] }, { normal = [m, sd], min =, max =
//   } sparsity = 1.0                  # connection probability p dale = 0.8                      #
//   excitatory fraction f_E (absent: no Dale's law) balanced = false                # (Dale) zero
//   mean row sums noise = 0.0                     # sigma [h / sqrt(ms)] input_mean = 0.0 # I[i] =
//   input_mean + input_std z[i] input_std = 0.0 h0_std = 1.0 tau_ms = 10.0
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/distribution.hpp"
#include "rate/params.hpp"

namespace spikeweave::jobs {

struct RateDatasetSpec {
  std::uint64_t networks = 0;
  std::uint64_t seed = 1;
  std::string output;
  bool double_precision = false;
  bool record_h = false;
  bool lyapunov = false;
  int lyapunov_steps = 2000;
  int lyapunov_transient_steps = 1000;
  int deflate = 0;
  rate::Dynamics dynamics;
  Distribution gain = Distribution::constant(1.5);
  Distribution sparsity = Distribution::constant(1.0);
  std::optional<Distribution> dale;  // excitatory fraction
  bool balanced = false;
  Distribution noise = Distribution::constant(0.0);
  Distribution input_mean = Distribution::constant(0.0);
  Distribution input_std = Distribution::constant(0.0);
  Distribution h0_std = Distribution::constant(1.0);
  Distribution tau_ms = Distribution::constant(10.0);
};

// Network m's parameters: each drawn from stream (seed, kDataset, column, m), so any rank draws
// the same values.
rate::NetworkParams draw_network_params(const RateDatasetSpec& spec, std::uint64_t m);

// The /params columns after "network" and their values for one network.
std::vector<std::string> param_columns();
void param_row(const rate::NetworkParams& params, double* row);

// Every setting that determines the file's data, one `key = value` per line in a fixed order
// with round-trip precision: equal texts mean equal datasets.
std::string canonical_toml(const RateDatasetSpec& spec);

// Parses a rate-dataset configuration from TOML text, applying `--set`-style overrides in order
// (host only; keeps TOML out of the callers). A non-empty `missing_sections` is the message for a
// configuration without [dataset] and [rate], thrown naming `source`.
RateDatasetSpec parse_rate_dataset_text(const std::string& toml_text, const std::string& source,
                                        const std::vector<std::string>& overrides = {},
                                        const std::string& missing_sections = "");

// A CLI distribution: a number, "uniform:LOW,HIGH", "normal:MEAN,SD" or a TOML inline table;
// returned as TOML value text for --set style overrides.
std::string distribution_to_toml(const std::string& text, const std::string& option);

}  // namespace spikeweave::jobs
