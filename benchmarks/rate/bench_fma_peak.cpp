// This core's floating-point peak as a register-only FMA loop reaches it: many independent
// accumulators, vectors as wide as the build allows (compile with -march=native). The ceiling
// against which the rate kernels' GFLOP/s are quoted.
#include <chrono>
#include <cstdio>

namespace {
template <class Real, int kBytes>
double peak_gflops(long scale) {
  typedef Real V __attribute__((vector_size(kBytes)));
  constexpr int kAccumulators = 16;
  constexpr int kLanes = kBytes / static_cast<int>(sizeof(Real));
  V acc[kAccumulators];
  for (int a = 0; a < kAccumulators; ++a) acc[a] = V{} + Real(a);
  const V x = V{} + Real(0.999999), y = V{} + Real(1e-7);
  const long iterations = scale * 100000000L / kLanes;
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < iterations; ++i) {
    for (int a = 0; a < kAccumulators; ++a) acc[a] = acc[a] * x + y;
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Real sum = 0;
  for (int a = 0; a < kAccumulators; ++a) {
    for (int l = 0; l < kLanes; ++l) sum += acc[a][l];
  }
  std::printf("  (checksum %g)\n", static_cast<double>(sum));
  return 2.0 * kAccumulators * kLanes * iterations / s * 1e-9;
}
}  // namespace

int main(int argc, char**) {
  const long scale = argc;  // unknown to the compiler: the loops cannot be folded
#if defined(__AVX512F__)
  std::printf("float32, 512-bit vectors: %.1f GFLOP/s\n", peak_gflops<float, 64>(scale));
  std::printf("float64, 512-bit vectors: %.1f GFLOP/s\n", peak_gflops<double, 64>(scale));
#endif
  std::printf("float32, 256-bit vectors: %.1f GFLOP/s\n", peak_gflops<float, 32>(scale));
  std::printf("float64, 256-bit vectors: %.1f GFLOP/s\n", peak_gflops<double, 32>(scale));
  return 0;
}
