#include "core/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/errors.hpp"

namespace spikeweave {

double Distribution::lowest() const {
  switch (kind) {
    case Kind::kConstant:
      return a;
    case Kind::kUniform:
      return std::max(a, min);
    case Kind::kNormal:
      return min;
  }
  return a;
}

double Distribution::highest() const {
  switch (kind) {
    case Kind::kConstant:
      return a;
    case Kind::kUniform:
      return std::min(b, max);
    case Kind::kNormal:
      return max;
  }
  return a;
}

Distribution Distribution::scaled(double factor) const {
  Distribution d = *this;
  d.a *= factor;
  if (kind == Kind::kUniform || kind == Kind::kNormal) d.b *= factor;
  d.min *= factor;
  d.max *= factor;
  return d;
}

double Distribution::sample(rng::Stream& stream, const std::string& key) const {
  // Redrawing is bounded: a distribution whose bounds cut off nearly all its mass is a
  // configuration error, not an endless loop.
  constexpr int kMaxRedraws = 10000;
  switch (kind) {
    case Kind::kConstant:
      return a;
    case Kind::kUniform: {
      const double value = a + (b - a) * stream.uniform();
      return std::clamp(value, min, max);
    }
    case Kind::kNormal: {
      for (int attempt = 0; attempt < kMaxRedraws; ++attempt) {
        const double value = a + b * stream.normal();
        if (bounds == Bounds::kClip) return std::clamp(value, min, max);
        if (value >= min && value <= max) return value;
      }
      throw ConfigError(key, "the bounds [" + std::to_string(min) + ", " + std::to_string(max) +
                                 "] reject nearly every draw of " + describe());
    }
  }
  return a;
}

std::string Distribution::describe() const {
  std::ostringstream out;
  switch (kind) {
    case Kind::kConstant:
      out << a;
      break;
    case Kind::kUniform:
      out << "uniform [" << a << ", " << b << ")";
      break;
    case Kind::kNormal:
      out << "normal(mean " << a << ", sd " << b;
      break;
  }
  // Bounds belong to the description: errors about draws must show what limits them.
  if (kind != Kind::kConstant) {
    const bool low = std::isfinite(min), high = std::isfinite(max);
    if (kind == Kind::kUniform && (low || high)) out << " (";
    if (kind == Kind::kNormal && (low || high)) out << ", ";
    if (low) out << "min " << min << (high ? ", " : "");
    if (high) out << "max " << max;
    if (kind == Kind::kUniform && (low || high)) out << ")";
    if (kind == Kind::kNormal) out << ")";
  }
  return out.str();
}

}  // namespace spikeweave
