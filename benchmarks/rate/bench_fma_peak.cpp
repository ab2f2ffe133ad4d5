// This core's floating-point peak as a register-only FMA loop reaches it: many independent
// accumulators, vectors as wide as the build allows (compile with -march=native). The ceiling
// against which the rate kernels' GFLOP/s are quoted.
#include <time.h>

#include <chrono>
#include <cstdio>

namespace {
double cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

struct Rate {
  double wall, cpu;  // GFLOP per wall second and per CPU second
};

template <class Real, int kBytes>
Rate peak_gflops(long scale) {
  typedef Real V __attribute__((vector_size(kBytes)));
  constexpr int kAccumulators = 16;
  constexpr int kLanes = kBytes / static_cast<int>(sizeof(Real));
  V acc[kAccumulators];
  for (int a = 0; a < kAccumulators; ++a) acc[a] = V{} + Real(a);
  const V x = V{} + Real(0.999999), y = V{} + Real(1e-7);
  const long iterations = scale * 100000000L / kLanes;
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_seconds();
  for (long i = 0; i < iterations; ++i) {
    for (int a = 0; a < kAccumulators; ++a) acc[a] = acc[a] * x + y;
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = cpu_seconds() - cpu_start;
  Real sum = 0;
  for (int a = 0; a < kAccumulators; ++a) {
    for (int l = 0; l < kLanes; ++l) sum += acc[a][l];
  }
  std::printf("  (checksum %g)\n", static_cast<double>(sum));
  const double flops = 2.0 * kAccumulators * kLanes * iterations;
  return {flops / s * 1e-9, flops / cpu * 1e-9};
}

void print(const char* what, const Rate& r) {
  std::printf("%s: %.1f GFLOP/s, %.1f GFLOP per CPU second\n", what, r.wall, r.cpu);
}
}  // namespace

int main(int argc, char**) {
  const long scale = argc;  // unknown to the compiler: the loops cannot be folded
#if defined(__AVX512F__)
  print("float32, 512-bit vectors", peak_gflops<float, 64>(scale));
  print("float64, 512-bit vectors", peak_gflops<double, 64>(scale));
#endif
  print("float32, 256-bit vectors", peak_gflops<float, 32>(scale));
  print("float64, 256-bit vectors", peak_gflops<double, 32>(scale));
  return 0;
}
