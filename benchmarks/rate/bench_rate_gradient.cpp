// Seconds per BPTT gradient (loss and dL/dW, dL/dI, dL/dh0) of one network, float and double.
//   bench_rate_gradient N K T [repeats]
#include <time.h>
#include <Kokkos_Core.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "rate/gradient.hpp"

namespace {
double cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

template <class Real>
void run(int n, int k, int t, int repeats) {
  using namespace spikeweave::rate;
  Dynamics d;
  d.neurons = n;
  d.trials = k;
  d.steps = t;
  d.dt_ms = 0.1;
  NetworkParams p;
  p.gain = 1.5;
  p.tau_ms = 1.0;
  p.noise = 0.1 / std::sqrt(0.1);
  const Network<Real> net = make_network<Real>(1, 0, d, p);
  NetworkParams q = p;
  q.gain = 1.2;
  const Trace target_trace = simulate(make_network<Real>(2, 0, d, q));
  const std::vector<Real> target(target_trace.x.begin(), target_trace.x.end());
  GradientWorkspace<Real> workspace(d);
  workspace.set_target(target);
  workspace.gradient(net);  // warm-up
  std::vector<double> seconds, cpu;
  double checksum = 0;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_seconds();
    const Gradient<Real> g = workspace.gradient(net);
    cpu.push_back(cpu_seconds() - cpu_start);
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    checksum += g.w[0];
  }
  std::sort(seconds.begin(), seconds.end());
  std::sort(cpu.begin(), cpu.end());
  const double flops = 3.0 * 2.0 * n * n * k * t;  // forward, W^T lambda, outer products
  std::printf(
      "%s N=%d K=%d T=%d: gradient %.3e s (min %.3e, max %.3e over %d), %.1f GFLOP/s in the "
      "products; "
      "CPU %.3e s per gradient (median), %.1f GFLOP per CPU second (%.3g)\n",
      sizeof(Real) == 4 ? "float " : "double", n, k, t, seconds[seconds.size() / 2],
      seconds.front(), seconds.back(), repeats, flops / seconds[seconds.size() / 2] * 1e-9,
      cpu[cpu.size() / 2], flops / cpu[cpu.size() / 2] * 1e-9, checksum);
}
}  // namespace

int main(int argc, char** argv) {
  Kokkos::ScopeGuard guard(argc, argv);
  const int n = argc > 1 ? std::atoi(argv[1]) : 50;
  const int k = argc > 2 ? std::atoi(argv[2]) : 10;
  const int t = argc > 3 ? std::atoi(argv[3]) : 100;
  const int repeats = argc > 4 ? std::atoi(argv[4]) : 20;
  run<float>(n, k, t, repeats);
  run<double>(n, k, t, repeats);
  return 0;
}
