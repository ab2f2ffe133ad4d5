#include "network/encoding.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/errors.hpp"
#include "core/random.hpp"

namespace spikeweave::network {
namespace {

Step nearest_step(double t_ms, double dt_ms) {
  return static_cast<Step>(std::llround(t_ms / dt_ms));
}

std::string kind_name(StimulusKind kind) {
  switch (kind) {
    case StimulusKind::kRate:
      return "rate";
    case StimulusKind::kLatency:
      return "latency";
    case StimulusKind::kPhase:
      return "phase";
    case StimulusKind::kDelta:
      return "delta";
    default:
      return "?";
  }
}

// Static encoders: one column per targeted neuron. Signal encoders: one column per sample of
// the signal, and a fixed number of neurons (delta: ON, and OFF when asked).
void check_columns(const StimulusSpec& s, std::uint64_t cols, std::uint64_t targets,
                   const std::string& path) {
  const EncoderSpec& e = s.encoder;
  const bool signal = s.kind == StimulusKind::kDelta || (s.kind == StimulusKind::kRate && e.signal);
  if (!signal && cols != targets) {
    throw FileError(path, "has " + std::to_string(cols) + " columns but the " + kind_name(s.kind) +
                              " encoder of " + s.key + " targets " + std::to_string(targets) +
                              " neurons; expected one column per targeted neuron");
  }
  if (s.kind == StimulusKind::kDelta) {
    const std::uint64_t expected = e.off_neurons ? 2 : 1;
    if (targets != expected) {
      throw ConfigError(s.key + ".target",
                        "the delta encoder drives " + std::to_string(expected) +
                            (e.off_neurons ? " neurons (ON, OFF)" : " neuron (ON)") + " but " +
                            std::to_string(targets) + " are targeted; use node_ids to choose");
    }
  }
}

// Appends the CSR lists of the deterministic codes for split rows [begin, end).
void plan_events(const StimulusSpec& s, const std::vector<double>& values, std::uint64_t cols,
                 const Normalizer& norm, double dt_ms, EncoderPlan& plan, std::uint64_t begin,
                 std::uint64_t end) {
  const EncoderSpec& e = s.encoder;
  plan.event_begin.push_back(0);
  std::vector<Step> on, off;
  for (std::uint64_t r = begin; r < end; ++r) {
    const double* row = values.data() + r * cols;
    if (s.kind == StimulusKind::kDelta) {
      delta_events(e, row, cols, dt_ms, e.present_steps, on, off);
      for (const std::vector<Step>* list : {&on, &off}) {
        if (list == &off && !e.off_neurons) continue;
        for (Step o : *list) plan.event_offsets.push_back(static_cast<std::int32_t>(o));
        plan.event_begin.push_back(plan.event_offsets.size());
      }
      continue;
    }
    for (std::uint64_t c = 0; c < cols; ++c) {
      const double x = norm(row[c]);
      if (s.kind == StimulusKind::kLatency) {
        if (const std::optional<Step> o = latency_offset(e, x, dt_ms))
          plan.event_offsets.push_back(static_cast<std::int32_t>(*o));
      } else {
        for (Step o : phase_offsets(e, x, dt_ms))
          plan.event_offsets.push_back(static_cast<std::int32_t>(o));
      }
      plan.event_begin.push_back(plan.event_offsets.size());
    }
  }
}

void plan_rate(const StimulusSpec& s, const std::vector<double>& values, std::uint64_t cols,
               const Normalizer& norm, double dt_ms, EncoderPlan& plan, std::uint64_t begin,
               std::uint64_t end) {
  const EncoderSpec& e = s.encoder;
  plan.rate = true;
  plan.signal = e.signal;
  plan.probability.reserve((end - begin) * cols);
  // A Poisson process of rate lambda has a spike in a step of length dt with probability
  // 1 - exp(-lambda dt); at most one spike per step is emitted.
  for (std::uint64_t k = begin * cols; k < end * cols; ++k) {
    plan.probability.push_back(-std::expm1(-e.max_rate_hz * norm(values[k]) * dt_ms * 1e-3));
  }
  if (e.signal) {
    // Zero-order hold: window step k shows sample floor(k dt / sample_ms).
    plan.step_sample.resize(static_cast<std::size_t>(plan.present_steps));
    for (Step k = 0; k < plan.present_steps; ++k) {
      const auto j = static_cast<std::uint64_t>(
          std::floor(static_cast<double>(k) * dt_ms / e.sample_ms + 1e-9));
      plan.step_sample[static_cast<std::size_t>(k)] = j < cols ? static_cast<std::int32_t>(j) : -1;
    }
  }
}

}  // namespace

double Normalizer::operator()(double v) const {
  const double x = hi > lo ? (v - lo) / (hi - lo) : 0.0;
  return std::min(1.0, std::max(0.0, x));
}

Normalizer make_normalizer(const EncoderSpec& e, const std::vector<double>& values,
                           const std::string& path) {
  Normalizer n;
  switch (e.normalize) {
    case EncoderSpec::Normalize::kRange:
      n.lo = e.range_lo;
      n.hi = e.range_hi;
      break;
    case EncoderSpec::Normalize::kMinMax: {
      const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
      n.lo = *lo;
      n.hi = *hi;  // all equal: every x is 0
      break;
    }
    case EncoderSpec::Normalize::kNone:
      for (std::size_t k = 0; k < values.size(); ++k) {
        if (values[k] < 0.0 || values[k] > 1.0) {
          throw FileError(path, "value " + std::to_string(values[k]) + " (element " +
                                    std::to_string(k) +
                                    ") is outside [0, 1], which normalize = \"none\" requires");
        }
      }
      break;
  }
  return n;
}

std::optional<Step> latency_offset(const EncoderSpec& e, double x, double dt_ms) {
  std::optional<Step> offset;
  if (x > e.threshold) {
    const double t_ms =
        e.log_code ? e.tau_ms * std::log(x / (x - e.threshold)) : e.tau_ms * (1 - x);
    const Step k = nearest_step(t_ms, dt_ms);
    if (k < e.present_steps) offset = k;
  }
  if (!offset && e.window_end) offset = e.present_steps - 1;
  return offset;
}

std::vector<Step> phase_offsets(const EncoderSpec& e, double x, double dt_ms) {
  std::vector<Step> offsets;
  if (!(x > e.threshold)) return offsets;
  const double period_ms = 1000.0 / e.frequency_hz;
  for (std::uint64_t c = 0;; ++c) {
    const Step k = nearest_step((static_cast<double>(c) + 1.0 - x) * period_ms, dt_ms);
    if (k >= e.present_steps) break;
    offsets.push_back(k);
  }
  return offsets;
}

void delta_events(const EncoderSpec& e, const double* row, std::uint64_t samples, double dt_ms,
                  Step present_steps, std::vector<Step>& on, std::vector<Step>& off) {
  on.clear();
  off.clear();
  if (samples == 0) return;
  double reference = row[0];
  for (std::uint64_t j = 1; j < samples; ++j) {
    const Step k = nearest_step(static_cast<double>(j) * e.sample_ms, dt_ms);
    if (k >= present_steps) break;
    const double change = row[j] - reference;
    if (change >= e.threshold) {
      on.push_back(k);
      reference = row[j];
    } else if (-change >= e.threshold) {
      if (e.off_neurons) off.push_back(k);
      reference = row[j];
    }
  }
  // Samples closer than dt apart can round to one step: one event per step and channel.
  on.erase(std::unique(on.begin(), on.end()), on.end());
  off.erase(std::unique(off.begin(), off.end()), off.end());
}

std::vector<std::uint32_t> presentation_order(const EncoderSpec& e, std::uint64_t split_rows,
                                              std::uint64_t count, std::uint32_t stimulus,
                                              const std::string& key) {
  std::vector<std::uint32_t> order;
  order.reserve(count);
  if (e.order == EncoderSpec::Order::kList) {
    for (std::uint64_t row : e.order_list) {
      if (row >= split_rows) {
        throw ConfigError(key + ".order", "row " + std::to_string(row) +
                                              " is outside the split of " +
                                              std::to_string(split_rows) + " rows");
      }
    }
    for (std::uint64_t p = 0; p < count; ++p)
      order.push_back(static_cast<std::uint32_t>(e.order_list[p % e.order_list.size()]));
    return order;
  }
  std::vector<std::uint32_t> pass(split_rows);
  for (std::uint64_t p = 0; p < count; p += split_rows) {
    std::iota(pass.begin(), pass.end(), 0u);
    if (e.order == EncoderSpec::Order::kShuffled) {
      rng::Stream stream(e.order_seed, rng::Purpose::kShuffle, stimulus,
                         static_cast<std::uint32_t>(p / split_rows), 0);
      for (std::uint64_t i = split_rows - 1; i > 0; --i)  // Fisher-Yates
        std::swap(pass[i], pass[stream.below(static_cast<std::uint32_t>(i + 1))]);
    }
    for (std::uint64_t i = 0; i < split_rows && p + i < count; ++i) order.push_back(pass[i]);
  }
  return order;
}

EncoderPlan plan_encoder(const StimulusSpec& s, std::uint32_t stimulus, std::uint64_t rows,
                         std::uint64_t cols, const std::vector<double>& values,
                         const std::string& path, std::uint64_t targets, double dt_ms,
                         Step total_steps) {
  const EncoderSpec& e = s.encoder;
  const std::uint64_t begin = e.rows_given ? e.row_begin : 0;
  const std::uint64_t end = e.rows_given ? e.row_end : rows;
  if (end > rows) {
    throw FileError(path, "has " + std::to_string(rows) + " rows; " + s.key + ".rows asks for [" +
                              std::to_string(begin) + ", " + std::to_string(end) + ")");
  }
  if (end <= begin) {
    throw FileError(path, "the split " + s.key + ".rows = [" + std::to_string(begin) + ", " +
                              std::to_string(end) + ") is empty");
  }
  check_columns(s, cols, targets, path);
  if (s.kind == StimulusKind::kPhase || s.kind == StimulusKind::kLatency ||
      s.kind == StimulusKind::kDelta) {
    const Step longest = e.present_steps;
    if (longest > INT32_MAX) throw ConfigError(s.key + ".present_ms", "is too long");
  }
  EncoderPlan plan;
  plan.split_begin = begin;
  plan.split_end = end;
  plan.present_steps = e.present_steps;
  plan.period_steps = e.present_steps + e.rest_steps;
  plan.first_step = static_cast<Step>(std::llround(s.start_ms / dt_ms));
  // Presentations that start before the run ends (or before stop_ms).
  const Step stop = std::min<Step>(total_steps, static_cast<Step>(std::llround(s.stop_ms / dt_ms)));
  const std::uint64_t starting =
      stop > plan.first_step
          ? static_cast<std::uint64_t>((stop - plan.first_step + plan.period_steps - 1) /
                                       plan.period_steps)
          : 0;
  const std::uint64_t wanted =
      e.presentations > 0
          ? e.presentations
          : (e.order == EncoderSpec::Order::kList ? e.order_list.size() : end - begin);
  plan.order = presentation_order(e, end - begin, std::min(wanted, starting), stimulus, s.key);
  const Normalizer norm =
      s.kind == StimulusKind::kDelta ? Normalizer{} : make_normalizer(e, values, path);
  plan.channels =
      s.kind == StimulusKind::kDelta ? (e.off_neurons ? 2u : 1u) : static_cast<std::uint32_t>(cols);
  if (s.kind == StimulusKind::kRate) {
    plan_rate(s, values, cols, norm, dt_ms, plan, begin, end);
  } else {
    plan_events(s, values, cols, norm, dt_ms, plan, begin, end);
  }
  return plan;
}

}  // namespace spikeweave::network
