#include "jobs/sweep_spec.hpp"

#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>

#include "core/config_table.hpp"
#include "core/errors.hpp"

namespace spikeweave::jobs {
namespace {

bool is_identifier(const std::string& name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_'))
    return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

// A node as TOML value text, for an override "key=value".
std::string value_text(const toml::node& node) {
  std::ostringstream out;
  node.visit([&](const auto& v) { out << v; });
  return out.str();
}

// [set]: dotted keys (`simulation.t_stop_ms = 1.0`) and sub-tables are flattened; quoted keys
// (`"projection[2].weight_mv" = 0.1`) and inline tables (distributions) are taken whole.
void flatten_set(const toml::table& table, const std::string& prefix,
                 std::vector<std::string>& out) {
  for (const auto& [key, node] : table) {
    const std::string path =
        prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    const auto* sub = node.as_table();
    if (sub && !sub->is_inline()) {
      flatten_set(*sub, path, out);
    } else {
      out.push_back(path + "=" + value_text(node));
    }
  }
}

// Sweep-file ranges (README "Numeric ranges"). Axis values are any finite number here: each
// point's values are checked against the network keys' own ranges when its network is parsed.
constexpr config::Range kAxisValue{-1e300, 1e300, false, false, "a finite number"};
constexpr config::Range kAnalysisTimeMs{0.0, 1e10, false, false, "a time [ms]"};

std::uint64_t positive_count(const config::Table& t, std::string_view key, std::int64_t fallback) {
  // Points and repeats are listed in memory and in the file: at most 2^32 of each.
  const std::int64_t n = t.integer(key, fallback, {1, std::int64_t{1} << 32, "a count"});
  return static_cast<std::uint64_t>(n);
}

// linspace / logspace = [a, b, n].
std::vector<double> spaced_values(const config::Table& t, std::string_view key, bool geometric) {
  const std::vector<double> v = t.number_array(key, kAxisValue);
  const std::string where = t.key_path(key);
  if (v.size() != 3 || v[2] < 1 || v[2] != std::floor(v[2]) || v[2] > 1e6)
    throw ConfigError(where, "expected [first, last, count] with an integer count >= 1");
  if (geometric && !(v[0] > 0 && v[1] > 0))
    throw ConfigError(where, "logspace needs first and last > 0 (values, not exponents)");
  const int n = static_cast<int>(v[2]);
  std::vector<double> values;
  for (int i = 0; i < n; ++i) {
    const double f = n == 1 ? 0.0 : static_cast<double>(i) / (n - 1);
    values.push_back(geometric ? std::exp(std::log(v[0]) + f * (std::log(v[1]) - std::log(v[0])))
                               : v[0] + f * (v[1] - v[0]));
  }
  if (n > 1) values.back() = v[1];  // exactly the last value the user wrote
  return values;
}

// [a, b] of uniform / log_uniform / normal.
void parse_pair(const config::Table& t, std::string_view key, SweepAxis& axis) {
  const std::vector<double> v = t.number_array(key, kAxisValue);
  const std::string where = t.key_path(key);
  if (v.size() != 2) throw ConfigError(where, "expected two numbers");
  axis.a = v[0];
  axis.b = v[1];
  if (axis.source == AxisValues::kNormal) {
    if (!(axis.b > 0)) throw ConfigError(where, "expected [mean, sd] with sd > 0");
  } else if (!(axis.b > axis.a)) {
    throw ConfigError(where, "expected [low, high] with low < high");
  } else if (axis.source == AxisValues::kLogUniform && !(axis.a > 0)) {
    throw ConfigError(where, "log_uniform needs low > 0");
  }
}

void parse_axis_values(const config::Table& t, SweepAxis& axis) {
  static const char* kSources[] = {"values",  "linspace",    "logspace",
                                   "uniform", "log_uniform", "normal"};
  std::vector<std::string> given;
  for (const char* s : kSources) {
    if (t.has(s)) given.push_back(s);
  }
  if (given.size() != 1) {
    throw ConfigError(
        axis.where,
        "expected exactly one of values, linspace, logspace, uniform, "
        "log_uniform or normal" +
            (given.empty() ? std::string() : ", got " + given[0] + " and " + given[1]));
  }
  const std::string& s = given[0];
  if (s == "values") {
    axis.values = t.number_array("values", kAxisValue);
    if (axis.values.empty()) throw ConfigError(t.key_path("values"), "expected at least one value");
  } else if (s == "linspace" || s == "logspace") {
    axis.values = spaced_values(t, s, s == "logspace");
  } else {
    axis.source = s == "uniform"       ? AxisValues::kUniform
                  : s == "log_uniform" ? AxisValues::kLogUniform
                                       : AxisValues::kNormal;
    parse_pair(t, s, axis);
  }
}

void parse_axis_keys(const config::Table& t, SweepAxis& axis) {
  if (const toml::node* keys = t.node("keys")) {
    const auto* table = keys->as_table();
    if (!table)
      throw ConfigError(t.key_path("keys"), "expected a table { \"key.path\" = \"expression\" }");
    for (const auto& [key, node] : *table) {
      SweepKey k;
      k.key = std::string(key.str());
      k.where = axis.where + ".keys." + k.key;
      if (const auto* text = node.as_string()) {
        k.expression = text->get();
      } else if (node.is_number()) {
        k.expression = value_text(node);
      } else {
        throw ConfigError(k.where, "expected an expression string, e.g. \"-g * 0.1\"");
      }
      axis.keys.push_back(k);
    }
  }
  if (t.has("key")) {
    SweepKey k;
    k.key = t.string("key");
    k.expression = axis.name;
    k.scale = t.number("scale", 1.0, kAxisValue);
    k.where = axis.where + ".key (" + k.key + ")";
    axis.keys.push_back(k);
  } else if (t.has("scale")) {
    throw ConfigError(t.key_path("scale"), "scale applies to `key` only; this axis has none");
  }
}

SweepAxis parse_axis(const config::Table& t, std::set<std::string>& names) {
  SweepAxis axis;
  axis.name = t.string("name");
  axis.where = t.path() + " (" + axis.name + ")";
  if (!is_identifier(axis.name) || axis.name == "repeat" || axis.name == "seed") {
    throw ConfigError(t.key_path("name"), "'" + axis.name +
                                              "' is not a usable axis name (letters, digits and "
                                              "_, not starting with a digit; not repeat or seed)");
  }
  if (!names.insert(axis.name).second)
    throw ConfigError(t.key_path("name"), "two axes are named '" + axis.name + "'");
  parse_axis_values(t, axis);
  parse_axis_keys(t, axis);
  t.reject_unknown_keys();
  return axis;
}

SweepMetricsSpec parse_metrics(const config::Table& t) {
  SweepMetricsSpec m;
  if (t.has("window_ms")) {
    const std::vector<double> w = t.number_array("window_ms", kAnalysisTimeMs);
    if (w.size() != 2 || !(w[0] >= 0) || !(w[1] > w[0]))
      throw ConfigError(t.key_path("window_ms"), "expected [start, stop] with 0 <= start < stop");
    m.window_start_ms = w[0];
    m.window_stop_ms = w[1];
  }
  m.bin_ms = t.number("bin_ms", 1.0, {0.0, 1e10, true, false, "a bin width [ms]"});
  m.spectrum_segment_ms = t.number("spectrum_segment_ms", 0.0, kAnalysisTimeMs);
  t.reject_unknown_keys();
  return m;
}

SweepDesign parse_design(const config::Table& t) {
  const std::string name = t.string("design", "grid");
  if (name == "grid") return SweepDesign::kGrid;
  if (name == "list") return SweepDesign::kList;
  if (name == "random") return SweepDesign::kRandom;
  if (name == "latin_hypercube") return SweepDesign::kLatinHypercube;
  throw ConfigError(t.key_path("design"), "unknown design '" + name +
                                              "'; expected grid, list, random or latin_hypercube");
}

// Checks that the axes fit the design (values for grid and list, equal lengths for list).
void check_design(const config::Table& top, const SweepSpec& spec) {
  const bool sampled =
      spec.design == SweepDesign::kRandom || spec.design == SweepDesign::kLatinHypercube;
  if (sampled && !top.has("samples")) {
    throw ConfigError(top.key_path("samples"),
                      "required by the " + design_name(spec.design) + " design");
  }
  if (!sampled && top.has("samples")) {
    throw ConfigError(top.key_path("samples"),
                      "applies to random and latin_hypercube designs only (this is " +
                          design_name(spec.design) + ")");
  }
  for (const SweepAxis& axis : spec.axes) {
    if (!sampled && axis.source != AxisValues::kList) {
      throw ConfigError(axis.where, "a " + design_name(spec.design) +
                                        " design needs values, linspace or logspace");
    }
    if (spec.design == SweepDesign::kList && axis.values.size() != spec.axes[0].values.size()) {
      throw ConfigError(axis.where, "a list design zips axes of equal length: this axis has " +
                                        std::to_string(axis.values.size()) + " values, " +
                                        spec.axes[0].where + " has " +
                                        std::to_string(spec.axes[0].values.size()));
    }
  }
}

}  // namespace

std::string design_name(SweepDesign design) {
  switch (design) {
    case SweepDesign::kGrid:
      return "grid";
    case SweepDesign::kList:
      return "list";
    case SweepDesign::kRandom:
      return "random";
    case SweepDesign::kLatinHypercube:
      return "latin_hypercube";
  }
  return "?";
}

std::string base_path_of(const std::string& sweep_toml, const std::string& sweep_path) {
  const toml::table root = config::parse_toml(sweep_toml, sweep_path);
  const config::Table top(root, "");
  const std::filesystem::path base = top.string("base");
  if (base.is_absolute()) return base.string();
  return (std::filesystem::path(sweep_path).parent_path() / base).lexically_normal().string();
}

SweepSpec parse_sweep(const std::string& sweep_toml, const std::string& sweep_path) {
  const toml::table root = config::parse_toml(sweep_toml, sweep_path);
  const config::Table top(root, "");
  SweepSpec spec;
  spec.sweep_path = sweep_path;
  spec.sweep_toml = sweep_toml;
  spec.base_path = base_path_of(sweep_toml, sweep_path);
  top.string("base");
  const std::int64_t seed = top.integer("seed", 1, config::ranges::kSeed);
  spec.seed = static_cast<std::uint64_t>(seed);
  spec.design = parse_design(top);
  if (top.has("samples")) spec.samples = positive_count(top, "samples", 1);
  spec.repeats = positive_count(top, "repeats", 1);
  spec.keep_spikes = top.boolean("keep_spikes", false);
  if (const toml::node* set = top.node("set")) {
    if (!set->as_table()) throw ConfigError(top.key_path("set"), "expected a table of overrides");
    flatten_set(*set->as_table(), "", spec.set);
  }
  std::set<std::string> names;
  for (const config::Table& t : top.array_of_tables("axis"))
    spec.axes.push_back(parse_axis(t, names));
  if (const auto metrics = top.optional_table("metrics")) spec.metrics = parse_metrics(*metrics);
  check_design(top, spec);
  top.reject_unknown_keys();
  return spec;
}

}  // namespace spikeweave::jobs
