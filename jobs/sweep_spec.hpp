#pragma once
// The sweep file of `spikeweave sweep` (public interface: docs in README "Sweeps"):
//
//   base = "brunel.toml"      # the network, relative to this file
//   seed = 7                  # point seeds derive from it, the design point and the repeat
//   design = "list"           # grid | list | random | latin_hypercube
//   samples = 64              # random and latin_hypercube
//   repeats = 1               # every point run with this many seeds
//   keep_spikes = false
//   [set]                     # overrides applied to every point, as with --set
//   [[axis]]                  # name; values | linspace | logspace | uniform | log_uniform |
//   normal;
//                             # keys = { "key.path" = "expression" } and/or key (+ scale)
//   [metrics]                 # window_ms = [a, b], bin_ms, spectrum_segment_ms
//
// Parsing and validation happen on every rank alike before any point runs; every error is a
// ConfigError naming the sweep file's key or the axis.
#include <cstdint>
#include <string>
#include <vector>

namespace spikeweave::jobs {

enum class SweepDesign { kGrid, kList, kRandom, kLatinHypercube };

// Where an axis takes its values from.
enum class AxisValues { kList, kUniform, kLogUniform, kNormal };

// One configuration key set from the axes at every point: key = expression(axes) * scale.
struct SweepKey {
  std::string key;         // e.g. projection[2].weight_mv
  std::string expression;  // muparser expression over the axis names
  double scale = 1.0;      // the `scale` of the `key` shorthand
  bool integer = false;    // the key holds an integer in the base network: rounded
  std::string where;       // "axis[0] (g).keys.projection[2].weight_mv" for messages
};

struct SweepAxis {
  std::string name;
  AxisValues source = AxisValues::kList;
  std::vector<double> values;  // kList: values, linspace or logspace
  double a = 0.0, b = 0.0;     // uniform / log_uniform [a, b); normal mean a, sd b
  std::vector<SweepKey> keys;
  std::string where;  // "axis[0] (g)"
};

struct SweepMetricsSpec {
  double window_start_ms = 0.0;
  double window_stop_ms = -1.0;      // < 0: the point's t_stop_ms
  double bin_ms = 1.0;               // bins of the population count (Fano, chi, spectrum)
  double spectrum_segment_ms = 0.0;  // Welch segment; 0: 256 bins (capped to the window)
};

struct SweepSpec {
  std::string sweep_path, sweep_toml;  // the sweep file
  std::string base_path, base_toml;    // the network it sweeps
  std::uint64_t seed = 0;
  SweepDesign design = SweepDesign::kGrid;
  std::uint64_t samples = 0;
  std::uint64_t repeats = 1;
  bool keep_spikes = false;
  std::vector<std::string> set;  // "key=value" overrides of [set], in file order
  std::vector<SweepAxis> axes;
  SweepMetricsSpec metrics;
};

// Parses the sweep file's text (its base network's text is read by the caller, through
// base_path_of). Throws ConfigError naming the key.
SweepSpec parse_sweep(const std::string& sweep_toml, const std::string& sweep_path);

// The base network's path: `base` relative to the sweep file's directory.
std::string base_path_of(const std::string& sweep_toml, const std::string& sweep_path);

std::string design_name(SweepDesign design);

}  // namespace spikeweave::jobs
