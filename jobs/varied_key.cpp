// `--vary key.path=DIST` of `spikeweave dataset spiking`: host only (reads TOML).
#include <cmath>

#include "core/config_table.hpp"
#include "core/distribution_parser.hpp"
#include "core/errors.hpp"
#include "jobs/config_paths.hpp"
#include "jobs/rate_dataset_spec.hpp"
#include "jobs/spiking_dataset.hpp"

namespace spikeweave::jobs {

VariedKey parse_varied_key(const std::string& assignment, const std::string& network_toml) {
  const std::size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw ConfigError("--vary " + assignment,
                      "expected key.path=DIST, e.g. projection[0].weight_pa=uniform:50,100");
  }
  VariedKey v;
  v.key = assignment.substr(0, eq);
  const std::string where = "--vary " + v.key;
  const std::string text = distribution_to_toml(assignment.substr(eq + 1), where);
  toml::table value;
  try {
    value = toml::parse("value = " + text);
  } catch (const toml::parse_error&) {
    throw ConfigError(where, "expected a number, uniform:A,B or a TOML table, got '" +
                                 assignment.substr(eq + 1) + "'");
  }
  // Any finite values here; each instance is validated against the key's own range when its
  // network is parsed.
  v.values = parse_distribution(*value.get("value"), where,
                                {-1e300, 1e300, false, false, "a finite number"});
  if (!std::isfinite(v.values.lowest()) || !std::isfinite(v.values.highest())) {
    throw ConfigError(where, "the values must be bounded (give a normal distribution min and max)");
  }
  const toml::table root = config::parse_toml(network_toml, "NET.toml");
  const toml::node* node = lookup_key(root, v.key);
  v.integer = node != nullptr && node->is_integer();
  return v;
}

}  // namespace spikeweave::jobs
