#pragma once
// What every neuron model's update kernel shares: how neurons are split into chunks, the pragmas
// that let GCC vectorise a chunk's loop, and the runners of an update functor over a population.
#include "kernels/views.hpp"

namespace spikeweave::kernels {

// Neurons a host thread updates in one call: a model's loop runs over contiguous
// neurons through restrict pointers, so that the compiler vectorises them. On a GPU every
// thread takes one neuron. A neuron's arithmetic is the same in every lane and in the scalar
// remainder, so results do not depend on where a chunk starts (hence not on the partition).
inline constexpr int kUpdateChunk =
    Kokkos::SpaceAccessibility<ExecSpace, Kokkos::HostSpace>::accessible ? 256 : 1;

// Tells GCC that the iterations of the next loop are independent (the restrict qualifiers of
// inlined functions get lost, and runtime alias checks of many arrays stop it vectorising).
#if defined(__GNUC__) && !defined(__clang__) && !defined(__CUDACC__) && !defined(__HIPCC__)
#define SPIKEWEAVE_IVDEP _Pragma("GCC ivdep")
#else
#define SPIKEWEAVE_IVDEP
#endif

// Wrap a model's loops in SPIKEWEAVE_NO_CONTRACTION_BEGIN / _END: GCC fuses a * b + c into an FMA
// in some vector widths and not in others (x86 tunings avoid FMA chains below 512 bits), so a
// neuron's result would depend on whether it falls in a full vector, the epilogue or the scalar
// remainder, i.e. on where the chunk starts, i.e. on the partition. Unfused, every lane computes
// what the scalar code does.
#if defined(__GNUC__) && !defined(__clang__) && !defined(__CUDACC__) && !defined(__HIPCC__)
#define SPIKEWEAVE_NO_CONTRACTION_BEGIN \
  _Pragma("GCC push_options") _Pragma("GCC optimize(\"fp-contract=off\")")
#define SPIKEWEAVE_NO_CONTRACTION_END _Pragma("GCC pop_options")
#else  // Clang contracts only inside one expression, the same way in every width.
#define SPIKEWEAVE_NO_CONTRACTION_BEGIN
#define SPIKEWEAVE_NO_CONTRACTION_END
#endif

// The error flag of a model whose kernel can fail (an adaptive integrator out of its step budget,
// a state out of bounds): (status, smallest failing local index, smallest failing lag). 0 in the
// first entry means no failure; the host checks it once per interval (engine::check_model_error)
// and turns it into an error naming the neuron and time.
using ModelErrorFlag = View<int[3]>;
KOKKOS_INLINE_FUNCTION void raise_model_error(const ModelErrorFlag& flag, int status, int local,
                                              int lag) {
  Kokkos::atomic_fetch_max(&flag(0), status);
  Kokkos::atomic_fetch_min(&flag(1), local);
  Kokkos::atomic_fetch_min(&flag(2), lag);
}

// Runs an update functor's operator()(i) for neurons [0, n), one neuron per work item.
template <class Functor>
void run_update(const Functor& f, int n) {
  Kokkos::parallel_for(Functor::kLabel, Kokkos::RangePolicy<ExecSpace>(0, n), f);
}

// Runs a functor's range(begin, end) over neurons [0, n) in chunks of kUpdateChunk.
template <class Functor>
struct ChunkedUpdate {
  Functor f;
  int n = 0;
  KOKKOS_INLINE_FUNCTION void operator()(const int chunk) const {
    const int begin = chunk * kUpdateChunk;
    f.range(begin, begin + kUpdateChunk < n ? begin + kUpdateChunk : n);
  }
};
template <class Functor>
void run_chunked_update(const Functor& f, int n) {
  if (n == 0) return;
  const int chunks = (n + kUpdateChunk - 1) / kUpdateChunk;
  Kokkos::parallel_for(Functor::kLabel, Kokkos::RangePolicy<ExecSpace>(0, chunks),
                       ChunkedUpdate<Functor>{f, n});
}

// Runs range(begin, end) over neurons [0, n) in chunks for the steps [first_step, first_step +
// lags) of one interval: each chunk goes through every lag (ring slot (step mod slots), fired
// row lag) before the next chunk, in one parallel region. A neuron sees the same operations in
// the same order as with one region per step (neurons do not interact within an interval: every
// delay is at least the interval), so the results are bitwise those of run_chunked_update.
template <class Functor>
struct ChunkedIntervalUpdate {
  Functor f;
  int n = 0;
  std::int64_t first_step = 0;
  int lags = 0;
  int slots = 1;
  KOKKOS_INLINE_FUNCTION void operator()(const int chunk) const {
    const int begin = chunk * kUpdateChunk;
    const int end = begin + kUpdateChunk < n ? begin + kUpdateChunk : n;
    Functor g = f;
    for (int lag = 0; lag < lags; ++lag) {
      g.slot = static_cast<int>((first_step + lag) % slots);
      g.lag = lag;
      g.range(begin, end);
    }
  }
};
template <class Functor>
void run_chunked_interval(const Functor& f, int n, std::int64_t first_step, int lags, int slots) {
  if (n == 0 || lags == 0) return;
  const int chunks = (n + kUpdateChunk - 1) / kUpdateChunk;
  Kokkos::parallel_for(Functor::kLabel, Kokkos::RangePolicy<ExecSpace>(0, chunks),
                       ChunkedIntervalUpdate<Functor>{f, n, first_step, lags, slots});
}

}  // namespace spikeweave::kernels
