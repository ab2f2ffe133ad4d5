#include "jobs/sweep_validate.hpp"

#include "core/config_table.hpp"
#include "core/errors.hpp"
#include "jobs/config_paths.hpp"
#include "jobs/sweep_points.hpp"
#include "network/spec.hpp"

namespace spikeweave::jobs {
namespace {

// The message of a ConfigError without its "where: " prefix.
std::string message_of(const ConfigError& e) {
  const std::string what = e.what();
  return e.where().empty() ? what : what.substr(e.where().size() + 2);
}

std::string describe(const SweepSpec& spec, const SweepPoint& point) {
  std::string text = "point " + std::to_string(point.index);
  for (std::size_t a = 0; a < spec.axes.size(); ++a) {
    text +=
        (a ? ", " : ": ") + spec.axes[a].name + " = " + override_value_text(point.axis_values[a]);
  }
  return text;
}

// The sweep key an error is about (its key path is where the error is, or inside it), if any.
const SweepKey* key_of(const SweepSpec& spec, const std::string& where) {
  for (const SweepAxis& axis : spec.axes) {
    for (const SweepKey& key : axis.keys) {
      if (where == key.key || where.rfind(key.key + ".", 0) == 0 ||
          where.rfind("--set " + key.key + "=", 0) == 0) {
        return &key;
      }
    }
  }
  return nullptr;
}

// Applies [set] alone: its errors are named "set.<key>", not "--set".
toml::table base_with_set(const SweepSpec& spec) {
  toml::table root = config::parse_toml(spec.base_toml, spec.base_path);
  for (const std::string& assignment : spec.set) {
    try {
      config::apply_override(root, assignment);
    } catch (const ConfigError& e) {
      throw ConfigError("set." + assignment.substr(0, assignment.find('=')), message_of(e));
    }
  }
  return root;
}

void mark_integer_keys(SweepSpec& spec, const toml::table& root) {
  for (SweepAxis& axis : spec.axes) {
    for (SweepKey& key : axis.keys) {
      const toml::node* node = lookup_key(root, key.key);
      key.integer = node != nullptr && node->is_integer();
    }
  }
}

void check_point(const SweepSpec& spec, const SweepKeyEvaluator& keys, const SweepPoint& point) {
  network::NetworkSpec net;
  try {
    net =
        network::parse_network(spec.base_toml, spec.base_path, point_overrides(spec, keys, point));
  } catch (const ConfigError& e) {
    if (const SweepKey* key = key_of(spec, e.where())) {
      throw ConfigError(key->where, message_of(e) + " (at " + describe(spec, point) + ")");
    }
    const std::string where = e.where().rfind("--set ", 0) == 0
                                  ? "set." + e.where().substr(6, e.where().find('=') - 6)
                                  : e.where();
    throw ConfigError(where,
                      message_of(e) + " (" + spec.base_path + " at " + describe(spec, point) + ")");
  }
  const SweepMetricsSpec& m = spec.metrics;
  const double stop = m.window_stop_ms < 0 ? net.simulation.t_stop_ms : m.window_stop_ms;
  if (stop > net.simulation.t_stop_ms + 1e-9 || m.window_start_ms >= stop) {
    throw ConfigError("metrics.window_ms", "the window [" + override_value_text(m.window_start_ms) +
                                               ", " + override_value_text(stop) +
                                               "] ms must lie inside the run (t_stop_ms " +
                                               override_value_text(net.simulation.t_stop_ms) +
                                               " at " + describe(spec, point) + ")");
  }
  if (2.0 * m.bin_ms > stop - m.window_start_ms) {
    throw ConfigError("metrics.bin_ms", "expected at least two bins in the window (at " +
                                            describe(spec, point) + ")");
  }
}

}  // namespace

void validate_sweep(SweepSpec& spec) {
  mark_integer_keys(spec, base_with_set(spec));
  const SweepKeyEvaluator keys(spec);
  const std::vector<SweepPoint> points = sweep_points(spec);
  if (points.empty()) throw ConfigError(spec.sweep_path, "the sweep has no points");
  // Repeats differ only in their seed: the first repeat of each design point is enough.
  for (const SweepPoint& point : points) {
    if (point.repeat == 0) check_point(spec, keys, point);
  }
}

}  // namespace spikeweave::jobs
