// The aeif_cond_exp model against the firing patterns of Naud et al. (2008, Biol Cybern 99:335,
// Table 1): tonic spiking, adaptation, initial burst, regular bursting, delayed accelerating,
// delayed regular bursting, transient spiking and irregular spiking, each a single neuron at rest
// (V = E_L, w = 0) under its step current from t = 0 (a dc stimulus), V_peak = 0 mV, no
// refractory period (NEST's defaults), dt = 0.1 ms, 500 ms. Checked:
//   1. the spike times against a reference integration written here: classical RK4 with a fixed
//      step of 1 us, V in the right-hand side capped at V_peak as in NEST, the reset at the first
//      fine step with V >= V_peak. SpikeWeave resets inside the 0.1 ms step too (at the end of
//      the adaptive sub-step that crossed V_peak) but reports the spike at the end of that step,
//      so its time t_sw lies in [t_ref, t_ref + dt] up to integration error. Tolerance: t_sw -
//      t_ref in [-0.02, dt + 0.02] ms for the first spikes (up to 6, the first 150 ms). The 0.02
//      ms cover the detection latency of the adaptive sub-steps (about 1-10 us near V_peak, where
//      dV/dt exceeds 1e3 mV/ms and the error control shrinks the steps) and of the reference
//      (1 us), and the error of two integrations at tolerance 1e-6 and O(h^4) with h = 1 us,
//      which accumulate over a few spikes to well under 0.01 ms (the worst observed offset beyond
//      the reporting grid is printed). Later spikes of the irregular pattern are chaotic (Naud et
//      al.: low-dimensional chaos), so spike counts are compared only for the regular patterns.
//   2. the pattern class of each set, from the interspike intervals (criteria in
//      expect_pattern, thresholds with a margin of at least 1.5x to the observed ISIs).
//   3. conductance input: a spike train of 5 nS onto a neuron below threshold; the recorded V
//      follows the reference integration (same RK4, the conductance jumping at the end of the
//      step the spike arrives in) to 1e-4 mV, i.e. the weight is a jump of g_ex in nS; so do the
//      recorded g_ex and w (record.v_m.variables).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "validation/in_process_run.hpp"

namespace spikeweave::validation {
namespace {

constexpr double kDtMs = 0.1;
constexpr double kTStopMs = 500.0;
constexpr double kVPeakMv = 0.0;

struct Pattern {
  std::string name;
  double c_pf, g_l_ns, e_l_mv, v_t_mv, delta_t_mv, a_ns, tau_w_ms, b_pa, v_r_mv, i_pa;
};

// Naud et al. (2008), Table 1.
const std::vector<Pattern> kPatterns = {
    {"tonic", 200, 10, -70, -50, 2, 2, 30, 0, -58, 500},
    {"adapting", 200, 12, -70, -50, 2, 2, 300, 60, -58, 500},
    {"initial_burst", 130, 18, -58, -50, 2, 4, 150, 120, -50, 400},
    {"regular_bursting", 200, 10, -58, -50, 2, 2, 120, 100, -46, 210},
    {"delayed_accelerating", 200, 12, -70, -50, 2, -10, 300, 0, -58, 300},
    {"delayed_regular_bursting", 100, 10, -65, -50, 2, -10, 90, 30, -47, 110},
    {"transient", 100, 10, -65, -50, 2, 10, 90, 100, -47, 350},
    {"irregular", 100, 12, -60, -50, 2, -11, 130, 30, -48, 160},
};

// The reference: classical RK4 of (V, g_ex, w) with a fixed fine step. `kicks` maps a simulation
// step n to a conductance jump [nS] at its end, t = (n + 1) dt. `trace` receives V at the end of
// each simulation step.
struct Reference {
  std::vector<double> spikes_ms;
  std::vector<double> v_trace, g_trace, w_trace;
};

Reference reference(const Pattern& p, double i_pa, const std::map<long, double>& kicks = {},
                    int fine = 100) {
  // `fine` steps per simulation step: 100 is h = 1 us; 1 is integrator = "rk4" (one step of dt,
  // the spike test at its end).
  const double h = kDtMs / fine;
  const double tau_syn_ex = 0.2, e_ex = 0.0;
  auto f = [&](const double y[3], double dy[3]) {
    const double v = std::min(y[0], kVPeakMv);
    dy[0] = (-p.g_l_ns * (v - p.e_l_mv) +
             p.g_l_ns * p.delta_t_mv * std::exp((v - p.v_t_mv) / p.delta_t_mv) - y[1] * (v - e_ex) -
             y[2] + i_pa) /
            p.c_pf;
    dy[1] = -y[1] / tau_syn_ex;
    dy[2] = (p.a_ns * (v - p.e_l_mv) - y[2]) / p.tau_w_ms;
  };
  Reference r;
  double y[3] = {p.e_l_mv, 0.0, 0.0};
  const long steps = std::lround(kTStopMs / kDtMs);
  for (long n = 0; n < steps; ++n) {
    for (int k = 0; k < fine; ++k) {
      double k1[3], k2[3], k3[3], k4[3], t[3];
      f(y, k1);
      for (int i = 0; i < 3; ++i) t[i] = y[i] + 0.5 * h * k1[i];
      f(t, k2);
      for (int i = 0; i < 3; ++i) t[i] = y[i] + 0.5 * h * k2[i];
      f(t, k3);
      for (int i = 0; i < 3; ++i) t[i] = y[i] + h * k3[i];
      f(t, k4);
      for (int i = 0; i < 3; ++i) y[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
      if (y[0] >= kVPeakMv) {
        y[0] = p.v_r_mv;
        y[2] += p.b_pa;
        r.spikes_ms.push_back(static_cast<double>(n) * kDtMs + (k + 1) * h);
      }
    }
    const auto kick = kicks.find(n);
    if (kick != kicks.end()) y[1] += kick->second;
    r.v_trace.push_back(y[0]);
    r.g_trace.push_back(y[1]);
    r.w_trace.push_back(y[2]);
  }
  return r;
}

std::string params(const Pattern& p, const std::string& extra = "") {
  std::ostringstream s;
  s << "{ c_m_pf = " << p.c_pf << ", g_l_ns = " << p.g_l_ns << ", e_l_mv = " << p.e_l_mv
    << ", v_th_mv = " << p.v_t_mv << ", delta_t_mv = " << p.delta_t_mv << ", a_ns = " << p.a_ns
    << ", tau_w_ms = " << p.tau_w_ms << ", b_pa = " << p.b_pa << ", v_reset_mv = " << p.v_r_mv
    << ", v_peak_mv = " << kVPeakMv << extra << " }";
  return s.str();
}

std::string configuration() {
  std::ostringstream toml;
  toml << "[simulation]\ndt_ms = " << kDtMs << "\nt_stop_ms = " << kTStopMs << "\nseed = 1\n";
  for (const std::string integrator : {"rkf45", "rk4"}) {
    const std::string suffix = integrator == "rk4" ? "_rk4" : "";
    for (const Pattern& p : kPatterns) {
      toml << "[[population]]\nname = \"" << p.name << suffix
           << "\"\nsize = 1\nmodel = \"aeif_cond_exp\"\nparams = "
           << params(p, ", integrator = \"" + integrator + "\"")
           << "\n[[stimulus]]\nkind = \"dc\"\ntarget = \"" << p.name << suffix
           << "\"\namplitude_pa = " << p.i_pa << "\n";
    }
  }
  // The tonic neuron without drive, kicked by 5 nS at 20, 20.5, ..., 24.5 ms: stays subthreshold.
  toml << "[[population]]\nname = \"kicked\"\nsize = 1\nmodel = \"aeif_cond_exp\"\nparams = "
       << params(kPatterns[0])
       << "\n[[stimulus]]\nkind = \"spike_times\"\ntarget = \"kicked\"\n"
          "times_ms = [20.0, 20.5, 21.0, 21.5, 22.0, 22.5, 23.0, 23.5, 24.0, 24.5]\n"
          "weight_ns = 5.0\n[[record]]\nspikes = \"all\"\n"
          "[[record]]\nv_m = { population = \"kicked\", node_ids = [0], every_ms = 0.1, "
          "variables = [\"g_ex_ns\", \"w_pa\"] }\n";
  return toml.str();
}

std::vector<double> spike_times(InProcessRun& run, const std::string& population) {
  std::vector<double> times;
  for (const auto& [node, step] :
       run.out.gather_sorted(test::world(), run.spike_group(population), kDtMs)) {
    times.push_back(static_cast<double>(step) * kDtMs);
  }
  return times;
}

std::vector<double> intervals(const std::vector<double>& t) {
  std::vector<double> isi;
  for (std::size_t k = 1; k < t.size(); ++k) isi.push_back(t[k] - t[k - 1]);
  return isi;
}

// Bursts: runs of ISIs below `short_ms` ended by a pause above `pause_ms`; returns the number
// of pauses and checks each pause follows at least `min_short` short ISIs and every ISI is
// either short or a pause.
std::size_t count_bursts(const std::vector<double>& isi, double short_ms, double pause_ms,
                         std::size_t min_short, const std::string& name) {
  std::size_t pauses = 0, run_length = 0;
  for (double d : isi) {
    if (d > pause_ms) {
      EXPECT_GE(run_length, min_short) << name << ": a pause after a burst too short";
      ++pauses;
      run_length = 0;
    } else {
      EXPECT_LT(d, short_ms) << name << ": an ISI neither in a burst nor a pause";
      ++run_length;
    }
  }
  return pauses;
}

// The classes of Naud et al. (2008), Fig. 4, from the ISIs [ms] of 500 ms. Observed ISIs (the
// reference): tonic 8.9-9.6; adapting 11.3 growing to 76; initial burst 3.4, 7.3, 54.7 then 64;
// regular bursting 2.9-5.4 within bursts, 132-133 between; delayed accelerating first spike at
// 33.6 ms, ISIs 20.6 falling to 10; delayed regular bursting first spike at 57 ms, 3.3-8.2
// within bursts, 57 between; transient 1.8, 3.2 then 83; irregular 3.5-39 without period.
void expect_pattern(const std::string& name, const std::vector<double>& t) {
  ASSERT_GE(t.size(), 5u) << name;
  const std::vector<double> isi = intervals(t);
  const double first = isi.front(), last = isi.back();
  if (name == "tonic") {
    // Regular from the start: every ISI within 10 % of the steady one.
    for (double d : isi) EXPECT_NEAR(d, last, 0.1 * last) << name;
  } else if (name == "adapting") {
    // No burst; ISIs lengthen monotonically to more than 3 times the first.
    EXPECT_GT(first, 8.0) << name;
    for (std::size_t k = 1; k < isi.size(); ++k) EXPECT_GE(isi[k], isi[k - 1] - 0.2) << name;
    EXPECT_GT(last, 3.0 * first) << name;
  } else if (name == "initial_burst") {
    // Two short ISIs, then tonic spiking at long steady ISIs.
    EXPECT_LT(isi[0], 12.0) << name;
    EXPECT_LT(isi[1], 12.0) << name;
    for (std::size_t k = 2; k < isi.size(); ++k) {
      EXPECT_GT(isi[k], 40.0) << name;
      if (k >= 3) {  // the first ISI after the burst is shorter
        EXPECT_NEAR(isi[k], last, 0.1 * last) << name;
      }
    }
  } else if (name == "regular_bursting") {
    EXPECT_GE(count_bursts(isi, 10.0, 80.0, 1, name), 2u);
  } else if (name == "delayed_accelerating") {
    // A delay longer than the later ISIs, then ISIs shortening monotonically.
    EXPECT_GT(t.front(), 1.3 * first) << name;
    for (std::size_t k = 1; k < isi.size(); ++k) EXPECT_LT(isi[k], isi[k - 1] + 0.2) << name;
    EXPECT_LT(last, 0.7 * first) << name;
  } else if (name == "delayed_regular_bursting") {
    EXPECT_GT(t.front(), 40.0) << name;
    EXPECT_GE(count_bursts(isi, 12.0, 35.0, 2, name), 3u);
  } else if (name == "transient") {
    // A fast onset (two ISIs under 5 ms), then the rate falls more than tenfold.
    EXPECT_LT(isi[0], 5.0) << name;
    EXPECT_LT(isi[1], 5.0) << name;
    for (std::size_t k = 2; k < isi.size(); ++k) EXPECT_GT(isi[k], 10.0 * isi[1]) << name;
  } else if (name == "irregular") {
    // No period: after the onset, the ISIs' coefficient of variation exceeds 0.4 and no ISI
    // repeats its predecessor of period 1-4 within 2 %.
    std::vector<double> late(isi.begin() + 3, isi.end());
    ASSERT_GE(late.size(), 12u) << name;
    double sum = 0.0, sum_sq = 0.0;
    for (double d : late) {
      sum += d;
      sum_sq += d * d;
    }
    const double mean = sum / static_cast<double>(late.size());
    const double cv = std::sqrt(sum_sq / static_cast<double>(late.size()) - mean * mean) / mean;
    EXPECT_GT(cv, 0.4) << name;
    for (std::size_t period = 1; period <= 4; ++period) {
      std::size_t repeats = 0;
      for (std::size_t k = period; k < late.size(); ++k) {
        repeats += std::fabs(late[k] - late[k - period]) < 0.02 * late[k] ? 1 : 0;
      }
      EXPECT_LT(repeats, late.size() - period) << name << " is periodic with period " << period;
    }
  }
}

class AeifCondExp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    run_ = new InProcessRun(configuration(), "aeif.toml");
    run_->sim.run_to_end();
  }
  static void TearDownTestSuite() {
    delete run_;
    run_ = nullptr;
  }
  static InProcessRun* run_;
};
InProcessRun* AeifCondExp::run_ = nullptr;

TEST_F(AeifCondExp, NaudFiringPatternsMatchTheReferenceAndTheirClass) {
  for (const Pattern& p : kPatterns) {
    const std::vector<double> got = spike_times(*run_, p.name);
    const std::vector<double> want = reference(p, p.i_pa).spikes_ms;
    std::printf("[aeif %s] %zu spikes (reference %zu), first:", p.name.c_str(), got.size(),
                want.size());
    for (std::size_t k = 0; k < got.size() && k < 4; ++k) {
      std::printf(" %.1f (%.3f)", got[k], want.size() > k ? want[k] : -1.0);
    }
    std::printf("\n");
    ASSERT_FALSE(want.empty()) << p.name;
    double worst = 0.0;
    for (std::size_t k = 0; k < want.size() && k < 6 && want[k] < 150.0; ++k) {
      ASSERT_GT(got.size(), k) << p.name;
      const double offset = got[k] - want[k];
      EXPECT_GE(offset, -0.02) << p.name << " spike " << k;
      EXPECT_LE(offset, kDtMs + 0.02) << p.name << " spike " << k;
      worst = std::max({worst, -offset, offset - kDtMs});
    }
    std::printf("[aeif %s] largest offset beyond the reporting grid: %.4f ms\n", p.name.c_str(),
                worst);
    if (p.name != "irregular") {
      // Regular patterns: the same number of spikes in 500 ms (a drift of a few us per spike
      // cannot add or remove one unless a spike falls within it of the end).
      EXPECT_NEAR(static_cast<double>(got.size()), static_cast<double>(want.size()), 1.0) << p.name;
    }
    expect_pattern(p.name, got);
  }
}

TEST_F(AeifCondExp, ConductanceInputIsAJumpOfGex) {
  std::map<long, double> kicks;
  for (int k = 0; k < 10; ++k) kicks[199 + 5 * k] = 5.0;  // a spike at t lands in step t/dt - 1
  const Reference want = reference(kPatterns[0], 0.0, kicks);
  ASSERT_TRUE(want.spikes_ms.empty());
  ASSERT_EQ(run_->out.reports.size(), 1u);
  const auto& values = run_->out.reports[0].values;
  ASSERT_EQ(values.size(), want.v_trace.size());
  double peak = -1e9;
  for (std::size_t n = 0; n < values.size(); ++n) {
    // float32 storage rounds |V| < 100 mV to 4e-6 mV; the two integrations agree to < 1e-5.
    ASSERT_NEAR(values[n], want.v_trace[n], 1e-4) << "sample " << n;
    peak = std::max(peak, want.v_trace[n]);
  }
  EXPECT_GT(peak, -69.0) << "the kicks should depolarise the neuron by more than 1 mV";
}

// The recorded state variables (record.v_m.variables) are g_ex and w after each step: float32
// of values that agree with the reference to < 1e-6 (as V above).
TEST_F(AeifCondExp, RecordedConductanceAndAdaptationFollowTheReference) {
  std::map<long, double> kicks;
  for (int k = 0; k < 10; ++k) kicks[199 + 5 * k] = 5.0;
  const Reference want = reference(kPatterns[0], 0.0, kicks);
  const auto& states = run_->out.reports.at(0).states;
  ASSERT_EQ(states.count("g_ex_ns"), 1u);
  ASSERT_EQ(states.count("w_pa"), 1u);
  const std::vector<float>& g = states.at("g_ex_ns");
  const std::vector<float>& w = states.at("w_pa");
  ASSERT_EQ(g.size(), want.g_trace.size());
  ASSERT_EQ(w.size(), want.w_trace.size());
  double w_max = 0.0;
  for (std::size_t n = 0; n < g.size(); ++n) {
    ASSERT_NEAR(g[n], want.g_trace[n], 1e-5) << "g_ex sample " << n;
    ASSERT_NEAR(w[n], want.w_trace[n], 1e-5) << "w sample " << n;
    w_max = std::max(w_max, want.w_trace[n]);
  }
  EXPECT_NEAR(g[199], 5.0, 1e-6) << "the first kick, at the end of step 199";
  EXPECT_GT(w_max, 0.5) << "a = 2 nS times a few mV of depolarisation";
}

// integrator = "rk4": one classical RK4 step of dt per step and the spike test at its end, the
// same as the reference with one fine step per simulation step. The kernel multiplies by
// reciprocals where the reference divides, so the two differ by rounding (1e-16 relative) only:
// the spike steps agree exactly for the regular patterns (the irregular one is chaotic and
// amplifies rounding, so only its first spikes are compared). The coarse scheme fires later
// than the adaptive one (its spike is only seen at the step's end), so these are not the
// Table 1 times; the pattern classes must hold all the same.
TEST_F(AeifCondExp, FixedStepRk4MatchesItsReferenceAndKeepsThePatterns) {
  for (const Pattern& p : kPatterns) {
    const std::vector<double> got = spike_times(*run_, p.name + "_rk4");
    const std::vector<double> want = reference(p, p.i_pa, {}, 1).spikes_ms;
    std::printf("[aeif rk4 %s] %zu spikes (reference %zu)\n", p.name.c_str(), got.size(),
                want.size());
    const std::size_t compared =
        p.name == "irregular" ? std::min<std::size_t>(5, want.size()) : want.size();
    if (p.name != "irregular") {
      ASSERT_EQ(got.size(), want.size()) << p.name;
    }
    ASSERT_GE(got.size(), compared) << p.name;
    for (std::size_t k = 0; k < compared; ++k) {
      EXPECT_NEAR(got[k], want[k], 1e-9) << p.name << " spike " << k;
    }
    expect_pattern(p.name, got);
  }
}

// A kernel that runs out of its step budget stops the run with an error naming the population's
// params key, the model, the neuron and the time (the first step needs at least three trial
// steps: the integration step starts at 0.01 ms and grows at most fivefold per trial).
TEST(AeifCondExpErrors, StepBudgetExceededNamesTheNeuron) {
  const std::string toml =
      "[simulation]\ndt_ms = 0.1\nt_stop_ms = 1.0\n[[population]]\nname = \"a\"\nsize = 3\n"
      "model = \"aeif_cond_exp\"\nparams = { max_substeps = 1 }\n";
  InProcessRun run(toml, "budget.toml");
  try {
    run.sim.run_to_end();
    FAIL() << "a step budget of 1 should not suffice";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    for (const char* part : {"population[0].params", "aeif_cond_exp", "neuron 0",
                             "step ending at 0.1 ms", "max_substeps"}) {
      EXPECT_NE(what.find(part), std::string::npos) << "'" << what << "' lacks '" << part << "'";
    }
  }
}

}  // namespace
}  // namespace spikeweave::validation
