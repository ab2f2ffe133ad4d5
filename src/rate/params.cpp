#include "rate/params.hpp"

#include "rate/padding.hpp"

#include <cmath>
#include <sstream>

#include "core/errors.hpp"

namespace spikeweave::rate {

std::string nonlinearity_name(Nonlinearity phi) {
  switch (phi) {
    case Nonlinearity::kRelu:
      return "relu";
    case Nonlinearity::kSigmoid:
      return "sigmoid";
    default:
      return "tanh";
  }
}

Nonlinearity parse_nonlinearity(const std::string& name, const std::string& key) {
  if (name == "tanh") return Nonlinearity::kTanh;
  if (name == "relu") return Nonlinearity::kRelu;
  if (name == "sigmoid") return Nonlinearity::kSigmoid;
  throw ConfigError(key, "unknown nonlinearity '" + name + "' (expected tanh, relu or sigmoid)");
}

namespace {
std::string str(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}
}  // namespace

void validate(const Dynamics& d, const std::string& where) {
  if (d.neurons < 1) throw ConfigError(where + ".neurons", "expected at least 1 neuron");
  if (d.neurons > 1 << 20)
    throw ConfigError(where + ".neurons", "at most 2^20 neurons per network");
  if (d.trials < 1) throw ConfigError(where + ".trials", "expected at least 1 trial");
  if (d.steps < 1) throw ConfigError(where + ".steps", "expected at least 1 step");
  if (!(d.dt_ms > 0.0) || !std::isfinite(d.dt_ms)) {
    throw ConfigError(where + ".dt_ms", "expected a positive time step, got " + str(d.dt_ms));
  }
  // The noise counter's last word numbers the 8-block groups of all steps of one trial.
  const double groups = static_cast<double>(padded(d.neurons) / kPad) * 8.0 * d.steps;
  if (groups >= 4294967296.0) {
    throw ConfigError(where + ".steps",
                      "steps x neurons is too large for one noise stream (< 1.7e10)");
  }
}

void validate(const NetworkParams& p, const Dynamics& d, const std::string& where) {
  auto fail = [&](const std::string& key, const std::string& what) {
    throw ConfigError(where.empty() ? key : where + ": " + key, what);
  };
  if (!(p.gain >= 0.0) || !std::isfinite(p.gain))
    fail("gain", "expected a gain >= 0, got " + str(p.gain));
  if (!(p.sparsity > 0.0 && p.sparsity <= 1.0)) {
    fail("sparsity", "expected a connection probability in (0, 1], got " + str(p.sparsity));
  }
  if (p.dale) {
    if (!(p.excitatory_fraction >= 0.0 && p.excitatory_fraction <= 1.0)) {
      fail("dale", "expected an excitatory fraction in [0, 1], got " + str(p.excitatory_fraction));
    }
    const int n_exc = excitatory_count(p, d.neurons);
    if (p.balanced && (n_exc == 0 || n_exc == d.neurons)) {
      fail("balanced",
           "a balanced Dale network needs both excitatory and inhibitory neurons (f_E = " +
               str(p.excitatory_fraction) + ", N = " + std::to_string(d.neurons) + ")");
    }
  }
  if (!(p.noise >= 0.0) || !std::isfinite(p.noise))
    fail("noise", "expected sigma >= 0, got " + str(p.noise));
  if (!std::isfinite(p.input_mean)) fail("input_mean", "expected a finite number");
  if (!(p.input_std >= 0.0) || !std::isfinite(p.input_std))
    fail("input_std", "expected >= 0, got " + str(p.input_std));
  if (!(p.h0_std >= 0.0) || !std::isfinite(p.h0_std))
    fail("h0_std", "expected >= 0, got " + str(p.h0_std));
  if (!(p.tau_ms > 0.0) || !std::isfinite(p.tau_ms))
    fail("tau_ms", "expected tau > 0, got " + str(p.tau_ms));
  if (d.dt_ms > p.tau_ms) {
    fail("tau_ms", "Euler integration needs dt_ms <= tau_ms (dt_ms " + str(d.dt_ms) + ", tau_ms " +
                       str(p.tau_ms) + ")");
  }
}

int excitatory_count(const NetworkParams& p, int neurons) {
  return static_cast<int>(std::lround(p.excitatory_fraction * neurons));
}

Coefficients coefficients(const NetworkParams& p, const Dynamics& d) {
  Coefficients c;
  c.a = d.dt_ms / p.tau_ms;
  c.noise_scale = std::sqrt(d.dt_ms) * p.noise;
  c.sparsity = p.sparsity;
  c.input_mean = p.input_mean;
  c.input_std = p.input_std;
  c.h0_std = p.h0_std;
  const double n = d.neurons;
  if (!p.dale) {
    // W[i][j] = z g / sqrt(p N) where connected: E[W^2] = g^2 / N.
    c.scale_exc = c.scale_inh = p.gain / std::sqrt(p.sparsity * n);
    c.n_exc = d.neurons;
    return c;
  }
  c.dale = 1;
  c.n_exc = excitatory_count(p, d.neurons);
  const double n_inh = n - c.n_exc;
  // Magnitudes |z| c_j with c_I = kappa c_E; kappa = n_E / n_I balances the expected row sum.
  const double kappa = p.balanced ? static_cast<double>(c.n_exc) / n_inh : 1.0;
  // Second moment averaged over columns: p (n_E c_E^2 + n_I c_I^2) / N = g^2 / N.
  c.scale_exc = p.gain / std::sqrt(p.sparsity * (c.n_exc + n_inh * kappa * kappa));
  c.scale_inh = kappa * c.scale_exc;
  return c;
}

}  // namespace spikeweave::rate
