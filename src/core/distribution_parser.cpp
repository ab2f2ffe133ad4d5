#include "core/distribution_parser.hpp"

#include <cmath>
#include <limits>
#include <utility>

#include "core/config_table.hpp"
#include "core/errors.hpp"

namespace spikeweave {

namespace {
constexpr double kNormalReach = 8.7;  // largest |standard normal| Stream::normal() can return

constexpr double kMaxDouble = std::numeric_limits<double>::max();
constexpr config::Range kAnyNumber{-kMaxDouble, kMaxDouble, false, false, "a finite number"};
constexpr config::Range kStandardDeviation{0.0, 1e300, false, false, "a standard deviation"};

// `name = [first, second]`, each element checked against its own range.
std::pair<double, double> two_numbers(const config::Table& t, const char* name,
                                      const config::Range& first, const config::Range& second) {
  const std::vector<double> values = t.number_array(name, kAnyNumber);
  if (values.size() != 2) {
    throw ConfigError(t.key_path(name),
                      "expected two numbers, got " + std::to_string(values.size()));
  }
  const std::string where = t.key_path(name);
  return {config::check_number(values[0], where + "[0]", first),
          config::check_number(values[1], where + "[1]", second)};
}
}  // namespace

Distribution parse_distribution(const toml::node& node, const std::string& key,
                                const config::Range& range) {
  if (node.is_number()) {
    config::SchemaRecorder::note({key, range, false, true});
    return Distribution::constant(config::check_number(*config::number_value(node), key, range));
  }
  const auto* table = node.as_table();
  if (!table) {
    throw ConfigError(key,
                      "expected a number or a table such as { normal = [mean, sd] } or "
                      "{ uniform = [low, high] }, got " +
                          config::describe_type(node));
  }
  config::Table t(*table, key);
  Distribution d;
  const bool uniform = t.has("uniform");
  const bool normal = t.has("normal");
  if (uniform == normal) {
    throw ConfigError(key,
                      "expected exactly one of 'uniform = [low, high]' or 'normal = [mean, sd]'");
  }
  if (uniform) {
    d.kind = Distribution::Kind::kUniform;
    std::tie(d.a, d.b) = two_numbers(t, "uniform", range, range);
    if (!(d.b > d.a)) throw ConfigError(t.key_path("uniform"), "expected low < high");
  } else {
    d.kind = Distribution::Kind::kNormal;
    // The mean lies in the key's range; the sd is any finite non-negative number (bounds keep
    // the draws inside the range, checked below).
    std::tie(d.a, d.b) = two_numbers(t, "normal", range, kStandardDeviation);
  }
  d.min = t.number("min", d.min, range);
  d.max = t.number("max", d.max, range);
  if (d.min > d.max) throw ConfigError(t.key_path("min"), "expected min <= max");
  const std::string bounds = t.string("bounds", "redraw");
  if (bounds == "redraw") {
    d.bounds = Distribution::Bounds::kRedraw;
  } else if (bounds == "clip") {
    d.bounds = Distribution::Bounds::kClip;
  } else {
    throw ConfigError(t.key_path("bounds"),
                      "expected \"redraw\" or \"clip\", got \"" + bounds + "\"");
  }
  if (d.kind == Distribution::Kind::kUniform && (d.max <= d.a || d.min >= d.b)) {
    throw ConfigError(key, "its min and max leave nothing of " + d.describe());
  }
  if (d.kind == Distribution::Kind::kNormal && d.bounds == Distribution::Bounds::kRedraw &&
      (d.a + 6.0 * d.b < d.min || d.a - 6.0 * d.b > d.max)) {
    throw ConfigError(key, "its min and max exclude almost all of " + d.describe());
  }
  t.reject_unknown_keys();
  // A normal draw never leaves mean +- 8.7 sd (Box-Muller on 53-bit uniforms: sqrt(-2 ln 2^-54)),
  // so unbounded normals are accepted when that interval lies inside the range.
  double lowest = d.lowest(), highest = d.highest();
  if (d.kind == Distribution::Kind::kNormal) {
    lowest = std::max(lowest, d.a - kNormalReach * d.b);
    highest = std::min(highest, d.a + kNormalReach * d.b);
  }
  if (!range.contains(lowest) || !range.contains(highest)) {
    throw ConfigError(key, d.describe() + " can draw values outside " +
                               (*range.what ? std::string(range.what) + " " : std::string()) +
                               range.describe() + "; give min and max inside it");
  }
  return d;
}

}  // namespace spikeweave
