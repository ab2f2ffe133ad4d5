#pragma once
// Branch-free single-precision approximations that vectorise (std::tanh, std::log and std::cos
// are library calls the compiler cannot vectorise). Maximum absolute errors, measured against
// the double-precision library over their ranges (tests/rate/test_normals.cpp): tanh 4e-7,
// log on (0, 1] 5e-7, sin and cos of 2 pi u 2e-7; float's own rounding is 6e-8. The double tanh
// is exact to 4e-16 relative.
#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdint>

#include "rate/simd.hpp"

namespace spikeweave::rate {

// tanh(x): the odd rational approximation of degree 13/6 used by Eigen, exact to float
// precision on [-7.9, 7.9] and saturating beyond (tanh(7.9) = 1 - 3e-7).
KOKKOS_FORCEINLINE_FUNCTION float fast_tanh(float x) {
  constexpr float kClamp = 7.90531110763549805f;
  x = x > kClamp ? kClamp : (x < -kClamp ? -kClamp : x);
  const float x2 = x * x;
  float p = -2.76076847742355e-16f;
  p = p * x2 + 2.00018790482477e-13f;
  p = p * x2 + -8.60467152213735e-11f;
  p = p * x2 + 5.12229709037114e-08f;
  p = p * x2 + 1.48572235717979e-05f;
  p = p * x2 + 6.37261928875436e-04f;
  p = p * x2 + 4.89352455891786e-03f;
  p = p * x;
  float q = 1.19825839466702e-06f;
  q = q * x2 + 1.18534705686654e-04f;
  q = q * x2 + 2.26843463243900e-03f;
  q = q * x2 + 4.89352518554385e-03f;
  return p / q;
}

// Natural logarithm of a normal positive float (Cephes logf: exponent split, then a degree-9
// polynomial of the mantissa in [sqrt(1/2) - 1, sqrt(2) - 1]).
KOKKOS_FORCEINLINE_FUNCTION float fast_log(float x) {
  std::uint32_t bits = simd::float_bits(x);
  int e = static_cast<int>((bits >> 23) & 0xffu) - 126;  // x = m 2^e with m in [0.5, 1)
  bits = (bits & 0x007fffffu) | 0x3f000000u;
  float m = simd::bits_float(bits);
  const bool small = m < 0.707106781186547524f;
  e = small ? e - 1 : e;
  m = small ? (m + m - 1.0f) : (m - 1.0f);
  const float z = m * m;
  float y = 7.0376836292e-2f;
  y = y * m + -1.1514610310e-1f;
  y = y * m + 1.1676998740e-1f;
  y = y * m + -1.2420140846e-1f;
  y = y * m + 1.4249322787e-1f;
  y = y * m + -1.6668057665e-1f;
  y = y * m + 2.0000714765e-1f;
  y = y * m + -2.4999993993e-1f;
  y = y * m + 3.3333331174e-1f;
  y = y * m * z;
  const float fe = static_cast<float>(e);
  y += -2.12194440e-4f * fe;
  y += -0.5f * z;
  return m + y + 0.693359375f * fe;
}

// sin(2 pi u) and cos(2 pi u) for u in [0, 1): quadrant from 4u, then Cephes' sinf/cosf
// polynomials on the quarter-turn around the quadrant's centre.
KOKKOS_FORCEINLINE_FUNCTION void fast_sincos_2pi(float u, float& s, float& c) {
  const float q4 = u * 4.0f;
  const int quadrant = static_cast<int>(q4) & 3;
  const float a = ((q4 - static_cast<float>(static_cast<int>(q4))) - 0.5f) * 1.57079632679489662f;
  const float a2 = a * a;
  float sp = -1.9515295891e-4f;
  sp = sp * a2 + 8.3321608736e-3f;
  sp = sp * a2 + -1.6666654611e-1f;
  sp = sp * a2 * a + a;
  float cp = 2.443315711809948e-5f;
  cp = cp * a2 + -1.388731625493765e-3f;
  cp = cp * a2 + 4.166664568298827e-2f;
  cp = cp * a2 * a2 - 0.5f * a2 + 1.0f;
  // The angle is quadrant * pi/2 + pi/4 + a.
  constexpr float kHalfSqrt2 = 0.70710678118654752f;
  const float s0 = kHalfSqrt2 * (sp + cp);
  const float c0 = kHalfSqrt2 * (cp - sp);
  s = quadrant == 0 ? s0 : quadrant == 1 ? c0 : quadrant == 2 ? -s0 : -c0;
  c = quadrant == 0 ? c0 : quadrant == 1 ? -s0 : quadrant == 2 ? -c0 : s0;
}

// e^x for x in [0, 40] (Cephes exp: x = n ln2 + r, |r| <= ln2 / 2, a (2,3) rational in r, then
// 2^n from the bits). n is found by the 1.5 2^52 shift (round to nearest) rather than floor,
// which compilers do not vectorise.
KOKKOS_FORCEINLINE_FUNCTION double exp_for_tanh(double x) {
  constexpr double kShift = 6755399441055744.0;  // 1.5 * 2^52: adding it rounds to an integer
  const double shifted = 1.4426950408889634073599 * x + kShift;
  const double n = shifted - kShift;
  x -= n * 6.93145751953125e-1;
  x -= n * 1.42860682030941723212e-6;
  const double xx = x * x;
  const double p = x * ((1.26177193074810590878e-4 * xx + 3.02994407707441961300e-2) * xx +
                        9.99999999999999999910e-1);
  const double q = ((3.00198505138664455042e-6 * xx + 2.52448340349684104192e-3) * xx +
                    2.27265548208155028766e-1) *
                       xx +
                   2.00000000000000000009e0;
  const double r = 1.0 + 2.0 * (p / (q - p));
  const std::uint64_t integer = simd::double_bits(shifted) - simd::double_bits(kShift);
  return r * simd::bits_double((integer + 1023) << 52);
}

// tanh(x) in double precision (relative error 4e-16, two ulps; NaN stays NaN): Cephes tanh, a
// (2,3) rational in x^2 for |x| < 0.625, else 1 - 2 / (e^2|x| + 1), saturating beyond |x| = 20.
// Branch-free so that loops over it vectorise (the library's tanh does not).
KOKKOS_FORCEINLINE_FUNCTION double fast_tanh(double x) {
  const double a = ::fabs(x) > 20.0 ? 20.0 : ::fabs(x);  // NaN stays NaN
  const double big = 1.0 - 2.0 / (exp_for_tanh(2.0 * a) + 1.0);
  const double z = x * x;
  const double p =
      (-9.64399179425052238628e-1 * z - 9.92877231001918586564e1) * z - 1.61468768441708447952e3;
  const double q = ((z + 1.12811678491632931402e2) * z + 2.23548839060100448583e3) * z +
                   4.84406305325125486048e3;
  const double small = x + x * z * p / q;
  return a < 0.625 ? small : (x < 0.0 ? -big : big);
}

// tanh in the precision of the simulation.
KOKKOS_FORCEINLINE_FUNCTION float tanh_of(float x) {
  return fast_tanh(x);
}
KOKKOS_FORCEINLINE_FUNCTION double tanh_of(double x) {
  return fast_tanh(x);
}

}  // namespace spikeweave::rate
