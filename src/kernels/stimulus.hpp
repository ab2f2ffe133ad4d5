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

// Four 32-bit words from one Philox block; draws for steps 4k .. 4k+3 share a block.
KOKKOS_INLINE_FUNCTION rng::Philox::ctr_type step_block(std::uint64_t seed, rng::Purpose purpose,
                                                        std::uint32_t object, std::uint32_t gid,
                                                        std::int64_t block) {
  rng::Philox philox;
  const rng::Philox::key_type key = {
      {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  const rng::Philox::ctr_type ctr = {{(static_cast<std::uint32_t>(purpose) << 24) | object, gid,
                                      static_cast<std::uint32_t>(block),
                                      static_cast<std::uint32_t>(block >> 32)}};
  return philox(ctr, key);
}

// Poisson inversion by counting: the count for a uniform word w is the number of k with
// w > threshold[k], threshold[k] = floor(P(K <= k) 2^32 - 1/2), which equals the textbook
// inversion of u = (w + 1/2) 2^-32 exactly, but has no divisions and no data-dependent branches
// (a fixed-length compare-and-add loop that compilers vectorise). The table stops where the
// remaining mass is below 2^-40, far under the 2^-32 resolution of the uniforms; for means below
// rng::kPoissonInversionMax it fits in kCapacity entries.
struct PoissonTable {
  static constexpr int kCapacity = 64;
  static constexpr int kFast = 32;  // means below about 9 need at most 32 entries
  Kokkos::Array<std::uint32_t, kCapacity> threshold;
  int size = 0;

  static PoissonTable make(double mean) {
    PoissonTable t;
    for (int k = 0; k < kCapacity; ++k) t.threshold[k] = 0xFFFFFFFFu;  // never exceeded
    double p = std::exp(-mean), sum = 0.0;
    for (int k = 0; k < kCapacity; ++k) {
      sum += p;
      const double scaled = std::floor(sum * 0x1.0p32 - 0.5);
      t.threshold[k] = scaled >= 4294967295.0 ? 0xFFFFFFFFu : static_cast<std::uint32_t>(scaled);
      t.size = k + 1;
      if (sum >= 1.0 - 0x1.0p-40) break;
      p *= mean / (k + 1);
    }
    return t;
  }
  KOKKOS_INLINE_FUNCTION std::uint32_t invert(std::uint32_t w) const {
    std::uint32_t count = 0;
    if (size <= kFast) {
      for (int k = 0; k < kFast; ++k) count += w > threshold[k] ? 1u : 0u;
    } else {
      for (int k = 0; k < size; ++k) count += w > threshold[k] ? 1u : 0u;
    }
    return count;
  }
};

// Independent Poisson input per target neuron: count ~ Poisson(rate dt) per step, each event
// adding `weight_fixed` to the port. The count of (stimulus, gid, step) is word step mod 4 of
// the Philox block (seed, stimulus, gid, step / 4): a pure function of those ids. When an
// interval ends inside a block (intervals of 1-3 steps: networks whose minimum delay is dt),
// each neuron keeps that block's words in `cached_words`, so the next interval does not compute
// the same block again (a Philox block costs several times the count itself).
struct PoissonInput {
  InputRing ring;
  View<const std::uint32_t*> gids;     // gid of each local neuron of the target population
  View<const std::uint32_t*> targets;  // local indices of the targeted neurons
  std::uint64_t seed = 0;
  std::uint32_t stimulus = 0;
  int port = kPortExcitatory;
  double mean_per_step = 0.0;
  PoissonTable table;
  std::int64_t weight_fixed = 0;
  std::int64_t first_step = 0;  // steps [first_step, first_step + steps) of this interval
  int steps = 0;
  int slots = 1;
  View<std::uint32_t* [4]> cached_words;  // per target: the words of block `cached_block`
  std::int64_t cached_block = -1;         // -1: nothing cached
  static constexpr const char* kLabel = "spikeweave::stimulus::poisson";

  KOKKOS_INLINE_FUNCTION void operator()(const int t) const {
    const int i = static_cast<int>(targets(t));
    const std::uint32_t gid = gids(i);
    const std::size_t stride = ring.extent(2);
    std::int64_t* const base = &ring(port, 0, i);
    int slot = static_cast<int>(first_step % slots);
    std::int64_t step = first_step;
    const std::int64_t end = first_step + steps;
    const bool small_mean = mean_per_step < rng::kPoissonInversionMax;
    while (step < end) {
      const std::int64_t block = step >> 2;
      rng::Philox::ctr_type words{};
      if (small_mean) {
        if (block == cached_block) {
          for (int w = 0; w < 4; ++w) words.v[w] = cached_words(t, w);
        } else {
          words = step_block(seed, rng::Purpose::kPoissonInput, stimulus, gid, block);
        }
        // The interval ends inside this block: keep its words for the next one.
        if ((end & 3) != 0 && block == (end >> 2)) {
          for (int w = 0; w < 4; ++w) cached_words(t, w) = words.v[w];
        }
      }
      for (int w = static_cast<int>(step & 3); w < 4 && step < end; ++w, ++step) {
        std::uint32_t count;
        if (small_mean) {
          count = table.invert(words.v[w]);
        } else {
          rng::Stream stream(seed, rng::Purpose::kPoissonLarge, stimulus, gid,
                             static_cast<std::uint32_t>(step));
          count = rng::poisson_ptrs(stream, mean_per_step);
        }
        // One iteration per target neuron (targets are unique): it owns its entries.
        if (count != 0)
          add_input(base + static_cast<std::size_t>(slot) * stride, weight_fixed * count, false);
        if (++slot == slots) slot = 0;
      }
    }
  }
};

// Adds the same value to one port of every neuron at the given ring slots (dc currents,
// spike_times stimuli).
struct ConstantInput {
  InputRing ring;
  View<const std::uint32_t*> targets;  // local indices of the targeted neurons
  View<const int*> slots;              // ring slots to add to in this interval
  int port = kPortCurrent;
  std::int64_t value_fixed = 0;
  static constexpr const char* kLabel = "spikeweave::stimulus::constant";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const {
    const std::uint32_t neuron = targets(i);
    for (std::size_t k = 0; k < slots.extent(0); ++k)
      add_input(&ring(port, slots(k), neuron), value_fixed, false);  // unique targets: owned
  }
};

}  // namespace spikeweave::kernels
