// Homeostatic synaptic scaling (Turrigiano et al. 1998; van Rossum, Bi & Turrigiano 2000): each
// neuron multiplies all its incoming weights of a projection by a gain g with
// dg/dt = g (target - r) / (target tau), r its rate estimated by an exponential trace.
//
// 1. A neuron that never fires sees its rate estimate
//    decay from the target, r(t) = target e^{-t/tau_r}, so ln g(t) = (t - tau_r (1 - e^{-t/tau_r}))
//    / tau exactly (checked at 10 s on a population whose weights are too small to fire it).
// 2. Two populations of lif_psc_delta neurons driven
//    through scaled synapses by 200 independent 10 Hz Poisson inputs each, one starting silent
//    (0 Hz) and one at ~70 Hz, both with target 10 Hz. After 8 scaling time constants every
//    neuron's rate, counted over the last 20 s, is within 10% of the target, and the effective
//    weight g w the gains settled at is the one for which the Siegert (diffusion) rate equals
//    the target.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <sstream>

#include "modulated_run.hpp"
#include "theory/siegert.hpp"

namespace spikeweave::test {
namespace {

constexpr double kTargetHz = 10.0;
constexpr double kTauMs = 5000.0;      // scaling time constant
constexpr double kRateTauMs = 1000.0;  // rate estimate
constexpr int kInputs = 1000;          // Poisson sources at kInputHz
constexpr double kInputHz = 10.0;
constexpr int kIndegree = 200;
constexpr int kNeurons = 20;  // per population
// Start far from the target: 0.25 mV puts the free membrane at mu = 10 mV (sigma 1.6 mV),
// silent; 1 mV at mu = 40 mV, a mean-driven ~70 Hz.
constexpr double kWeightLowMv = 0.25;
constexpr double kWeightHighMv = 1.0;
// A weight so small that the silent neurons stay far below threshold at any gain reached here;
// float, as the engine stores it, so that weight / kWeightSilentMv is the gain to the last bit.
constexpr float kWeightSilentMv = 1e-6f;

std::string scaling_toml(double t_stop_ms) {
  std::ostringstream t;
  t << "[simulation]\ndt_ms = 0.1\nt_stop_ms = " << t_stop_ms << "\nseed = 1998\n\n"
    << "[[population]]\nname = \"input\"\nsize = " << kInputs
    << "\nmodel = \"poisson_source\"\nparams = { rate_hz = " << kInputHz << " }\n";
  std::ostringstream rule;
  rule << "{ rule = \"homeostatic_scaling\", target_rate_hz = " << kTargetHz
       << ", tau_ms = " << kTauMs << ", rate_tau_ms = " << kRateTauMs << " }";
  const std::pair<const char*, double> groups[] = {
      {"low", kWeightLowMv}, {"high", kWeightHighMv}, {"silent", kWeightSilentMv}};
  for (const auto& [name, weight] : groups) {
    t << "\n[[population]]\nname = \"" << name << "\"\nsize = " << kNeurons
      << "\nmodel = \"lif_psc_delta\"\n"
      << "params = { e_l_mv = 0.0, v_th_mv = 20.0, v_reset_mv = 10.0, tau_m_ms = 20.0, "
         "t_ref_ms = 2.0 }\ninit = { v_m_mv = { uniform = [0.0, 10.0] } }\n"
      << "\n[[projection]]\nname = \"to_" << name << "\"\nsource = \"input\"\ntarget = \"" << name
      << "\"\nconnect = { rule = \"fixed_indegree\", indegree = " << kIndegree << " }\n";
    t.precision(17);
    t << "weight_mv = " << weight << "\ndelay_ms = 1.0\nplasticity = " << rule.str() << "\n";
  }
  t << "\n[[record]]\nspikes = [\"low\", \"high\", \"silent\"]\n";
  return t.str();
}

// Gain of each target neuron: every synapse of `projection` has weight w0 times its target's gain.
std::vector<double> gains(StagedRun& run, const std::string& projection, double w0) {
  std::vector<double> g(kNeurons, -1.0);
  for (const auto& s : run.synapses(projection)) g.at(s.target) = s.weight / w0;
  return g;
}

// The effective weight x = g w at which the Siegert rate of a neuron driven by kIndegree Poisson
// trains of kInputHz and jump x is the target: mu = tau K nu x, sigma^2 = tau K nu x^2.
double siegert_equilibrium_weight_mv() {
  const validation::LifDiffusionParams neuron;  // tau_m 20, t_ref 2, theta 20, V_r 10
  const double drive = neuron.tau_m_ms * 1e-3 * kIndegree * kInputHz;  // tau K nu
  auto rate = [&](double x) {
    return validation::siegert_rate_hz(neuron, drive * x, std::sqrt(drive) * x);
  };
  double lo = 0.0, hi = kWeightHighMv;  // rate(0) = 0 < target < rate(w_high)
  for (int i = 0; i < 100; ++i) {
    const double mid = 0.5 * (lo + hi);
    (rate(mid) < kTargetHz ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

TEST(HomeostaticScaling, RatesConvergeToTheTargetFromBelowAndAbove) {
  constexpr double kMeasureFromMs = 40000.0;  // 8 tau: the transients are long gone
  constexpr double kStopMs = 60000.0;
  StagedRun run(scaling_toml(kStopMs), "homeostatic_scaling.toml");

  // The silent neurons: exact closed form while the rate estimate decays from the target.
  run.run_until(10000.0);
  {
    const double t = run.now_ms();
    const double expected = std::exp((t - kRateTauMs * (1.0 - std::exp(-t / kRateTauMs))) / kTauMs);
    for (double g : gains(run, "to_silent", kWeightSilentMv)) {
      // The engine steps dg = g (1 - r/target) dt/tau (Euler, dt/tau = 2e-5): over t/dt = 1e5
      // steps the error of ln g is ~ (t/dt) (dt/tau)^2 / 2 = 2e-5; 2e-4 leaves room for the
      // rate trace being sampled at step ends.
      EXPECT_NEAR(g / expected, 1.0, 2e-4);
    }
    if (printing_rank())
      std::printf("[homeostatic] silent neurons at %.0f s: gain %.6f, closed form %.6f\n", t * 1e-3,
                  gains(run, "to_silent", kWeightSilentMv)[0], expected);
  }

  // Effective weights averaged over the measuring window (the gain of each neuron fluctuates
  // by a few percent around its equilibrium: its rate estimate is noisy).
  run.run_until(kMeasureFromMs);
  double sum_low = 0.0, sum_high = 0.0;
  int samples = 0;
  while (run.now_ms() < kStopMs) {
    run.run_until(run.now_ms() + 1000.0);
    for (double g : gains(run, "to_low", kWeightLowMv)) sum_low += g * kWeightLowMv;
    for (double g : gains(run, "to_high", kWeightHighMv)) sum_high += g * kWeightHighMv;
    ++samples;
  }
  const double x_low = sum_low / (samples * kNeurons), x_high = sum_high / (samples * kNeurons);
  const double x_theory = siegert_equilibrium_weight_mv();

  const double window_s = (kStopMs - kMeasureFromMs) * 1e-3;
  for (const char* name : {"low", "high"}) {
    const auto trains = run.spikes_ms(name);
    double first_min = 1e9, first_max = 0.0, last_min = 1e9, last_max = 0.0, last_sum = 0.0;
    for (std::size_t i = 0; i < trains.size(); ++i) {
      const double first_hz = static_cast<double>(count_in(trains[i], 0.0, 1000.0));
      const double last_hz =
          static_cast<double>(count_in(trains[i], kMeasureFromMs, kStopMs)) / window_s;
      first_min = std::min(first_min, first_hz);
      first_max = std::max(first_max, first_hz);
      last_min = std::min(last_min, last_hz);
      last_max = std::max(last_max, last_hz);
      last_sum += last_hz;
      // Within 10% of the target. The count over 20 s holds ~200 spikes; with an ISI CV below
      // 0.7 its standard error is < 5%, and the homeostatic feedback regularises the count
      // further (measured spread +-3%).
      EXPECT_NEAR(last_hz, kTargetHz, 0.1 * kTargetHz) << name << " neuron " << i;
    }
    if (printing_rank())
      std::printf(
          "[homeostatic] %-4s first second %.0f-%.0f Hz; last %.0f s %.2f-%.2f Hz (mean %.3f)\n",
          name, first_min, first_max, window_s, last_min, last_max,
          last_sum / static_cast<double>(trains.size()));
    // The test starts far from the target on both sides.
    if (std::string(name) == "low") {
      EXPECT_LT(first_max, 0.3 * kTargetHz);
    } else {
      EXPECT_GT(first_min, 3.0 * kTargetHz);
    }
  }
  if (printing_rank())
    std::printf(
        "[homeostatic] effective weight g w: low %.4f mV (gain %.3f), high %.4f mV (gain %.3f); "
        "Siegert rate = target at %.4f mV\n",
        x_low, x_low / kWeightLowMv, x_high, x_high / kWeightHighMv, x_theory);
  // Tolerance 4%. The rate is steep in the effective weight here (d ln rate / d ln x ~ 9), so
  // the diffusion approximation's errors for these inputs move x only a little: excitatory-only
  // jumps of 0.44 mV (shot noise crosses threshold more often than diffusion does) and dt =
  // 0.1 ms (a deficit of a few percent, see test_single_neuron_rate.cpp) together put the engine
  // ~10% above the Siegert rate at a given x, i.e. x ~1.5% below x_theory (measured -1.4%).
  // Averaging over 20 neurons x 20 samples leaves < 1% of gain noise. A wrong gain law (g
  // applied twice, to the wrong neuron, with the wrong sign or time constant) misses by more.
  EXPECT_NEAR(x_low / x_theory, 1.0, 0.04);
  EXPECT_NEAR(x_high / x_theory, 1.0, 0.04);
}

}  // namespace
}  // namespace spikeweave::test
