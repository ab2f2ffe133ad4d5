#pragma once
// Update kernel of the poisson_source model.
#include "kernels/neuron_update.hpp"
#include "kernels/stimulus.hpp"
#include "kernels/views.hpp"

namespace spikeweave::kernels {

// poisson_source: at most one spike per step, with probability 1 - exp(-rate dt).
struct PoissonSourceUpdate {
  FiredFlags fired;
  View<const std::uint32_t*> gids;
  std::uint64_t seed = 0;
  std::uint32_t population = 0;
  double spike_probability = 0.0;
  std::int64_t step = 0;
  int lag = 0;
  bool active = false;
  static constexpr const char* kLabel = "spikeweave::poisson_source::update";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const {
    fired(lag, i) = active && step_uniform(seed, rng::Purpose::kSourceSpikes, population, gids(i),
                                           step) < spike_probability
                        ? 1
                        : 0;
  }
};

}  // namespace spikeweave::kernels
