#pragma once
// Calcium-based plasticity (Graupner & Brunel 2012, PNAS 109:3991). Each synapse has an efficacy
// rho in [0, 1] and sees a calcium concentration c(t) = c_pre(t) + c_post(t): every presynaptic
// spike adds c_pre_amp after the delay D (the NMDA-mediated influx), every postsynaptic spike seen
// by the synapse adds c_post_amp, and c decays with tau_ca. The efficacy follows
//   tau drho/dt = -rho (1 - rho)(rho* - rho) + gamma_p (1 - rho) [c > theta_p] - gamma_d rho [c >
//   theta_d]
// and the weight is w_min + rho (w_max - w_min). Between calcium events c is one exponential, so
// the times it crosses the thresholds are exact; on each piece with fixed drive rho is integrated
// with RK4 steps small against the piece's rate (h rate <= 0.005), which is exact to far below
// the weights' own precision.
#include "kernels/decay_table.hpp"
#include "kernels/deliver.hpp"
#include "kernels/dopamine_deliver.hpp"
#include "kernels/plastic_deliver.hpp"
#include "kernels/post_history.hpp"

namespace spikeweave::kernels {

struct CalciumParams {
  double tau_ca_ms = 20.0, c_pre = 1.0, c_post = 2.0;
  double theta_d = 1.0, theta_p = 1.3, gamma_d = 200.0, gamma_p = 321.808;
  double tau_rho_ms = 150000.0, rho_star = 0.5;
  bool bistable = true;
  double w_min = 0.0, w_max = 1.0;
  double dt_ms = 0.1;
  int pre_delay_steps = 137;  // D
};

// Per-row presynaptic calcium: the last kPending spike stamps (their influx at stamp + D may
// still lie ahead) and the summed contribution of older spikes at a reference time.
inline constexpr int kCalciumPending = 8;

template <class Weight>
struct CalciumSynapses {
  DeviceSynapses syn;
  View<Weight*> weight;  // the efficacy rho in [0, 1] (named weight for the shared plastic code)
  StdpRowState rows;     // t_last, t_done
  Kokkos::View<std::int64_t* [kCalciumPending], Kokkos::LayoutRight, MemSpace> pending;  // stamps
  View<std::uint32_t*> pending_count;  // pre spikes so far (ring position = count mod kPending)
  View<double*> old_calcium;           // c_pre of evicted spikes at old_time
  View<std::int64_t*> old_time;
  View<int*> overflow;
  PostHistory post;
  int channel = 0;  // post trace channel with tau_ca
  CalciumParams p;
  DecayTable decay;  // exp(-k dt / tau_ca)
  // Dopamine modulation of potentiation (optional): gamma_p * (1 + dopamine_gain * n(t) tau_n),
  // n the dopamine concentration of a designated population (as in stdp_dopamine).
  DopamineSignal dopamine;
  double dopamine_gain = 0.0;
  double tau_n_ms = 200.0;
  // false: plasticity switched off between runs (the Python module): rho holds while the calcium
  // traces go on (they depend on the spikes alone).
  bool learning = true;
  View<double**> kminus;  // unused (shared plastic code)
  std::int64_t kminus_base = 0;

  KOKKOS_INLINE_FUNCTION double weight_of(double r) const {
    return p.w_min + r * (p.w_max - p.w_min);
  }

  // Presynaptic calcium of `row` at time t (steps), influx at stamp + D included when <= t.
  KOKKOS_INLINE_FUNCTION double pre_calcium(std::uint64_t row, std::int64_t t) const {
    double c = 0.0;
    const std::int64_t t_old = old_time(row);
    if (t_old > 0 && t >= t_old) c += old_calcium(row) * decay(t - t_old);
    const std::uint32_t n = pending_count(row);
    const int kept = n < kCalciumPending ? static_cast<int>(n) : kCalciumPending;
    for (int j = 0; j < kept; ++j) {
      const std::int64_t influx =
          pending(row, static_cast<int>((n - 1 - j) % kCalciumPending)) + p.pre_delay_steps;
      if (influx <= t) c += p.c_pre * decay(t - influx);
    }
    return c;
  }

  // Postsynaptic calcium of `target` at time t: spikes seen (stamp + delay) at or before t.
  KOKKOS_INLINE_FUNCTION double post_calcium(std::uint32_t target, int delay,
                                             std::int64_t t) const {
    const std::uint64_t n = post.spikes(target);
    const int k = post.newest_before(target, n, t - delay + 1);
    return k < 0 ? 0.0
                 : p.c_post * post.recent_trace(channel, target, n, k) *
                       decay(t - delay - post.recent_stamp(target, n, k));
  }

  // The next calcium event (pre influx or post spike seen) after time t, or `limit`.
  KOKKOS_INLINE_FUNCTION std::int64_t next_event(std::uint64_t row, std::uint32_t target, int delay,
                                                 std::int64_t t, std::int64_t limit) const {
    std::int64_t next = limit;
    const std::uint32_t n = pending_count(row);
    const int kept = n < kCalciumPending ? static_cast<int>(n) : kCalciumPending;
    for (int j = 0; j < kept; ++j) {
      const std::int64_t influx =
          pending(row, static_cast<int>((n - 1 - j) % kCalciumPending)) + p.pre_delay_steps;
      if (influx > t && influx < next) next = influx;
    }
    if (dopamine_gain != 0.0) {
      const int j = dopamine.last_at_or_before(t) + 1;
      if (j < dopamine.count && dopamine.stamp(j) < next) next = dopamine.stamp(j);
    }
    const std::uint64_t m = post.spikes(target);
    const int newer = post.count_after(target, m, t - delay);
    if (newer > 0) {
      const std::int64_t seen = post.recent_stamp(target, m, newer - 1) + delay;
      if (seen < next) next = seen;
    }
    return next;
  }

  // rho over `length_ms` with fixed drive (potentiation and depression terms on or off);
  // `modulation` = dopamine_gain * n tau_n at the start, decaying with tau_n.
  KOKKOS_INLINE_FUNCTION double integrate(double r, double length_ms, bool potentiate, bool depress,
                                          double modulation) const {
    if (length_ms <= 0.0) return r;
    const double gd = depress ? p.gamma_d : 0.0;
    const double gp0 = potentiate ? p.gamma_p : 0.0;
    if (!p.bistable && gp0 == 0.0 && gd == 0.0) return r;
    const double rate = (gp0 * (1.0 + modulation) + gd + (p.bistable ? 0.25 : 0.0)) / p.tau_rho_ms;
    double h_max = 0.005 / rate;
    if (h_max > 10.0) h_max = 10.0;
    const int steps = static_cast<int>(::ceil(length_ms / h_max));
    const double h = length_ms / steps;
    auto f = [&](double x, double t) {
      const double cubic = p.bistable ? -x * (1.0 - x) * (p.rho_star - x) : 0.0;
      const double gp = modulation != 0.0 ? gp0 * (1.0 + modulation * ::exp(-t / tau_n_ms)) : gp0;
      return (cubic + gp * (1.0 - x) - gd * x) / p.tau_rho_ms;
    };
    for (int s = 0; s < steps; ++s) {
      const double t = s * h;
      const double k1 = f(r, t), k2 = f(r + 0.5 * h * k1, t + 0.5 * h);
      const double k3 = f(r + 0.5 * h * k2, t + 0.5 * h), k4 = f(r + h * k3, t + h);
      r += h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
    }
    return r;
  }

  // Advances rho of one synapse from a to b (steps).
  KOKKOS_INLINE_FUNCTION double advance(double r, std::uint64_t row, std::uint32_t target,
                                        int delay, std::int64_t a, std::int64_t b) const {
    if (!learning) return r;
    std::int64_t s = a;
    while (s < b) {
      const std::int64_t e = next_event(row, target, delay, s, b);
      const double amplitude = pre_calcium(row, s) + post_calcium(target, delay, s);
      const double length = static_cast<double>(e - s) * p.dt_ms;
      // c(t) = amplitude exp(-(t - s)/tau_ca) on [s, e): it stays above theta for tau ln(A/theta).
      const double above_p =
          amplitude > p.theta_p ? p.tau_ca_ms * ::log(amplitude / p.theta_p) : 0.0;
      const double above_d =
          amplitude > p.theta_d ? p.tau_ca_ms * ::log(amplitude / p.theta_d) : 0.0;
      const double t_p = above_p < length ? above_p : length;
      const double t_d = above_d < length ? above_d : length;
      double modulation = 0.0;
      if (dopamine_gain != 0.0) {
        const int j = dopamine.last_at_or_before(s);
        if (j >= 0)
          modulation = dopamine_gain * tau_n_ms * dopamine.n_after(j) *
                       dopamine.decay_n(s - dopamine.stamp(j));
      }
      r = integrate(r, t_p, true, true, modulation);
      r = integrate(r, t_d - t_p, false, true, 0.0);
      r = integrate(r, length - t_d, false, false, 0.0);
      s = e;
    }
    return r;
  }

  // The shared plastic kernels' interface (plastic_deliver.hpp).
  struct Spike {
    std::int64_t stamp, t_done;
  };
  KOKKOS_INLINE_FUNCTION Spike at_spike(std::uint64_t row, std::int64_t stamp) const {
    return Spike{stamp, rows.t_done(row)};
  }
  KOKKOS_INLINE_FUNCTION double update(std::uint64_t k, std::uint32_t target, int delay,
                                       std::uint64_t row, const Spike& x) const {
    const auto stored = static_cast<Weight>(
        advance(static_cast<double>(weight(k)), row, target, delay, x.t_done, x.stamp));
    weight(k) = stored;
    return weight_of(static_cast<double>(stored));
  }
  // Records the spike; a spike leaving the ring must have had its influx already.
  KOKKOS_INLINE_FUNCTION void after_spike(std::uint64_t row, const Spike& x) const {
    const std::uint32_t n = pending_count(row);
    const int slot = static_cast<int>(n % kCalciumPending);
    if (n >= static_cast<std::uint32_t>(kCalciumPending)) {
      const std::int64_t influx = pending(row, slot) + p.pre_delay_steps;
      if (influx > x.stamp) overflow(0) = 1;
      const std::int64_t t_old = old_time(row);
      old_calcium(row) = (t_old > 0 ? old_calcium(row) * decay(influx - t_old) : 0.0) + p.c_pre;
      old_time(row) = influx;
    }
    pending(row, slot) = x.stamp;
    pending_count(row) = n + 1;
    rows.t_last(row) = x.stamp;
    rows.t_done(row) = x.stamp;
  }
  KOKKOS_INLINE_FUNCTION void catch_up(std::uint64_t k, std::uint32_t target, int delay,
                                       std::uint64_t row, std::int64_t cut) const {
    weight(k) = static_cast<Weight>(
        advance(static_cast<double>(weight(k)), row, target, delay, rows.t_done(row), cut));
  }
};

}  // namespace spikeweave::kernels
