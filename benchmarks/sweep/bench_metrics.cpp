// Times the sweep metrics of one Brunel AI point's worth of spikes (12,500 neurons at 38.5 Hz,
// 1.2 s, metrics over 1 s), the data in the recorder's time order. Not part of the build:
//   O=build/jobs/CMakeFiles/spikeweave_jobs.dir
//   g++ -O3 -std=c++17 -I. -Isrc benchmarks/sweep/bench_metrics.cpp $O/spike_train_metrics.cpp.o \
//     $O/population_spectrum.cpp.o -o /tmp/bench_metrics && /tmp/bench_metrics
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include "jobs/spike_train_metrics.hpp"
using namespace spikeweave::jobs;
int main() {
  std::mt19937_64 engine(1);
  std::exponential_distribution<double> isi(38.5e-3);
  std::vector<std::uint64_t> nodes;
  std::vector<double> times;
  for (std::uint64_t i = 0; i < 12500; ++i)
    for (double t = isi(engine); t < 1200.0; t += isi(engine)) {
      nodes.push_back(i);
      times.push_back(t);
    }
  // Recorder order: by time (flush by flush), not by neuron.
  std::vector<std::size_t> order(nodes.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return times[a] < times[b]; });
  std::vector<std::uint64_t> n2;
  std::vector<double> t2;
  for (auto k : order) {
    n2.push_back(nodes[k]);
    t2.push_back(times[k]);
  }
  const MetricsWindow w = MetricsWindow::of(200.0, 1200.0, 1.0, 200.0);
  for (int rep = 0; rep < 3; ++rep) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<NeuronCv> cvs;
    PopulationCounts c = count_spike_trains(n2, t2, w, cvs);
    PopulationMetrics m = finish_population_metrics(c, cvs, 12500, w);
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%zu spikes: metrics %.3f s (rate %.2f Hz, cv %.3f, chi %.3f)\n", n2.size(), s,
                m.rate_hz, m.cv_isi, m.synchrony_chi);
  }
}
