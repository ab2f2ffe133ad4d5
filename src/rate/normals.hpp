#pragma once
// Counter-based random numbers of the rate networks, in groups of 32.
//
// Every random number of a rate network is a pure function of (seed, stream, a, b, group): the
// Philox4x32-10 counter is (kRateNetwork << 24 | stream, a, b, block), the key is the seed, as in
// core/random.hpp. Group g covers blocks 8g .. 8g + 7; word c of block 8g + l is element
// 8c + l of the group. A group of normals turns the four words of each block into two
// Box-Muller pairs: with u = ((w >> 9) + 1/2) 2^-23 and v = (w' >> 9) 2^-23,
//   z0 = sqrt(-2 ln u0) cos(2 pi v1), z1 = sqrt(-2 ln u0) sin(2 pi v1), z2, z3 from words 2, 3,
// computed in single precision (23-bit uniforms: |z| <= 5.8, a tail cut with probability 7e-9).
// Simulations in float and in double use the same deviates.
#include <Random123/philox.h>
#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdint>

#include "core/random.hpp"
#include "rate/fast_math.hpp"
#include "rate/simd.hpp"

namespace spikeweave::rate {

// The `object` field of the Philox counter under Purpose::kRateNetwork.
enum class RateStream : std::uint32_t {
  kWeight = 1,   // a: network, b: row (target neuron)
  kMask = 2,     // sparse connectivity, a: network, b: row
  kNoise = 3,    // a: network, b: trial; element t N + i of the trial's sequence is xi[t][i]
  kInitial = 4,  // initial state h0, a: network, b: trial
  kInput = 5,    // constant input I, a: network, b: 0
  kTangent = 6,  // initial tangent vector of the Lyapunov estimate, a: network
};

inline constexpr int kGroupSize = 32;

struct StreamKey {
  std::uint64_t seed = 0;
  RateStream stream = RateStream::kNoise;
  std::uint32_t a = 0;
  std::uint32_t b = 0;
};

namespace detail {
KOKKOS_FORCEINLINE_FUNCTION std::uint32_t counter_word0(RateStream stream) {
  return (static_cast<std::uint32_t>(rng::Purpose::kRateNetwork) << 24) |
         static_cast<std::uint32_t>(stream);
}

KOKKOS_FORCEINLINE_FUNCTION float unit_open(std::uint32_t w) {
  return (static_cast<float>(w >> 9) + 0.5f) * 0x1.0p-23f;
}
KOKKOS_FORCEINLINE_FUNCTION float unit_half_open(std::uint32_t w) {
  return static_cast<float>(w >> 9) * 0x1.0p-23f;
}

#if defined(SPIKEWEAVE_RATE_AVX2)
// Eight Philox4x32-10 blocks at once, counters and results as four vectors of words.
KOKKOS_FORCEINLINE_FUNCTION void philox8(__m256i& c0, __m256i& c1, __m256i& c2, __m256i& c3,
                                         std::uint32_t k0, std::uint32_t k1) {
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(0xD2511F53u));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(0xCD9E8D57u));
  for (int round = 0; round < 10; ++round) {
    const __m256i p0e = _mm256_mul_epu32(c0, m0);
    const __m256i p0o = _mm256_mul_epu32(_mm256_srli_epi64(c0, 32), m0);
    const __m256i p2e = _mm256_mul_epu32(c2, m1);
    const __m256i p2o = _mm256_mul_epu32(_mm256_srli_epi64(c2, 32), m1);
    const __m256i lo0 = _mm256_blend_epi32(p0e, _mm256_slli_epi64(p0o, 32), 0xAA);
    const __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(p0e, 32), p0o, 0xAA);
    const __m256i lo2 = _mm256_blend_epi32(p2e, _mm256_slli_epi64(p2o, 32), 0xAA);
    const __m256i hi2 = _mm256_blend_epi32(_mm256_srli_epi64(p2e, 32), p2o, 0xAA);
    c0 = _mm256_xor_si256(_mm256_xor_si256(hi2, c1), _mm256_set1_epi32(static_cast<int>(k0)));
    c2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32(static_cast<int>(k1)));
    c1 = lo2;
    c3 = lo0;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
}

KOKKOS_FORCEINLINE_FUNCTION void philox_group_avx2(const StreamKey& key, std::uint32_t group,
                                                   __m256i& c0, __m256i& c1, __m256i& c2,
                                                   __m256i& c3) {
  c0 = _mm256_set1_epi32(static_cast<int>(counter_word0(key.stream)));
  c1 = _mm256_set1_epi32(static_cast<int>(key.a));
  c2 = _mm256_set1_epi32(static_cast<int>(key.b));
  c3 = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(group * 8u)),
                        _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  philox8(c0, c1, c2, c3, static_cast<std::uint32_t>(key.seed),
          static_cast<std::uint32_t>(key.seed >> 32));
}

KOKKOS_FORCEINLINE_FUNCTION __m256 log_avx2(__m256 x) {
  __m256i bits = _mm256_castps_si256(x);
  __m256i e =
      _mm256_sub_epi32(_mm256_and_si256(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(0xff)),
                       _mm256_set1_epi32(126));
  bits = _mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi32(0x007fffff)),
                         _mm256_set1_epi32(0x3f000000));
  __m256 m = _mm256_castsi256_ps(bits);
  const __m256 small = _mm256_cmp_ps(m, _mm256_set1_ps(0.707106781186547524f), _CMP_LT_OQ);
  e = _mm256_sub_epi32(e, _mm256_and_si256(_mm256_castps_si256(small), _mm256_set1_epi32(1)));
  m = _mm256_sub_ps(_mm256_add_ps(m, _mm256_and_ps(small, m)), _mm256_set1_ps(1.0f));
  const __m256 z = _mm256_mul_ps(m, m);
  __m256 y = _mm256_set1_ps(7.0376836292e-2f);
  y = _mm256_add_ps(_mm256_mul_ps(y, m), _mm256_set1_ps(-1.1514610310e-1f));
  y = _mm256_add_ps(_mm256_mul_ps(y, m), _mm256_set1_ps(1.1676998740e-1f));
  y = _mm256_add_ps(_mm256_mul_ps(y, m), _mm256_set1_ps(-1.2420140846e-1f));
  y = _mm256_add_ps(_mm256_mul_ps(y, m), _mm256_set1_ps(1.4249322787e-1f));
  y = _mm256_add_ps(_mm256_mul_ps(y, m), _mm256_set1_ps(-1.6668057665e-1f));
  y = _mm256_add_ps(_mm256_mul_ps(y, m), _mm256_set1_ps(2.0000714765e-1f));
  y = _mm256_add_ps(_mm256_mul_ps(y, m), _mm256_set1_ps(-2.4999993993e-1f));
  y = _mm256_add_ps(_mm256_mul_ps(y, m), _mm256_set1_ps(3.3333331174e-1f));
  y = _mm256_mul_ps(_mm256_mul_ps(y, m), z);
  const __m256 fe = _mm256_cvtepi32_ps(e);
  y = _mm256_add_ps(y, _mm256_mul_ps(_mm256_set1_ps(-2.12194440e-4f), fe));
  y = _mm256_add_ps(y, _mm256_mul_ps(_mm256_set1_ps(-0.5f), z));
  return _mm256_add_ps(_mm256_add_ps(m, y), _mm256_mul_ps(_mm256_set1_ps(0.693359375f), fe));
}

KOKKOS_FORCEINLINE_FUNCTION void sincos_2pi_avx2(__m256 u, __m256& s, __m256& c) {
  const __m256 q4 = _mm256_mul_ps(u, _mm256_set1_ps(4.0f));
  const __m256i qi = _mm256_cvttps_epi32(q4);
  const __m256 a =
      _mm256_mul_ps(_mm256_sub_ps(_mm256_sub_ps(q4, _mm256_cvtepi32_ps(qi)), _mm256_set1_ps(0.5f)),
                    _mm256_set1_ps(1.57079632679489662f));
  const __m256 a2 = _mm256_mul_ps(a, a);
  __m256 sp = _mm256_set1_ps(-1.9515295891e-4f);
  sp = _mm256_add_ps(_mm256_mul_ps(sp, a2), _mm256_set1_ps(8.3321608736e-3f));
  sp = _mm256_add_ps(_mm256_mul_ps(sp, a2), _mm256_set1_ps(-1.6666654611e-1f));
  sp = _mm256_add_ps(_mm256_mul_ps(_mm256_mul_ps(sp, a2), a), a);
  __m256 cp = _mm256_set1_ps(2.443315711809948e-5f);
  cp = _mm256_add_ps(_mm256_mul_ps(cp, a2), _mm256_set1_ps(-1.388731625493765e-3f));
  cp = _mm256_add_ps(_mm256_mul_ps(cp, a2), _mm256_set1_ps(4.166664568298827e-2f));
  cp = _mm256_add_ps(_mm256_sub_ps(_mm256_mul_ps(_mm256_mul_ps(cp, a2), a2),
                                   _mm256_mul_ps(_mm256_set1_ps(0.5f), a2)),
                     _mm256_set1_ps(1.0f));
  const __m256 h = _mm256_set1_ps(0.70710678118654752f);
  const __m256 s0 = _mm256_mul_ps(h, _mm256_add_ps(sp, cp));
  const __m256 c0 = _mm256_mul_ps(h, _mm256_sub_ps(cp, sp));
  const __m256 neg = _mm256_set1_ps(-0.0f);
  const __m256i quadrant = _mm256_and_si256(qi, _mm256_set1_epi32(3));
  // Quadrants 1 and 3 swap sine and cosine; quadrants 2 and 3 negate the sine, 1 and 2 the cosine.
  const __m256 odd = _mm256_castsi256_ps(
      _mm256_cmpeq_epi32(_mm256_and_si256(quadrant, _mm256_set1_epi32(1)), _mm256_set1_epi32(1)));
  const __m256 s1 = _mm256_blendv_ps(s0, c0, odd);
  const __m256 c1 = _mm256_blendv_ps(c0, s0, odd);
  const __m256 s_neg = _mm256_castsi256_ps(_mm256_cmpgt_epi32(quadrant, _mm256_set1_epi32(1)));
  const __m256 c_neg =
      _mm256_castsi256_ps(_mm256_or_si256(_mm256_cmpeq_epi32(quadrant, _mm256_set1_epi32(1)),
                                          _mm256_cmpeq_epi32(quadrant, _mm256_set1_epi32(2))));
  s = _mm256_xor_ps(s1, _mm256_and_ps(s_neg, neg));
  c = _mm256_xor_ps(c1, _mm256_and_ps(c_neg, neg));
}
#endif

KOKKOS_FORCEINLINE_FUNCTION void box_muller(std::uint32_t w_radius, std::uint32_t w_angle,
                                            float& z_cos, float& z_sin) {
  const float r = ::sqrtf(-2.0f * fast_log(unit_open(w_radius)));
  float s, c;
  fast_sincos_2pi(unit_half_open(w_angle), s, c);
  z_cos = r * c;
  z_sin = r * s;
}
}  // namespace detail

// The 32 words of group `group` (element 8c + l is word c of block 8 group + l).
KOKKOS_INLINE_FUNCTION void random_words(const StreamKey& key, std::uint32_t group,
                                         std::uint32_t* out) {
#if defined(SPIKEWEAVE_RATE_AVX2)
  __m256i c0, c1, c2, c3;
  detail::philox_group_avx2(key, group, c0, c1, c2, c3);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), c0);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 8), c1);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 16), c2);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 24), c3);
#else
  r123::Philox4x32 philox;
  const r123::Philox4x32::key_type k = {
      {static_cast<std::uint32_t>(key.seed), static_cast<std::uint32_t>(key.seed >> 32)}};
  for (int l = 0; l < 8; ++l) {
    const r123::Philox4x32::ctr_type ctr = {{detail::counter_word0(key.stream), key.a, key.b,
                                             group * 8u + static_cast<std::uint32_t>(l)}};
    const r123::Philox4x32::ctr_type w = philox(ctr, k);
    for (int c = 0; c < 4; ++c) out[8 * c + l] = w.v[c];
  }
#endif
}

namespace detail {
#if defined(SPIKEWEAVE_RATE_AVX2)
KOKKOS_FORCEINLINE_FUNCTION void box_muller_avx2(const __m256i& c0, const __m256i& c1,
                                                 const __m256i& c2, const __m256i& c3, float* out) {
  const __m256 half = _mm256_set1_ps(0.5f);
  const __m256 scale = _mm256_set1_ps(0x1.0p-23f);
  const __m256 minus_two = _mm256_set1_ps(-2.0f);
  const __m256 u0 =
      _mm256_mul_ps(_mm256_add_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(c0, 9)), half), scale);
  const __m256 u2 =
      _mm256_mul_ps(_mm256_add_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(c2, 9)), half), scale);
  const __m256 v1 = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(c1, 9)), scale);
  const __m256 v3 = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(c3, 9)), scale);
  const __m256 r0 = _mm256_sqrt_ps(_mm256_mul_ps(minus_two, log_avx2(u0)));
  const __m256 r2 = _mm256_sqrt_ps(_mm256_mul_ps(minus_two, log_avx2(u2)));
  __m256 s1, k1, s3, k3;
  sincos_2pi_avx2(v1, s1, k1);
  sincos_2pi_avx2(v3, s3, k3);
  _mm256_storeu_ps(out, _mm256_mul_ps(r0, k1));
  _mm256_storeu_ps(out + 8, _mm256_mul_ps(r0, s1));
  _mm256_storeu_ps(out + 16, _mm256_mul_ps(r2, k3));
  _mm256_storeu_ps(out + 24, _mm256_mul_ps(r2, s3));
}

// Two groups at once: two independent dependency chains keep the pipelines busy.
KOKKOS_FORCEINLINE_FUNCTION void philox_two_groups_avx2(const StreamKey& key_a,
                                                        std::uint32_t group_a,
                                                        const StreamKey& key_b,
                                                        std::uint32_t group_b, __m256i* a,
                                                        __m256i* b) {
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  a[0] = _mm256_set1_epi32(static_cast<int>(counter_word0(key_a.stream)));
  a[1] = _mm256_set1_epi32(static_cast<int>(key_a.a));
  a[2] = _mm256_set1_epi32(static_cast<int>(key_a.b));
  a[3] = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(group_a * 8u)), lane);
  b[0] = _mm256_set1_epi32(static_cast<int>(counter_word0(key_b.stream)));
  b[1] = _mm256_set1_epi32(static_cast<int>(key_b.a));
  b[2] = _mm256_set1_epi32(static_cast<int>(key_b.b));
  b[3] = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(group_b * 8u)), lane);
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(0xD2511F53u));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(0xCD9E8D57u));
  std::uint32_t ka0 = static_cast<std::uint32_t>(key_a.seed),
                ka1 = static_cast<std::uint32_t>(key_a.seed >> 32);
  std::uint32_t kb0 = static_cast<std::uint32_t>(key_b.seed),
                kb1 = static_cast<std::uint32_t>(key_b.seed >> 32);
  for (int round = 0; round < 10; ++round) {
    const __m256i pa0e = _mm256_mul_epu32(a[0], m0), pb0e = _mm256_mul_epu32(b[0], m0);
    const __m256i pa0o = _mm256_mul_epu32(_mm256_srli_epi64(a[0], 32), m0);
    const __m256i pb0o = _mm256_mul_epu32(_mm256_srli_epi64(b[0], 32), m0);
    const __m256i pa2e = _mm256_mul_epu32(a[2], m1), pb2e = _mm256_mul_epu32(b[2], m1);
    const __m256i pa2o = _mm256_mul_epu32(_mm256_srli_epi64(a[2], 32), m1);
    const __m256i pb2o = _mm256_mul_epu32(_mm256_srli_epi64(b[2], 32), m1);
    const __m256i la0 = _mm256_blend_epi32(pa0e, _mm256_slli_epi64(pa0o, 32), 0xAA);
    const __m256i lb0 = _mm256_blend_epi32(pb0e, _mm256_slli_epi64(pb0o, 32), 0xAA);
    const __m256i ha0 = _mm256_blend_epi32(_mm256_srli_epi64(pa0e, 32), pa0o, 0xAA);
    const __m256i hb0 = _mm256_blend_epi32(_mm256_srli_epi64(pb0e, 32), pb0o, 0xAA);
    const __m256i la2 = _mm256_blend_epi32(pa2e, _mm256_slli_epi64(pa2o, 32), 0xAA);
    const __m256i lb2 = _mm256_blend_epi32(pb2e, _mm256_slli_epi64(pb2o, 32), 0xAA);
    const __m256i ha2 = _mm256_blend_epi32(_mm256_srli_epi64(pa2e, 32), pa2o, 0xAA);
    const __m256i hb2 = _mm256_blend_epi32(_mm256_srli_epi64(pb2e, 32), pb2o, 0xAA);
    a[0] = _mm256_xor_si256(_mm256_xor_si256(ha2, a[1]), _mm256_set1_epi32(static_cast<int>(ka0)));
    b[0] = _mm256_xor_si256(_mm256_xor_si256(hb2, b[1]), _mm256_set1_epi32(static_cast<int>(kb0)));
    a[2] = _mm256_xor_si256(_mm256_xor_si256(ha0, a[3]), _mm256_set1_epi32(static_cast<int>(ka1)));
    b[2] = _mm256_xor_si256(_mm256_xor_si256(hb0, b[3]), _mm256_set1_epi32(static_cast<int>(kb1)));
    a[1] = la2;
    b[1] = lb2;
    a[3] = la0;
    b[3] = lb0;
    ka0 += 0x9E3779B9u;
    ka1 += 0xBB67AE85u;
    kb0 += 0x9E3779B9u;
    kb1 += 0xBB67AE85u;
  }
}
#endif

#if defined(SPIKEWEAVE_RATE_AVX512)
// Two groups in one 16-lane vector per word: lanes 0-7 group a, lanes 8-15 group b.
KOKKOS_FORCEINLINE_FUNCTION void philox_two_groups_avx512(const StreamKey& key_a,
                                                          std::uint32_t group_a,
                                                          const StreamKey& key_b,
                                                          std::uint32_t group_b, __m512i* c) {
  auto both = [](std::uint32_t lo, std::uint32_t hi) {
    return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_set1_epi32(static_cast<int>(lo))),
                              _mm256_set1_epi32(static_cast<int>(hi)), 1);
  };
  const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7);
  c[0] = both(counter_word0(key_a.stream), counter_word0(key_b.stream));
  c[1] = both(key_a.a, key_b.a);
  c[2] = both(key_a.b, key_b.b);
  c[3] = _mm512_add_epi32(both(group_a * 8u, group_b * 8u), lane);
  __m512i k0 = both(static_cast<std::uint32_t>(key_a.seed), static_cast<std::uint32_t>(key_b.seed));
  __m512i k1 = both(static_cast<std::uint32_t>(key_a.seed >> 32),
                    static_cast<std::uint32_t>(key_b.seed >> 32));
  const __m512i m0 = _mm512_set1_epi32(static_cast<int>(0xD2511F53u));
  const __m512i m1 = _mm512_set1_epi32(static_cast<int>(0xCD9E8D57u));
  const __m512i w0 = _mm512_set1_epi32(static_cast<int>(0x9E3779B9u));
  const __m512i w1 = _mm512_set1_epi32(static_cast<int>(0xBB67AE85u));
  for (int round = 0; round < 10; ++round) {
    const __m512i p0e = _mm512_mul_epu32(c[0], m0);
    const __m512i p0o = _mm512_mul_epu32(_mm512_srli_epi64(c[0], 32), m0);
    const __m512i p2e = _mm512_mul_epu32(c[2], m1);
    const __m512i p2o = _mm512_mul_epu32(_mm512_srli_epi64(c[2], 32), m1);
    const __m512i lo0 = _mm512_mask_blend_epi32(0xAAAA, p0e, _mm512_slli_epi64(p0o, 32));
    const __m512i hi0 = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(p0e, 32), p0o);
    const __m512i lo2 = _mm512_mask_blend_epi32(0xAAAA, p2e, _mm512_slli_epi64(p2o, 32));
    const __m512i hi2 = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(p2e, 32), p2o);
    c[0] = _mm512_ternarylogic_epi32(hi2, c[1], k0, 0x96);
    c[2] = _mm512_ternarylogic_epi32(hi0, c[3], k1, 0x96);
    c[1] = lo2;
    c[3] = lo0;
    k0 = _mm512_add_epi32(k0, w0);
    k1 = _mm512_add_epi32(k1, w1);
  }
}

KOKKOS_FORCEINLINE_FUNCTION __m512 log_avx512(__m512 x) {
  __m512i bits = _mm512_castps_si512(x);
  __m512i e =
      _mm512_sub_epi32(_mm512_and_si512(_mm512_srli_epi32(bits, 23), _mm512_set1_epi32(0xff)),
                       _mm512_set1_epi32(126));
  bits = _mm512_or_si512(_mm512_and_si512(bits, _mm512_set1_epi32(0x007fffff)),
                         _mm512_set1_epi32(0x3f000000));
  __m512 m = _mm512_castsi512_ps(bits);
  const __mmask16 small = _mm512_cmp_ps_mask(m, _mm512_set1_ps(0.707106781186547524f), _CMP_LT_OQ);
  e = _mm512_mask_sub_epi32(e, small, e, _mm512_set1_epi32(1));
  m = _mm512_sub_ps(_mm512_mask_add_ps(m, small, m, m), _mm512_set1_ps(1.0f));
  const __m512 z = _mm512_mul_ps(m, m);
  __m512 y = _mm512_set1_ps(7.0376836292e-2f);
  y = _mm512_add_ps(_mm512_mul_ps(y, m), _mm512_set1_ps(-1.1514610310e-1f));
  y = _mm512_add_ps(_mm512_mul_ps(y, m), _mm512_set1_ps(1.1676998740e-1f));
  y = _mm512_add_ps(_mm512_mul_ps(y, m), _mm512_set1_ps(-1.2420140846e-1f));
  y = _mm512_add_ps(_mm512_mul_ps(y, m), _mm512_set1_ps(1.4249322787e-1f));
  y = _mm512_add_ps(_mm512_mul_ps(y, m), _mm512_set1_ps(-1.6668057665e-1f));
  y = _mm512_add_ps(_mm512_mul_ps(y, m), _mm512_set1_ps(2.0000714765e-1f));
  y = _mm512_add_ps(_mm512_mul_ps(y, m), _mm512_set1_ps(-2.4999993993e-1f));
  y = _mm512_add_ps(_mm512_mul_ps(y, m), _mm512_set1_ps(3.3333331174e-1f));
  y = _mm512_mul_ps(_mm512_mul_ps(y, m), z);
  const __m512 fe = _mm512_cvtepi32_ps(e);
  y = _mm512_add_ps(y, _mm512_mul_ps(_mm512_set1_ps(-2.12194440e-4f), fe));
  y = _mm512_add_ps(y, _mm512_mul_ps(_mm512_set1_ps(-0.5f), z));
  return _mm512_add_ps(_mm512_add_ps(m, y), _mm512_mul_ps(_mm512_set1_ps(0.693359375f), fe));
}

KOKKOS_FORCEINLINE_FUNCTION void sincos_2pi_avx512(__m512 u, __m512& s, __m512& c) {
  const __m512 q4 = _mm512_mul_ps(u, _mm512_set1_ps(4.0f));
  const __m512i qi = _mm512_cvttps_epi32(q4);
  const __m512 a =
      _mm512_mul_ps(_mm512_sub_ps(_mm512_sub_ps(q4, _mm512_cvtepi32_ps(qi)), _mm512_set1_ps(0.5f)),
                    _mm512_set1_ps(1.57079632679489662f));
  const __m512 a2 = _mm512_mul_ps(a, a);
  __m512 sp = _mm512_set1_ps(-1.9515295891e-4f);
  sp = _mm512_add_ps(_mm512_mul_ps(sp, a2), _mm512_set1_ps(8.3321608736e-3f));
  sp = _mm512_add_ps(_mm512_mul_ps(sp, a2), _mm512_set1_ps(-1.6666654611e-1f));
  sp = _mm512_add_ps(_mm512_mul_ps(_mm512_mul_ps(sp, a2), a), a);
  __m512 cp = _mm512_set1_ps(2.443315711809948e-5f);
  cp = _mm512_add_ps(_mm512_mul_ps(cp, a2), _mm512_set1_ps(-1.388731625493765e-3f));
  cp = _mm512_add_ps(_mm512_mul_ps(cp, a2), _mm512_set1_ps(4.166664568298827e-2f));
  cp = _mm512_add_ps(_mm512_sub_ps(_mm512_mul_ps(_mm512_mul_ps(cp, a2), a2),
                                   _mm512_mul_ps(_mm512_set1_ps(0.5f), a2)),
                     _mm512_set1_ps(1.0f));
  const __m512 h = _mm512_set1_ps(0.70710678118654752f);
  const __m512 s0 = _mm512_mul_ps(h, _mm512_add_ps(sp, cp));
  const __m512 c0 = _mm512_mul_ps(h, _mm512_sub_ps(cp, sp));
  const __m512i quadrant = _mm512_and_si512(qi, _mm512_set1_epi32(3));
  const __mmask16 odd = _mm512_test_epi32_mask(quadrant, _mm512_set1_epi32(1));
  const __mmask16 s_neg = _mm512_cmpgt_epi32_mask(quadrant, _mm512_set1_epi32(1));
  const __mmask16 c_neg = _mm512_cmpeq_epi32_mask(quadrant, _mm512_set1_epi32(1)) |
                          _mm512_cmpeq_epi32_mask(quadrant, _mm512_set1_epi32(2));
  const __m512 s1 = _mm512_mask_blend_ps(odd, s0, c0);
  const __m512 c1 = _mm512_mask_blend_ps(odd, c0, s0);
  const __m512 zero = _mm512_setzero_ps();
  s = _mm512_mask_sub_ps(s1, s_neg, zero, s1);
  c = _mm512_mask_sub_ps(c1, c_neg, zero, c1);
}

KOKKOS_FORCEINLINE_FUNCTION void box_muller_pair_avx512(const __m512i* c, float* out_a,
                                                        float* out_b) {
  const __m512 half = _mm512_set1_ps(0.5f);
  const __m512 scale = _mm512_set1_ps(0x1.0p-23f);
  const __m512 minus_two = _mm512_set1_ps(-2.0f);
  const __m512 u0 =
      _mm512_mul_ps(_mm512_add_ps(_mm512_cvtepi32_ps(_mm512_srli_epi32(c[0], 9)), half), scale);
  const __m512 u2 =
      _mm512_mul_ps(_mm512_add_ps(_mm512_cvtepi32_ps(_mm512_srli_epi32(c[2], 9)), half), scale);
  const __m512 v1 = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_srli_epi32(c[1], 9)), scale);
  const __m512 v3 = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_srli_epi32(c[3], 9)), scale);
  const __m512 r0 = _mm512_sqrt_ps(_mm512_mul_ps(minus_two, log_avx512(u0)));
  const __m512 r2 = _mm512_sqrt_ps(_mm512_mul_ps(minus_two, log_avx512(u2)));
  __m512 s1, k1, s3, k3;
  sincos_2pi_avx512(v1, s1, k1);
  sincos_2pi_avx512(v3, s3, k3);
  const __m512 z[4] = {_mm512_mul_ps(r0, k1), _mm512_mul_ps(r0, s1), _mm512_mul_ps(r2, k3),
                       _mm512_mul_ps(r2, s3)};
  for (int w = 0; w < 4; ++w) {
    _mm256_storeu_ps(out_a + 8 * w, _mm512_castps512_ps256(z[w]));
    _mm256_storeu_ps(out_b + 8 * w, _mm512_extractf32x8_ps(z[w], 1));
  }
}
#endif
}  // namespace detail

// 32 standard normal deviates of group `group` (see the header comment for the mapping).
KOKKOS_INLINE_FUNCTION void random_normals(const StreamKey& key, std::uint32_t group, float* out) {
#if defined(SPIKEWEAVE_RATE_AVX2)
  __m256i c0, c1, c2, c3;
  detail::philox_group_avx2(key, group, c0, c1, c2, c3);
  detail::box_muller_avx2(c0, c1, c2, c3, out);
#else
  std::uint32_t w[kGroupSize];
  random_words(key, group, w);
  for (int l = 0; l < 8; ++l) {
    detail::box_muller(w[l], w[8 + l], out[l], out[8 + l]);
    detail::box_muller(w[16 + l], w[24 + l], out[16 + l], out[24 + l]);
  }
#endif
}

// Two groups (possibly of different streams) at once: the same numbers as two calls of
// random_normals, faster on hosts with AVX2.
KOKKOS_INLINE_FUNCTION void random_normals_pair(const StreamKey& key_a, std::uint32_t group_a,
                                                float* out_a, const StreamKey& key_b,
                                                std::uint32_t group_b, float* out_b) {
#if defined(SPIKEWEAVE_RATE_AVX512)
  __m512i c[4];
  detail::philox_two_groups_avx512(key_a, group_a, key_b, group_b, c);
  detail::box_muller_pair_avx512(c, out_a, out_b);
#elif defined(SPIKEWEAVE_RATE_AVX2)
  __m256i a[4], b[4];
  detail::philox_two_groups_avx2(key_a, group_a, key_b, group_b, a, b);
  detail::box_muller_avx2(a[0], a[1], a[2], a[3], out_a);
  detail::box_muller_avx2(b[0], b[1], b[2], b[3], out_b);
#else
  random_normals(key_a, group_a, out_a);
  random_normals(key_b, group_b, out_b);
#endif
}

// out[e] = element e of the sequence of normals of `key` (group e / 32, element e % 32), for
// e < count, with the groups processed four at a time.
KOKKOS_INLINE_FUNCTION void fill_normal_sequence(const StreamKey& key, long count, float* out) {
  const long full = count / kGroupSize;
  const long quads = full / 4;
  for (long q = 0; q < quads; ++q) {
    const long g = 4 * q;
    random_normals_pair(key, static_cast<std::uint32_t>(g), out + g * kGroupSize, key,
                        static_cast<std::uint32_t>(g + 1), out + (g + 1) * kGroupSize);
    random_normals_pair(key, static_cast<std::uint32_t>(g + 2), out + (g + 2) * kGroupSize, key,
                        static_cast<std::uint32_t>(g + 3), out + (g + 3) * kGroupSize);
  }
  const int left = static_cast<int>(full - 4 * quads);
  for (int r = 0; r < left; ++r) {
    const long g = 4 * quads + r;
    random_normals(key, static_cast<std::uint32_t>(g), out + g * kGroupSize);
  }
  const int rest = static_cast<int>(count - full * kGroupSize);
  if (rest > 0) {
    float tail[kGroupSize];
    random_normals(key, static_cast<std::uint32_t>(full), tail);
    for (int l = 0; l < rest && l < kGroupSize; ++l) out[full * kGroupSize + l] = tail[l];
  }
}

// out[e - first] = element e of the sequence of normals of `key`, for first <= e < first + count.
KOKKOS_INLINE_FUNCTION void fill_normal_range(const StreamKey& key, long first, long count,
                                              float* out) {
  float group[kGroupSize];
  long e = first;
  const long end = first + count;
  while (e < end) {
    const long g = e / kGroupSize;
    random_normals(key, static_cast<std::uint32_t>(g), group);
    const long stop = (g + 1) * kGroupSize < end ? (g + 1) * kGroupSize : end;
    for (; e < stop; ++e) out[e - first] = group[e - g * kGroupSize];
  }
}

// Uniform deviate in [0, 1) from one 32-bit word.
KOKKOS_FORCEINLINE_FUNCTION double unit_from_word(std::uint32_t w) {
  return static_cast<double>(w) * 0x1.0p-32;
}

}  // namespace spikeweave::rate
