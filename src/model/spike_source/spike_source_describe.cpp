// The spike_source model's entry in the registry. Host only (reads TOML).
#include <algorithm>

#include "core/errors.hpp"
#include "core/time_grid.hpp"
#include "model/neuron_model.hpp"
#include "model/parameter_reader.hpp"
#include "model/spike_source/spike_source_params.hpp"

namespace spikeweave::model {
namespace {

const ParameterList& declared() {
  static const ParameterList list = [] {
    ParameterInfo times = number_parameter(
        "spike_times_ms", "ms", std::nullopt, config::ranges::kTimeMs,
        "spike times, each >= dt_ms: one list for every neuron, or one list per neuron");
    times.kind = ParameterKind::kNumberList;
    return ParameterList({times});
  }();
  return list;
}

std::string number_text(double value) {
  return config::format_number(value);
}

AnyValue parse(const config::Table& t, const ModelParseContext& context) {
  SpikeSourceParams p;
  const std::string key = t.key_path("spike_times_ms");
  const toml::node* node = t.node("spike_times_ms");
  config::SchemaRecorder::note({key, config::ranges::kTimeMs, false, node != nullptr});
  t.reject_unknown_keys();
  if (!node || !node->is_array()) {
    throw ConfigError(key,
                      "expected an array of times [ms], or an array of one such array per neuron");
  }
  const toml::array& outer = *node->as_array();
  const bool per_neuron = !outer.empty() && outer.get(0)->is_array();
  auto read_list = [&](const toml::array& list, const std::string& where) {
    std::vector<double> times;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string element = where + "[" + std::to_string(i) + "]";
      const std::optional<double> value = config::number_value(*list.get(i));
      if (!value) throw ConfigError(element, "expected a number");
      times.push_back(config::check_number(*value, element, config::ranges::kTimeMs));
    }
    std::sort(times.begin(), times.end());
    return times;
  };
  if (per_neuron) {
    if (outer.size() != context.size) {
      throw ConfigError(key, "has " + std::to_string(outer.size()) +
                                 " lists but the population has " + std::to_string(context.size) +
                                 " neurons");
    }
    for (std::size_t n = 0; n < outer.size(); ++n) {
      const auto* list = outer.get(n)->as_array();
      const std::string where = key + "[" + std::to_string(n) + "]";
      if (!list) throw ConfigError(where, "expected an array of times [ms]");
      p.spike_times_ms.push_back(read_list(*list, where));
    }
  } else {
    p.spike_times_ms.assign(1, read_list(outer, key));
  }
  for (const auto& times : p.spike_times_ms) {
    // A spike at t is emitted at the end of the step ending at t: t must be >= dt.
    if (!times.empty() && times.front() < context.dt_ms * (1.0 - kGridTolerance)) {
      throw ConfigError(
          key, number_text(times.front()) + " ms is below dt_ms " + number_text(context.dt_ms));
    }
  }
  return AnyValue::of(std::move(p));
}

AnyValue lower(const AnyValue& params, double dt_ms, const std::string& key) {
  const SpikeSourceParams& p = params.as<SpikeSourceParams>();
  SpikeSourceLowered lowered;
  lowered.shared = p.spike_times_ms.size() == 1;
  for (const auto& times : p.spike_times_ms) {
    lowered.begin.push_back(lowered.steps.size());
    for (double t : times) {
      // A spike "at t" is emitted at the end of the step that ends at t.
      const Step s = time_to_nearest_step(t, dt_ms) - 1;
      if (s < 0) throw ConfigError(key + ".spike_times_ms", "times must be >= dt_ms");
      lowered.steps.push_back(s);
    }
  }
  lowered.begin.push_back(lowered.steps.size());
  return AnyValue::of(std::move(lowered));
}

}  // namespace

NeuronModelInfo describe_spike_source() {
  NeuronModelInfo m;
  m.name = "spike_source";
  m.summary = "emits spikes at given times; receives no input (NEST spike_generator)";
  m.parameters = declared();
  // Not checkpointed: after a restart the update walks past the spikes before the current step.
  m.state = {{"next_spike", "1", "", false, false,
              "index of the neuron's next spike in its list (rebuilt from the step at a restart)"}};
  m.parse = &parse;
  m.lower = &lower;
  return m;
}

}  // namespace spikeweave::model
