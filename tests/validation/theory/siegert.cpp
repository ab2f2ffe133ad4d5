#include "theory/siegert.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "theory/quadrature.hpp"

namespace spikeweave::validation {
namespace {

constexpr double kSqrtPi = 1.7724538509055160273;
constexpr double kPi = 3.14159265358979323846;

// Relative accuracy asked of the quadratures; far below any tolerance of the tests.
constexpr double kRelTol = 1e-11;

// e^{x^2} erfc(x) for x >= 0.
double erfcx_nonnegative(double x) {
  if (x < 25.0) return std::exp(x * x) * std::erfc(x);
  // Asymptotic series 1/(x sqrt(pi)) sum_n (-1)^n (2n-1)!! / (2x^2)^n; at x >= 25 the terms fall
  // by a factor of at least 1250 / (2n+1), so eight terms are exact to double precision.
  const double inv_2x2 = 1.0 / (2.0 * x * x);
  double term = 1.0, sum = 1.0;
  for (int n = 1; n <= 8; ++n) {
    term *= -(2.0 * n - 1.0) * inv_2x2;
    sum += term;
  }
  return sum / (x * kSqrtPi);
}

struct Bounds {
  double y_reset;  // (V_r - mu) / sigma
  double y_th;     // (theta - mu) / sigma
  double scale;    // s = max(y_th, 0)^2: integrands are evaluated times e^{-s}
};

Bounds bounds(const LifDiffusionParams& p, double mu_mv, double sigma_mv) {
  if (!(p.v_reset_mv < p.v_th_mv) || !(p.tau_m_ms > 0.0) || !(p.t_ref_ms >= 0.0)) {
    throw std::invalid_argument("siegert: need v_reset < v_th, tau_m > 0, t_ref >= 0");
  }
  Bounds b;
  b.y_reset = (p.v_reset_mv - mu_mv) / sigma_mv;
  b.y_th = (p.v_th_mv - mu_mv) / sigma_mv;
  b.scale = b.y_th > 0.0 ? b.y_th * b.y_th : 0.0;
  return b;
}

// e^{-s} e^{u^2} (1 + erf u) for u <= y_th, without overflow (u^2 - s <= 0 where u > 0).
double scaled_siegert_integrand(double u, double s) {
  if (u <= 0.0) return std::exp(-s) * erfcx_nonnegative(-u);
  return std::exp(u * u - s) * (2.0 - std::erfc(u));
}

// J = e^{-s} int_{y_r}^{y_th} e^{u^2}(1 + erf u) du.
double scaled_siegert_integral(const Bounds& b) {
  const double s = b.scale;
  return integrate([s](double u) { return scaled_siegert_integrand(u, s); }, b.y_reset, b.y_th,
                   kRelTol);
}

}  // namespace

double erfcx(double x) {
  if (x >= 0.0) return erfcx_nonnegative(x);
  return 2.0 * std::exp(x * x) - erfcx_nonnegative(-x);
}

double deterministic_rate_hz(const LifDiffusionParams& p, double mu_mv) {
  if (mu_mv <= p.v_th_mv) return 0.0;
  const double period_ms =
      p.t_ref_ms + p.tau_m_ms * std::log((mu_mv - p.v_reset_mv) / (mu_mv - p.v_th_mv));
  return 1000.0 / period_ms;
}

double siegert_log_rate_hz(const LifDiffusionParams& p, double mu_mv, double sigma_mv) {
  if (!(sigma_mv >= 0.0)) throw std::invalid_argument("siegert: sigma must be >= 0");
  if (sigma_mv == 0.0) return std::log(deterministic_rate_hz(p, mu_mv));
  const Bounds b = bounds(p, mu_mv, sigma_mv);
  const double j = scaled_siegert_integral(b);
  // Mean first-passage time tau sqrt(pi) e^{s} J, in logarithms so that it may exceed 1e308 ms.
  const double log_passage_ms = b.scale + std::log(p.tau_m_ms * kSqrtPi * j);
  const double log_period_ms = log_passage_ms > 700.0
                                   ? log_passage_ms  // t_ref is negligible beside e^{700} ms
                                   : std::log(p.t_ref_ms + std::exp(log_passage_ms));
  return std::log(1000.0) - log_period_ms;
}

double siegert_rate_hz(const LifDiffusionParams& p, double mu_mv, double sigma_mv) {
  if (!(sigma_mv >= 0.0)) throw std::invalid_argument("siegert: sigma must be >= 0");
  if (sigma_mv == 0.0) return deterministic_rate_hz(p, mu_mv);
  return std::exp(siegert_log_rate_hz(p, mu_mv, sigma_mv));
}

double siegert_cv(const LifDiffusionParams& p, double mu_mv, double sigma_mv) {
  if (!(sigma_mv > 0.0)) throw std::invalid_argument("siegert_cv: sigma must be > 0");
  const Bounds b = bounds(p, mu_mv, sigma_mv);
  const double s = b.scale;
  // Scaled double integrand e^{x^2 + y^2 - 2s} (1 + erf y)^2, y <= x <= y_th, written so that no
  // factor overflows: for y >= 0 both x^2 - s and y^2 - s are <= 0; for y < 0,
  // (1 + erf y) = erfcx(-y) e^{-y^2} and x^2 - y^2 - 2s <= 0.
  auto inner = [s](double x) {
    auto term = [x, s](double y) {
      if (y >= 0.0) {
        const double c = std::erfc(-y);
        return std::exp(x * x - s) * std::exp(y * y - s) * c * c;
      }
      const double c = erfcx_nonnegative(-y);
      return std::exp(x * x - y * y - 2.0 * s) * c * c;
    };
    // Below y = -(|x| + 8) the integrand is below e^{-64} of its value near y = -|x|.
    const double lower = -(std::fabs(x) + 8.0);
    return integrate(term, lower, x, kRelTol);
  };
  const double k = integrate(inner, b.y_reset, b.y_th, kRelTol);
  const double j = scaled_siegert_integral(b);
  // nu tau_m e^{s} = 1 / (t_ref e^{-s} / tau_m + sqrt(pi) J).
  const double nu_tau_scaled = 1.0 / (p.t_ref_ms * std::exp(-s) / p.tau_m_ms + kSqrtPi * j);
  return std::sqrt(2.0 * kPi * k) * nu_tau_scaled;
}

Moments diffusion_moments(double tau_m_ms, const std::vector<PoissonDrive>& inputs) {
  const double tau_s = tau_m_ms * 1e-3;
  double mean = 0.0, variance = 0.0;
  for (const PoissonDrive& in : inputs) {
    mean += tau_s * in.weight_mv * in.rate_hz;
    variance += tau_s * in.weight_mv * in.weight_mv * in.rate_hz;
  }
  return {mean, std::sqrt(variance)};
}

Moments network_moments(const HomogeneousNetwork& net, double rate_hz) {
  std::vector<PoissonDrive> inputs = net.external;
  for (const RecurrentInput& r : net.recurrent) {
    inputs.push_back({r.indegree * rate_hz, r.weight_mv});
  }
  return diffusion_moments(net.neuron.tau_m_ms, inputs);
}

SelfConsistentState self_consistent_rate(const HomogeneousNetwork& net) {
  auto excess = [&net](double rate_hz) {
    const Moments m = network_moments(net, rate_hz);
    return siegert_rate_hz(net.neuron, m.mu_mv, m.sigma_mv) - rate_hz;
  };
  // excess(0) >= 0 and excess(1/t_ref) < 0 (the output rate never exceeds 1/t_ref).
  double low = 0.0;
  double high = net.neuron.t_ref_ms > 0.0 ? 1000.0 / net.neuron.t_ref_ms : 1e4;
  if (excess(low) <= 0.0)
    return {0.0, network_moments(net, 0.0).mu_mv, network_moments(net, 0.0).sigma_mv};
  for (int i = 0; i < 200 && high - low > 1e-12 * std::max(1.0, high); ++i) {
    const double mid = 0.5 * (low + high);
    (excess(mid) > 0.0 ? low : high) = mid;
  }
  const double rate = 0.5 * (low + high);
  const Moments m = network_moments(net, rate);
  return {rate, m.mu_mv, m.sigma_mv};
}

HomogeneousNetwork brunel_model_a(double g, double eta) {
  HomogeneousNetwork net;
  net.neuron = LifDiffusionParams{20.0, 2.0, 20.0, 10.0};
  const double j_mv = 0.1, c_e = 1000.0, c_i = 250.0;
  // nu_thr = theta / (J CE tau_m): the external rate per synapse that brings mu to threshold.
  const double nu_thr_hz = net.neuron.v_th_mv / (j_mv * c_e * net.neuron.tau_m_ms * 1e-3);
  net.recurrent = {{c_e, j_mv}, {c_i, -g * j_mv}};
  net.external = {{c_e * eta * nu_thr_hz, j_mv}};
  return net;
}

}  // namespace spikeweave::validation
