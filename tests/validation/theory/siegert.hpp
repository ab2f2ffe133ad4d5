#pragma once
// Diffusion-approximation theory of the leaky integrate-and-fire neuron, for validation tests:
// the Siegert first-passage rate, the CV of the interspike intervals, and the self-consistent
// rate of a homogeneous network (Brunel 2000, model A). Pure functions, standard library only.
//
// Conventions (Brunel 2000): tau_m dV/dt = -V + mu + sigma sqrt(tau_m) xi(t), voltages relative
// to the resting potential E_L, so the free membrane has mean mu and standard deviation
// sigma / sqrt(2). A Poisson train of rate r [Hz] and jump w [mV] contributes tau_m w r to mu
// and tau_m w^2 r to sigma^2 (tau_m in s).
#include <vector>

namespace spikeweave::validation {

// e^{x^2} erfc(x) for every real x, accurate where the product form under- or overflows
// (x > 25: asymptotic series; x < -26.6 overflows to +inf as the true value does).
double erfcx(double x);

// Threshold, reset and refractory period of a LIF neuron; voltages relative to E_L.
struct LifDiffusionParams {
  double tau_m_ms = 20.0;    // membrane time constant [ms]
  double t_ref_ms = 2.0;     // absolute refractory period [ms]
  double v_th_mv = 20.0;     // threshold - E_L [mV]
  double v_reset_mv = 10.0;  // reset - E_L [mV]
};

// Stationary firing rate [Hz] of a LIF neuron driven by white noise of mean mu [mV] and
// amplitude sigma [mV]:
//   1/nu = t_ref + tau_m sqrt(pi) int_{(V_r-mu)/sigma}^{(theta-mu)/sigma} e^{u^2}(1 + erf u) du.
// Robust from the mean-driven limit (sigma -> 0 gives the deterministic rate) to rates far below
// 1e-100 Hz (large (theta - mu)/sigma), where the integral is evaluated scaled by e^{-y_th^2}.
double siegert_rate_hz(const LifDiffusionParams& p, double mu_mv, double sigma_mv);

// ln(rate [Hz]) of the same formula, finite where the rate itself underflows a double
// (below about 1e-308 Hz); -inf for a deterministic neuron that never fires.
double siegert_log_rate_hz(const LifDiffusionParams& p, double mu_mv, double sigma_mv);

// Coefficient of variation of the interspike interval in the same model (Brunel 2000,
// appendix A; Tuckwell 1988):
//   CV^2 = 2 pi (nu tau_m)^2 int_{y_r}^{y_th} e^{x^2} int_{-inf}^{x} e^{y^2} (1 + erf y)^2 dy dx.
double siegert_cv(const LifDiffusionParams& p, double mu_mv, double sigma_mv);

// The deterministic (sigma = 0) rate [Hz]: 1 / (t_ref + tau_m ln((mu - V_r) / (mu - theta))),
// zero when mu <= theta.
double deterministic_rate_hz(const LifDiffusionParams& p, double mu_mv);

// An independent Poisson train onto the neuron: rate [Hz] and voltage jump [mV] per spike.
struct PoissonDrive {
  double rate_hz = 0.0;
  double weight_mv = 0.0;
};

struct Moments {
  double mu_mv = 0.0;
  double sigma_mv = 0.0;
};

// mu = tau_m sum(w r), sigma^2 = tau_m sum(w^2 r) over the given inputs.
Moments diffusion_moments(double tau_m_ms, const std::vector<PoissonDrive>& inputs);

// A recurrent input of a homogeneous network: `indegree` synapses of weight `weight_mv` from
// neurons that all fire at the network rate.
struct RecurrentInput {
  double indegree = 0.0;
  double weight_mv = 0.0;
};

// Every neuron alike: same parameters, same recurrent in-degrees and same external drive.
struct HomogeneousNetwork {
  LifDiffusionParams neuron;
  std::vector<RecurrentInput> recurrent;
  std::vector<PoissonDrive> external;
};

struct SelfConsistentState {
  double rate_hz = 0.0;
  double mu_mv = 0.0;
  double sigma_mv = 0.0;
};

// Moments of the input when every recurrent source fires at `rate_hz`.
Moments network_moments(const HomogeneousNetwork& net, double rate_hz);

// The rate nu with nu = siegert(mu(nu), sigma(nu)), found by bisection on [0, 1/t_ref].
// For inhibition-dominated networks (Brunel's g > 4) the fixed point is unique.
SelfConsistentState self_consistent_rate(const HomogeneousNetwork& net);

// Brunel (2000) model A with the parameters of /work/shared/reference/brunel.md (CE = 1000,
// CI = 250, J = 0.1 mV, tau_m = 20 ms, theta = 20 mV, V_r = 10 mV, t_ref = 2 ms) at relative
// inhibition g and external drive eta = nu_ext / nu_thr.
HomogeneousNetwork brunel_model_a(double g, double eta);

}  // namespace spikeweave::validation
