#include "theory/psp.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace spikeweave::validation {

double exp_psc_psp_mv(double t_ms, double w_pa, const MembraneParams& p) {
  if (t_ms <= 0.0) return 0.0;
  const double c = 1.0 / p.tau_syn_ms - 1.0 / p.tau_m_ms;
  const double x = c * t_ms;
  // (e^{-t/tau_m} - e^{-t/tau_s}) / c = e^{-t/tau_m} t (1 - e^{-x}) / x; the ratio tends to 1.
  const double ratio = std::fabs(x) < 1e-8 ? 1.0 - 0.5 * x : -std::expm1(-x) / x;
  return w_pa / p.c_m_pf * std::exp(-t_ms / p.tau_m_ms) * t_ms * ratio;
}

double alpha_psc_psp_mv(double t_ms, double w_pa, const MembraneParams& p) {
  if (t_ms <= 0.0) return 0.0;
  const double a = 1.0 / p.tau_syn_ms - 1.0 / p.tau_m_ms;
  const double x = a * t_ms;
  // (1 - e^{-x}(1 + x)) / a^2 = t^2 g(x), g(x) = (1 - e^{-x}(1 + x)) / x^2 -> 1/2 - x/3 + x^2/8.
  const double g = std::fabs(x) < 1e-4 ? 0.5 - x / 3.0 + x * x / 8.0
                                       : (-std::expm1(-x) - x * std::exp(-x)) / (x * x);
  return w_pa * std::exp(1.0) / (p.tau_syn_ms * p.c_m_pf) * std::exp(-t_ms / p.tau_m_ms) * t_ms *
         t_ms * g;
}

double exp_psc_peak_time_ms(const MembraneParams& p) {
  return std::log(p.tau_m_ms / p.tau_syn_ms) / (1.0 / p.tau_syn_ms - 1.0 / p.tau_m_ms);
}

double exp_psc_peak_mv(double w_pa, const MembraneParams& p) {
  const double tm = p.tau_m_ms, ts = p.tau_syn_ms;
  const double f = std::pow(tm / ts, 1.0 / (ts - tm));
  return w_pa * tm * ts / (p.c_m_pf * (ts - tm)) * (std::pow(f, tm) - std::pow(f, ts));
}

double lambert_w_minus1(double x) {
  const double branch_point = -std::exp(-1.0);
  if (!(x >= branch_point && x < 0.0)) throw std::invalid_argument("W_-1 needs x in [-1/e, 0)");
  // Start from the series near the branch point or the asymptotic log form, then Halley steps on
  // w e^w - x = 0.
  double w;
  if (x < -0.25) {
    const double q = std::sqrt(2.0 * (1.0 + std::exp(1.0) * x));
    w = -1.0 - q - q * q / 3.0;
  } else {
    const double l1 = std::log(-x), l2 = std::log(-l1);
    w = l1 - l2 + l2 / l1;
  }
  for (int i = 0; i < 50; ++i) {
    const double e = std::exp(w);
    const double f = w * e - x;
    const double step = f / (e * (w + 1.0) - (w + 2.0) * f / (2.0 * w + 2.0));
    w -= step;
    if (std::fabs(step) <= 4.0 * std::numeric_limits<double>::epsilon() * std::fabs(w)) break;
  }
  return w;
}

double alpha_psc_peak_time_ms(const MembraneParams& p) {
  const double a = p.tau_m_ms / p.tau_syn_ms;
  const double b = 1.0 / p.tau_syn_ms - 1.0 / p.tau_m_ms;
  return (-lambert_w_minus1(-std::exp(-1.0 / a) / a) - 1.0 / a) / b;
}

double alpha_psc_peak_mv(double w_pa, const MembraneParams& p) {
  const double b = 1.0 / p.tau_syn_ms - 1.0 / p.tau_m_ms;
  const double t = alpha_psc_peak_time_ms(p);
  const double v_unit = std::exp(1.0) / (p.tau_syn_ms * p.c_m_pf * b) *
                        ((std::exp(-t / p.tau_m_ms) - std::exp(-t / p.tau_syn_ms)) / b -
                         t * std::exp(-t / p.tau_syn_ms));
  return w_pa * v_unit;
}

double dc_isi_ms(double i_pa, double tau_m_ms, double c_m_pf, double v_reset_rel_mv,
                 double v_th_rel_mv, double t_ref_ms) {
  const double drive_mv = tau_m_ms / c_m_pf * i_pa;  // R I
  if (drive_mv <= v_th_rel_mv) return std::numeric_limits<double>::infinity();
  return t_ref_ms + tau_m_ms * std::log((drive_mv - v_reset_rel_mv) / (drive_mv - v_th_rel_mv));
}

double golden_section_max(const std::function<double(double)>& f, double a, double b) {
  const double ratio = 0.5 * (std::sqrt(5.0) - 1.0);
  double c = b - ratio * (b - a), d = a + ratio * (b - a);
  double fc = f(c), fd = f(d);
  // Beyond ~1e-9 relative width the comparisons only see rounding; the value is then exact.
  while (b - a > 1e-10 * std::fabs(b)) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = f(d);
    }
  }
  return f(0.5 * (a + b));
}

}  // namespace spikeweave::validation
