#include "jobs/sweep_points.hpp"

#include <cmath>
#include <numeric>
#include <sstream>

#include "core/random.hpp"
#include "jobs/config_paths.hpp"
#include "jobs/part_file.hpp"

namespace spikeweave::jobs {
namespace {

// Philox objects of Purpose::kDataset used by sweeps (the datasets use 1 .. 101).
constexpr std::uint32_t kRandomAxisBase = 200;   // + axis: random draws
constexpr std::uint32_t kLatinOrderBase = 300;   // + axis: the stratum permutation
constexpr std::uint32_t kLatinJitterBase = 400;  // + axis: the position inside the stratum
constexpr std::uint32_t kPointSeed = 500;

rng::Stream stream(const SweepSpec& spec, std::uint32_t object, std::uint64_t a, std::uint64_t b) {
  return rng::Stream(spec.seed, rng::Purpose::kDataset, object, static_cast<std::uint32_t>(a),
                     static_cast<std::uint32_t>(b));
}

// Inverse of the standard normal CDF by bisection: slow, exact to the last bit, no tables.
double normal_quantile(double u) {
  double low = -40.0, high = 40.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (low + high);
    if (0.5 * std::erfc(-mid / std::sqrt(2.0)) < u) {
      low = mid;
    } else {
      high = mid;
    }
  }
  return 0.5 * (low + high);
}

// The axis's value at the quantile u in [0, 1).
double value_at(const SweepAxis& axis, double u) {
  switch (axis.source) {
    case AxisValues::kList: {
      const std::size_t n = axis.values.size();
      return axis.values[std::min(n - 1, static_cast<std::size_t>(u * n))];
    }
    case AxisValues::kUniform:
      return axis.a + u * (axis.b - axis.a);
    case AxisValues::kLogUniform:
      return std::exp(std::log(axis.a) + u * (std::log(axis.b) - std::log(axis.a)));
    case AxisValues::kNormal:
      return axis.a + axis.b * normal_quantile(u);
  }
  return 0.0;
}

std::vector<std::vector<double>> grid_points(const SweepSpec& spec) {
  std::vector<std::vector<double>> rows(1);
  for (const SweepAxis& axis : spec.axes) {  // the last axis varies fastest
    std::vector<std::vector<double>> next;
    for (const auto& row : rows) {
      for (double v : axis.values) {
        next.push_back(row);
        next.back().push_back(v);
      }
    }
    rows = std::move(next);
  }
  return rows;
}

std::vector<std::vector<double>> list_points(const SweepSpec& spec) {
  const std::size_t n = spec.axes.empty() ? 1 : spec.axes[0].values.size();
  std::vector<std::vector<double>> rows(n);
  for (std::size_t d = 0; d < n; ++d) {
    for (const SweepAxis& axis : spec.axes) rows[d].push_back(axis.values[d]);
  }
  return rows;
}

std::vector<std::vector<double>> random_points(const SweepSpec& spec) {
  std::vector<std::vector<double>> rows(spec.samples);
  for (std::uint64_t d = 0; d < spec.samples; ++d) {
    for (std::size_t a = 0; a < spec.axes.size(); ++a) {
      const SweepAxis& axis = spec.axes[a];
      rng::Stream s = stream(spec, kRandomAxisBase + static_cast<std::uint32_t>(a), d, 0);
      // A normal axis draws its own deviate (the whole real line); the others a quantile.
      rows[d].push_back(axis.source == AxisValues::kNormal ? axis.a + axis.b * s.normal()
                                                           : value_at(axis, s.uniform()));
    }
  }
  return rows;
}

// Each axis's range is cut into `samples` strata of equal probability; every stratum is used
// once per axis, in an order of its own (McKay, Beckman & Conover 1979).
std::vector<std::vector<double>> latin_hypercube_points(const SweepSpec& spec) {
  const std::uint64_t n = spec.samples;
  std::vector<std::vector<double>> rows(n);
  for (std::size_t a = 0; a < spec.axes.size(); ++a) {
    std::vector<std::uint64_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    rng::Stream shuffle = stream(spec, kLatinOrderBase + static_cast<std::uint32_t>(a), 0, 0);
    for (std::uint64_t i = n; i > 1; --i)
      std::swap(order[i - 1], order[shuffle.below(static_cast<std::uint32_t>(i))]);
    for (std::uint64_t d = 0; d < n; ++d) {
      rng::Stream jitter = stream(spec, kLatinJitterBase + static_cast<std::uint32_t>(a), d, 0);
      const double u = (static_cast<double>(order[d]) + jitter.uniform()) / static_cast<double>(n);
      rows[d].push_back(value_at(spec.axes[a], u));
    }
  }
  return rows;
}

std::string list_text(const std::vector<double>& values) {
  std::string text = "[";
  for (std::size_t i = 0; i < values.size(); ++i)
    text += (i ? ", " : "") + override_value_text(values[i]);
  return text + "]";
}

}  // namespace

std::vector<std::vector<double>> design_points(const SweepSpec& spec) {
  switch (spec.design) {
    case SweepDesign::kGrid:
      return grid_points(spec);
    case SweepDesign::kList:
      return list_points(spec);
    case SweepDesign::kRandom:
      return random_points(spec);
    case SweepDesign::kLatinHypercube:
      return latin_hypercube_points(spec);
  }
  return {};
}

std::vector<SweepPoint> sweep_points(const SweepSpec& spec) {
  const std::vector<std::vector<double>> design = design_points(spec);
  std::vector<SweepPoint> points;
  for (std::uint64_t d = 0; d < design.size(); ++d) {
    for (std::uint64_t r = 0; r < spec.repeats; ++r) {
      SweepPoint p;
      p.index = points.size();
      p.design_point = d;
      p.repeat = r;
      rng::Stream s = stream(spec, kPointSeed, d, r);
      const std::uint64_t hi = s.next_u32(), lo = s.next_u32();
      p.seed = ((hi << 32) | lo) >> 1;  // a TOML (signed) integer
      p.axis_values = design[d];
      points.push_back(std::move(p));
    }
  }
  return points;
}

std::vector<std::string> point_overrides(const SweepSpec& spec, const SweepKeyEvaluator& keys,
                                         const SweepPoint& point) {
  std::vector<std::string> overrides = spec.set;
  const std::vector<double> values = keys.evaluate(point.axis_values);
  std::size_t k = 0;
  for (const SweepAxis& axis : spec.axes) {
    for (const SweepKey& key : axis.keys) {
      const double v = values[k++];
      overrides.push_back(key.key + "=" +
                          (key.integer ? std::to_string(std::llround(v)) : override_value_text(v)));
    }
  }
  overrides.push_back("simulation.seed=" + std::to_string(point.seed));
  overrides.push_back("simulation.output=\"\"");
  return overrides;
}

std::string canonical_sweep(const SweepSpec& spec) {
  std::ostringstream out;
  out << "design = " << design_name(spec.design) << "\nseed = " << spec.seed
      << "\nsamples = " << spec.samples << "\nrepeats = " << spec.repeats
      << "\nkeep_spikes = " << (spec.keep_spikes ? "true" : "false") << "\n";
  for (const std::string& s : spec.set) {
    const std::size_t eq = s.find('=');
    out << "set." << s.substr(0, eq) << " = " << s.substr(eq + 1) << "\n";
  }
  for (const SweepAxis& axis : spec.axes) {
    const std::string prefix = "axis." + axis.name;
    out << prefix << ".values = ";
    if (axis.source == AxisValues::kList) {
      out << list_text(axis.values) << "\n";
    } else {
      const char* kind = axis.source == AxisValues::kUniform      ? "uniform"
                         : axis.source == AxisValues::kLogUniform ? "log_uniform"
                                                                  : "normal";
      out << kind << " " << list_text({axis.a, axis.b}) << "\n";
    }
    for (const SweepKey& key : axis.keys) {
      out << prefix << ".key." << key.key << " = " << key.expression << " * "
          << override_value_text(key.scale) << "\n";
    }
  }
  const SweepMetricsSpec& m = spec.metrics;
  out << "metrics.window_ms = " << list_text({m.window_start_ms, m.window_stop_ms}) << "\n"
      << "metrics.bin_ms = " << override_value_text(m.bin_ms) << "\n"
      << "metrics.spectrum_segment_ms = " << override_value_text(m.spectrum_segment_ms) << "\n"
      << "base (the network file's text, FNV-1a) = " << fnv1a(spec.base_toml) << "\n";
  return out.str();
}

}  // namespace spikeweave::jobs
