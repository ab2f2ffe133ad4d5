// Single-neuron validation of lif_psc_delta against the diffusion approximation: populations of
// independent neurons (no recurrence), each driven by its own excitatory and inhibitory Poisson
// trains (`[[stimulus]] kind = "poisson"`), in the fluctuation-driven regime (mu < theta). The
// measured stationary rate must be within 5% of the Siegert rate and the ISI CV within 0.04 of
// the diffusion formula.
//
// Error budget of the 5% rate tolerance:
// - Statistics: each setting yields about 20,000 spikes; the relative standard error of a rate
//   is about CV / sqrt(spikes) <= 0.82 / 141 = 0.6%.
// - Finite jumps (J = 0.1 mV) and time step (dt = 0.02 ms) bias the rate down: the membrane
//   crosses threshold with an overshoot (jumps of J, and inputs lumped per step into increments of
//   sigma sqrt(dt / tau_m), of which Siegmund's correction puts 0.58 above the boundary), which
//   acts like a threshold raised by 0.05-0.1 mV. Raising theta by 0.58 sigma sqrt(dt / tau_m) in
//   the Siegert formula predicts -1.7%, -2.4% and -3.1% for the three settings below;
//   d(ln nu)/d(theta) is small at these (mu, sigma), which is why they were chosen over steeper
//   ones such as (15, 4).
//   Measured on this engine with 3 seeds (2026-11-22): -1.0/-1.8/-1.5% (mu 19, sigma 3),
//   -2.1/-2.3/-2.3% (17, 4), -2.9/-3.0/-2.5% (15, 5). At dt = 0.1 ms the bias was -2% to -6% over
//   (19, 2), (17, 3), (15, 4), (18, 5), (16, 5), hence the small dt; halving J to 0.05 mV
//   changed nothing beyond the statistical error.
// So a correct engine sits at -1% to -3%, 3 standard errors inside the 5% bound; an error in the
// integration, the refractory handling or the Poisson drive moves it by more.
//
// The CV is measured on the intervals of all neurons pooled (the neurons are statistically
// identical); the mean of per-neuron CVs is biased low by the few intervals each neuron has in
// 2 s. Tolerance 0.04: standard error ~0.006 at >= 20,000 intervals, the same overshoot biases
// (measured within 0.015 of the formula), and the truncation of intervals by the 2 s window.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

#include "in_process_run.hpp"
#include "theory/siegert.hpp"

namespace spikeweave::validation {
namespace {

constexpr double kJumpMv = 0.1;      // |J| of every input spike
constexpr double kTauMs = 20.0;      // Brunel's neuron: tau_m 20 ms, theta 20, V_r 10, t_ref 2
constexpr double kDtMs = 0.02;       // see the error budget above
constexpr double kWarmupMs = 100.0;  // 5 tau_m: the start-up transient of V is over
constexpr double kMeasureMs = 2000.0;
constexpr double kSpikesWanted = 20000.0;

struct Setting {
  double mu_mv, sigma_mv;
};

struct Drive {
  std::vector<PoissonDrive> inputs;  // excitatory then inhibitory train
  int neurons = 0;
};

// Excitatory and inhibitory rates of jumps +J and -J that give (mu, sigma):
// mu = tau J (r_e - r_i), sigma^2 = tau J^2 (r_e + r_i).
Drive drive_for(const Setting& s, const LifDiffusionParams& neuron) {
  const double tau_s = kTauMs * 1e-3;
  const double net = s.mu_mv / (tau_s * kJumpMv);
  const double total = s.sigma_mv * s.sigma_mv / (tau_s * kJumpMv * kJumpMv);
  Drive d;
  d.inputs = {{0.5 * (total + net), kJumpMv}, {0.5 * (total - net), -kJumpMv}};
  // Enough neurons for the wanted number of spikes at the predicted rate.
  const double rate = siegert_rate_hz(neuron, s.mu_mv, s.sigma_mv);
  d.neurons = static_cast<int>(std::ceil(kSpikesWanted / (rate * kMeasureMs * 1e-3)));
  return d;
}

std::string configuration(const std::vector<Drive>& drives) {
  std::ostringstream toml;
  toml << std::setprecision(17);
  toml << "[simulation]\ndt_ms = " << kDtMs << "\nt_stop_ms = " << kWarmupMs + kMeasureMs
       << "\nseed = 20261122\n";
  for (std::size_t k = 0; k < drives.size(); ++k) {
    toml << "[[population]]\nname = \"setting" << k << "\"\nsize = " << drives[k].neurons
         << "\nmodel = \"lif_psc_delta\"\n"
         << "params = { tau_m_ms = " << kTauMs
         << ", e_l_mv = 0.0, v_th_mv = 20.0, v_reset_mv = 10.0, t_ref_ms = 2.0 }\n"
         << "init = { v_m_mv = { uniform = [10.0, 20.0] } }\n";
  }
  for (std::size_t k = 0; k < drives.size(); ++k) {
    for (const PoissonDrive& in : drives[k].inputs) {
      toml << "[[stimulus]]\nkind = \"poisson\"\ntarget = \"setting" << k
           << "\"\nrate_hz = " << in.rate_hz << "\nweight_mv = " << in.weight_mv << "\n";
    }
  }
  toml << "[[record]]\nspikes = \"all\"\n";
  return toml.str();
}

TEST(SingleNeuronRate, PoissonDrivenLifMatchesSiegertRateAndCv) {
  const LifDiffusionParams neuron{kTauMs, 2.0, 20.0, 10.0};
  // mu 1, 3 and 5 mV below theta = 20 mV: fluctuation-driven, rates 17.0, 12.4 and 9.5 Hz.
  const std::vector<Setting> settings = {{19.0, 3.0}, {17.0, 4.0}, {15.0, 5.0}};
  std::vector<Drive> drives;
  for (const Setting& s : settings) drives.push_back(drive_for(s, neuron));

  InProcessRun run(configuration(drives), "single_neuron_rate.toml");
  run.sim.run_to_end();

  for (std::size_t k = 0; k < settings.size(); ++k) {
    // The moments of the trains actually configured (not of the rounded setting).
    const Moments m = diffusion_moments(kTauMs, drives[k].inputs);
    ASSERT_NEAR(m.mu_mv, settings[k].mu_mv, 1e-9);
    ASSERT_NEAR(m.sigma_mv, settings[k].sigma_mv, 1e-9);
    const double theory_hz = siegert_rate_hz(neuron, m.mu_mv, m.sigma_mv);
    const double theory_cv = siegert_cv(neuron, m.mu_mv, m.sigma_mv);

    const auto sorted = run.out.gather_sorted(test::world(), static_cast<int>(k), kDtMs);
    const SpikeStatistics st = spike_statistics(sorted, std::llround(kWarmupMs / kDtMs));
    const double rate_hz = static_cast<double>(st.spikes) / (drives[k].neurons * kMeasureMs * 1e-3);
    if (test::world().rank() == 0) {
      std::printf(
          "[validation] mu %.1f mV sigma %.1f mV, %d neurons, %llu spikes: rate %.3f Hz vs "
          "Siegert %.3f Hz (%+.2f%%), pooled ISI CV %.3f vs %.3f\n",
          m.mu_mv, m.sigma_mv, drives[k].neurons, static_cast<unsigned long long>(st.spikes),
          rate_hz, theory_hz, 100.0 * (rate_hz / theory_hz - 1.0), st.pooled_cv, theory_cv);
    }
    EXPECT_GE(static_cast<double>(st.spikes), 0.9 * kSpikesWanted);
    EXPECT_NEAR(rate_hz, theory_hz, 0.05 * theory_hz)
        << "mu " << m.mu_mv << " mV, sigma " << m.sigma_mv << " mV";
    EXPECT_NEAR(st.pooled_cv, theory_cv, 0.04)
        << "mu " << m.mu_mv << " mV, sigma " << m.sigma_mv << " mV";
  }
}

}  // namespace
}  // namespace spikeweave::validation
