#pragma once
// Shape statistics of a weight distribution, for the STDP validation tests: decile histogram,
// fractions near the bounds, and Sarle's bimodality coefficient.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace spikeweave::test {

struct WeightStatistics {
  std::size_t n = 0;
  double mean = 0.0;                      // [w_max]
  double weak = 0.0;                      // fraction below 0.1 w_max
  double strong = 0.0;                    // fraction above 0.9 w_max
  double middle = 0.0;                    // fraction in [0.3, 0.7] w_max
  double bimodality = 0.0;                // Sarle's coefficient; 5/9 for a uniform distribution
  std::array<std::size_t, 10> deciles{};  // counts in [0, 0.1), ..., [0.9, 1.0] w_max

  double outer() const { return weak + strong; }
  std::string histogram() const {
    std::string s;
    for (std::size_t c : deciles) s += std::to_string(c) + " ";
    return s;
  }
};

// `w` are weights divided by w_max (in [0, 1]). The bimodality coefficient is
// BC = (g^2 + 1) / (G2 + 3 (n-1)^2 / ((n-2)(n-3))) with the bias-corrected sample skewness g and
// excess kurtosis G2 (SAS definitions): 1/3 for a normal, 5/9 for a uniform, -> 1 for two
// point masses. BC > 5/9 is the usual sign of bimodality (Pfister et al. 2013, Front Psychol).
inline WeightStatistics weight_statistics(const std::vector<double>& w) {
  WeightStatistics s;
  s.n = w.size();
  if (s.n < 4) return s;
  const double n = static_cast<double>(s.n);
  for (double x : w) s.mean += x / n;
  double m2 = 0, m3 = 0, m4 = 0;
  for (double x : w) {
    const double d = x - s.mean;
    m2 += d * d / n;
    m3 += d * d * d / n;
    m4 += d * d * d * d / n;
    s.weak += (x < 0.1) / n;
    s.strong += (x > 0.9) / n;
    s.middle += (x >= 0.3 && x <= 0.7) / n;
    const int bin = std::min(9, std::max(0, static_cast<int>(std::floor(x * 10.0))));
    ++s.deciles[bin];
  }
  if (m2 <= 0.0) return s;  // all equal: no shape
  const double g1 = m3 / std::pow(m2, 1.5);
  const double g2 = m4 / (m2 * m2) - 3.0;
  const double skew = g1 * std::sqrt(n * (n - 1)) / (n - 2);
  const double kurt = (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 + 6.0);
  s.bimodality = (skew * skew + 1.0) / (kurt + 3.0 * (n - 1) * (n - 1) / ((n - 2) * (n - 3)));
  return s;
}

}  // namespace spikeweave::test
