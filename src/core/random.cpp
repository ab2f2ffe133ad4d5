#include "core/random.hpp"

#include <array>
#include <cmath>

namespace spikeweave::rng {
namespace {

// Stirling-series correction fc(k) = ln k! - [(k + 1/2) ln(k + 1) - (k + 1) + ln(2 pi)/2].
double stirling_correction(std::uint64_t k) {
  static constexpr std::array<double, 10> kTable = {
      0.08106146679532726, 0.04134069595540929, 0.02767792568499834, 0.02079067210376509,
      0.01664469118982119, 0.01387612882307075, 0.01189670994589177, 0.01041126526197209,
      0.009255462182712733, 0.008330563433362871};
  if (k < kTable.size()) return kTable[k];
  const double kp1 = static_cast<double>(k) + 1.0;
  const double kp1_sq = kp1 * kp1;
  return (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / 1260.0 / kp1_sq) / kp1_sq) / kp1;
}

std::uint64_t binomial_inversion(Stream& stream, std::uint64_t n, double p) {
  const double q = 1.0 - p;
  const double ratio = p / q;
  double prob = std::pow(q, static_cast<double>(n));
  double u = stream.uniform();
  std::uint64_t k = 0;
  while (u > prob && k < n) {
    u -= prob;
    ++k;
    prob *= ratio * static_cast<double>(n - k + 1) / static_cast<double>(k);
    if (prob <= 0.0) break;  // u is beyond the representable tail: rounding, stop at k
  }
  return k;
}

// BTRD for p <= 0.5 and n * p >= 10 (Hoermann, J. Stat. Comput. Simul. 46, 1993).
std::uint64_t binomial_btrd(Stream& stream, std::uint64_t n_int, double p) {
  const double n = static_cast<double>(n_int);
  const double m = std::floor((n + 1.0) * p);
  const double r = p / (1.0 - p);
  const double nr = (n + 1.0) * r;
  const double npq = n * p * (1.0 - p);
  const double sqrt_npq = std::sqrt(npq);
  const double b = 1.15 + 2.53 * sqrt_npq;
  const double a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = n * p + 0.5;
  const double alpha = (2.83 + 5.1 / b) * sqrt_npq;
  const double v_r = 0.92 - 4.2 / b;
  const double u_rv_r = 0.86 * v_r;
  for (;;) {
    double v = stream.uniform();
    double u;
    if (v <= u_rv_r) {
      u = v / v_r - 0.43;
      return static_cast<std::uint64_t>(std::floor((2.0 * a / (0.5 - std::fabs(u)) + b) * u + c));
    }
    if (v >= v_r) {
      u = stream.uniform() - 0.5;
    } else {
      u = v / v_r - 0.93;
      u = (u < 0.0 ? -0.5 : 0.5) - u;
      v = stream.uniform() * v_r;
    }
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + c);
    if (k < 0.0 || k > n) continue;
    v = v * alpha / (a / (us * us) + b);
    const double km = std::fabs(k - m);
    if (km <= 15.0) {
      // Recursive evaluation of f(k) / f(m).
      double f = 1.0;
      if (m < k) {
        for (double i = m + 1.0; i <= k; i += 1.0) f *= (nr / i - r);
      } else if (m > k) {
        for (double i = k + 1.0; i <= m; i += 1.0) v *= (nr / i - r);
      }
      if (v <= f) return static_cast<std::uint64_t>(k);
      continue;
    }
    // Squeeze with the normal approximation, then the exact log-density bound.
    v = std::log(v);
    const double rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6.0) / npq + 0.5);
    const double t = -km * km / (2.0 * npq);
    if (v < t - rho) return static_cast<std::uint64_t>(k);
    if (v > t + rho) continue;
    const double nm = n - m + 1.0;
    const double h = (m + 0.5) * std::log((m + 1.0) / (r * nm)) +
                     stirling_correction(static_cast<std::uint64_t>(m)) +
                     stirling_correction(static_cast<std::uint64_t>(n - m));
    const double nk = n - k + 1.0;
    if (v <= h + (n + 1.0) * std::log(nm / nk) + (k + 0.5) * std::log(nk * r / (k + 1.0)) -
                 stirling_correction(static_cast<std::uint64_t>(k)) -
                 stirling_correction(static_cast<std::uint64_t>(n - k))) {
      return static_cast<std::uint64_t>(k);
    }
  }
}

}  // namespace

std::uint64_t binomial(Stream& stream, std::uint64_t n, double p) {
  if (n == 0 || p <= 0.0) return 0;
  if (p >= 1.0) return n;
  const bool flip = p > 0.5;
  const double p_small = flip ? 1.0 - p : p;
  const std::uint64_t k = static_cast<double>(n) * p_small < 10.0
                              ? binomial_inversion(stream, n, p_small)
                              : binomial_btrd(stream, n, p_small);
  return flip ? n - k : k;
}

}  // namespace spikeweave::rng
