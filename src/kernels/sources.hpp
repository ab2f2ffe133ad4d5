#pragma once
// Update kernels of the source models, which only emit spikes.
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

// spike_source: spikes at given steps; `next` walks each neuron's sorted list.
struct SpikeSourceUpdate {
  FiredFlags fired;
  View<const std::int64_t*> spike_steps;  // emission steps, sorted per neuron
  View<const std::uint64_t*> begin;       // n + 1 offsets into spike_steps
  View<std::uint64_t*> next;              // per neuron, the first unconsumed entry
  std::int64_t step = 0;
  int lag = 0;
  static constexpr const char* kLabel = "spikeweave::spike_source::update";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const {
    std::uint64_t k = next(i);
    const std::uint64_t end = begin(i + 1);
    std::uint8_t spiked = 0;
    while (k < end && spike_steps(k) <= step) {
      if (spike_steps(k) == step) spiked = 1;
      ++k;
    }
    next(i) = k;
    fired(lag, i) = spiked;
  }
};

}  // namespace spikeweave::kernels
