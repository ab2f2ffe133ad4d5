#pragma once
// Brute-force reference for the calcium rule (Graupner & Brunel 2012) on one synapse: the
// calcium is an explicit sum over all spikes, threshold crossings are found by bisection, and
// rho is integrated with tiny RK4 steps on each piece of constant drive.
#include <algorithm>
#include <cmath>
#include <vector>

#include "plasticity/stdp_reference.hpp"

namespace spikeweave::test {

struct CalciumReferenceParams {
  double tau_ca_ms = 20, c_pre = 1, c_post = 2, pre_delay_ms = 13.7;
  double theta_d = 1, theta_p = 1.3, gamma_d = 200, gamma_p = 321.808;
  double tau_rho_ms = 150000, rho_star = 0.5;
  bool bistable = true;
};

// rho after the last presynaptic spike, starting from rho0 at time 0.
inline double reference_calcium_rho(const CalciumReferenceParams& p, double rho0, double delay_ms,
                                    const std::vector<double>& pre,
                                    const std::vector<double>& post) {
  if (pre.empty()) return rho0;
  std::vector<double> influx;  // (time) of every calcium jump and its size
  std::vector<double> size;
  for (double t : pre) {
    influx.push_back(t + p.pre_delay_ms);
    size.push_back(p.c_pre);
  }
  for (double t : post) {
    influx.push_back(t + delay_ms);
    size.push_back(p.c_post);
  }
  // Calcium at t from the jumps at or before `since` (inside a piece: no jump at its end).
  auto calcium = [&](double t, double since) {
    double c = 0;
    for (std::size_t k = 0; k < influx.size(); ++k) {
      if (influx[k] <= since + kTimeEps) c += size[k] * std::exp(-(t - influx[k]) / p.tau_ca_ms);
    }
    return c;
  };
  auto rhs = [&](double r, bool potentiate, bool depress) {
    const double cubic = p.bistable ? -r * (1 - r) * (p.rho_star - r) : 0.0;
    return (cubic + (potentiate ? p.gamma_p * (1 - r) : 0.0) - (depress ? p.gamma_d * r : 0.0)) /
           p.tau_rho_ms;
  };
  auto integrate = [&](double r, double length, bool potentiate, bool depress) {
    if (length <= 0) return r;
    const int steps = std::max(1, static_cast<int>(std::ceil(length / 0.01)));
    const double h = length / steps;
    for (int s = 0; s < steps; ++s) {
      const double k1 = rhs(r, potentiate, depress), k2 = rhs(r + h / 2 * k1, potentiate, depress);
      const double k3 = rhs(r + h / 2 * k2, potentiate, depress),
                   k4 = rhs(r + h * k3, potentiate, depress);
      r += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
    }
    return r;
  };
  // The time in [a, b] where the (decreasing) calcium falls to theta, by bisection.
  auto crossing = [&](double a, double b, double theta) {
    const double start = a;
    if (calcium(a, start) <= theta) return a;
    if (calcium(b, start) > theta) return b;
    for (int i = 0; i < 200; ++i) {
      const double m = 0.5 * (a + b);
      (calcium(m, start) > theta ? a : b) = m;
    }
    return 0.5 * (a + b);
  };
  std::vector<double> events = influx;
  events.push_back(0.0);
  std::sort(events.begin(), events.end());
  const double end = pre.back();
  double r = rho0;
  for (std::size_t k = 0; k < events.size() && events[k] < end - kTimeEps; ++k) {
    const double a = events[k];
    const double b = std::min(k + 1 < events.size() ? events[k + 1] : end, end);
    if (b <= a + kTimeEps) continue;
    const double t_p = crossing(a, b, p.theta_p);
    const double t_d = crossing(a, b, p.theta_d);
    r = integrate(r, t_p - a, true, true);
    r = integrate(r, t_d - t_p, false, true);
    r = integrate(r, b - t_d, false, false);
  }
  return r;
}

}  // namespace spikeweave::test
