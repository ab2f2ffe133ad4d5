// The poisson_source model's entry in the registry. Host only (reads TOML).
#include <cmath>

#include "core/errors.hpp"
#include "core/time_grid.hpp"
#include "model/neuron_model.hpp"
#include "model/parameter_reader.hpp"
#include "model/poisson_source/poisson_source_params.hpp"

namespace spikeweave::model {
namespace {
namespace ranges = config::ranges;

const ParameterList& declared() {
  static const ParameterList list({
      number_parameter("rate_hz", "Hz", std::nullopt, ranges::kRateHz,
                       "firing rate of each source"),
      number_parameter("start_ms", "ms", 0.0, ranges::kTimeMs, "first time a spike may occur"),
      number_parameter("stop_ms", "ms", std::numeric_limits<double>::infinity(), ranges::kTimeMs,
                       "no spikes after this time"),
  });
  return list;
}

AnyValue parse(const config::Table& t, const ModelParseContext& /*context*/) {
  const ParameterReader read(t, declared());
  PoissonSourceParams p;
  p.rate_hz = read.number("rate_hz");
  p.start_ms = read.number("start_ms");
  p.stop_ms = read.number("stop_ms");
  t.reject_unknown_keys();
  if (!(p.stop_ms >= p.start_ms)) throw ConfigError(t.key_path("stop_ms"), "must be >= start_ms");
  return AnyValue::of(p);
}

AnyValue lower(const AnyValue& params, double dt_ms, const std::string& /*key*/) {
  const PoissonSourceParams& p = params.as<PoissonSourceParams>();
  PoissonSourceLowered lowered;
  lowered.spike_probability = -std::expm1(-p.rate_hz * dt_ms * 1e-3);
  lowered.first_step = first_step_from(p.start_ms, dt_ms);
  lowered.stop_step =
      std::isinf(p.stop_ms) ? std::numeric_limits<Step>::max() : end_step_at(p.stop_ms, dt_ms);
  return AnyValue::of(lowered);
}

}  // namespace

NeuronModelInfo describe_poisson_source() {
  NeuronModelInfo m;
  m.name = "poisson_source";
  m.summary = "emits independent Poisson spike trains; receives no input (NEST poisson_generator)";
  m.parameters = declared();
  m.parse = &parse;
  m.lower = &lower;
  return m;
}

}  // namespace spikeweave::model
