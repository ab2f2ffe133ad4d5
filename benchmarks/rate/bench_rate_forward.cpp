// Networks per second of the batched rate simulation (no I/O), float and double.
//   bench_rate_forward N K T [networks] [batch] [precision]
#include <time.h>
#include <Kokkos_Core.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>
#include <vector>

#include "rate/simulator.hpp"

namespace {
// CPU seconds of this process: on a machine shared with other work, CPU time measures what the
// code costs when it runs; wall time also counts the time others had the core.
double cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

template <class Real>
void run(int n, int k, int t, int networks, int batch) {
  using namespace spikeweave::rate;
  Dynamics d;
  d.neurons = n;
  d.trials = k;
  d.steps = t;
  d.dt_ms = 0.1;
  NetworkParams p;
  p.gain = 1.5;
  p.noise = 0.1 / std::sqrt(0.1);  // sqrt(dt) sigma = 0.1 h per step, as the PyTorch reference
  p.tau_ms = 1.0;
  BatchSimulator<Real> sim(d, batch, false);
  // Warm-up batch.
  std::vector<std::uint64_t> idx(batch);
  std::vector<NetworkParams> params(batch, p);
  std::iota(idx.begin(), idx.end(), 0);
  sim.generate_and_run(1, idx, params);
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_seconds();
  int done = 0;
  double checksum = 0;
  while (done < networks) {
    std::iota(idx.begin(), idx.end(), static_cast<std::uint64_t>(done));
    sim.generate_and_run(1, idx, params);
    checksum += sim.activity(0)[0];
    done += batch;
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = cpu_seconds() - cpu_start;
  const double flops = 2.0 * n * n * k * t * done;
  std::printf(
      "%s N=%d K=%d T=%d batch=%d: %.1f networks/s, %.2f GFLOP/s in the product; per CPU second: "
      "%.1f networks, %.2f GFLOP (%.3g)\n",
      sizeof(Real) == 4 ? "float " : "double", n, k, t, batch, done / s, flops / s * 1e-9,
      done / cpu, flops / cpu * 1e-9, checksum);
}
}  // namespace

int main(int argc, char** argv) {
  Kokkos::ScopeGuard guard(argc, argv);
  const int n = argc > 1 ? std::atoi(argv[1]) : 50;
  const int k = argc > 2 ? std::atoi(argv[2]) : 10;
  const int t = argc > 3 ? std::atoi(argv[3]) : 100;
  const int networks = argc > 4 ? std::atoi(argv[4]) : 2000;
  const int batch = argc > 5 ? std::atoi(argv[5]) : 1;
  const std::string precision = argc > 6 ? argv[6] : "both";
  if (precision != "double") run<float>(n, k, t, networks, batch);
  if (precision != "float") run<double>(n, k, t, networks, batch);
  return 0;
}
