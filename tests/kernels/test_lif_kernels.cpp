// LIF update kernels against an independent host reference: the subthreshold dynamics integrated
// with fine RK4 sub-steps (not the propagators under test), plus threshold, reset, refractoriness
// and the handling of inputs that arrive while refractory.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <functional>
#include <vector>

#include "kernels/compact.hpp"
#include "model/lif/lif_update.hpp"
#include "model/lif/propagators.hpp"

namespace spikeweave::kernels {
namespace {

using ModelKind = model::LifVariant;

// State (V - E_L, I, dI) of one neuron integrated over one step h by RK4 with many sub-steps:
// dV/dt = -V/tau_m + (I + I_const)/C, dI/dt = -I/tau_s + dI, d(dI)/dt = -dI/tau_s.
struct Reference {
  double v = 0, i = 0, di = 0;
  void advance(double h, double tau_m, double tau_s, double c_m, double i_const) {
    const int substeps = 2000;
    const double dt = h / substeps;
    auto f = [&](const std::array<double, 3>& y) {
      return std::array<double, 3>{-y[0] / tau_m + (y[1] + i_const) / c_m, -y[1] / tau_s + y[2],
                                   -y[2] / tau_s};
    };
    std::array<double, 3> y{v, i, di};
    for (int k = 0; k < substeps; ++k) {
      auto add = [](const std::array<double, 3>& a, const std::array<double, 3>& b, double s) {
        return std::array<double, 3>{a[0] + s * b[0], a[1] + s * b[1], a[2] + s * b[2]};
      };
      const auto k1 = f(y), k2 = f(add(y, k1, dt / 2)), k3 = f(add(y, k2, dt / 2)),
                 k4 = f(add(y, k3, dt));
      for (int j = 0; j < 3; ++j) y[j] += dt / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
    }
    v = y[0];
    i = y[1];
    di = y[2];
  }
};

TEST(Propagators, MatchNumericalIntegration) {
  const double h = 0.1, c = 250.0;
  for (double tau_m : {10.0, 20.0}) {
    for (double tau_s : {0.5, 2.0, 10.0, 10.0 * (1 + 1e-9), 0.32582722403722841}) {
      Reference from_current;
      from_current.i = 1.0;
      from_current.advance(h, tau_m, tau_s, c, 0.0);
      EXPECT_NEAR(model::propagator_v_from_exp_current(h, tau_m, tau_s, c), from_current.v, 1e-12)
          << tau_m << " " << tau_s;
      Reference from_derivative;
      from_derivative.di = 1.0;
      from_derivative.advance(h, tau_m, tau_s, c, 0.0);
      EXPECT_NEAR(model::propagator_v_from_alpha_derivative(h, tau_m, tau_s, c), from_derivative.v,
                  1e-12)
          << tau_m << " " << tau_s;
      Reference constant;
      constant.advance(h, tau_m, tau_s, c, 1.0);
      EXPECT_NEAR(model::propagator_v_from_constant_current(h, tau_m, c), constant.v, 1e-12);
    }
  }
}

// Runs a single-neuron population of `Update` for `steps` steps with inputs[step] added to the
// ex port and returns (V_rel, fired) per step.
template <class Update>
std::vector<std::pair<double, int>> run_kernel(ModelKind kind, const model::LifParams& p,
                                               const std::vector<double>& ex_input,
                                               const std::vector<double>& in_input, double v0_rel) {
  const double dt = 0.1;
  Update u;
  u.q = model::lower_lif(p, kind, dt, "test");
  const int slots = 4;
  u.ring = InputRing("ring", kPortCount, slots, 1);
  u.fired = FiredFlags("fired", 1, 1);
  u.s.v_rel_mv = View<double*>("v", 1);
  u.s.refractory_steps = View<std::int32_t*>("r", 1);
  u.s.i_syn_ex_pa = View<double*>("iex", 1);
  u.s.i_syn_in_pa = View<double*>("iin", 1);
  u.s.di_syn_ex = View<double*>("diex", 1);
  u.s.di_syn_in = View<double*>("diin", 1);
  Kokkos::deep_copy(u.s.v_rel_mv, v0_rel);
  std::vector<std::pair<double, int>> trace;
  auto ring_host = Kokkos::create_mirror_view(u.ring);
  for (std::size_t step = 0; step < ex_input.size(); ++step) {
    u.slot = static_cast<int>(step % slots);
    Kokkos::deep_copy(ring_host, u.ring);
    ring_host(kPortExcitatory, u.slot, 0) = to_fixed(ex_input[step]);
    ring_host(kPortInhibitory, u.slot, 0) = to_fixed(in_input[step]);
    Kokkos::deep_copy(u.ring, ring_host);
    Kokkos::parallel_for(Kokkos::RangePolicy<ExecSpace>(0, 1), u);
    auto v = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), u.s.v_rel_mv);
    auto f = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), u.fired);
    trace.emplace_back(v(0), f(0, 0));
    // The kernel clears the slot it read.
    Kokkos::deep_copy(ring_host, u.ring);
    EXPECT_EQ(ring_host(kPortExcitatory, u.slot, 0), 0);
  }
  return trace;
}

TEST(LifPscExpKernel, FollowsReferenceBelowThresholdWithRandomInput) {
  model::LifParams p;
  p.tau_m_ms = 10.0;
  p.tau_syn_ex_ms = 0.5;
  p.tau_syn_in_ms = 2.0;
  p.i_e_pa = 120.0;
  p.v_th_mv = 1000.0;  // never fires: pure subthreshold dynamics
  std::vector<double> ex(300, 0.0), in(300, 0.0);
  for (std::size_t k = 0; k < ex.size(); k += 7) ex[k] = 40.0 + static_cast<double>(k % 13);
  for (std::size_t k = 3; k < in.size(); k += 11) in[k] = -60.0;
  const auto trace = run_kernel<LifPscExpUpdate>(ModelKind::kPscExp, p, ex, in, 0.0);
  // Reference: two currents integrated separately (the system is linear).
  Reference re, ri, rc;
  for (std::size_t k = 0; k < ex.size(); ++k) {
    re.advance(0.1, p.tau_m_ms, p.tau_syn_ex_ms, p.c_m_pf, 0.0);
    ri.advance(0.1, p.tau_m_ms, p.tau_syn_in_ms, p.c_m_pf, 0.0);
    rc.advance(0.1, p.tau_m_ms, 1.0, p.c_m_pf, p.i_e_pa);
    re.i += ex[k];  // input read in step k raises the current at the end of step k
    ri.i += in[k];
    EXPECT_NEAR(trace[k].first, re.v + ri.v + rc.v, 1e-9) << "step " << k;
  }
}

TEST(LifPscAlphaKernel, FollowsReferenceBelowThreshold) {
  model::LifParams p;
  p.tau_m_ms = 10.0;
  p.tau_syn_ex_ms = 0.32582722403722841;
  p.tau_syn_in_ms = 0.32582722403722841;
  p.v_th_mv = 1000.0;
  std::vector<double> ex(200, 0.0), in(200, 0.0);
  ex[5] = 45.6096;
  ex[60] = 100.0;
  in[90] = -228.048;
  const auto trace = run_kernel<LifPscAlphaUpdate>(ModelKind::kPscAlpha, p, ex, in, 0.0);
  Reference r;
  const double scale = std::exp(1.0) / p.tau_syn_ex_ms;
  for (std::size_t k = 0; k < ex.size(); ++k) {
    r.advance(0.1, p.tau_m_ms, p.tau_syn_ex_ms, p.c_m_pf, 0.0);
    r.di += scale * (ex[k] + in[k]);
    EXPECT_NEAR(trace[k].first, r.v, 1e-9) << "step " << k;
  }
}

TEST(LifPscDeltaKernel, ThresholdResetRefractoryAndDiscardedInput) {
  model::LifParams p;
  p.e_l_mv = 0.0;
  p.v_th_mv = 20.0;
  p.v_reset_mv = 10.0;
  p.tau_m_ms = 20.0;
  p.t_ref_ms = 0.5;  // 5 steps
  std::vector<double> ex(20, 0.0), in(20, 0.0);
  ex[0] = 0.5;  // from 19.6 (decayed) to >= 20: fires in step 0
  ex[2] = 5.0;  // arrives while refractory: discarded
  ex[7] = 1.0;  // after refractoriness: integrated
  const auto trace = run_kernel<LifPscDeltaUpdate>(ModelKind::kPscDelta, p, ex, in, 19.6);
  EXPECT_EQ(trace[0].second, 1);
  EXPECT_DOUBLE_EQ(trace[0].first, 10.0);
  for (int k = 1; k <= 5; ++k) {
    EXPECT_EQ(trace[k].second, 0);
    EXPECT_DOUBLE_EQ(trace[k].first, 10.0) << "clamped at reset while refractory, step " << k;
  }
  // Step 6 integrates again (decay only), step 7 adds the jump.
  const double decay = std::exp(-0.1 / 20.0);
  EXPECT_NEAR(trace[6].first, 10.0 * decay, 1e-12);
  EXPECT_NEAR(trace[7].first, 10.0 * decay * decay + 1.0, 1e-12);
}

TEST(LifPscDeltaKernel, FiresWhenExactlyAtThreshold) {
  model::LifParams p;
  p.e_l_mv = 0.0;
  p.v_th_mv = 1.0;
  p.v_reset_mv = 0.0;
  p.tau_m_ms = 20.0;
  std::vector<double> ex(2, 0.0), in(2, 0.0);
  ex[0] = 1.0;  // from 0: exactly at threshold (fixed point of 1.0 is exact)
  const auto trace = run_kernel<LifPscDeltaUpdate>(ModelKind::kPscDelta, p, ex, in, 0.0);
  EXPECT_EQ(trace[0].second, 1);
}

TEST(LifPscExpKernel, CurrentsKeepDecayingWhileRefractory) {
  model::LifParams p;
  p.e_l_mv = 0.0;
  p.v_th_mv = 5.0;
  p.v_reset_mv = 0.0;
  p.t_ref_ms = 2.0;
  p.tau_syn_ex_ms = 2.0;
  std::vector<double> ex(40, 0.0), in(40, 0.0);
  ex[0] = 1e5;   // drives V over threshold in the next step
  ex[3] = 10.0;  // during refractoriness still enters the current
  const auto trace = run_kernel<LifPscExpUpdate>(ModelKind::kPscExp, p, ex, in, 0.0);
  int spikes = 0;
  int first = -1;
  for (std::size_t k = 0; k < trace.size(); ++k) {
    if (trace[k].second) {
      ++spikes;
      if (first < 0) first = static_cast<int>(k);
    }
  }
  ASSERT_EQ(first, 1);
  // 20 refractory steps after the spike at step 1: the next spike can come at step 22 at the
  // earliest, and V stays at reset until then.
  for (int k = 2; k <= 21; ++k) EXPECT_DOUBLE_EQ(trace[k].first, 0.0) << k;
  EXPECT_EQ(trace[22].second, 1) << "the current left over from 1e5 pA fires it again at once";
  EXPECT_GE(spikes, 2);
}

// lif_cond_exp: with the conductances of a step held fixed the exponential-Euler update is the
// exact solution of the linear membrane equation; a constant current settles V at E_L + I/g_L;
// conductances decay exactly and jump by the weight (inhibitory weights negative, as in NEST).
TEST(LifCondExpKernel, ExponentialEulerIsExactForFixedConductancesAndConductancesJump) {
  model::LifParams p;
  p.c_m_pf = 200.0;
  p.g_l_ns = 10.0;
  p.e_l_mv = -60.0;
  p.v_th_mv = 1000.0;
  p.v_reset_mv = -60.0;
  p.e_ex_mv = 0.0;
  p.e_in_mv = -80.0;
  p.tau_syn_ex_ms = 5.0;
  p.tau_syn_in_ms = 10.0;
  p.tau_m_ms = p.c_m_pf / p.g_l_ns;
  p.i_e_pa = 100.0;
  std::vector<double> ex(3000, 0.0), in(3000, 0.0);
  const auto settle = run_kernel<LifCondExpUpdate>(ModelKind::kCondExp, p, ex, in, 0.0);
  // 300 ms = 15 tau_m: V within exp(-15) of E_L + I / g_L = -50 mV (relative: +10 mV).
  EXPECT_NEAR(settle.back().first, 10.0, 10.0 * std::exp(-15.0));
  // One step with g_ex = 6 nS and g_in = 67 nS fixed, from V_rel = 10: exact relaxation.
  std::vector<double> pulse_ex(3, 0.0), pulse_in(3, 0.0);
  pulse_ex[0] = 6.0;
  pulse_in[0] = -67.0;
  const auto trace = run_kernel<LifCondExpUpdate>(ModelKind::kCondExp, p, pulse_ex, pulse_in, 10.0);
  // Step 0 integrates with g = 0 (its inputs enter the conductances at the step's end), so V
  // stays at the current's fixed point; step 1 relaxes exactly with g_ex = 6, g_in = 67 nS.
  const double v0 = 10.0;
  EXPECT_NEAR(trace[0].first, v0, 1e-12);
  const double g_ex = 6.0, g_in = 67.0, g_total = 10.0 + g_ex + g_in;
  const double v_inf = (g_ex * (0.0 + 60.0) + g_in * (-80.0 + 60.0) + 100.0) / g_total;
  EXPECT_NEAR(trace[1].first, v_inf + (v0 - v_inf) * std::exp(-0.1 * g_total / 200.0), 1e-12);
}

TEST(FixedPoint, SumsAreOrderIndependentAndAccurate) {
  const std::vector<double> values = {0.1, -0.5, 87.81, 1e-7, -228.048, 45.6096};
  std::int64_t forward = 0, backward = 0;
  for (double v : values) forward += to_fixed(v);
  for (auto it = values.rbegin(); it != values.rend(); ++it) backward += to_fixed(*it);
  EXPECT_EQ(forward, backward);
  double exact = 0;
  for (double v : values) exact += v;
  // Each conversion truncates below 2^-32: the sum is within 6 * 2^-32 of the exact one.
  EXPECT_NEAR(from_fixed(forward), exact, 6.0 / kFixedPointScale);
}

TEST(Compaction, ListsSpikesByLagThenNeuronAndGrowsItsBuffer) {
  const int lags = 3, n = 50;
  FiredFlags fired("fired", lags, n);
  auto host = Kokkos::create_mirror_view(fired);
  std::vector<std::uint64_t> expected;
  for (int lag = 0; lag < lags; ++lag) {
    for (int i = 0; i < n; ++i) {
      host(lag, i) = (i * 7 + lag) % 3 == 0 ? 1 : 0;
      if (host(lag, i)) expected.push_back(pack_local_spike(i, lag));
    }
  }
  Kokkos::deep_copy(fired, host);
  View<std::uint64_t*> out("out", 4);  // too small on purpose
  const std::size_t count = compact_spikes(fired, lags, out);
  ASSERT_EQ(count, expected.size());
  auto result = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out);
  for (std::size_t k = 0; k < count; ++k) EXPECT_EQ(result(k), expected[k]);
  // Only the first lags count.
  EXPECT_LT(compact_spikes(fired, 1, out), count);
}

}  // namespace
}  // namespace spikeweave::kernels
