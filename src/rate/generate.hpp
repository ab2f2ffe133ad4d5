#pragma once
// Drawing a rate network from its streams (device functions: any rank, thread or backend that
// makes network `index` of a seed makes the same W, I and h0).
//   W[i][j] = c z (dense or sparse Gaussian, c = g / sqrt(p N)), or with Dale's law
//   W[i][j] = +c_E |z| for j < n_E and -c_I |z| otherwise, zero where the mask word >= p.
#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdint>

#include "rate/normals.hpp"
#include "rate/params.hpp"

namespace spikeweave::rate {

// Row i of W: w_t[j * ld + i] = W[i][j] (the layout the forward product reads) and, if w is not
// null, w[i * ld + j] = W[i][j] (row-major, for the gradient's transposed product).
template <class Real>
KOKKOS_INLINE_FUNCTION void generate_row(std::uint64_t seed, std::uint32_t index, int n, int i,
                                         const Coefficients& c, Real* w_t, Real* w, int ld) {
  float z[kGroupSize];
  std::uint32_t words[kGroupSize];
  const StreamKey weight_key{seed, RateStream::kWeight, index, static_cast<std::uint32_t>(i)};
  const StreamKey mask_key{seed, RateStream::kMask, index, static_cast<std::uint32_t>(i)};
  const bool sparse = c.sparsity < 1.0;
  for (int g = 0; g * kGroupSize < n; ++g) {
    random_normals(weight_key, static_cast<std::uint32_t>(g), z);
    if (sparse) random_words(mask_key, static_cast<std::uint32_t>(g), words);
    for (int l = 0; l < kGroupSize && g * kGroupSize + l < n; ++l) {
      const int j = g * kGroupSize + l;
      double value;
      if (sparse && unit_from_word(words[l]) >= c.sparsity) {
        value = 0.0;
      } else if (c.dale) {
        value = (j < c.n_exc ? c.scale_exc : -c.scale_inh) * ::fabs(static_cast<double>(z[l]));
      } else {
        value = c.scale_exc * static_cast<double>(z[l]);
      }
      w_t[static_cast<long>(j) * ld + i] = static_cast<Real>(value);
      if (w != nullptr) w[static_cast<long>(i) * ld + j] = static_cast<Real>(value);
    }
  }
}

// out[i] = mean + std z[i] for i < n from stream (seed, kind, index, b); out[i] = 0 for n <= i <
// ld.
template <class Real>
KOKKOS_INLINE_FUNCTION void generate_vector(std::uint64_t seed, RateStream kind,
                                            std::uint32_t index, std::uint32_t b, int n, int ld,
                                            double mean, double std, Real* out) {
  float z[kGroupSize];
  const StreamKey key{seed, kind, index, b};
  for (int g = 0; g * kGroupSize < ld; ++g) {
    if (std != 0.0) random_normals(key, static_cast<std::uint32_t>(g), z);
    for (int l = 0; l < kGroupSize && g * kGroupSize + l < ld; ++l) {
      const int i = g * kGroupSize + l;
      out[i] = i < n
                   ? static_cast<Real>(mean + (std != 0.0 ? std * static_cast<double>(z[l]) : 0.0))
                   : Real(0);
    }
  }
}

}  // namespace spikeweave::rate
