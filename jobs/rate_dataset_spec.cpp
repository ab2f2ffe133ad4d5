#include "jobs/rate_dataset_parser.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "core/config_table.hpp"
#include "core/distribution_parser.hpp"
#include "core/errors.hpp"
#include "core/random.hpp"
#include "jobs/config_paths.hpp"

namespace spikeweave::jobs {
namespace {

constexpr config::IntRange kNetworks{1, std::int64_t{1} << 40, "a number of networks"};
constexpr config::Range kRateStepMs{1e-6, 1e6, false, false, "a time step [ms]"};

// Philox objects of the per-network draws (Purpose::kDataset).
enum Column : std::uint32_t {
  kGain = 1,
  kSparsity = 2,
  kDale = 3,
  kNoise = 4,
  kInputMean = 5,
  kInputStd = 6,
  kH0Std = 7,
  kTau = 8,
};

std::string distribution_text(const Distribution& d) {
  std::string bounds;
  if (std::isfinite(d.min)) bounds += ", min = " + override_value_text(d.min);
  if (std::isfinite(d.max)) bounds += ", max = " + override_value_text(d.max);
  switch (d.kind) {
    case Distribution::Kind::kUniform:
      return "{ uniform = [" + override_value_text(d.a) + ", " + override_value_text(d.b) + "]" +
             bounds + " }";
    case Distribution::Kind::kNormal:
      return "{ normal = [" + override_value_text(d.a) + ", " + override_value_text(d.b) + "]" +
             bounds + ", bounds = \"" +
             (d.bounds == Distribution::Bounds::kClip ? "clip" : "redraw") + "\" }";
    default:
      return override_value_text(d.a);
  }
}

Distribution distribution_key(const config::Table& t, const char* key, const Distribution& fallback,
                              const config::Range& range) {
  const toml::node* node = t.node(key);
  if (!node) config::SchemaRecorder::note({t.key_path(key), range, false, false});
  return node ? parse_distribution(*node, t.key_path(key), range) : fallback;
}

// Every draw of `d` must lie in the range; a normal distribution needs bounds to promise that.
void require_range(const Distribution& d, const std::string& key, double low, bool low_open,
                   double high, bool high_open, const std::string& what) {
  const double lo = d.lowest(), hi = d.highest();
  const bool ok_low = low_open ? lo > low : lo >= low;
  const bool ok_high = high_open ? hi < high : hi <= high;
  if (!ok_low || !ok_high || !std::isfinite(lo) || !std::isfinite(hi)) {
    if (d.is_constant())
      throw ConfigError(key, "expected " + what + ", got " + override_value_text(d.a));
    std::string hint = d.kind == Distribution::Kind::kNormal
                           ? " (give a normal distribution min and max bounds)"
                           : "";
    throw ConfigError(
        key, "every draw must be " + what + ", but " + d.describe() + " can give " +
                 (std::isfinite(lo) ? override_value_text(lo) : std::string("-inf")) + " .. " +
                 (std::isfinite(hi) ? override_value_text(hi) : std::string("inf")) + hint);
  }
}

double draw(const Distribution& d, std::uint64_t seed, Column column, std::uint64_t m,
            const char* key) {
  if (d.is_constant()) return d.a;
  rng::Stream stream(seed, rng::Purpose::kDataset, column, static_cast<std::uint32_t>(m),
                     static_cast<std::uint32_t>(m >> 32));
  return d.sample(stream, key);
}

}  // namespace

RateDatasetSpec parse_rate_dataset(const toml::table& root, const std::string& source) {
  RateDatasetSpec s;
  const config::Table top(root, "");
  const config::Table dataset = top.table("dataset");
  s.networks = static_cast<std::uint64_t>(dataset.integer("networks", kNetworks));
  s.seed = static_cast<std::uint64_t>(dataset.integer("seed", 1, config::ranges::kSeed));
  s.output = dataset.string("output", "");
  const std::string precision = dataset.string("precision", "float");
  if (precision != "float" && precision != "double") {
    throw ConfigError(dataset.key_path("precision"),
                      "expected \"float\" or \"double\", got \"" + precision + "\"");
  }
  s.double_precision = precision == "double";
  s.record_h = dataset.boolean("record_h", false);
  s.lyapunov = dataset.boolean("lyapunov", false);
  s.lyapunov_steps =
      static_cast<int>(dataset.integer("lyapunov_steps", 2000, {1, 1 << 30, "a number of steps"}));
  s.lyapunov_transient_steps = static_cast<int>(
      dataset.integer("lyapunov_transient_steps", 1000, {0, 1 << 30, "a number of steps"}));
  s.deflate =
      static_cast<int>(dataset.integer("deflate", 0, {0, 9, "a deflate compression level"}));
  const std::string kind = dataset.string("kind", "rate");
  if (kind != "rate")
    throw ConfigError(dataset.key_path("kind"), "expected \"rate\" (this is a rate dataset)");
  dataset.reject_unknown_keys();

  const config::Table rate_table = top.table("rate");
  s.dynamics.neurons =
      static_cast<int>(rate_table.integer("neurons", {1, 1 << 20, "a number of neurons"}));
  s.dynamics.trials =
      static_cast<int>(rate_table.integer("trials", 1, {1, 1 << 20, "a number of trials"}));
  s.dynamics.steps =
      static_cast<int>(rate_table.integer("steps", {1, 1 << 30, "a number of steps"}));
  s.dynamics.dt_ms = rate_table.number("dt_ms", 1.0, kRateStepMs);
  s.dynamics.phi = rate::parse_nonlinearity(rate_table.string("nonlinearity", "tanh"),
                                            rate_table.key_path("nonlinearity"));
  rate::validate(s.dynamics, "rate");
  const std::optional<config::Table> network_table = rate_table.optional_table("network");
  rate_table.reject_unknown_keys();

  if (network_table) {
    const config::Table& n = *network_table;
    namespace ranges = config::ranges;
    s.gain = distribution_key(n, "gain", s.gain, ranges::kNonNegative);
    s.sparsity = distribution_key(n, "sparsity", s.sparsity,
                                  {0.0, 1.0, true, false, "a connection probability"});
    if (n.has("dale")) {
      s.dale = distribution_key(n, "dale", Distribution::constant(0.8),
                                {0.0, 1.0, false, false, "an excitatory fraction"});
    }
    s.balanced = n.boolean("balanced", false);
    s.noise = distribution_key(n, "noise", s.noise, ranges::kNonNegative);
    s.input_mean = distribution_key(n, "input_mean", s.input_mean, ranges::kSigned);
    s.input_std = distribution_key(n, "input_std", s.input_std, ranges::kNonNegative);
    s.h0_std = distribution_key(n, "h0_std", s.h0_std, ranges::kNonNegative);
    s.tau_ms = distribution_key(n, "tau_ms", s.tau_ms, ranges::kTimeConstantMs);
    n.reject_unknown_keys();
  }
  const double inf = std::numeric_limits<double>::infinity();
  const std::string p = "rate.network.";
  require_range(s.gain, p + "gain", 0.0, false, inf, true, "a value >= 0");
  require_range(s.sparsity, p + "sparsity", 0.0, true, 1.0, false, "a probability in (0, 1]");
  require_range(s.noise, p + "noise", 0.0, false, inf, true, "a value >= 0");
  require_range(s.input_mean, p + "input_mean", -inf, true, inf, true, "a finite value");
  require_range(s.input_std, p + "input_std", 0.0, false, inf, true, "a value >= 0");
  require_range(s.h0_std, p + "h0_std", 0.0, false, inf, true, "a value >= 0");
  require_range(s.tau_ms, p + "tau_ms", s.dynamics.dt_ms, false, inf, true,
                "a value >= rate.dt_ms (" + override_value_text(s.dynamics.dt_ms) +
                    ", for a stable Euler step)");
  if (s.dale) {
    require_range(*s.dale, p + "dale", 0.0, false, 1.0, false, "an excitatory fraction in [0, 1]");
    if (s.balanced) {
      const double n_cells = s.dynamics.neurons;
      if (std::lround(s.dale->lowest() * n_cells) < 1 ||
          std::lround(s.dale->highest() * n_cells) > n_cells - 1) {
        throw ConfigError(
            p + "balanced",
            "a balanced Dale network needs excitatory and inhibitory neurons: round(dale N) must "
            "lie in 1 .. N - 1 for every draw");
      }
    }
  } else if (s.balanced) {
    throw ConfigError(p + "balanced",
                      "balancing applies to Dale networks: set rate.network.dale too");
  }
  (void)source;
  return s;
}

rate::NetworkParams draw_network_params(const RateDatasetSpec& s, std::uint64_t m) {
  rate::NetworkParams p;
  p.gain = draw(s.gain, s.seed, kGain, m, "rate.network.gain");
  p.sparsity = draw(s.sparsity, s.seed, kSparsity, m, "rate.network.sparsity");
  p.dale = s.dale.has_value();
  p.excitatory_fraction = s.dale ? draw(*s.dale, s.seed, kDale, m, "rate.network.dale") : 1.0;
  p.balanced = s.balanced;
  p.noise = draw(s.noise, s.seed, kNoise, m, "rate.network.noise");
  p.input_mean = draw(s.input_mean, s.seed, kInputMean, m, "rate.network.input_mean");
  p.input_std = draw(s.input_std, s.seed, kInputStd, m, "rate.network.input_std");
  p.h0_std = draw(s.h0_std, s.seed, kH0Std, m, "rate.network.h0_std");
  p.tau_ms = draw(s.tau_ms, s.seed, kTau, m, "rate.network.tau_ms");
  return p;
}

std::vector<std::string> param_columns() {
  return {"gain",     "sparsity", "dale",       "excitatory_fraction",
          "balanced", "noise",    "input_mean", "input_std",
          "h0_std",   "tau_ms"};
}

void param_row(const rate::NetworkParams& p, double* row) {
  const double values[] = {p.gain,
                           p.sparsity,
                           p.dale ? 1.0 : 0.0,
                           p.dale ? p.excitatory_fraction : 1.0,
                           p.balanced ? 1.0 : 0.0,
                           p.noise,
                           p.input_mean,
                           p.input_std,
                           p.h0_std,
                           p.tau_ms};
  std::copy(std::begin(values), std::end(values), row);
}

std::string canonical_toml(const RateDatasetSpec& s) {
  std::ostringstream out;
  out << "[dataset]\n";
  out << "kind = \"rate\"\n";
  out << "networks = " << s.networks << "\n";
  out << "seed = " << s.seed << "\n";
  out << "precision = \"" << (s.double_precision ? "double" : "float") << "\"\n";
  out << "record_h = " << (s.record_h ? "true" : "false") << "\n";
  out << "lyapunov = " << (s.lyapunov ? "true" : "false") << "\n";
  if (s.lyapunov) {
    out << "lyapunov_steps = " << s.lyapunov_steps << "\n";
    out << "lyapunov_transient_steps = " << s.lyapunov_transient_steps << "\n";
  }
  out << "deflate = " << s.deflate << "\n";
  out << "\n[rate]\n";
  out << "neurons = " << s.dynamics.neurons << "\n";
  out << "trials = " << s.dynamics.trials << "\n";
  out << "steps = " << s.dynamics.steps << "\n";
  out << "dt_ms = " << override_value_text(s.dynamics.dt_ms) << "\n";
  out << "nonlinearity = \"" << rate::nonlinearity_name(s.dynamics.phi) << "\"\n";
  out << "\n[rate.network]\n";
  out << "gain = " << distribution_text(s.gain) << "\n";
  out << "sparsity = " << distribution_text(s.sparsity) << "\n";
  if (s.dale) out << "dale = " << distribution_text(*s.dale) << "\n";
  out << "balanced = " << (s.balanced ? "true" : "false") << "\n";
  out << "noise = " << distribution_text(s.noise) << "\n";
  out << "input_mean = " << distribution_text(s.input_mean) << "\n";
  out << "input_std = " << distribution_text(s.input_std) << "\n";
  out << "h0_std = " << distribution_text(s.h0_std) << "\n";
  out << "tau_ms = " << distribution_text(s.tau_ms) << "\n";
  return out.str();
}

std::string distribution_to_toml(const std::string& text, const std::string& option) {
  auto two = [&](const std::string& body, const char* kind) {
    const std::size_t comma = body.find(',');
    if (comma == std::string::npos) {
      throw ConfigError(option, "expected " + std::string(kind) + ":A,B, got '" + text + "'");
    }
    try {
      std::size_t used_a = 0, used_b = 0;
      const double a = std::stod(body.substr(0, comma), &used_a);
      const double b = std::stod(body.substr(comma + 1), &used_b);
      if (used_a != comma || used_b != body.size() - comma - 1)
        throw std::invalid_argument("trailing");
      return "{ " + std::string(kind) + " = [" + override_value_text(a) + ", " +
             override_value_text(b) + "] }";
    } catch (const std::logic_error&) {
      throw ConfigError(option, "expected " + std::string(kind) +
                                    ":A,B with numbers A and B, got '" + text + "'");
    }
  };
  if (text.rfind("uniform:", 0) == 0) return two(text.substr(8), "uniform");
  if (text.rfind("normal:", 0) == 0) return two(text.substr(7), "normal");
  return text;  // a number or a TOML inline table; parsed (and checked) as TOML later
}

RateDatasetSpec parse_rate_dataset_text(const std::string& toml_text, const std::string& source,
                                        const std::vector<std::string>& overrides,
                                        const std::string& missing_sections) {
  toml::table root = config::parse_toml(toml_text, source);
  for (const std::string& a : overrides) config::apply_override(root, a);
  if (!missing_sections.empty() && (!root.contains("dataset") || !root.contains("rate"))) {
    throw ConfigError(source, missing_sections);
  }
  return parse_rate_dataset(root, source);
}

}  // namespace spikeweave::jobs
