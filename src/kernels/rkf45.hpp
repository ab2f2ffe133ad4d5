#pragma once
// An embedded Runge-Kutta-Fehlberg 4(5) integrator with per-neuron step-size control, for the
// models that NEST integrates with GSL's rkf45 (aeif_cond_exp, hh_psc_alpha). It runs inside an
// update kernel for one neuron: the state is a fixed-size array, the work per step is bounded by
// a budget of trial steps, and failures are returned as a status (kernels never throw).
//
// Scheme (the facts of GSL's gsl_odeiv_evolve_apply with gsl_odeiv_control_yp_new, which NEST
// uses; the code is SpikeWeave's own):
//   * a trial step of size h (clipped to the rest of the simulation step) gives the fifth-order
//     solution y5 (propagated) and the error estimate e = y5 - y4;
//   * the error ratio is r = max_i |e_i| / (tol_abs + tol_dydt h |y'_i(y5)|) (NEST's
//     aeif models: gsl_odeiv_control_yp_new(tol, tol), i.e. both tol; hh_psc_alpha:
//     gsl_odeiv_control_y_new(1e-3, 0), i.e. tol_abs 1e-3 and tol_dydt 0);
//   * r > 1.1: the step is rejected and retried with h * max(0.9 r^(-1/5), 0.2), unless that
//     would not shrink it or would not advance t by at least one ulp (then it is accepted);
//     r < 0.5: accepted, the next h is h * min(max(0.9 r^(-1/6), 1), 5); otherwise accepted
//     with the same h;
//   * the step size is kept across simulation steps (a per-neuron state variable); the last
//     sub-step of a simulation step, clipped to its end, does not change it;
//   * after each accepted sub-step the model's event handler runs (spike detection and reset
//     happen inside the simulation step, as in NEST).
#include <Kokkos_Core.hpp>
#include <cmath>

namespace spikeweave::kernels {

// What rkf45_advance reports (the models add their own codes above kOdeModelStatus).
enum OdeStatus : int {
  kOdeOk = 0,
  kOdeBudgetExceeded = 1,  // more trial steps than the budget in one simulation step
  kOdeNonFinite = 2,       // the state became NaN or infinite
  kOdeModelStatus = 3,     // first code a model's event handler may return
};

// The error tolerance: absolute, and relative to the change h y' over a step.
struct OdeTolerance {
  double absolute = 1e-6;
  double derivative = 1e-6;
};

// The Fehlberg tableau: nodes, coupling coefficients, fifth-order weights and the differences
// between the fifth- and fourth-order weights (the error estimate).
struct Fehlberg {
  static constexpr double a21 = 1.0 / 4.0;
  static constexpr double a31 = 3.0 / 32.0, a32 = 9.0 / 32.0;
  static constexpr double a41 = 1932.0 / 2197.0, a42 = -7200.0 / 2197.0, a43 = 7296.0 / 2197.0;
  static constexpr double a51 = 439.0 / 216.0, a52 = -8.0, a53 = 3680.0 / 513.0,
                          a54 = -845.0 / 4104.0;
  static constexpr double a61 = -8.0 / 27.0, a62 = 2.0, a63 = -3544.0 / 2565.0,
                          a64 = 1859.0 / 4104.0, a65 = -11.0 / 40.0;
  static constexpr double b1 = 16.0 / 135.0, b3 = 6656.0 / 12825.0, b4 = 28561.0 / 56430.0,
                          b5 = -9.0 / 50.0, b6 = 2.0 / 55.0;
  static constexpr double e1 = 1.0 / 360.0, e3 = -128.0 / 4275.0, e4 = -2197.0 / 75240.0,
                          e5 = 1.0 / 50.0, e6 = 2.0 / 55.0;
};

// One trial step of size h from y with k1 = f(y) given. Writes the fifth-order solution to
// y_out and its derivative to dy_out, returns the error ratio (NaN if anything is not finite).
template <int N, class System>
KOKKOS_INLINE_FUNCTION double rkf45_trial(const System& sys, const double (&y)[N],
                                          const double (&k1)[N], double h, OdeTolerance tol,
                                          double (&y_out)[N], double (&dy_out)[N]) {
  using F = Fehlberg;
  double k2[N], k3[N], k4[N], k5[N], k6[N], tmp[N];
  for (int i = 0; i < N; ++i) tmp[i] = y[i] + h * F::a21 * k1[i];
  sys.rhs(tmp, k2);
  for (int i = 0; i < N; ++i) tmp[i] = y[i] + h * (F::a31 * k1[i] + F::a32 * k2[i]);
  sys.rhs(tmp, k3);
  for (int i = 0; i < N; ++i) {
    tmp[i] = y[i] + h * (F::a41 * k1[i] + F::a42 * k2[i] + F::a43 * k3[i]);
  }
  sys.rhs(tmp, k4);
  for (int i = 0; i < N; ++i) {
    tmp[i] = y[i] + h * (F::a51 * k1[i] + F::a52 * k2[i] + F::a53 * k3[i] + F::a54 * k4[i]);
  }
  sys.rhs(tmp, k5);
  for (int i = 0; i < N; ++i) {
    tmp[i] = y[i] + h * (F::a61 * k1[i] + F::a62 * k2[i] + F::a63 * k3[i] + F::a64 * k4[i] +
                         F::a65 * k5[i]);
  }
  sys.rhs(tmp, k6);
  for (int i = 0; i < N; ++i) {
    y_out[i] =
        y[i] + h * (F::b1 * k1[i] + F::b3 * k3[i] + F::b4 * k4[i] + F::b5 * k5[i] + F::b6 * k6[i]);
  }
  sys.rhs(y_out, dy_out);
  double ratio = 0.0;
  for (int i = 0; i < N; ++i) {
    const double err =
        h * (F::e1 * k1[i] + F::e3 * k3[i] + F::e4 * k4[i] + F::e5 * k5[i] + F::e6 * k6[i]);
    const double scale = tol.absolute + tol.derivative * ::fabs(h * dy_out[i]);
    const double r = ::fabs(err) / scale;
    // NaN compares false: it must win over any number.
    ratio = (r > ratio || r != r) ? r : ratio;
    if (ratio != ratio) break;
  }
  return ratio;
}

// Advances the system over one simulation step of length `span` [ms]. `h` is the neuron's
// current integration step (updated). System provides
//   void rhs(const double (&y)[N], double (&dy)[N]) const;   the right-hand side
//   int  event(double (&y)[N]);    after each accepted sub-step: may reset y and switch the
//                                  right-hand side (refractoriness); returns kOdeOk, or a
//                                  model status >= kOdeModelStatus to stop;
//   bool changed;                  set by event() when it modified y or the right-hand side
//                                  (then f(y) is evaluated afresh for the next sub-step).
// At most `budget` trial steps are taken. Returns an OdeStatus or the model's status.
template <int N, class System>
KOKKOS_INLINE_FUNCTION int rkf45_advance(System& sys, double (&y)[N], double& h, double span,
                                         OdeTolerance tol, int budget) {
  double k1[N], y_new[N], dy_new[N];
  sys.rhs(y, k1);
  double t = 0.0;
  int trials = 0;
  while (t < span) {
    if (++trials > budget) return kOdeBudgetExceeded;
    const double rest = span - t;
    const bool last = h >= rest;
    const double h_try = last ? rest : h;
    const double ratio = rkf45_trial<N>(sys, y, k1, h_try, tol, y_new, dy_new);
    double h_next = h_try;
    if (!(ratio <= 1.1)) {  // also NaN: shrink by the largest factor
      const double factor = ratio == ratio ? 0.9 * ::pow(ratio, -0.2) : 0.2;
      const double h_small = h_try * (factor < 0.2 ? 0.2 : factor);
      const double t_reached = last ? span : t + h_try;
      if (h_small < h_try && t_reached + h_small != t_reached) {
        h = h_small;
        continue;  // rejected: retry from the same y with the smaller step
      }
    } else if (ratio < 0.5) {
      // 0.9 r^(-1/6) >= 5 for r <= (0.9 / 5)^6 = 3.4e-5: the cap, without the pow.
      double factor = ratio <= 3.4e-5 ? 5.0 : 0.9 * ::pow(ratio, -1.0 / 6.0);
      factor = factor > 5.0 ? 5.0 : (factor < 1.0 ? 1.0 : factor);
      h_next = h_try * factor;
    }
    for (int i = 0; i < N; ++i) {
      if (y_new[i] - y_new[i] != 0.0) return kOdeNonFinite;  // NaN or infinite
      y[i] = y_new[i];
    }
    t = last ? span : t + h_try;
    // The last sub-step is clipped to the end of the simulation step: its size says nothing
    // about the dynamics, so it does not change the step size carried into the next step (GSL
    // suggests no new size after its final step; NEST relies on it).
    if (!last) h = h_next;
    sys.changed = false;
    const int status = sys.event(y);
    if (status != kOdeOk) return status;
    if (sys.changed) {
      sys.rhs(y, k1);
    } else {
      for (int i = 0; i < N; ++i) k1[i] = dy_new[i];
    }
  }
  return kOdeOk;
}

// The fixed-step alternative (a model's `integrator = "rk4"`): one classical Runge-Kutta step
// over the whole simulation step, then the model's event handler once (spikes at the step's end,
// as Brian2 and most GPU simulators do). Returns kOdeOk, kOdeNonFinite or the model's status.
template <int N, class System>
KOKKOS_INLINE_FUNCTION int rk4_advance(System& sys, double (&y)[N], double span) {
  double k1[N], k2[N], k3[N], k4[N], tmp[N];
  sys.rhs(y, k1);
  for (int i = 0; i < N; ++i) tmp[i] = y[i] + 0.5 * span * k1[i];
  sys.rhs(tmp, k2);
  for (int i = 0; i < N; ++i) tmp[i] = y[i] + 0.5 * span * k2[i];
  sys.rhs(tmp, k3);
  for (int i = 0; i < N; ++i) tmp[i] = y[i] + span * k3[i];
  sys.rhs(tmp, k4);
  for (int i = 0; i < N; ++i) {
    y[i] = y[i] + span / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
    if (y[i] - y[i] != 0.0) return kOdeNonFinite;
  }
  sys.changed = false;
  return sys.event(y);
}

}  // namespace spikeweave::kernels
