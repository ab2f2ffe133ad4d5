#pragma once
// Update kernel of the spike_source model.
#include "kernels/neuron_update.hpp"
#include "kernels/views.hpp"

namespace spikeweave::kernels {

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
