#pragma once
// Trace-based STDP (pair, power-law, triplet) for the shared plastic kernels, event-driven
// as in NEST: when a presynaptic spike (stamp T) reaches a synapse of dendritic delay d, the
// synapse first applies facilitation for every postsynaptic spike with stamp in
// (t_done - d, T - d] (each seen by the synapse d after it happened), then depression with the
// postsynaptic trace at T - d, then transmits the new weight. The presynaptic traces depend only
// on the source's spike train and are kept once per row, not per synapse.
#include "kernels/decay_table.hpp"
#include "kernels/deliver.hpp"
#include "kernels/plastic_deliver.hpp"
#include "kernels/post_history.hpp"
#include "kernels/stdp_rules.hpp"

namespace spikeweave::kernels {

enum class PairingMode : int { kAllToAll = 0, kNearestSymmetric = 1, kNearestPreCentered = 2 };

template <class Weight, class Rule>
struct StdpSynapses {
  DeviceSynapses syn;
  View<Weight*> weight;
  View<double*> pre_centered_trace;  // per synapse, pre_centered pairing only
  StdpRowState rows;
  PostHistory post;
  Rule rule;
  PairingMode pairing = PairingMode::kAllToAll;
  bool triplet = false;
  int channel_minus = 0;    // post trace channel of tau_minus (o1)
  int channel_triplet = 0;  // post trace channel of tau_y (o2)
  DecayTable decay_plus;    // exp(-k dt / tau_plus)
  DecayTable decay_x;       // exp(-k dt / tau_x) (triplet)
  // Depression trace of every target at the postsynaptic times T - d that this interval's
  // presynaptic spikes need: kminus(t - kminus_base, target), filled by StdpKminusTable.
  View<double**> kminus;
  std::int64_t kminus_base = 0;
  // false: plasticity switched off between runs (the Python module): weights keep their values
  // while traces and pairings go on, so switching back on resumes exactly.
  bool learning = true;

  // Facilitation for the postsynaptic spikes of `target` with stamps in (lo, hi] (pre-side
  // times lo + d, hi + d), pre spike history summarised by (t_last, r1).
  KOKKOS_INLINE_FUNCTION double facilitate(double w, std::uint64_t k, std::uint32_t target,
                                           int delay, std::int64_t lo, std::int64_t hi,
                                           std::int64_t t_last, double r1) const {
    if (t_last == 0) return w;                   // no presynaptic spike yet: nothing to pair with
    if (post.recent(target, 0) <= lo) return w;  // no postsynaptic spike since: the common case
    if (post.recent(target, PostHistory::kRecent - 1) <= lo) {
      // The window's spikes are among the last few, kept compactly: no trip to the history.
      int newer = 0;
      while (newer < PostHistory::kRecent - 1 && post.recent(target, newer) > lo) ++newer;
      const std::uint64_t n = triplet ? post.spikes(target) : 0;
      for (int j = newer - 1; j >= 0; --j) {
        const std::int64_t post_stamp = post.recent(target, j);
        if (post_stamp > hi) break;
        w = facilitate_one(w, k, target, n, j, post_stamp + delay - t_last, r1);
      }
      return w;
    }
    const std::uint64_t n = post.spikes(target);
    const int newer = post.count_after(target, n, lo);
    for (int j = newer - 1; j >= 0; --j) {
      const std::int64_t post_stamp = post.recent_stamp(target, n, j);
      if (post_stamp > hi) break;
      w = facilitate_one(w, k, target, n, j, post_stamp + delay - t_last, r1);
    }
    return w;
  }

  // One facilitation step for the j-th most recent postsynaptic spike, seen `elapsed` steps after
  // the last presynaptic spike.
  KOKKOS_INLINE_FUNCTION double facilitate_one(double w, std::uint64_t k, std::uint32_t target,
                                               std::uint64_t n, int j, std::int64_t elapsed,
                                               double r1) const {
    const double decay = decay_plus(elapsed);
    double kplus;
    if (pairing == PairingMode::kAllToAll) {
      kplus = r1 * decay;
    } else if (pairing == PairingMode::kNearestSymmetric) {
      kplus = decay;
    } else {
      kplus = pre_centered_trace(k) * decay;
      pre_centered_trace(k) = 0.0;  // pre spikes pair with the first post spike after them
    }
    const double o2_before = triplet ? post.recent_trace(channel_triplet, target, n, j) - 1.0 : 0.0;
    return learning ? rule.facilitate(w, kplus, o2_before) : w;
  }

  // Depression at a presynaptic spike seen at pre-side time t (post time t - delay).
  KOKKOS_INLINE_FUNCTION double depress(double w, std::uint32_t target, std::int64_t post_time,
                                        double r2_before) const {
    return learning ? rule.depress(w, kminus(post_time - kminus_base, target), r2_before) : w;
  }

  // The row's values for one presynaptic spike (see plastic_deliver.hpp).
  struct Spike {
    std::int64_t stamp, t_last, t_done;
    double r1, r2_before, pre_decay;
  };
  KOKKOS_INLINE_FUNCTION Spike at_spike(std::uint64_t row, std::int64_t stamp) const {
    Spike x{stamp, rows.t_last(row), rows.t_done(row), rows.r1(row), 0.0, 0.0};
    if (x.t_last > 0) {
      x.pre_decay = decay_plus(stamp - x.t_last);
      if (triplet) x.r2_before = rows.r2(row) * decay_x(stamp - x.t_last);
    }
    return x;
  }
  KOKKOS_INLINE_FUNCTION double update(std::uint64_t k, std::uint32_t target, int delay,
                                       std::uint64_t, const Spike& x) const {
    double w = weight(k);
    w = facilitate(w, k, target, delay, x.t_done - delay, x.stamp - delay, x.t_last, x.r1);
    w = depress(w, target, x.stamp - delay, x.r2_before);
    if (pairing == PairingMode::kNearestPreCentered) {
      pre_centered_trace(k) = pre_centered_trace(k) * x.pre_decay + 1.0;
    }
    const auto stored = static_cast<Weight>(w);
    weight(k) = stored;
    return static_cast<double>(stored);
  }
  KOKKOS_INLINE_FUNCTION void after_spike(std::uint64_t row, const Spike& x) const {
    rows.r1(row) = x.r1 * x.pre_decay + 1.0;
    if (triplet) rows.r2(row) = x.r2_before + 1.0;
    rows.t_last(row) = x.stamp;
    rows.t_done(row) = x.stamp;
  }
  // Facilitation only: the weight changes exactly as if it were applied at the next presynaptic
  // spike.
  KOKKOS_INLINE_FUNCTION void catch_up(std::uint64_t k, std::uint32_t target, int delay,
                                       std::uint64_t row, std::int64_t cut) const {
    const std::int64_t t_done = rows.t_done(row);
    weight(k) = static_cast<Weight>(facilitate(weight(k), k, target, delay, t_done - delay,
                                               cut - delay, rows.t_last(row), rows.r1(row)));
  }
};

// Fills StdpSynapses::kminus for the postsynaptic times [kminus_base, kminus_base + rows): the
// full trace (all-to-all pairing) or the nearest spike's contribution (nearest pairings).
struct StdpKminusTable {
  PostHistory post;
  View<double**> kminus;
  std::int64_t base = 0;
  int channel = 0;
  bool nearest = false;
  static constexpr const char* kLabel = "spikeweave::stdp_synapse::kminus_table";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const {
    const int rows = static_cast<int>(kminus.extent(0));
    for (int r = 0; r < rows; ++r) {
      kminus(r, i) =
          nearest ? post.nearest_at(channel, i, base + r) : post.trace_at(channel, i, base + r);
    }
  }
};

}  // namespace spikeweave::kernels
