#include "jobs/spike_train_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "jobs/population_spectrum.hpp"

namespace spikeweave::jobs {
namespace {

// Statistics of one neuron's sorted spike times in the window.
struct NeuronTrain {
  std::uint64_t spikes = 0;
  std::uint64_t sum_bin_counts_squared = 0;
  double cv = kUndefined;
};

NeuronTrain one_neuron(const double* times_ms, std::size_t spikes, const MetricsWindow& window,
                       std::vector<std::uint64_t>& bin_counts) {
  NeuronTrain train;
  train.spikes = spikes;
  std::uint64_t run = 0;  // spikes in the current bin
  std::int64_t current = -1;
  for (const double* t_ms = times_ms; t_ms != times_ms + spikes; ++t_ms) {
    const double t = *t_ms;
    const auto b = static_cast<std::int64_t>((t - window.start_ms) / window.bin_ms);
    ++bin_counts[b];
    if (b != current) {
      train.sum_bin_counts_squared += run * run;
      run = 0;
      current = b;
    }
    ++run;
  }
  train.sum_bin_counts_squared += run * run;
  if (spikes >= 3) {
    // Intervals in a fixed order from the sorted times: the same bits on any rank.
    const std::size_t n = spikes - 1;
    double sum = 0.0, sum_sq = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double isi = times_ms[i + 1] - times_ms[i];
      sum += isi;
      sum_sq += isi * isi;
    }
    const double mean = sum / n;
    const double variance = std::max(0.0, sum_sq / n - mean * mean);
    train.cv = mean > 0 ? std::sqrt(variance) / mean : kUndefined;
  }
  return train;
}

// The spikes in [start_ms, stop_ms) grouped by neuron, neurons in node-id order, each train in
// time order: a counting sort on node ids (linear; std::sort of (node, time) pairs took most of the
// metrics' time), stable, so trains that arrive in time order (the recorder's) need no sorting.
struct TrainsByNeuron {
  std::vector<std::uint64_t> nodes;  // neurons with spikes
  std::vector<std::size_t> begin;    // train k is times_ms[begin[k] .. begin[k + 1])
  std::vector<double> times_ms;
};

TrainsByNeuron group_by_neuron(const std::vector<std::uint64_t>& node_ids,
                               const std::vector<double>& times_ms, double start_ms,
                               double stop_ms) {
  auto inside = [&](std::size_t e) { return times_ms[e] >= start_ms && times_ms[e] < stop_ms; };
  std::uint64_t max_node = 0;
  for (std::size_t e = 0; e < node_ids.size(); ++e) {
    if (inside(e)) max_node = std::max(max_node, node_ids[e]);
  }
  std::vector<std::size_t> offset(max_node + 2, 0);
  for (std::size_t e = 0; e < node_ids.size(); ++e) {
    if (inside(e)) ++offset[node_ids[e] + 1];
  }
  for (std::size_t n = 1; n < offset.size(); ++n) offset[n] += offset[n - 1];
  TrainsByNeuron out;
  out.times_ms.resize(offset.back());
  std::vector<std::size_t> next(offset.begin(), offset.end() - 1);
  for (std::size_t e = 0; e < node_ids.size(); ++e) {
    if (inside(e)) out.times_ms[next[node_ids[e]]++] = times_ms[e];
  }
  for (std::uint64_t n = 0; n <= max_node; ++n) {
    if (offset[n + 1] == offset[n]) continue;
    out.nodes.push_back(n);
    out.begin.push_back(offset[n]);
    double* first = out.times_ms.data() + offset[n];
    double* last = out.times_ms.data() + offset[n + 1];
    if (!std::is_sorted(first, last)) std::sort(first, last);
  }
  out.begin.push_back(out.times_ms.size());
  return out;
}

}  // namespace

MetricsWindow MetricsWindow::of(double start_ms, double stop_ms, double bin_ms, double segment_ms) {
  MetricsWindow w;
  w.start_ms = start_ms;
  w.bin_ms = bin_ms;
  // A tolerance so that 1000 ms / 0.1 ms is 10000 bins despite rounding.
  w.bins = static_cast<std::uint64_t>(std::floor((stop_ms - start_ms) / bin_ms + 1e-9));
  w.segment_bins =
      segment_ms > 0 ? static_cast<std::uint64_t>(std::llround(segment_ms / bin_ms)) : 256;
  w.segment_bins = std::max<std::uint64_t>(4, std::min(w.segment_bins, w.bins));
  return w;
}

std::vector<std::uint64_t> PopulationCounts::words() const {
  std::vector<std::uint64_t> w = {spikes, active_neurons, sum_bin_counts_squared,
                                  sum_neuron_counts_squared};
  w.insert(w.end(), bin_counts.begin(), bin_counts.end());
  return w;
}

PopulationCounts PopulationCounts::from_words(const std::vector<std::uint64_t>& w) {
  PopulationCounts c;
  c.spikes = w.at(0);
  c.active_neurons = w.at(1);
  c.sum_bin_counts_squared = w.at(2);
  c.sum_neuron_counts_squared = w.at(3);
  c.bin_counts.assign(w.begin() + 4, w.end());
  return c;
}

PopulationCounts count_spike_trains(const std::vector<std::uint64_t>& node_ids,
                                    const std::vector<double>& times_ms,
                                    const MetricsWindow& window, std::vector<NeuronCv>& cvs) {
  PopulationCounts counts;
  counts.bin_counts.assign(window.bins, 0);
  const double stop_ms = window.start_ms + window.bins * window.bin_ms;
  const TrainsByNeuron trains = group_by_neuron(node_ids, times_ms, window.start_ms, stop_ms);
  for (std::size_t k = 0; k < trains.nodes.size(); ++k) {
    const std::size_t first = trains.begin[k], spikes = trains.begin[k + 1] - first;
    const NeuronTrain t =
        one_neuron(trains.times_ms.data() + first, spikes, window, counts.bin_counts);
    counts.spikes += t.spikes;
    counts.active_neurons += 1;
    counts.sum_bin_counts_squared += t.sum_bin_counts_squared;
    counts.sum_neuron_counts_squared += t.spikes * t.spikes;
    if (!std::isnan(t.cv)) cvs.push_back({trains.nodes[k], t.cv});
  }
  return counts;
}

PopulationMetrics finish_population_metrics(const PopulationCounts& total,
                                            std::vector<NeuronCv> cvs, std::uint64_t neurons,
                                            const MetricsWindow& window) {
  PopulationMetrics m;
  const long double B = static_cast<long double>(window.bins);
  const long double N = static_cast<long double>(neurons);
  if (neurons == 0 || window.bins == 0) return m;
  m.rate_hz = static_cast<double>(total.spikes / (N * window.length_s()));
  m.silent_fraction = static_cast<double>((N - total.active_neurons) / N);
  std::sort(cvs.begin(), cvs.end(),
            [](const NeuronCv& a, const NeuronCv& b) { return a.node_id < b.node_id; });
  if (!cvs.empty()) {
    double sum = 0.0;
    for (const NeuronCv& c : cvs) sum += c.cv;
    m.cv_isi = sum / cvs.size();
  }
  m.n_cv_neurons = static_cast<double>(cvs.size());
  // Exact integer moments of the population count C(b) (long double holds them exactly).
  long double sum_c = 0, sum_c2 = 0;
  for (std::uint64_t c : total.bin_counts) {
    sum_c += c;
    sum_c2 += static_cast<long double>(c) * c;
  }
  const long double var_c_b2 = B * sum_c2 - sum_c * sum_c;  // B^2 Var_b C(b)
  if (sum_c > 0) m.fano_factor = static_cast<double>(var_c_b2 / (B * sum_c));
  // Golomb's chi^2 = Var_b(C/N) / ((1/N) sum_i Var_b n_i), both times B^2.
  const long double neuron_var_b2 = B * static_cast<long double>(total.sum_bin_counts_squared) -
                                    static_cast<long double>(total.sum_neuron_counts_squared);
  if (neuron_var_b2 > 0)
    m.synchrony_chi = static_cast<double>(std::sqrt(var_c_b2 / (N * neuron_var_b2)));
  std::vector<double> rate_hz(total.bin_counts.size());
  for (std::size_t b = 0; b < rate_hz.size(); ++b)
    rate_hz[b] = static_cast<double>(total.bin_counts[b]) / (neurons * window.bin_ms * 1e-3);
  const SpectralPeak peak = spectral_peak(rate_hz, window.bin_ms * 1e-3, window.segment_bins);
  m.peak_frequency_hz = peak.frequency_hz;
  m.peak_power_fraction = peak.power_fraction;
  return m;
}

}  // namespace spikeweave::jobs
