#pragma once
// Network metrics of a sweep point, per population, from the spike trains of its neurons
// (formulas in docs/sweeps.md). They are computed where the spikes are: each rank reduces its own
// neurons' trains to integer counts (exactly additive over ranks, so the sum does not depend on
// the number of ranks) and to one CV per neuron; the group's rank 0 finishes them from the
// summed counts and the CVs in node-id order. No spike travels.
#include <cstdint>
#include <limits>
#include <vector>

namespace spikeweave::jobs {

// The analysis window [start_ms, start_ms + bins * bin_ms): whole bins only.
struct MetricsWindow {
  double start_ms = 0.0;
  double bin_ms = 1.0;
  std::uint64_t bins = 0;
  std::uint64_t segment_bins = 256;  // Welch segment of the spectrum
  double length_s() const { return bins * bin_ms * 1e-3; }
  // The window of [start_ms, stop_ms) in whole bins; segment 0 means 256 bins; both capped.
  static MetricsWindow of(double start_ms, double stop_ms, double bin_ms, double segment_ms);
};

// Sums over neurons of integer quantities: add them over ranks to get the population's.
struct PopulationCounts {
  std::uint64_t spikes = 0;                     // spikes in the window
  std::uint64_t active_neurons = 0;             // neurons with at least one spike in the window
  std::uint64_t sum_bin_counts_squared = 0;     // sum_i sum_b n_i(b)^2
  std::uint64_t sum_neuron_counts_squared = 0;  // sum_i (sum_b n_i(b))^2
  std::vector<std::uint64_t> bin_counts;        // C(b) = sum_i n_i(b)
  // Flattened as words (for a reduction over ranks) and back.
  std::vector<std::uint64_t> words() const;
  static PopulationCounts from_words(const std::vector<std::uint64_t>& words);
};

struct NeuronCv {
  std::uint64_t node_id = 0;
  double cv = 0.0;  // sd / mean of the neuron's inter-spike intervals in the window
};

// This rank's part: spikes of some neurons of one population (any order). CVs of neurons with
// at least 3 spikes in the window are appended to `cvs`, in node-id order.
PopulationCounts count_spike_trains(const std::vector<std::uint64_t>& node_ids,
                                    const std::vector<double>& times_ms,
                                    const MetricsWindow& window, std::vector<NeuronCv>& cvs);

constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();

struct PopulationMetrics {
  double rate_hz = kUndefined;
  double cv_isi = kUndefined;
  double n_cv_neurons = 0.0;
  double fano_factor = kUndefined;
  double synchrony_chi = kUndefined;
  double peak_frequency_hz = kUndefined;
  double peak_power_fraction = kUndefined;
  double silent_fraction = kUndefined;
};

// The metrics of a population of `neurons` neurons from the counts summed over all ranks and
// the CVs of all its neurons (any order: they are summed in node-id order).
PopulationMetrics finish_population_metrics(const PopulationCounts& total,
                                            std::vector<NeuronCv> cvs, std::uint64_t neurons,
                                            const MetricsWindow& window);

}  // namespace spikeweave::jobs
