#include "jobs/population_spectrum.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace spikeweave::jobs {

std::vector<double> welch_power(const std::vector<double>& rate, std::uint64_t segment) {
  const std::size_t L = segment, half = L / 2;
  std::vector<double> power(half + 1, 0.0);
  if (L < 4 || rate.size() < L) return power;
  const double pi = 3.14159265358979323846;
  std::vector<double> window(L), cos_table(L), sin_table(L), x(L);
  for (std::size_t j = 0; j < L; ++j) {
    window[j] = 0.5 - 0.5 * std::cos(2.0 * pi * j / L);
    cos_table[j] = std::cos(2.0 * pi * j / L);
    sin_table[j] = std::sin(2.0 * pi * j / L);
  }
  // A direct DFT: L is a few hundred, and a segment costs L^2/2 multiply-adds.
  std::size_t segments = 0;
  for (std::size_t first = 0; first + L <= rate.size(); first += std::max<std::size_t>(1, L / 2)) {
    double mean = 0.0;
    for (std::size_t j = 0; j < L; ++j) mean += rate[first + j];
    mean /= L;
    for (std::size_t j = 0; j < L; ++j) x[j] = (rate[first + j] - mean) * window[j];
    for (std::size_t k = 0; k <= half; ++k) {
      double re = 0.0, im = 0.0;
      for (std::size_t j = 0; j < L; ++j) {
        const std::size_t phase = (j * k) % L;
        re += x[j] * cos_table[phase];
        im -= x[j] * sin_table[phase];
      }
      power[k] += re * re + im * im;
    }
    ++segments;
  }
  for (double& p : power) p /= segments;
  return power;
}

SpectralPeak spectral_peak(const std::vector<double>& rate, double dt_s, std::uint64_t segment) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> power = welch_power(rate, segment);
  if (power.size() < 3) return {nan, nan};
  double total = 0.0;
  std::size_t peak = 1;
  for (std::size_t k = 1; k < power.size(); ++k) {
    total += power[k];
    if (power[k] > power[peak]) peak = k;
  }
  if (!(total > 0)) return {nan, nan};
  // The Hann window's main lobe: a pure oscillation puts all its power within one bin of it.
  double near = power[peak];
  if (peak > 1) near += power[peak - 1];
  if (peak + 1 < power.size()) near += power[peak + 1];
  return {peak / (segment * dt_s), near / total};
}

}  // namespace spikeweave::jobs
