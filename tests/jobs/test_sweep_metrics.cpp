// Sweep metrics against hand-computed values on synthetic spike trains (regular, Poisson, fully
// synchronous, sinusoidally modulated), their independence of how neurons are split over ranks,
// and the weight statistics of plastic projections.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "jobs/population_spectrum.hpp"
#include "jobs/spike_train_metrics.hpp"
#include "jobs/weight_metrics.hpp"

namespace spikeweave::jobs {
namespace {

struct Trains {
  std::vector<std::uint64_t> nodes;
  std::vector<double> times_ms;
  void add(std::uint64_t node, double t) {
    nodes.push_back(node);
    times_ms.push_back(t);
  }
};

PopulationMetrics metrics_of(const Trains& t, std::uint64_t neurons, const MetricsWindow& w) {
  std::vector<NeuronCv> cvs;
  const PopulationCounts counts = count_spike_trains(t.nodes, t.times_ms, w, cvs);
  return finish_population_metrics(counts, cvs, neurons, w);
}

std::uint64_t bits(double v) {
  std::uint64_t b;
  std::memcpy(&b, &v, 8);
  return b;
}

const MetricsWindow kOneSecond = MetricsWindow::of(0.0, 1000.0, 1.0, 200.0);

// 10 neurons firing every 10 ms, neuron i at i + 0.5 ms: one spike in every 1 ms bin.
TEST(SweepMetrics, RegularStaggeredTrains) {
  Trains t;
  for (std::uint64_t i = 0; i < 10; ++i) {
    for (int k = 0; k < 100; ++k) t.add(i, i + 0.5 + 10.0 * k);
  }
  const PopulationMetrics m = metrics_of(t, 20, kOneSecond);  // 10 of 20 neurons silent
  EXPECT_DOUBLE_EQ(m.rate_hz, 50.0);                          // 1000 spikes / (20 x 1 s)
  EXPECT_NEAR(m.cv_isi, 0.0, 1e-12);
  EXPECT_EQ(m.n_cv_neurons, 10.0);
  EXPECT_DOUBLE_EQ(m.silent_fraction, 0.5);
  EXPECT_DOUBLE_EQ(m.fano_factor, 0.0);  // C(b) = 1 in every bin
  EXPECT_DOUBLE_EQ(m.synchrony_chi, 0.0);
  EXPECT_TRUE(std::isnan(m.peak_frequency_hz));  // a constant rate has no power
}

// 10 neurons firing together every 10 ms: chi = 1, Fano = N (k - 1) / k with k = 10 bins.
TEST(SweepMetrics, FullySynchronousTrains) {
  Trains t;
  for (int k = 0; k < 100; ++k) {
    for (std::uint64_t i = 0; i < 10; ++i) t.add(i, 0.5 + 10.0 * k);
  }
  const PopulationMetrics m = metrics_of(t, 10, kOneSecond);
  EXPECT_DOUBLE_EQ(m.rate_hz, 100.0);
  EXPECT_NEAR(m.cv_isi, 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(m.synchrony_chi, 1.0);
  EXPECT_DOUBLE_EQ(m.fano_factor, 9.0);
  EXPECT_DOUBLE_EQ(m.silent_fraction, 0.0);
  // A 100 Hz pulse train: every harmonic of 100 Hz carries the same power; the peak is one of
  // them.
  EXPECT_NEAR(std::fmod(m.peak_frequency_hz, 100.0), 0.0, 1e-9);
}

TEST(SweepMetrics, CvOfKnownIntervals) {
  Trains t;
  for (double time : {0.5, 10.5, 30.5, 60.5}) t.add(3, time);  // ISIs 10, 20, 30 ms
  t.add(4, 1.5);
  t.add(4, 2.5);  // two spikes: no CV
  const PopulationMetrics m = metrics_of(t, 5, kOneSecond);
  EXPECT_NEAR(m.cv_isi, std::sqrt(200.0 / 3.0) / 20.0, 1e-12);
  EXPECT_EQ(m.n_cv_neurons, 1.0);
  EXPECT_DOUBLE_EQ(m.silent_fraction, 0.6);
}

TEST(SweepMetrics, WindowExcludesSpikesOutside) {
  Trains t;
  for (double time : {5.0, 150.0, 199.9, 200.0, 350.0}) t.add(0, time);
  const PopulationMetrics m = metrics_of(t, 1, MetricsWindow::of(100.0, 200.0, 1.0, 0.0));
  EXPECT_DOUBLE_EQ(m.rate_hz, 20.0);  // 2 spikes in 0.1 s
}

// Independent Poisson trains at 20 Hz: CV 1, Fano 1, chi 1/sqrt(N), a flat spectrum. Tolerances
// are several standard errors of 500 neurons x 10 s (CV: 0.003; Fano over 10^4 bins: 0.014).
TEST(SweepMetrics, PoissonTrains) {
  std::mt19937_64 engine(12345);
  std::exponential_distribution<double> isi_ms(20.0 / 1000.0);
  Trains t;
  const std::uint64_t N = 500;
  for (std::uint64_t i = 0; i < N; ++i) {
    for (double time = isi_ms(engine); time < 10000.0; time += isi_ms(engine)) t.add(i, time);
  }
  const PopulationMetrics m = metrics_of(t, N, MetricsWindow::of(0.0, 10000.0, 1.0, 0.0));
  EXPECT_NEAR(m.rate_hz, 20.0, 0.2);
  EXPECT_NEAR(m.cv_isi, 1.0, 0.03);
  EXPECT_NEAR(m.fano_factor, 1.0, 0.06);
  EXPECT_NEAR(m.synchrony_chi, 1.0 / std::sqrt(static_cast<double>(N)), 0.01);
  EXPECT_LT(m.peak_power_fraction, 0.1);  // flat: 3 of 128 frequency bins hold ~2.3%
  EXPECT_DOUBLE_EQ(m.silent_fraction, 0.0);
}

// Poisson trains whose rate is modulated at 40 Hz: the spectrum peaks at 40 Hz.
TEST(SweepMetrics, ModulatedPoissonPeak) {
  std::mt19937_64 engine(7);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const double pi = 3.14159265358979323846;
  Trains t;
  for (std::uint64_t i = 0; i < 200; ++i) {
    for (double time = 0.05; time < 2000.0; time += 0.1) {  // thinning on a 0.1 ms grid
      const double rate_hz = 20.0 * (1.0 + 0.9 * std::sin(2.0 * pi * 40.0 * time * 1e-3));
      if (uniform(engine) < rate_hz * 1e-4) t.add(i, time);
    }
  }
  const PopulationMetrics m = metrics_of(t, 200, MetricsWindow::of(0.0, 2000.0, 1.0, 250.0));
  EXPECT_DOUBLE_EQ(m.peak_frequency_hz, 40.0);  // 250 ms segments: 4 Hz resolution
  EXPECT_GT(m.peak_power_fraction, 0.3);
}

TEST(SweepMetrics, PureSinusoidPowerIsInOneLobe) {
  std::vector<double> rate(1024);
  for (std::size_t j = 0; j < rate.size(); ++j)
    rate[j] = 5.0 + std::sin(2.0 * 3.14159265358979 * j / 16.0);
  const SpectralPeak peak = spectral_peak(rate, 1e-3, 128);  // 1000/16 = 62.5 Hz, bin 8
  EXPECT_DOUBLE_EQ(peak.frequency_hz, 62.5);
  EXPECT_NEAR(peak.power_fraction, 1.0, 1e-9);
}

// Counts summed over any split of the neurons give the same bits (rank-count invariance).
TEST(SweepMetrics, SplitOverRanksGivesTheSameBits) {
  std::mt19937_64 engine(3);
  std::exponential_distribution<double> isi_ms(0.03);
  Trains all, even, odd;
  for (std::uint64_t i = 0; i < 50; ++i) {
    for (double time = isi_ms(engine); time < 1000.0; time += isi_ms(engine)) {
      all.add(i, time);
      (i % 2 ? odd : even).add(i, time);
    }
  }
  std::vector<NeuronCv> cvs_all, cvs_split;
  const PopulationCounts whole = count_spike_trains(all.nodes, all.times_ms, kOneSecond, cvs_all);
  std::vector<std::uint64_t> words =
      count_spike_trains(odd.nodes, odd.times_ms, kOneSecond, cvs_split).words();
  const std::vector<std::uint64_t> more =
      count_spike_trains(even.nodes, even.times_ms, kOneSecond, cvs_split).words();
  for (std::size_t k = 0; k < words.size(); ++k) words[k] += more[k];
  const PopulationMetrics a = finish_population_metrics(whole, cvs_all, 50, kOneSecond);
  const PopulationMetrics b =
      finish_population_metrics(PopulationCounts::from_words(words), cvs_split, 50, kOneSecond);
  EXPECT_EQ(bits(a.cv_isi), bits(b.cv_isi));
  EXPECT_EQ(bits(a.synchrony_chi), bits(b.synchrony_chi));
  EXPECT_EQ(bits(a.fano_factor), bits(b.fano_factor));
  EXPECT_EQ(bits(a.peak_frequency_hz), bits(b.peak_frequency_hz));
  EXPECT_EQ(bits(a.peak_power_fraction), bits(b.peak_power_fraction));
}

// Weights 1,1,1,3,3,3: mean 2, sd 1, skewness 0, kurtosis 1: bimodality coefficient 1.
TEST(SweepMetrics, WeightStatisticsOfTwoModes) {
  const std::vector<std::uint64_t> targets = {0, 0, 1, 1, 2, 2};
  const std::vector<double> weights = {1.0, 3.0, 3.0, 1.0, 1.0, 3.0};
  const WeightMetrics m = finish_weight_metrics(summarise_by_target(targets, weights));
  EXPECT_DOUBLE_EQ(m.weight_mean, 2.0);
  EXPECT_DOUBLE_EQ(m.weight_sd, 1.0);
  EXPECT_NEAR(m.weight_bimodality, 1.0, 1e-12);
  // Uniform weights on [0, 1): bimodality 1 / 1.8 = 0.556 (kurtosis 1.8), sd 1/sqrt(12).
  std::vector<std::uint64_t> t2;
  std::vector<double> w2;
  for (int k = 0; k < 10000; ++k) {
    t2.push_back(k % 37);
    w2.push_back((k + 0.5) / 10000.0);
  }
  const WeightMetrics u = finish_weight_metrics(summarise_by_target(t2, w2));
  EXPECT_NEAR(u.weight_mean, 0.5, 1e-12);
  EXPECT_NEAR(u.weight_sd, 1.0 / std::sqrt(12.0), 1e-6);
  EXPECT_NEAR(u.weight_bimodality, 1.0 / 1.8, 1e-4);
}

// Summaries combined in target order give the same bits however targets were split.
TEST(SweepMetrics, WeightSummariesAreOrderIndependent) {
  std::vector<std::uint64_t> targets;
  std::vector<double> weights;
  std::mt19937_64 engine(1);
  std::normal_distribution<double> normal(50.0, 7.0);
  for (int k = 0; k < 3000; ++k) {
    targets.push_back(k % 101);
    weights.push_back(normal(engine));
  }
  std::vector<TargetWeights> whole = summarise_by_target(targets, weights);
  std::vector<TargetWeights> reversed(whole.rbegin(), whole.rend());
  const WeightMetrics a = finish_weight_metrics(whole), b = finish_weight_metrics(reversed);
  EXPECT_EQ(bits(a.weight_sd), bits(b.weight_sd));
  EXPECT_EQ(bits(a.weight_bimodality), bits(b.weight_bimodality));
  EXPECT_NEAR(a.weight_mean, 50.0, 0.5);
  EXPECT_NEAR(a.weight_sd, 7.0, 0.3);
}

}  // namespace
}  // namespace spikeweave::jobs
