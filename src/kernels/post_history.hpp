#pragma once
// Postsynaptic spike history of one population, for plasticity: per neuron the last `capacity`
// spike stamps (step + 1, i.e. the spike time in steps) and, per trace channel, the value of the
// postsynaptic trace just after each spike (trace = sum over spikes of exp(-(t - t_spike)/tau)).
// Plastic synapses read it when a presynaptic spike reaches them (NEST's archiving node, with a
// bounded ring per neuron). Written once per interval, read-only while spikes are delivered.
#include "kernels/decay_table.hpp"
#include "kernels/views.hpp"

namespace spikeweave::kernels {

inline constexpr int kMaxTraceChannels = 4;

struct PostHistory {
  View<std::int64_t**> stamp;  // (neuron, slot): ring of spike stamps
  View<double***> trace;       // (channel, neuron, slot): trace value just after the spike
  View<std::uint64_t*> count;  // spikes so far per neuron (slot of spike k is k mod capacity)
  // The last kRecent stamps of each neuron, newest first (0: none): a compact copy that keeps
  // the common case of a plastic synapse's window (a spike or two) in cache.
  static constexpr int kRecent = 4;
  Kokkos::View<std::int64_t* [kRecent], Kokkos::LayoutRight, MemSpace> recent;
  View<int*> overflow;  // set to 1 if a read needed a spike the ring no longer holds
  int capacity = 0;     // a power of two, so that ring positions are masks, not divisions
  std::uint64_t mask = 0;
  int channels = 0;
  Kokkos::Array<DecayTable, kMaxTraceChannels> decay;  // exp(-k dt / tau) of each channel

  KOKKOS_INLINE_FUNCTION std::uint64_t spikes(int i) const { return count(i); }
  // Stamp of the k-th most recent spike (k = 0: newest); k < min(count, capacity).
  KOKKOS_INLINE_FUNCTION std::int64_t recent_stamp(int i, std::uint64_t n, int k) const {
    return stamp(i, static_cast<int>((n - 1 - k) & mask));
  }
  KOKKOS_INLINE_FUNCTION double recent_trace(int c, int i, std::uint64_t n, int k) const {
    return trace(c, i, static_cast<int>((n - 1 - k) & mask));
  }
  KOKKOS_INLINE_FUNCTION int retained(std::uint64_t n) const {
    return n < static_cast<std::uint64_t>(capacity) ? static_cast<int>(n) : capacity;
  }

  // Number of retained spikes newer than `lo` (stamp > lo): they are the k = 0 .. m-1 most recent.
  // Flags an overflow if older spikes that may lie after `lo` were already overwritten.
  KOKKOS_INLINE_FUNCTION int count_after(int i, std::uint64_t n, std::int64_t lo) const {
    const int kept = retained(n);
    int m = 0;
    while (m < kept && recent_stamp(i, n, m) > lo) ++m;
    if (m == kept && n > static_cast<std::uint64_t>(capacity)) overflow(0) = 1;
    return m;
  }

  // Index k (k-th most recent) of the newest spike with stamp < t, or -1 if none is retained.
  KOKKOS_INLINE_FUNCTION int newest_before(int i, std::uint64_t n, std::int64_t t) const {
    const int kept = retained(n);
    for (int k = 0; k < kept; ++k) {
      if (recent_stamp(i, n, k) < t) return k;
    }
    if (n > static_cast<std::uint64_t>(capacity)) overflow(0) = 1;
    return -1;
  }

  // Value of trace channel c at time t (in stamps), counting spikes strictly before t.
  KOKKOS_INLINE_FUNCTION double trace_at(int c, int i, std::int64_t t) const {
    const std::uint64_t n = count(i);
    const int k = newest_before(i, n, t);
    if (k < 0) return 0.0;
    return recent_trace(c, i, n, k) * decay[c](t - recent_stamp(i, n, k));
  }

  // exp(-(t - t_post)/tau_c) of the newest spike before t alone (nearest-neighbour pairing).
  KOKKOS_INLINE_FUNCTION double nearest_at(int c, int i, std::int64_t t) const {
    const std::uint64_t n = count(i);
    const int k = newest_before(i, n, t);
    return k < 0 ? 0.0 : decay[c](t - recent_stamp(i, n, k));
  }
};

// Appends the spikes of one interval (fired flags, lags 0..steps-1 from first_step) to the
// history, computing each channel's trace value right after the spike.
struct PostHistoryAppend {
  PostHistory h;
  FiredFlags fired;
  std::int64_t first_step = 0;
  int steps = 0;
  static constexpr const char* kLabel = "spikeweave::plasticity::post_history_append";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const {
    std::uint64_t n = h.count(i);
    for (int lag = 0; lag < steps; ++lag) {
      if (!fired(lag, i)) continue;
      const std::int64_t stamp = first_step + lag + 1;
      const int slot = static_cast<int>(n & h.mask);
      for (int c = 0; c < h.channels; ++c) {
        double value = 1.0;
        if (n > 0) {
          const int last = static_cast<int>((n - 1) & h.mask);
          value += h.trace(c, i, last) * h.decay[c](stamp - h.stamp(i, last));
        }
        h.trace(c, i, slot) = value;
      }
      h.stamp(i, slot) = stamp;
      for (int r = PostHistory::kRecent - 1; r > 0; --r) h.recent(i, r) = h.recent(i, r - 1);
      h.recent(i, 0) = stamp;
      ++n;
    }
    h.count(i) = n;
  }
};

}  // namespace spikeweave::kernels
