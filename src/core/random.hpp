#pragma once
// Counter-based random streams (Random123 Philox4x32-10).
//
// Every random draw in SpikeWeave is a pure function of (seed, purpose, object, a, b, index):
// there is no generator state shared between neurons, synapses or ranks, so a network and its
// activity are the same whatever the number of ranks or threads. The 128-bit Philox counter is
//   word 0: purpose (8 bits) << 24 | object (24 bits, e.g. the projection or stimulus index)
//   word 1: a (e.g. target gid)     word 2: b (e.g. step, or a sub-purpose)
//   word 3: block index inside the stream (each block yields four 32-bit words)
// and the key is the 64-bit user seed. Usable on host and device (SPIKEWEAVE_INLINE_FUNCTION).
#include <Random123/philox.h>
#include <cmath>
#include <cstdint>
#include "core/portable.hpp"

namespace spikeweave::rng {

enum class Purpose : std::uint32_t {
  kConnectivity = 1,  // which sources a target receives (object: projection)
  kWeight = 2,        // synaptic weights (object: projection)
  kDelay = 3,         // synaptic delays (object: projection)
  kPoissonInput = 4,  // Poisson stimulus counts (object: stimulus; a: gid; block from step)
  kPoissonLarge = 5,  // Poisson counts with a large mean, rejection sampler (b: step)
  kInitialState = 6,  // initial neuron state (object: population * 16 + state variable)
  kTotalNumber = 7,   // fixed_total_number's split of the total count over targets
  kSourceSpikes = 8,  // poisson_source populations' spikes (object: population; b: step)
  kRateNetwork = 9,   // rate-network weights and noise
  kPlasticity = 10,   // stochastic plasticity rules
  kDataset = 11,      // dataset / sweep parameter draws
  kSampling = 12,     // which synapses a weight recording samples
  kEncoder = 13,      // rate encoder spikes (object: stimulus; a: gid; step)
  kShuffle = 14,      // encoder presentation order (object: stimulus; a: epoch)
};

using Philox = r123::Philox4x32;

class Stream {
 public:
  SPIKEWEAVE_INLINE_FUNCTION Stream(std::uint64_t seed, Purpose purpose, std::uint32_t object,
                                    std::uint32_t a, std::uint32_t b,
                                    std::uint32_t first_block = 0) {
    key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
    ctr_ = {
        {(static_cast<std::uint32_t>(purpose) << 24) | (object & 0xFFFFFFu), a, b, first_block}};
    fill();
  }

  SPIKEWEAVE_INLINE_FUNCTION std::uint32_t next_u32() {
    if (used_ == 4) {
      ++ctr_.v[3];
      fill();
    }
    return words_.v[used_++];
  }

  // Uniform double in the open interval (0, 1), 53 random bits.
  SPIKEWEAVE_INLINE_FUNCTION double uniform() {
    const std::uint64_t hi = next_u32();
    const std::uint64_t lo = next_u32();
    return to_unit_open(hi, lo);
  }

  // Uniform integer in [0, n), n >= 1, unbiased (Lemire's multiply-shift with rejection).
  SPIKEWEAVE_INLINE_FUNCTION std::uint32_t below(std::uint32_t n) {
    std::uint64_t m = std::uint64_t{next_u32()} * n;
    auto low = static_cast<std::uint32_t>(m);
    if (low < n) {
      const std::uint32_t threshold = (0u - n) % n;
      while (low < threshold) {
        m = std::uint64_t{next_u32()} * n;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }

  // Standard normal deviate (Box-Muller; the second deviate is discarded to keep draws simple).
  SPIKEWEAVE_INLINE_FUNCTION double normal() {
    const double u1 = uniform();
    const double u2 = uniform();
    return ::sqrt(-2.0 * ::log(u1)) * ::cos(6.283185307179586476925 * u2);
  }

  SPIKEWEAVE_INLINE_FUNCTION static double to_unit_open(std::uint64_t hi, std::uint64_t lo) {
    const std::uint64_t bits = ((hi << 32) | lo) >> 11;
    return (static_cast<double>(bits) + 0.5) * 0x1.0p-53;
  }

 private:
  SPIKEWEAVE_INLINE_FUNCTION void fill() {
    Philox philox;
    words_ = philox(ctr_, key_);
    used_ = 0;
  }

  Philox::key_type key_;
  Philox::ctr_type ctr_;
  Philox::ctr_type words_;
  int used_ = 0;
};

// Poisson deviate by inversion; for small means (the sampler below switches at
// kPoissonInversionMax).
SPIKEWEAVE_INLINE_FUNCTION std::uint32_t poisson_by_inversion(double u, double exp_minus_mean,
                                                              double mean) {
  std::uint32_t k = 0;
  double p = exp_minus_mean;
  double cdf = p;
  // 1000 terms bound the loop for u within rounding of 1; the mean here is below 16.
  while (u > cdf && k < 1000) {
    ++k;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

// Poisson deviate for mean >= 10 by transformed rejection with squeeze (Hoermann 1993, PTRS).
SPIKEWEAVE_INLINE_FUNCTION std::uint32_t poisson_ptrs(Stream& stream, double mean) {
  const double slam = ::sqrt(mean);
  const double loglam = ::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = stream.uniform() - 0.5;
    const double v = stream.uniform();
    const double us = 0.5 - ::fabs(u);
    const double k = ::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::uint32_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (::log(v) + ::log(inv_alpha) - ::log(a / (us * us) + b) <=
        -mean + k * loglam - ::lgamma(k + 1.0)) {
      return static_cast<std::uint32_t>(k);
    }
  }
}

inline constexpr double kPoissonInversionMax = 16.0;

// Poisson deviate of any mean from a stream.
SPIKEWEAVE_INLINE_FUNCTION std::uint32_t poisson(Stream& stream, double mean) {
  if (mean <= 0.0) return 0;
  if (mean < kPoissonInversionMax)
    return poisson_by_inversion(stream.uniform(), ::exp(-mean), mean);
  return poisson_ptrs(stream, mean);
}

// Binomial deviate (host only): inversion for small n*min(p, 1-p), else Hoermann's BTRD (1993).
std::uint64_t binomial(Stream& stream, std::uint64_t n, double p);

}  // namespace spikeweave::rng
