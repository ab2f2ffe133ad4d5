// Synaptic tagging and capture (Frey & Morris 1997; model after Clopath et al. 2008): an early,
// decaying weight change above a threshold tags the synapse; a neuron-wide protein signal,
// triggered by strong activity of the neuron, converts tagged early change into a late,
// consolidated weight.
//
// One run, three postsynaptic lif_psc_delta neurons, eight presynaptic spike sources, all
// synapses in one plastic projection (additive stdp_pair with a `tagging` table):
//   N0 weak only:       5 pairings at 10 Hz on inputs 0-3 (N0's rate stays far below the
//                       protein threshold) -> the early change decays back to the baseline.
//   N1 weak + strong:   the same weak pairings, then 1 s later 1 s of 100 Hz pairing on the
//                       OTHER inputs 4-7 (N1's rate far above the protein threshold) -> inputs
//                       0-3 keep a consolidated weight long after the early change decayed.
//   N2 strong only:     the strong protocol alone -> inputs 0-3, untagged, do not move.
// The postsynaptic spikes are forced (a spike_source "driver", one_to_one, 100 mV kicks), so
// the three conditions share their presynaptic trains and differ only in the neuron's activity.
//
// Checked against theory: the early change of N0 decays as e^{-t/tau_early} (to 1e-9), and the
// late weight of N1's weak synapses equals an independent integration of the model's equations
// (rate trace -> protein -> capture, from N1's own spike train) to 1e-6.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "modulated_run.hpp"

namespace spikeweave::test {
namespace {

constexpr double kDtMs = 0.1;
constexpr double kBaselineMv = 0.1;
constexpr double kWMaxMv = 1.0;
constexpr double kLambda = 0.05;
constexpr double kTagThresholdMv = 0.05;
constexpr double kTauEarlyMs = 10000.0;
constexpr double kTauConsolidationMs = 2000.0;
constexpr double kProteinThresholdHz = 30.0;
constexpr double kTauProteinMs = 1000.0;
constexpr double kRateTauMs = 500.0;

struct Layout {
  double update_interval_ms = 10.0;
  double delay_ms = 1.0;
  double t_stop_ms = 60000.0;
};

std::string tagging_toml(const Layout& l, const std::vector<std::vector<double>>& pre,
                         const std::vector<std::vector<double>>& forced) {
  auto lists = [](const std::vector<std::vector<double>>& v) {
    std::ostringstream out;
    out << "[";
    for (std::size_t i = 0; i < v.size(); ++i) out << (i ? ", " : "") << toml_times(v[i]);
    out << "]";
    return out.str();
  };
  std::vector<std::vector<double>> driver = forced;
  for (auto& list : driver)
    for (double& t : list) t -= l.delay_ms;
  std::ostringstream t;
  t << "[simulation]\ndt_ms = " << kDtMs << "\nt_stop_ms = " << l.t_stop_ms << "\n"
    << "[[population]]\nname = \"pre\"\nsize = " << pre.size()
    << "\nmodel = \"spike_source\"\nparams = { spike_times_ms = " << lists(pre) << " }\n"
    << "[[population]]\nname = \"driver\"\nsize = " << forced.size()
    << "\nmodel = \"spike_source\"\nparams = { spike_times_ms = " << lists(driver) << " }\n"
    << "[[population]]\nname = \"post\"\nsize = " << forced.size()
    << "\nmodel = \"lif_psc_delta\"\nparams = { e_l_mv = 0.0, v_th_mv = 20.0, v_reset_mv = 0.0 "
       "}\n"
    << "[[projection]]\nname = \"syn\"\nsource = \"pre\"\ntarget = \"post\"\n"
    << "connect = { rule = \"all_to_all\" }\nweight_mv = " << kBaselineMv
    << "\ndelay_ms = " << l.delay_ms << "\n"
    << "plasticity = { rule = \"stdp_pair\", tau_plus_ms = 20.0, tau_minus_ms = 20.0, lambda = "
    << kLambda << ", alpha = 1.0, w_max_mv = " << kWMaxMv
    << ", weight_type = \"double\", sweep_interval_ms = 100.0, tagging = { tag_threshold_mv = "
    << kTagThresholdMv << ", tau_early_ms = " << kTauEarlyMs
    << ", tau_consolidation_ms = " << kTauConsolidationMs
    << ", protein_rate_threshold_hz = " << kProteinThresholdHz
    << ", tau_protein_ms = " << kTauProteinMs << ", rate_tau_ms = " << kRateTauMs
    << ", update_interval_ms = " << l.update_interval_ms << " } }\n"
    << "[[projection]]\nsource = \"driver\"\ntarget = \"post\"\nconnect = { rule = "
       "\"one_to_one\" }\n"
    << "weight_mv = 100.0\ndelay_ms = " << l.delay_ms << "\n"
    << "[[record]]\nspikes = [\"pre\", \"post\"]\n";
  return t.str();
}

// The protocol of the file comment: presynaptic trains of inputs 0-7 and forced spike times of
// N0, N1, N2.
struct Protocol {
  std::vector<std::vector<double>> pre = std::vector<std::vector<double>>(8);
  std::vector<std::vector<double>> forced = std::vector<std::vector<double>>(3);
};

constexpr double kWeakStartMs = 1000.0;    // 5 pairings, 100 ms apart: pre, then post 5 ms later
constexpr double kStrongStartMs = 2500.0;  // 100 pairings, 10 ms apart: pre, then post 2 ms later
constexpr double kStrongEndMs = 3500.0;
constexpr double kAfterWeakMs = 2400.0;  // all weak changes written, strong not started

Protocol make_protocol() {
  Protocol p;
  for (int k = 0; k < 5; ++k) {
    const double t = kWeakStartMs + 100.0 * k;
    for (int i = 0; i < 4; ++i) p.pre[i].push_back(t);
    p.forced[0].push_back(t + 5.0);
    p.forced[1].push_back(t + 5.0);
  }
  for (double t = kStrongStartMs; t < kStrongEndMs - 1e-9; t += 10.0) {
    for (int i = 4; i < 8; ++i) p.pre[i].push_back(t);
    p.forced[1].push_back(t + 2.0);
    p.forced[2].push_back(t + 2.0);
  }
  return p;
}

// Weight of input `source` onto post neuron `target`.
double weight(const std::vector<engine::SynapseState>& synapses, int source, int target) {
  for (const auto& s : synapses) {
    if (static_cast<int>(s.source) == source && static_cast<int>(s.target) == target) {
      return s.weight;
    }
  }
  ADD_FAILURE() << "no synapse " << source << "->" << target;
  return 0.0;
}

// The neuron's rate trace as the engine keeps it (updated every step: r <- r e^{-dt/tau_r} +
// 1000/tau_r at a spike), sampled at the ends of steps `stamps` (increasing).
std::vector<double> rate_trace_at(const std::vector<double>& spikes_ms,
                                  const std::vector<std::int64_t>& stamps) {
  const double decay = std::exp(-kDtMs / kRateTauMs), jump = 1000.0 / kRateTauMs;
  std::vector<double> values;
  double r = 0.0;
  std::int64_t step = 0;
  std::size_t next = 0;
  for (std::int64_t stamp : stamps) {
    for (; step < stamp; ++step) {
      r *= decay;
      if (next < spikes_ms.size() && std::llround(spikes_ms[next] / kDtMs) == step) {
        r += jump;
        ++next;
      }
    }
    values.push_back(r);
  }
  return values;
}

// Independent integration of the tagging equations for one synapse of a neuron with spike train
// `spikes_ms`: from an early change `early` (no late part, no protein) at tick time from_ms to
// to_ms, every update interval U: protein p <- triggered ? 1 - (1 - p) e^{-U/tau_p} :
// p e^{-U/tau_p} with triggered = rate > threshold; then, for |early| > tag threshold,
// late += p (1 - e^{-U/tau_cons}) early, early -= the same; then early *= e^{-U/tau_early}.
// Returns early + late (the weight above baseline).
double reference_change(const std::vector<double>& spikes_ms, double early, double from_ms,
                        double to_ms, double u_ms) {
  const auto u_steps = static_cast<std::int64_t>(std::llround(u_ms / kDtMs));
  std::vector<std::int64_t> ticks;
  for (std::int64_t s = std::llround(from_ms / kDtMs) + u_steps; s <= std::llround(to_ms / kDtMs);
       s += u_steps) {
    ticks.push_back(s);
  }
  const std::vector<double> rate = rate_trace_at(spikes_ms, ticks);
  const double keep_p = std::exp(-u_ms / kTauProteinMs);
  const double capture = -std::expm1(-u_ms / kTauConsolidationMs);
  const double keep_early = std::exp(-u_ms / kTauEarlyMs);
  double p = 0.0, late = 0.0;
  for (std::size_t k = 0; k < ticks.size(); ++k) {
    p = rate[k] > kProteinThresholdHz ? 1.0 - (1.0 - p) * keep_p : p * keep_p;
    if (std::fabs(early) > kTagThresholdMv) {
      const double captured = p * capture * early;
      late += captured;
      early -= captured;
    }
    early *= keep_early;
  }
  return early + late;
}

double max_rate_hz(const std::vector<double>& spikes_ms, double to_ms) {
  std::vector<std::int64_t> steps;
  for (std::int64_t s = 1; s <= std::llround(to_ms / kDtMs); ++s) steps.push_back(s);
  double m = 0.0;
  for (double r : rate_trace_at(spikes_ms, steps)) m = std::max(m, r);
  return m;
}

TEST(Tagging, WeakAloneDecaysWeakPlusStrongConsolidates) {
  const Layout layout;  // delay 1 ms, update interval 10 ms, 60 s
  const Protocol protocol = make_protocol();
  StagedRun run(tagging_toml(layout, protocol.pre, protocol.forced), "tagging.toml");
  run.run_until(kAfterWeakMs);
  const auto after_weak = run.synapses("syn");
  run.run_until(kAfterWeakMs + kTauEarlyMs);
  const auto one_tau = run.synapses("syn");
  run.run_to_end();
  const auto end = run.synapses("syn");
  const auto post = run.spikes_ms("post");
  for (int n = 0; n < 3; ++n) {
    ASSERT_EQ(post[n].size(), protocol.forced[n].size()) << "N" << n << " fired off protocol";
  }

  // After the weak protocol: inputs 0-3 potentiated alike on N0 and N1, above the tag threshold;
  // untouched on N2 (it did not fire).
  const double early = weight(after_weak, 0, 0) - kBaselineMv;
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(weight(after_weak, i, 0), weight(after_weak, 0, 0));
    EXPECT_EQ(weight(after_weak, i, 1), weight(after_weak, 0, 0));
    EXPECT_EQ(weight(after_weak, i, 2), kBaselineMv);
  }
  EXPECT_GT(early, 2.0 * kTagThresholdMv);
  // The weak protocol alone keeps N0 far from the protein threshold; the strong one drives N1
  // and N2 far above it.
  const double n0_max_hz = max_rate_hz(post[0], layout.t_stop_ms);
  const double n1_max_hz = max_rate_hz(post[1], layout.t_stop_ms);
  EXPECT_LT(n0_max_hz, 0.5 * kProteinThresholdHz);
  EXPECT_GT(n1_max_hz, 2.0 * kProteinThresholdHz);

  // Weak only (N0): the early change decays with tau_early and is gone at the end.
  const double n0_tau = weight(one_tau, 0, 0) - kBaselineMv;
  const double n0_end = weight(end, 0, 0) - kBaselineMv;
  EXPECT_NEAR(n0_tau / early, std::exp(-1.0), 1e-9);
  EXPECT_LT(std::fabs(n0_end), 0.01 * early);
  // Weak + strong (N1): a consolidated change remains, as the equations predict.
  const double n1_end = weight(end, 0, 1) - kBaselineMv;
  const double n1_expected =
      reference_change(post[1], early, kAfterWeakMs, layout.t_stop_ms, layout.update_interval_ms);
  for (int i = 0; i < 4; ++i) {
    // Double weights; the same operations in the same order: rounding only.
    EXPECT_NEAR(weight(end, i, 1) - kBaselineMv, n1_expected, 1e-9);
  }
  EXPECT_GT(n1_end, 0.3 * early);
  EXPECT_GT(n1_end, 20.0 * std::fabs(n0_end));
  // Strong only (N2): the weak inputs were never tagged; protein alone does not move them.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(weight(end, i, 2), kBaselineMv);

  if (printing_rank())
    std::printf(
        "[tagging] weak protocol: early change %+.4f mV (tag threshold %.2f); max rate N0 %.1f "
        "Hz, N1 %.1f Hz (protein threshold %.0f Hz)\n"
        "[tagging] N0 weak only:     %+.5f mV after tau_early (e^-1 early: %+.5f), %+.6f mV at "
        "%.0f "
        "s\n"
        "[tagging] N1 weak + strong: %+.5f mV at %.0f s (reference %+.5f; %.0f%% of the early "
        "change)\n"
        "[tagging] N2 strong only:   %+.5f mV; strong inputs on N1: %.4f -> %.4f mV (w_max %.1f)\n",
        early, kTagThresholdMv, n0_max_hz, n1_max_hz, kProteinThresholdHz, n0_tau,
        early * std::exp(-1.0), n0_end, layout.t_stop_ms * 1e-3, n1_end, layout.t_stop_ms * 1e-3,
        n1_expected, 100.0 * n1_end / early, weight(end, 0, 2) - kBaselineMv,
        weight(after_weak, 4, 1), weight(end, 4, 1), kWMaxMv);
}

// The slow processes must run at their own pace whatever the communication interval (the
// minimum delay). With a 2 ms delay and update_interval_ms = 1 ms the early change must still
// decay as e^{-t/tau_early}.
TEST(Tagging, EarlyDecayDoesNotDependOnTheCommunicationInterval) {
  Layout layout;
  layout.delay_ms = 2.0;  // interval 20 steps
  layout.update_interval_ms = 1.0;
  layout.t_stop_ms = kAfterWeakMs + kTauEarlyMs;
  const Protocol protocol = make_protocol();
  StagedRun run(tagging_toml(layout, protocol.pre, protocol.forced), "tagging_interval.toml");
  run.run_until(kAfterWeakMs);
  const double early = weight(run.synapses("syn"), 0, 0) - kBaselineMv;
  run.run_to_end();
  const double ratio = (weight(run.synapses("syn"), 0, 0) - kBaselineMv) / early;
  if (printing_rank())
    std::printf(
        "[tagging] delay 2 ms, update interval 1 ms: early change after tau_early %.5f of "
        "itself (e^-1 = %.5f)\n",
        ratio, std::exp(-1.0));
  EXPECT_NEAR(ratio, std::exp(-1.0), 1e-6);
}

}  // namespace
}  // namespace spikeweave::test
