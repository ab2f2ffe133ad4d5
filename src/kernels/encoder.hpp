#pragma once
// The encoder stimuli's kernels: they replay a plan computed on the host (network/encoding.hpp)
// into the target population's input ring for the steps of one interval. Presentation p shows
// row order(p) in steps [first_step + p period, first_step + p period + present).
#include "core/random.hpp"
#include "kernels/stimulus.hpp"
#include "kernels/views.hpp"

namespace spikeweave::kernels {

// What both kernels share: the schedule and where to write.
struct EncoderSchedule {
  InputRing ring;
  View<const std::uint32_t*> targets;   // local indices of the targeted neurons
  View<const std::uint32_t*> channels;  // per target: its column (static) or channel (delta)
  View<const std::uint32_t*> order;     // split row of each presentation
  std::int64_t first_step = 0;          // of presentation 0
  std::int64_t period = 1;
  std::int64_t present = 1;
  std::int64_t begin = 0;  // this interval: steps [begin, begin + steps)
  int steps = 0;
  int slots = 1;
  int port = kPortExcitatory;
  std::int64_t weight_fixed = 0;
  std::uint32_t row_channels = 1;  // columns of the event/probability tables

  // Presentations [lo, hi) whose windows may overlap this interval.
  KOKKOS_INLINE_FUNCTION void presentations(std::int64_t& lo, std::int64_t& hi) const {
    const auto n = static_cast<std::int64_t>(order.extent(0));
    lo = begin - first_step - present + 1;
    lo = lo <= 0 ? 0 : (lo + period - 1) / period;
    const std::int64_t last = begin + steps - 1 - first_step;
    hi = last < 0 ? 0 : last / period + 1;
    if (hi > n) hi = n;
  }
  KOKKOS_INLINE_FUNCTION void add(int i, std::int64_t step) const {
    // Atomic: encoder events are few, and a neuron may be the target of several channels.
    add_input(&ring(port, static_cast<int>(step % slots), i), weight_fixed, true);
  }
};

// latency, phase, delta: fixed offsets per (row, channel), in CSR form.
struct EventEncoderInput {
  EncoderSchedule s;
  View<const std::uint64_t*> event_begin;
  View<const std::int32_t*> event_offsets;
  static constexpr const char* kLabel = "spikeweave::stimulus::encoder_events";

  KOKKOS_INLINE_FUNCTION void operator()(const int t) const {
    const int i = static_cast<int>(s.targets(t));
    const std::uint32_t channel = s.channels(t);
    std::int64_t lo = 0, hi = 0;
    s.presentations(lo, hi);
    for (std::int64_t p = lo; p < hi; ++p) {
      const std::int64_t window = s.first_step + p * s.period;
      const std::uint64_t list = static_cast<std::uint64_t>(s.order(p)) * s.row_channels + channel;
      for (std::uint64_t k = event_begin(list); k < event_begin(list + 1); ++k) {
        const std::int64_t step = window + event_offsets(k);
        if (step >= s.begin && step < s.begin + s.steps) s.add(i, step);
      }
    }
  }
};

// rate: in each step of a window, a spike with probability table(row, column), drawn from the
// Philox stream (seed, encoder, stimulus, gid, step); column = the target's (static) or the
// signal sample shown at that step (signal).
struct RateEncoderInput {
  EncoderSchedule s;
  View<const double*> probability;
  View<const std::int32_t*> step_sample;  // signal: sample index per window step, or -1
  View<const std::uint32_t*> gids;
  std::uint64_t seed = 0;
  std::uint32_t stimulus = 0;
  bool signal = false;
  static constexpr const char* kLabel = "spikeweave::stimulus::encoder_rate";

  KOKKOS_INLINE_FUNCTION void operator()(const int t) const {
    const int i = static_cast<int>(s.targets(t));
    const auto n = static_cast<std::int64_t>(s.order.extent(0));
    for (std::int64_t step = s.begin; step < s.begin + s.steps; ++step) {
      const std::int64_t rel = step - s.first_step;
      if (rel < 0) continue;
      const std::int64_t p = rel / s.period;
      const std::int64_t k = rel - p * s.period;
      if (p >= n || k >= s.present) continue;
      const std::int32_t column =
          signal ? step_sample(k) : static_cast<std::int32_t>(s.channels(t));
      if (column < 0) continue;
      const double prob = probability(static_cast<std::uint64_t>(s.order(p)) * s.row_channels +
                                      static_cast<std::uint64_t>(column));
      if (prob > 0.0 && step_uniform(seed, rng::Purpose::kEncoder, stimulus, gids(i), step) < prob)
        s.add(i, step);
    }
  }
};

}  // namespace spikeweave::kernels
