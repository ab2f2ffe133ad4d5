#pragma once
// The dominant oscillation of a population rate: Welch's power spectrum (Hann window, segments
// of L samples overlapping by L/2, each segment's mean removed) and its highest peak above 0 Hz.
#include <cstdint>
#include <vector>

namespace spikeweave::jobs {

struct SpectralPeak {
  double frequency_hz;    // f of the largest power, k / (L dt) for k = 1 .. L/2; NaN if no power
  double power_fraction;  // power within one frequency bin of the peak / all power above 0 Hz
};

// `rate` sampled every `dt_s` seconds; `segment` = L (at most rate.size(), at least 4).
SpectralPeak spectral_peak(const std::vector<double>& rate, double dt_s, std::uint64_t segment);

// The averaged periodogram P(k), k = 0 .. L/2 (for tests and plots).
std::vector<double> welch_power(const std::vector<double>& rate, std::uint64_t segment);

}  // namespace spikeweave::jobs
