#pragma once
// Reward-modulated STDP (Izhikevich 2007; NEST stdp_dopamine_synapse), event-driven.
// Each synapse has a weight w and an eligibility trace c. Pairings change c (by a_plus K+ at a
// postsynaptic spike seen by the synapse, by -a_minus K- at a presynaptic spike); c decays with
// tau_c; the dopamine concentration n(t) jumps by 1/tau_n at each dopamine spike and decays with
// tau_n; and dw/dt = c (n - b). Between events the three are integrated exactly:
//   w(t0 + s) = w + c0 n0 (1 - e^{-s (1/tau_c + 1/tau_n)}) / (1/tau_c + 1/tau_n)
//                 - c0 b tau_c (1 - e^{-s/tau_c}),  clipped to [w_min, w_max].
// The dopamine signal is the spike train of a designated population, replicated on every rank.
#include "kernels/decay_table.hpp"
#include "kernels/deliver.hpp"
#include "kernels/post_history.hpp"
#include "kernels/stdp_deliver.hpp"

namespace spikeweave::kernels {

// Dopamine spikes seen by the synapses (times in steps), with the trace value after each.
struct DopamineSignal {
  View<const std::int64_t*> stamp;  // increasing; spikes at one time are merged
  View<const double*> n_after;      // n right after the jump [1/ms]
  int count = 0;
  DecayTable decay_n;  // exp(-k dt / tau_n)

  // Index of the last dopamine spike at or before t, or -1.
  KOKKOS_INLINE_FUNCTION int last_at_or_before(std::int64_t t) const {
    int lo = 0, hi = count;  // first index with stamp > t
    while (lo < hi) {
      const int mid = (lo + hi) / 2;
      if (stamp(mid) <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo - 1;
  }
};

struct DopamineParams {
  double a_plus = 1.0, a_minus = 1.5;
  double tau_c_ms = 1000.0, tau_n_ms = 200.0, b = 0.0;
  double w_min = 0.0, w_max = 200.0;
  double dt_ms = 0.1;
};

template <class Weight>
struct DopamineSynapses {
  DeviceSynapses syn;
  View<Weight*> weight;
  View<Weight*> eligibility;  // c
  StdpRowState rows;
  PostHistory post;
  DopamineSignal dopamine;
  DopamineParams p;
  DecayTable decay_plus;
  View<double**> kminus;  // as in StdpSynapses
  std::int64_t kminus_base = 0;

  // w and c from a to b (times in steps) with n = n0 at a and no dopamine spike in (a, b].
  KOKKOS_INLINE_FUNCTION void integrate(double& w, double& c, double& n, std::int64_t steps) const {
    if (steps <= 0) return;
    const double s = static_cast<double>(steps) * p.dt_ms;
    const double rate = 1.0 / p.tau_c_ms + 1.0 / p.tau_n_ms;
    w += c * (n * -::expm1(-rate * s) / rate - p.b * p.tau_c_ms * -::expm1(-s / p.tau_c_ms));
    w = w < p.w_min ? p.w_min : (w > p.w_max ? p.w_max : w);
    c *= ::exp(-s / p.tau_c_ms);
    n *= dopamine.decay_n(steps);
  }

  // Advances (w, c) from a to b across the dopamine spikes in (a, b].
  KOKKOS_INLINE_FUNCTION void advance(double& w, double& c, std::int64_t a, std::int64_t b) const {
    if (b <= a) return;
    const int k = dopamine.last_at_or_before(a);
    double n = k >= 0 ? dopamine.n_after(k) * dopamine.decay_n(a - dopamine.stamp(k)) : 0.0;
    std::int64_t t = a;
    for (int j = k + 1; j < dopamine.count && dopamine.stamp(j) <= b; ++j) {
      integrate(w, c, n, dopamine.stamp(j) - t);
      n = dopamine.n_after(j);
      t = dopamine.stamp(j);
    }
    integrate(w, c, n, b - t);
  }

  // Applies the postsynaptic spikes of `target` with stamps in (lo, hi] (seen at stamp + d) and
  // the dopamine up to `until`, starting from time `from`.
  KOKKOS_INLINE_FUNCTION void catch_up(double& w, double& c, std::uint32_t target, int delay,
                                       std::int64_t from, std::int64_t lo, std::int64_t hi,
                                       std::int64_t until, std::int64_t t_last, double r1) const {
    std::int64_t t = from;
    if (t_last > 0 && post.recent(target, 0) > lo) {
      const std::uint64_t n = post.spikes(target);
      const int newer = post.count_after(target, n, lo);
      for (int j = newer - 1; j >= 0; --j) {
        const std::int64_t post_stamp = post.recent_stamp(target, n, j);
        if (post_stamp > hi) break;
        const std::int64_t seen = post_stamp + delay;
        advance(w, c, t, seen);
        t = seen;
        c += p.a_plus * r1 * decay_plus(seen - t_last);
      }
    }
    advance(w, c, t, until);
  }
};

template <class Weight>
struct DopamineDeliver {
  using Policy = Kokkos::TeamPolicy<ExecSpace>;
  using Member = Policy::member_type;

  DopamineSynapses<Weight> s;
  InputRing ring;
  View<const std::uint64_t*> spikes;
  View<const std::uint32_t*> run_begin;
  int port = kPortExcitatory;
  std::int64_t first_step = 0;
  int slots = 1;
  static constexpr const char* kLabel = "spikeweave::stdp_dopamine_synapse::deliver";

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
      for (std::uint64_t seg = s.syn.row_begin(row); seg < s.syn.row_begin(row + 1); ++seg) {
        const int delay = s.syn.segment_delay(seg);
        const int slot = static_cast<int>((emitted + delay) % slots);
        std::int64_t* const base = &ring(port, slot, 0);
        Kokkos::parallel_for(
            Kokkos::TeamThreadRange(team, s.syn.segment_begin(seg), s.syn.segment_begin(seg + 1)),
            [&](const std::uint64_t k) {
              const std::uint32_t target = s.syn.target(k);
              double w = s.weight(k);
              double c = s.eligibility(k);
              s.catch_up(w, c, target, delay, t_done, t_done - delay, stamp - delay, stamp, t_last,
                         r1);
              c -= s.p.a_minus * s.kminus(stamp - delay - s.kminus_base, target);
              const auto stored = static_cast<Weight>(w);
              s.weight(k) = stored;
              s.eligibility(k) = static_cast<Weight>(c);
              add_input(base + target, to_fixed(s.syn.scaled(static_cast<double>(stored), target)));
            });
      }
      team.team_barrier();
      Kokkos::single(Kokkos::PerTeam(team), [&]() {
        s.rows.r1(row) = (t_last > 0 ? r1 * s.decay_plus(stamp - t_last) : 0.0) + 1.0;
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

// Brings rows idle since `idle_before` up to `cut`: postsynaptic pairings and dopamine.
template <class Weight>
struct DopamineSweep {
  using Policy = Kokkos::TeamPolicy<ExecSpace>;
  using Member = Policy::member_type;

  DopamineSynapses<Weight> s;
  std::int64_t idle_before = 0;
  std::int64_t cut = 0;
  static constexpr const char* kLabel = "spikeweave::stdp_dopamine_synapse::sweep";

  KOKKOS_INLINE_FUNCTION void operator()(const Member& team) const {
    const std::uint64_t row = static_cast<std::uint64_t>(team.league_rank());
    const std::int64_t t_done = s.rows.t_done(row);
    if (t_done >= idle_before) return;
    const std::int64_t t_last = s.rows.t_last(row);
    const double r1 = s.rows.r1(row);
    for (std::uint64_t seg = s.syn.row_begin(row); seg < s.syn.row_begin(row + 1); ++seg) {
      const int delay = s.syn.segment_delay(seg);
      Kokkos::parallel_for(
          Kokkos::TeamThreadRange(team, s.syn.segment_begin(seg), s.syn.segment_begin(seg + 1)),
          [&](const std::uint64_t k) {
            double w = s.weight(k);
            double c = s.eligibility(k);
            s.catch_up(w, c, s.syn.target(k), delay, t_done, t_done - delay, cut - delay, cut,
                       t_last, r1);
            s.weight(k) = static_cast<Weight>(w);
            s.eligibility(k) = static_cast<Weight>(c);
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
