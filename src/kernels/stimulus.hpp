#pragma once
// Stimuli written straight into the input ring for all steps of one communication interval.
// The Poisson count of neuron gid at step s is a pure function of (seed, stimulus, gid, s).
#include "core/random.hpp"
#include "kernels/views.hpp"

namespace spikeweave::kernels {

// Two uniforms from one Philox block: draws for steps 2k and 2k+1 share a block.
KOKKOS_INLINE_FUNCTION double step_uniform(std::uint64_t seed, rng::Purpose purpose,
                                           std::uint32_t object, std::uint32_t gid,
                                           std::int64_t step) {
  rng::Philox philox;
  const rng::Philox::key_type key = {
      {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  const rng::Philox::ctr_type ctr = {{(static_cast<std::uint32_t>(purpose) << 24) | object, gid,
                                      static_cast<std::uint32_t>(step >> 1),
                                      static_cast<std::uint32_t>(step >> 33)}};
  const rng::Philox::ctr_type w = philox(ctr, key);
  const int pair = static_cast<int>(step & 1) * 2;
  return rng::Stream::to_unit_open(w.v[pair], w.v[pair + 1]);
}

// Independent Poisson input per target neuron: count ~ Poisson(rate dt) per step, each event
// adding `weight_fixed` to the port.
struct PoissonInput {
  InputRing ring;
  View<const std::uint32_t*> gids;  // gid of each local neuron of the target population
  std::uint64_t seed = 0;
  std::uint32_t stimulus = 0;
  int port = kPortExcitatory;
  double mean_per_step = 0.0;
  double exp_minus_mean = 1.0;
  std::int64_t weight_fixed = 0;
  std::int64_t first_step = 0;  // steps [first_step, first_step + steps) of this interval
  int steps = 0;
  int slots = 1;
  static constexpr const char* kLabel = "spikeweave::stimulus::poisson";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const {
    const std::uint32_t gid = gids(i);
    for (int lag = 0; lag < steps; ++lag) {
      const std::int64_t step = first_step + lag;
      std::uint32_t count;
      if (mean_per_step < rng::kPoissonInversionMax) {
        const double u = step_uniform(seed, rng::Purpose::kPoissonInput, stimulus, gid, step);
        count = rng::poisson_by_inversion(u, exp_minus_mean, mean_per_step);
      } else {
        rng::Stream stream(seed, rng::Purpose::kPoissonLarge, stimulus, gid,
                           static_cast<std::uint32_t>(step));
        count = rng::poisson_ptrs(stream, mean_per_step);
      }
      if (count != 0) {
        add_input(&ring(port, static_cast<int>(step % slots), i), weight_fixed * count);
      }
    }
  }
};

// Adds the same value to one port of every neuron at the given ring slots (dc currents,
// spike_times stimuli).
struct ConstantInput {
  InputRing ring;
  View<const int*> slots;  // ring slots to add to in this interval
  int port = kPortCurrent;
  std::int64_t value_fixed = 0;
  static constexpr const char* kLabel = "spikeweave::stimulus::constant";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const {
    for (std::size_t k = 0; k < slots.extent(0); ++k) add_input(&ring(port, slots(k), i), value_fixed);
  }
};

}  // namespace spikeweave::kernels
