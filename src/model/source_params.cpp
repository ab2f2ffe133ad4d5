#include "model/source_params.hpp"

#include <algorithm>

#include "core/errors.hpp"

namespace spikeweave::model {

PoissonSourceParams parse_poisson_source_params(const config::Table& t) {
  PoissonSourceParams p;
  p.rate_hz = t.number("rate_hz", config::ranges::kRateHz);
  p.start_ms = t.number("start_ms", p.start_ms, config::ranges::kTimeMs);
  p.stop_ms = t.number("stop_ms", p.stop_ms, config::ranges::kTimeMs);
  t.reject_unknown_keys();
  if (!(p.stop_ms >= p.start_ms)) throw ConfigError(t.key_path("stop_ms"), "must be >= start_ms");
  return p;
}

SpikeSourceParams parse_spike_source_params(const config::Table& t, std::uint64_t size) {
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
    if (outer.size() != size) {
      throw ConfigError(key, "has " + std::to_string(outer.size()) +
                                 " lists but the population has " + std::to_string(size) +
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
  return p;
}

}  // namespace spikeweave::model
