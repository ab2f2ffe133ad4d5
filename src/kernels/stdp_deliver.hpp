#pragma once
// Delivery through plastic synapses with trace-based STDP (pair, power-law, triplet), event-driven
// as in NEST: when a presynaptic spike (stamp T) reaches a synapse of dendritic delay d, the
// synapse first applies facilitation for every postsynaptic spike with stamp in
// (t_done - d, T - d] (each seen by the synapse d after it happened), then depression with the
// postsynaptic trace at T - d, then transmits the new weight. The presynaptic traces depend only
// on the source's spike train and are kept once per row, not per synapse.
//
// One team per source with spikes in the interval, processing that source's spikes in time
// order; the team's threads share the row's synapses, so no two threads touch one synapse.
#include "kernels/decay_table.hpp"
#include "kernels/deliver.hpp"
#include "kernels/post_history.hpp"
#include "kernels/stdp_rules.hpp"

namespace spikeweave::kernels {

enum class PairingMode : int { kAllToAll = 0, kNearestSymmetric = 1, kNearestPreCentered = 2 };

// Per-row (per source) state of a plastic projection.
struct StdpRowState {
  View<std::int64_t*> t_last;  // stamp of the source's last spike (0: none yet)
  View<std::int64_t*> t_done;  // postsynaptic spikes seen up to this pre-side time are applied
  View<double*> r1;            // pair trace after the last spike (tau_plus)
  View<double*> r2;            // triplet trace after the last spike (tau_x)
};

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
    return rule.facilitate(w, kplus, o2_before);
  }

  // Depression at a presynaptic spike seen at pre-side time t (post time t - delay).
  KOKKOS_INLINE_FUNCTION double depress(double w, std::uint32_t target, std::int64_t post_time,
                                        double r2_before) const {
    return rule.depress(w, kminus(post_time - kminus_base, target), r2_before);
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

template <class Weight, class Rule>
struct StdpDeliver {
  using Policy = Kokkos::TeamPolicy<ExecSpace>;
  using Member = Policy::member_type;

  StdpSynapses<Weight, Rule> s;
  InputRing ring;
  View<const std::uint64_t*> spikes;     // (node_id << 8) | lag, sorted
  View<const std::uint32_t*> run_begin;  // runs of equal source: runs + 1 offsets into spikes
  int port = kPortExcitatory;
  std::int64_t first_step = 0;
  int slots = 1;
  static constexpr const char* kLabel = "spikeweave::stdp_synapse::deliver";

  KOKKOS_INLINE_FUNCTION void operator()(const Member& team) const {
    const int run = team.league_rank();
    const auto source = static_cast<std::uint32_t>(spikes(run_begin(run)) >> 8);
    const std::uint64_t row = s.syn.find_row(source);
    if (row == s.syn.rows) return;
    for (std::uint32_t x = run_begin(run); x < run_begin(run + 1); ++x) {
      const std::int64_t emitted = first_step + static_cast<std::int64_t>(spikes(x) & 0xFF);
      const std::int64_t stamp = emitted + 1;
      const std::int64_t t_last = s.rows.t_last(row);
      const std::int64_t t_done = s.rows.t_done(row);
      const double r1 = s.rows.r1(row);
      const double r2_before =
          (s.triplet && t_last > 0) ? s.rows.r2(row) * s.decay_x(stamp - t_last) : 0.0;
      const double pre_decay = t_last > 0 ? s.decay_plus(stamp - t_last) : 0.0;
      for (std::uint64_t seg = s.syn.row_begin(row); seg < s.syn.row_begin(row + 1); ++seg) {
        const int delay = s.syn.segment_delay(seg);
        const int slot = static_cast<int>((emitted + delay) % slots);
        std::int64_t* const base = &ring(port, slot, 0);
        Kokkos::parallel_for(
            Kokkos::TeamThreadRange(team, s.syn.segment_begin(seg), s.syn.segment_begin(seg + 1)),
            [&](const std::uint64_t k) {
              const std::uint32_t target = s.syn.target(k);
              double w = s.weight(k);
              w = s.facilitate(w, k, target, delay, t_done - delay, stamp - delay, t_last, r1);
              w = s.depress(w, target, stamp - delay, r2_before);
              if (s.pairing == PairingMode::kNearestPreCentered) {
                s.pre_centered_trace(k) = s.pre_centered_trace(k) * pre_decay + 1.0;
              }
              const auto stored = static_cast<Weight>(w);
              s.weight(k) = stored;
              add_input(base + target, to_fixed(s.syn.scaled(static_cast<double>(stored), target)));
            });
      }
      team.team_barrier();
      Kokkos::single(Kokkos::PerTeam(team), [&]() {
        s.rows.r1(row) = r1 * pre_decay + 1.0;
        if (s.triplet) s.rows.r2(row) = r2_before + 1.0;
        s.rows.t_last(row) = stamp;
        s.rows.t_done(row) = stamp;
      });
      team.team_barrier();
    }
  }

  void run(std::size_t runs) const {
    if (runs == 0) return;
    Kokkos::parallel_for(kLabel, Policy(static_cast<int>(runs), Kokkos::AUTO), *this);
  }
};

// Brings rows that have been idle since `idle_before` up to date with the postsynaptic spikes
// seen by `cut` (facilitation only), so the postsynaptic history never has to reach back further
// than one sweep interval. Weights change exactly as if the facilitation were applied at the
// next presynaptic spike.
template <class Weight, class Rule>
struct StdpSweep {
  using Policy = Kokkos::TeamPolicy<ExecSpace>;
  using Member = Policy::member_type;

  StdpSynapses<Weight, Rule> s;
  std::int64_t idle_before = 0;
  std::int64_t cut = 0;
  static constexpr const char* kLabel = "spikeweave::stdp_synapse::sweep";

  KOKKOS_INLINE_FUNCTION void operator()(const Member& team) const {
    const std::uint64_t row = static_cast<std::uint64_t>(team.league_rank());
    const std::int64_t t_done = s.rows.t_done(row);
    const std::int64_t t_last = s.rows.t_last(row);
    if (t_done >= idle_before || t_last == 0) return;
    const double r1 = s.rows.r1(row);
    for (std::uint64_t seg = s.syn.row_begin(row); seg < s.syn.row_begin(row + 1); ++seg) {
      const int delay = s.syn.segment_delay(seg);
      Kokkos::parallel_for(
          Kokkos::TeamThreadRange(team, s.syn.segment_begin(seg), s.syn.segment_begin(seg + 1)),
          [&](const std::uint64_t k) {
            const std::uint32_t target = s.syn.target(k);
            const double w = s.facilitate(s.weight(k), k, target, delay, t_done - delay,
                                          cut - delay, t_last, r1);
            s.weight(k) = static_cast<Weight>(w);
          });
    }
    team.team_barrier();
    Kokkos::single(Kokkos::PerTeam(team), [&]() { s.rows.t_done(row) = cut; });
  }

  void run() const {
    if (s.syn.rows == 0) return;
    Kokkos::parallel_for(kLabel, Policy(static_cast<int>(s.syn.rows), Kokkos::AUTO), *this);
  }
};

}  // namespace spikeweave::kernels
