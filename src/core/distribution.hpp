#pragma once
// A scalar parameter that is either a constant or drawn per element (synapse, neuron) from a
// distribution (parsed by core/distribution_parser.hpp). TOML forms:
//   87.8                                    constant
//   { uniform = [low, high] }               uniform on [low, high)
//   { normal = [mean, sd], min = 0.0, max = 10.0, bounds = "redraw" }   bounds "redraw" | "clip"
#include <limits>
#include <optional>
#include <string>

#include "core/random.hpp"
#include "core/value_range.hpp"

namespace spikeweave {

struct Distribution {
  enum class Kind { kConstant, kUniform, kNormal };
  enum class Bounds { kRedraw, kClip };

  Kind kind = Kind::kConstant;
  double a = 0.0;  // value, low or mean
  double b = 0.0;  // high or standard deviation
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  Bounds bounds = Bounds::kRedraw;

  static Distribution constant(double value) { return Distribution{Kind::kConstant, value, 0.0}; }
  bool is_constant() const { return kind == Kind::kConstant; }
  // The mean of the (unbounded) distribution, used to decide signs and defaults.
  double mean() const { return kind == Kind::kUniform ? 0.5 * (a + b) : a; }
  // Smallest and largest value a draw can take.
  double lowest() const;
  double highest() const;
  // Multiplies every value by `factor` (e.g. unit conversion); factor > 0.
  Distribution scaled(double factor) const;

  // Draws one value. Redrawing gives up after many tries with a ConfigError naming `key`.
  double sample(rng::Stream& stream, const std::string& key) const;
  std::string describe() const;
};

}  // namespace spikeweave
