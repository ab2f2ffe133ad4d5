#include "engine/post_rates.hpp"

#include <algorithm>
#include <cmath>

#include "core/errors.hpp"
#include "engine/checkpoint_state.hpp"
#include "engine/neuron_group.hpp"

namespace spikeweave::engine {

int PostRates::require_rate(int population, double tau_ms, double initial_hz,
                            const std::string& key) {
  Request& r = requests_[population];
  for (std::size_t k = 0; k < r.taus_ms.size(); ++k) {
    if (r.taus_ms[k] == tau_ms && r.initial_hz[k] == initial_hz) return static_cast<int>(k);
  }
  if (static_cast<int>(r.taus_ms.size()) == kernels::kMaxRateTraces) {
    throw ConfigError(key, "more than " + std::to_string(kernels::kMaxRateTraces) +
                               " distinct rate estimates of one population");
  }
  r.taus_ms.push_back(tau_ms);
  r.initial_hz.push_back(initial_hz);
  return static_cast<int>(r.taus_ms.size() - 1);
}

void PostRates::require_gain(int population, const plasticity::HomeostaticScalingParams& params,
                             const std::string& key) {
  Request& r = requests_[population];
  if (r.homeostatic && (r.homeostatic->target_rate_hz != params.target_rate_hz ||
                        r.homeostatic->tau_ms != params.tau_ms ||
                        r.homeostatic->rate_tau_ms != params.rate_tau_ms)) {
    throw ConfigError(key,
                      "another projection scales the same population with other parameters; "
                      "a neuron has one homeostatic gain");
  }
  r.homeostatic = params;
  // The rate estimate starts at the target: the gain starts at rest.
  r.gain_trace = require_rate(population, params.rate_tau_ms, params.target_rate_hz, key);
}

void PostRates::allocate(const std::vector<std::unique_ptr<NeuronGroup>>& groups, double dt_ms) {
  for (const auto& [population, request] : requests_) {
    const int n = groups[population]->size();
    const std::string& name = groups[population]->spec().name;
    kernels::PostRatesUpdate u;
    u.fired = groups[population]->fired();
    u.traces = static_cast<int>(request.taus_ms.size());
    for (int k = 0; k < u.traces; ++k) {
      u.rate_hz[k] = kernels::View<double*>(name + ".rate_hz", n);
      Kokkos::deep_copy(u.rate_hz[k], request.initial_hz[k]);
      u.decay[k] = std::exp(-dt_ms / request.taus_ms[k]);
      u.jump_hz[k] = 1000.0 / request.taus_ms[k];
    }
    if (request.homeostatic) {
      u.gain = kernels::View<double*>(name + ".homeostatic_gain", n);
      Kokkos::deep_copy(u.gain, 1.0);
      u.gain_trace = request.gain_trace;
      u.gain_step = dt_ms / request.homeostatic->tau_ms;
      u.target_rate_hz = request.homeostatic->target_rate_hz;
    }
    state_[population] = u;
  }
}

void PostRates::update(const std::vector<std::unique_ptr<NeuronGroup>>& groups, int steps) {
  for (auto& [population, u] : state_) {
    u.steps = steps;
    Kokkos::parallel_for(kernels::PostRatesUpdate::kLabel,
                         Kokkos::RangePolicy<kernels::ExecSpace>(0, groups[population]->size()), u);
  }
}

void PostRates::save_state(StateWriter& w,
                           const std::vector<std::unique_ptr<NeuronGroup>>& groups) const {
  for (const auto& [population, u] : state_) {
    const StateKeys keys = gid_keys(groups[population]->gids(), groups[population]->spec().name);
    const std::string prefix = "post_rates/" + groups[population]->spec().name + "/";
    for (int k = 0; k < u.traces; ++k)
      w.put(prefix + "rate_hz_" + std::to_string(k), keys, u.rate_hz[k]);
    if (requests_.at(population).homeostatic) w.put(prefix + "gain", keys, u.gain);
  }
}

void PostRates::restore_state(StateReader& r,
                              const std::vector<std::unique_ptr<NeuronGroup>>& groups) {
  for (auto& [population, u] : state_) {
    const StateKeys keys = gid_keys(groups[population]->gids(), groups[population]->spec().name);
    const std::string prefix = "post_rates/" + groups[population]->spec().name + "/";
    for (int k = 0; k < u.traces; ++k)
      r.get(prefix + "rate_hz_" + std::to_string(k), keys, u.rate_hz[k]);
    if (requests_.at(population).homeostatic) r.get(prefix + "gain", keys, u.gain);
  }
}

kernels::View<const double*> PostRates::gain(int population) const {
  const auto it = state_.find(population);
  return it == state_.end() ? kernels::View<const double*>() : it->second.gain;
}

kernels::View<const double*> PostRates::rate(int population, int trace) const {
  return state_.at(population).rate_hz[trace];
}

}  // namespace spikeweave::engine
