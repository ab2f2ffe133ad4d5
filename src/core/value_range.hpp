#pragma once
// The documented range of a numeric configuration key. Every numeric read from a configuration
// table names one (config::Table has no range-less number reader), so a key cannot be added
// without its range, and NaN, infinities and out-of-range values are refused by one rule with a
// message naming the key, the value and the range. README "Numeric ranges" lists the ranges.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace spikeweave::config {

struct Range {
  double low = 0.0;
  double high = 0.0;
  bool low_open = false;   // low itself excluded
  bool high_open = false;  // high itself excluded
  const char* what = "";   // the quantity, for messages and the schema ("a time constant [ms]")

  bool contains(double value) const {
    return std::isfinite(value) && (low_open ? value > low : value >= low) &&
           (high_open ? value < high : value <= high);
  }
  // "(0, 1e+07]"
  std::string describe() const;
};

struct IntRange {
  std::int64_t low = 0;
  std::int64_t high = 0;
  const char* what = "";

  bool contains(std::int64_t value) const { return value >= low && value <= high; }
  std::string describe() const;
};

// Checks one number against its range; throws ConfigError naming `key`, the value and the range
// (NaN and infinities are always refused). Returns the value.
double check_number(double value, const std::string& key, const Range& range);
std::int64_t check_integer(std::int64_t value, const std::string& key, const IntRange& range);

// Formats a double for messages: shortest form that reads back ("0.1", "1e+300", "nan").
std::string format_number(double value);

// The ranges every key uses, one per kind of quantity. They are generous for biology and tight
// enough that no accepted value overflows a step counter, the int64 fixed-point input ring
// (2^-32 units, so |input per neuron and step| < 2.1e9) or an allocation.
namespace ranges {
inline constexpr double kInf = std::numeric_limits<double>::infinity();
// Simulation time step: 1 ns .. 10 ms.
inline constexpr Range kStepMs{1e-6, 10.0, false, false, "a time step [ms]"};
// Times and durations of a run (t_stop_ms, start/stop of inputs, spike times): up to 1e10 ms
// (116 days of model time); the step count is checked separately against 2^53.
inline constexpr Range kTimeMs{0.0, 1e10, false, false, "a time [ms]"};
// Positive durations such as recording and update intervals.
inline constexpr Range kIntervalMs{0.0, 1e10, true, false, "a positive interval [ms]"};
// Membrane, synaptic and plasticity time constants.
inline constexpr Range kTimeConstantMs{0.0, 1e9, true, false, "a time constant [ms]"};
// Non-negative delays of plasticity signals (dopamine, calcium); synaptic delays have their own
// check against dt and 65535 steps.
inline constexpr Range kDelayMs{0.0, 1e6, false, false, "a delay [ms]"};
inline constexpr Range kVoltageMv{-1e4, 1e4, false, false, "a membrane potential [mV]"};
inline constexpr Range kCurrentPa{-1e9, 1e9, false, false, "a current [pA]"};
inline constexpr Range kCapacitancePf{0.0, 1e9, true, false, "a capacitance [pF]"};
inline constexpr Range kConductanceNs{0.0, 1e9, true, false, "a conductance [nS]"};
// Synaptic weights and bounds (pA, mV or nS by the target's model). One event of 1e6 times an
// in-degree of 1e3 stays inside the fixed-point ring's range.
inline constexpr Range kWeight{-1e6, 1e6, false, false, "a synaptic weight"};
inline constexpr Range kNonNegativeWeight{0.0, 1e6, false, false, "a non-negative weight"};
inline constexpr Range kPositiveWeight{0.0, 1e6, true, false, "a positive weight"};
// Firing rates (Poisson drives aggregate many inputs: NEST's hpc_benchmark uses ~1e5 Hz).
inline constexpr Range kRateHz{0.0, 1e8, false, false, "a rate [Hz]"};
inline constexpr Range kPositiveRateHz{0.0, 1e8, true, false, "a positive rate [Hz]"};
inline constexpr Range kProbability{0.0, 1.0, false, false, "a probability"};
// Dimensionless amplitudes, learning rates, thresholds and exponents.
inline constexpr Range kNonNegative{0.0, 1e6, false, false, "a non-negative number"};
inline constexpr Range kPositive{0.0, 1e6, true, false, "a positive number"};
inline constexpr Range kSigned{-1e6, 1e6, false, false, "a number"};
// Seeds are TOML integers (signed 64 bit).
inline constexpr IntRange kSeed{0, std::numeric_limits<std::int64_t>::max(), "a seed"};
}  // namespace ranges

}  // namespace spikeweave::config
