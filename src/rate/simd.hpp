#pragma once
// Host vectorisation switches for the rate kernels.
//
// The rate kernels are Kokkos kernels that run on any backend. On a host backend compiled by
// GCC or Clang, their inner loops use the compilers' vector extensions (and AVX2 intrinsics for
// the Philox generator where the target has AVX2), because auto-vectorisation of register-blocked
// loops is unreliable; on devices (CUDA, HIP, SYCL) the same functions take plain scalar loops.
// Both paths compute the same quantities in the same summation order: results differ between
// paths only by floating-point contraction, never in meaning, and within one build every network
// always takes the same path, so results never depend on batch composition or rank count.
#include <Kokkos_Core.hpp>
#include <cstdint>
#include <cstring>

#if defined(__GNUC__) && !defined(__CUDA_ARCH__) && !defined(__HIP_DEVICE_COMPILE__) && \
    !defined(__SYCL_DEVICE_ONLY__)
#define SPIKEWEAVE_RATE_VECTOR_EXTENSIONS 1
#endif
#if defined(SPIKEWEAVE_RATE_VECTOR_EXTENSIONS) && defined(__AVX2__)
#define SPIKEWEAVE_RATE_AVX2 1
#include <immintrin.h>
#endif

namespace spikeweave::rate::simd {

#if defined(SPIKEWEAVE_RATE_VECTOR_EXTENSIONS)
// 32-byte vectors: one AVX register (two SSE registers where AVX is absent).
template <class Real>
struct Vec;
template <>
struct Vec<float> {
  typedef float type __attribute__((vector_size(32)));
  static constexpr int kWidth = 8;
};
template <>
struct Vec<double> {
  typedef double type __attribute__((vector_size(32)));
  static constexpr int kWidth = 4;
};

template <class Real>
KOKKOS_FORCEINLINE_FUNCTION typename Vec<Real>::type load(const Real* p) {
  typename Vec<Real>::type v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <class Real>
KOKKOS_FORCEINLINE_FUNCTION void store(Real* p, const typename Vec<Real>::type& v) {
  std::memcpy(p, &v, sizeof v);
}
#endif

// Bit pattern of a float and back, usable on host and device.
KOKKOS_FORCEINLINE_FUNCTION std::uint32_t float_bits(float x) {
  std::uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits;
}
KOKKOS_FORCEINLINE_FUNCTION float bits_float(std::uint32_t bits) {
  float x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

}  // namespace spikeweave::rate::simd
