#pragma once
// Closed-form subthreshold responses of current-based LIF neurons (Rotter & Diesmann 1999), for
// checking the engine's exact integration: postsynaptic potentials of exponential and alpha
// currents, their peaks (the conversions used by the microcircuit and hpc_benchmark models) and
// the interspike interval of a DC-driven neuron. Units: ms, mV, pA, pF; voltages relative to E_L.

#include <functional>

namespace spikeweave::validation {

struct MembraneParams {
  double tau_m_ms = 10.0;   // membrane time constant [ms]
  double c_m_pf = 250.0;    // capacitance [pF]
  double tau_syn_ms = 0.5;  // synaptic time constant [ms]
};

// V(t) [mV] at t [ms] after a current I(t) = w e^{-t/tau_s} [pA] starts (V = 0 before):
// w / C (e^{-t/tau_m} - e^{-t/tau_s}) / (1/tau_s - 1/tau_m); w t e^{-t/tau} / C when the
// time constants are equal (and smoothly close to it). Zero for t <= 0.
double exp_psc_psp_mv(double t_ms, double w_pa, const MembraneParams& p);

// V(t) [mV] after an alpha current I(t) = w (e / tau_s) t e^{-t/tau_s} [pA], whose peak is w at
// t = tau_s: (w e / (tau_s C)) e^{-t/tau_m} (1 - e^{-a t}(1 + a t)) / a^2, a = 1/tau_s - 1/tau_m.
double alpha_psc_psp_mv(double t_ms, double w_pa, const MembraneParams& p);

// Peak PSP [mV] of an exponential current of amplitude w, as in Potjans & Diesmann (2014) and
// /work/shared/reference/microcircuit.md:
// w tau_m tau_s / (C (tau_s - tau_m)) (f^tau_m - f^tau_s), f = (tau_m / tau_s)^(1/(tau_s - tau_m)).
double exp_psc_peak_mv(double w_pa, const MembraneParams& p);
// Time of that peak [ms]: ln(tau_m / tau_s) / (1/tau_s - 1/tau_m).
double exp_psc_peak_time_ms(const MembraneParams& p);

// The lower real branch W_{-1}(x) of the Lambert W function, x in [-1/e, 0).
double lambert_w_minus1(double x);

// Peak PSP [mV] of an alpha current of amplitude w, computed as NEST's hpc_benchmark.py does
// (convert_synapse_weight): t_max = (-W_{-1}(-e^{-1/a}/a) - 1/a) / b with a = tau_m / tau_s,
// b = 1/tau_s - 1/tau_m, and v_max = e/(tau_s C b) ((e^{-t_max/tau_m} - e^{-t_max/tau_s})/b -
// t_max e^{-t_max/tau_s}).
double alpha_psc_peak_mv(double w_pa, const MembraneParams& p);
double alpha_psc_peak_time_ms(const MembraneParams& p);

// Interspike interval [ms] of a LIF neuron under a constant current I [pA]:
// t_ref + tau_m ln((R I - V_r) / (R I - theta)), R = tau_m / C; infinite when R I <= theta.
// V_r and theta relative to E_L.
double dc_isi_ms(double i_pa, double tau_m_ms, double c_m_pf, double v_reset_rel_mv,
                 double v_th_rel_mv, double t_ref_ms);

// Maximum value of f on [a, b] by golden-section search (f unimodal there). The location is
// found to ~sqrt(machine epsilon), so the value to ~machine epsilon.
double golden_section_max(const std::function<double(double)>& f, double a, double b);

}  // namespace spikeweave::validation
