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
// GCC 12's AVX-512 headers trip -Wuninitialized on their own _mm512_undefined_* placeholders
// (GCC bug 105593); the warnings point into the header, so silencing them here is enough.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif
#if defined(SPIKEWEAVE_RATE_AVX2) && defined(__AVX512F__) && defined(__AVX512DQ__)
#define SPIKEWEAVE_RATE_AVX512 1
#endif

namespace spikeweave::rate::simd {

// Bytes of one vector register: 64 with AVX-512, 32 with AVX, else 16 (SSE2 and devices).
#if defined(SPIKEWEAVE_RATE_AVX512)
inline constexpr int kVectorBytes = 64;
#elif defined(__AVX__) && defined(SPIKEWEAVE_RATE_VECTOR_EXTENSIONS)
inline constexpr int kVectorBytes = 32;
#else
inline constexpr int kVectorBytes = 16;
#endif

#if defined(SPIKEWEAVE_RATE_VECTOR_EXTENSIONS)
template <class Real>
struct Vec {
  typedef Real type __attribute__((vector_size(kVectorBytes)));
  static constexpr int kWidth = kVectorBytes / static_cast<int>(sizeof(Real));
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

// Bit pattern of a double and back: __builtin_bit_cast lets the compiler vectorise loops around it
// (a memcpy into a local does not); memcpy elsewhere.
KOKKOS_FORCEINLINE_FUNCTION std::uint64_t double_bits(double x) {
#if defined(SPIKEWEAVE_RATE_VECTOR_EXTENSIONS)
  return __builtin_bit_cast(std::uint64_t, x);
#else
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits;
#endif
}
KOKKOS_FORCEINLINE_FUNCTION double bits_double(std::uint64_t bits) {
#if defined(SPIKEWEAVE_RATE_VECTOR_EXTENSIONS)
  return __builtin_bit_cast(double, bits);
#else
  double x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
#endif
}

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
