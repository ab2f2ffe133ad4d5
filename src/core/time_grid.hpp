#pragma once
// Conversion of times in milliseconds to integer steps on the simulation grid.
#include <cmath>
#include <string>

#include "core/errors.hpp"
#include "core/ids.hpp"

namespace spikeweave {

// Relative tolerance for "is a multiple of dt": times given in decimal ms (0.1, 1.5) are not exact
// in binary, so 1.5 / 0.1 = 14.999999999999998 must count as 15 steps.
inline constexpr double kGridTolerance = 1e-9;

// Steps for a duration; throws ConfigError naming `key` if it is not a multiple of dt.
inline Step duration_to_steps(double duration_ms, double dt_ms, const std::string& key) {
  const double ratio = duration_ms / dt_ms;
  // Step counts must be exact in a double and fit Step (int64) with room for sums of them.
  constexpr double kMaxSteps = 9007199254740992.0;  // 2^53
  if (!std::isfinite(ratio) || std::fabs(ratio) > kMaxSteps) {
    throw ConfigError(key, std::to_string(duration_ms) + " ms is " + std::to_string(ratio) +
                               " steps of dt_ms " + std::to_string(dt_ms) +
                               "; at most 2^53 steps are supported");
  }
  const double rounded = std::round(ratio);
  if (std::fabs(ratio - rounded) > kGridTolerance * std::fmax(1.0, std::fabs(ratio))) {
    throw ConfigError(key, std::to_string(duration_ms) + " ms is not a multiple of dt_ms " +
                               std::to_string(dt_ms));
  }
  return static_cast<Step>(rounded);
}

// Nearest step for a point in time (used for spike times given by the user).
inline Step time_to_nearest_step(double time_ms, double dt_ms) {
  return static_cast<Step>(std::llround(time_ms / dt_ms));
}

// Steps in an interval that need not be on the grid (update and sweep intervals, delays of
// plasticity signals): the nearest whole number of steps, at least `minimum`. Values are
// range-checked by the parser (at most 1e10 ms at dt >= 1e-6 ms), so the count fits a Step.
inline Step interval_to_steps(double interval_ms, double dt_ms, Step minimum = 1) {
  const Step steps = static_cast<Step>(std::llround(interval_ms / dt_ms));
  return steps < minimum ? minimum : steps;
}

// The first step s whose interval (s dt, (s+1) dt] starts at or after start_ms.
inline Step first_step_from(double start_ms, double dt_ms) {
  return static_cast<Step>(std::ceil(start_ms / dt_ms - kGridTolerance));
}

// The step bound for a stop time: steps s < end_step_at(stop) lie before stop_ms.
inline Step end_step_at(double stop_ms, double dt_ms) {
  return static_cast<Step>(std::floor(stop_ms / dt_ms + kGridTolerance));
}

}  // namespace spikeweave
