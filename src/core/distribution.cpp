#include "core/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/config_table.hpp"
#include "core/errors.hpp"

namespace spikeweave {

double Distribution::lowest() const {
  switch (kind) {
    case Kind::kConstant: return a;
    case Kind::kUniform: return std::max(a, min);
    case Kind::kNormal: return min;
  }
  return a;
}

double Distribution::highest() const {
  switch (kind) {
    case Kind::kConstant: return a;
    case Kind::kUniform: return std::min(b, max);
    case Kind::kNormal: return max;
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
    case Kind::kConstant: return a;
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
    case Kind::kConstant: out << a; break;
    case Kind::kUniform: out << "uniform [" << a << ", " << b << ")"; break;
    case Kind::kNormal: out << "normal(mean " << a << ", sd " << b << ")"; break;
  }
  return out.str();
}

namespace {
std::pair<double, double> two_numbers(const config::Table& t, const char* name) {
  const std::vector<double> values = t.number_array(name);
  if (values.size() != 2) {
    throw ConfigError(t.key_path(name), "expected two numbers, got " + std::to_string(values.size()));
  }
  return {values[0], values[1]};
}
}  // namespace

Distribution parse_distribution(const toml::node& node, const std::string& key) {
  if (node.is_number()) return Distribution::constant(node.value<double>().value());
  const auto* table = node.as_table();
  if (!table) {
    throw ConfigError(key, "expected a number or a table such as { normal = [mean, sd] } or "
                           "{ uniform = [low, high] }, got " + config::describe_type(node));
  }
  config::Table t(*table, key);
  Distribution d;
  const bool uniform = t.has("uniform");
  const bool normal = t.has("normal");
  if (uniform == normal) {
    throw ConfigError(key, "expected exactly one of 'uniform = [low, high]' or 'normal = [mean, sd]'");
  }
  if (uniform) {
    d.kind = Distribution::Kind::kUniform;
    std::tie(d.a, d.b) = two_numbers(t, "uniform");
    if (!(d.b > d.a)) throw ConfigError(t.key_path("uniform"), "expected low < high");
  } else {
    d.kind = Distribution::Kind::kNormal;
    std::tie(d.a, d.b) = two_numbers(t, "normal");
    if (!(d.b >= 0.0)) throw ConfigError(t.key_path("normal"), "expected a standard deviation >= 0");
  }
  d.min = t.number("min", d.min);
  d.max = t.number("max", d.max);
  if (d.min > d.max) throw ConfigError(t.key_path("min"), "expected min <= max");
  const std::string bounds = t.string("bounds", "redraw");
  if (bounds == "redraw") {
    d.bounds = Distribution::Bounds::kRedraw;
  } else if (bounds == "clip") {
    d.bounds = Distribution::Bounds::kClip;
  } else {
    throw ConfigError(t.key_path("bounds"), "expected \"redraw\" or \"clip\", got \"" + bounds + "\"");
  }
  if (d.kind == Distribution::Kind::kNormal && d.bounds == Distribution::Bounds::kRedraw &&
      (d.a + 6.0 * d.b < d.min || d.a - 6.0 * d.b > d.max)) {
    throw ConfigError(key, "the bounds exclude almost all of " + d.describe());
  }
  t.reject_unknown_keys();
  return d;
}

}  // namespace spikeweave
