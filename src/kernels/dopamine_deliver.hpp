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
#include "kernels/plastic_deliver.hpp"
#include "kernels/post_history.hpp"

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
  bool learning = true;  // as in StdpSynapses: false holds w while c and n go on

  // w and c from a to b (times in steps) with n = n0 at a and no dopamine spike in (a, b].
  KOKKOS_INLINE_FUNCTION void integrate(double& w, double& c, double& n, std::int64_t steps) const {
    if (steps <= 0) return;
    const double s = static_cast<double>(steps) * p.dt_ms;
    const double rate = 1.0 / p.tau_c_ms + 1.0 / p.tau_n_ms;
    if (learning) {
      w += c * (n * -::expm1(-rate * s) / rate - p.b * p.tau_c_ms * -::expm1(-s / p.tau_c_ms));
      w = w < p.w_min ? p.w_min : (w > p.w_max ? p.w_max : w);
    }
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

  // The shared plastic kernels' interface (plastic_deliver.hpp).
  struct Spike {
    std::int64_t stamp, t_last, t_done;
    double r1;
  };
  KOKKOS_INLINE_FUNCTION Spike at_spike(std::uint64_t row, std::int64_t stamp) const {
    return Spike{stamp, rows.t_last(row), rows.t_done(row), rows.r1(row)};
  }
  KOKKOS_INLINE_FUNCTION double update(std::uint64_t k, std::uint32_t target, int delay,
                                       std::uint64_t, const Spike& x) const {
    double w = weight(k);
    double c = eligibility(k);
    catch_up(w, c, target, delay, x.t_done, x.t_done - delay, x.stamp - delay, x.stamp, x.t_last,
             x.r1);
    c -= p.a_minus * kminus(x.stamp - delay - kminus_base, target);
    const auto stored = static_cast<Weight>(w);
    weight(k) = stored;
    eligibility(k) = static_cast<Weight>(c);
    return static_cast<double>(stored);
  }
  KOKKOS_INLINE_FUNCTION void after_spike(std::uint64_t row, const Spike& x) const {
    rows.r1(row) = (x.t_last > 0 ? x.r1 * decay_plus(x.stamp - x.t_last) : 0.0) + 1.0;
    rows.t_last(row) = x.stamp;
    rows.t_done(row) = x.stamp;
  }
  KOKKOS_INLINE_FUNCTION void catch_up(std::uint64_t k, std::uint32_t target, int delay,
                                       std::uint64_t row, std::int64_t cut) const {
    double w = weight(k);
    double c = eligibility(k);
    const std::int64_t t_done = rows.t_done(row);
    catch_up(w, c, target, delay, t_done, t_done - delay, cut - delay, cut, rows.t_last(row),
             rows.r1(row));
    weight(k) = static_cast<Weight>(w);
    eligibility(k) = static_cast<Weight>(c);
  }
};

}  // namespace spikeweave::kernels
