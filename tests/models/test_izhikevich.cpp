// The izhikevich model against Izhikevich (2003): the regular spiking (RS), intrinsically
// bursting (IB), chattering (CH), fast spiking (FS) and low-threshold spiking (LTS) parameter
// sets of the paper's Fig. 2, each driven by a step of I = 10 from t = 0 (i_e_pa = 10) starting
// from v = -65 mV, u = b v. Checked:
//   1. the spike times equal those of a reference integration written here independently (a
//      plain double loop of the same scheme). Tolerance: none beyond printing. The kernel and the
//      reference evaluate the same expression in the same order with floating-point contraction
//      off (SPIKEWEAVE_NO_CONTRACTION around both), so v and u agree bitwise and so do the spike
//      steps; times are compared to 1e-9 ms (they are step * dt).
//   2. the firing-pattern class of each set, from its interspike intervals (ISIs): tonic with
//      adaptation (RS), an initial burst then tonic spiking (IB), repeated bursts (CH), fast tonic
//      spiking without adaptation (FS), fast spiking with adaptation (LTS).
// Both NEST schemes are checked (consistent_integration = true, and the 2003 scheme with half
// steps of v), and a synaptic input's weight must be a jump of v [mV], as in NEST.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "kernels/neuron_update.hpp"
#include "validation/in_process_run.hpp"

namespace spikeweave::validation {
namespace {

constexpr double kDtMs = 0.1;
constexpr double kTStopMs = 500.0;

struct PatternSet {
  std::string name;
  double a, b, c, d;
};

const std::vector<PatternSet> kSets = {
    {"rs", 0.02, 0.2, -65.0, 8.0}, {"ib", 0.02, 0.2, -55.0, 4.0},   {"ch", 0.02, 0.2, -50.0, 2.0},
    {"fs", 0.1, 0.2, -65.0, 2.0},  {"lts", 0.02, 0.25, -65.0, 2.0},
};

SPIKEWEAVE_NO_CONTRACTION_BEGIN
// The reference: NEST's izhikevich update written out for one neuron. `kicks` maps a step index
// n (the step ending at (n + 1) dt) to a voltage jump [mV].
// `trace`, if given, receives v after each step.
std::vector<double> reference_spike_times(const PatternSet& s, double i_e, bool consistent,
                                          const std::map<long, double>& kicks = {},
                                          std::vector<double>* trace = nullptr,
                                          std::vector<double>* u_trace = nullptr) {
  double v = -65.0, u = s.b * -65.0;
  const double h = kDtMs;
  std::vector<double> times;
  const long steps = std::lround(kTStopMs / h);
  for (long n = 0; n < steps; ++n) {
    const auto kick = kicks.find(n);
    const double jump = kick == kicks.end() ? 0.0 : kick->second;
    double v_new, u_new;
    if (consistent) {
      v_new = v + h * (0.04 * v * v + 5.0 * v + 140.0 - u + i_e) + jump;
      u_new = u + h * s.a * (s.b * v - u);
    } else {
      v_new = v + jump;
      v_new = v_new + 0.5 * h * (0.04 * v_new * v_new + 5.0 * v_new + 140.0 - u + i_e);
      v_new = v_new + 0.5 * h * (0.04 * v_new * v_new + 5.0 * v_new + 140.0 - u + i_e);
      u_new = u + h * s.a * (s.b * v_new - u);
    }
    if (v_new >= 30.0) {
      v_new = s.c;
      u_new += s.d;
      times.push_back(static_cast<double>(n + 1) * h);
    }
    v = v_new;
    u = u_new;
    if (trace != nullptr) trace->push_back(v);
    if (u_trace != nullptr) u_trace->push_back(u);
  }
  return times;
}
SPIKEWEAVE_NO_CONTRACTION_END

std::string configuration(bool consistent) {
  std::ostringstream toml;
  toml.precision(17);
  toml << "[simulation]\ndt_ms = " << kDtMs << "\nt_stop_ms = " << kTStopMs << "\nseed = 1\n";
  for (const PatternSet& s : kSets) {
    toml << "[[population]]\nname = \"" << s.name << "\"\nsize = 1\nmodel = \"izhikevich\"\n"
         << "params = { a = " << s.a << ", b = " << s.b << ", c_mv = " << s.c << ", d = " << s.d
         << ", i_e_pa = 10.0, consistent_integration = " << (consistent ? "true" : "false")
         << " }\n";
  }
  // A neuron without drive kicked by three synaptic spikes of 12 mV at 20, 20.5 and 21 ms.
  toml << "[[population]]\nname = \"kicked\"\nsize = 1\nmodel = \"izhikevich\"\n"
       << "params = { consistent_integration = " << (consistent ? "true" : "false") << " }\n"
       << "[[stimulus]]\nkind = \"spike_times\"\ntarget = \"kicked\"\n"
       << "times_ms = [20.0, 20.5, 21.0]\nweight_mv = 12.0\n"
       << "[[record]]\nspikes = \"all\"\n"
       << "[[record]]\nv_m = { population = \"rs\", node_ids = [0], every_ms = " << kDtMs
       << ", variables = [\"u_mv\"] }\n";
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

void expect_same_times(const std::vector<double>& got, const std::vector<double>& want,
                       const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t k = 0; k < got.size(); ++k) {
    EXPECT_NEAR(got[k], want[k], 1e-9) << what << " spike " << k;
  }
}

// The pattern classes, from the ISIs (ms) of 500 ms at I = 10. Intra-burst ISIs are 1.5-6.2 ms
// (IB, CH, both schemes), the pauses between CH bursts 47-49 ms and tonic ISIs of RS and IB
// 23-46 ms, so 10 ms and 20 ms separate them with margin; FS and LTS are told apart by rate
// and adaptation, not by these thresholds.
void expect_pattern(const std::string& name, const std::vector<double>& isi) {
  ASSERT_GE(isi.size(), 8u) << name;
  const double first = isi.front(), last = isi.back();
  std::size_t short_isi = 0, long_isi = 0;
  for (double d : isi) {
    short_isi += d < 10.0 ? 1 : 0;
    long_isi += d > 20.0 ? 1 : 0;
  }
  if (name == "rs") {
    // Tonic spiking with adaptation: no burst, the ISI lengthens to a steady value.
    EXPECT_EQ(short_isi, 0u);
    EXPECT_GT(last, 1.5 * first);
    EXPECT_NEAR(isi[isi.size() - 2], last, 0.11);
  } else if (name == "ib") {
    // An initial burst (the first two ISIs short), then tonic spiking only.
    EXPECT_LT(isi[0], 10.0);
    EXPECT_LT(isi[1], 10.0);
    EXPECT_EQ(short_isi, 2u);
    EXPECT_EQ(long_isi, isi.size() - 2);
  } else if (name == "ch") {
    // Repeated bursts: at least 5 pauses, each after a burst of at least 3 spikes.
    EXPECT_GE(long_isi, 5u);
    std::size_t run_length = 0;
    for (double d : isi) {
      if (d > 20.0) {
        EXPECT_GE(run_length, 2u) << "a pause after a burst of fewer than 3 spikes";
        run_length = 0;
      } else {
        EXPECT_LT(d, 10.0);
        ++run_length;
      }
    }
  } else if (name == "fs") {
    // Fast tonic spiking (> 100 Hz) without adaptation: the steady ISI varies by < 5 %.
    EXPECT_LT(last, 10.0);
    double lo = 1e9, hi = 0.0;
    for (std::size_t k = isi.size() / 2; k < isi.size(); ++k) {
      lo = std::min(lo, isi[k]);
      hi = std::max(hi, isi[k]);
    }
    EXPECT_LT(hi - lo, 0.05 * lo);
    EXPECT_EQ(long_isi, 0u);
  } else if (name == "lts") {
    // Fast spiking with adaptation: short first ISIs lengthening to a steady tonic rate.
    EXPECT_LT(first, 10.0);
    EXPECT_GT(last, 2.0 * first);
    EXPECT_EQ(long_isi, 0u);
  }
}

class Izhikevich : public ::testing::TestWithParam<bool> {};

TEST_P(Izhikevich, Izhikevich2003SetsMatchTheReferenceAndTheirPatternClass) {
  const bool consistent = GetParam();
  InProcessRun run(configuration(consistent), "izhikevich.toml");
  run.sim.run_to_end();
  for (const PatternSet& s : kSets) {
    const std::vector<double> got = spike_times(run, s.name);
    expect_same_times(got, reference_spike_times(s, 10.0, consistent), s.name);
    const std::vector<double> isi = intervals(got);
    std::printf("[izhikevich %s] %s: %zu spikes, first ISIs", consistent ? "euler" : "2003",
                s.name.c_str(), got.size());
    for (std::size_t k = 0; k < isi.size() && k < 8; ++k) std::printf(" %.1f", isi[k]);
    std::printf(" ms\n");
    expect_pattern(s.name, isi);
  }
}

TEST_P(Izhikevich, SynapticWeightIsAVoltageJump) {
  const bool consistent = GetParam();
  InProcessRun run(configuration(consistent), "izhikevich.toml");
  run.sim.run_to_end();
  // A spike at t lands in the step ending at t: step index t / dt - 1.
  const std::map<long, double> kicks = {{199, 12.0}, {204, 12.0}, {209, 12.0}};
  const PatternSet rs = kSets.front();
  const std::vector<double> want = reference_spike_times(rs, 0.0, consistent, kicks);
  ASSERT_FALSE(want.empty()) << "the kicks should make the neuron fire";
  expect_same_times(spike_times(run, "kicked"), want, "kicked");
}

// The recorded v_m is the model's v [mV] (stored absolute: e_l_mv() is 0), after each step, and
// the recorded u_mv (record.v_m.variables) its u.
TEST_P(Izhikevich, RecordedMembranePotentialIsV) {
  const bool consistent = GetParam();
  InProcessRun run(configuration(consistent), "izhikevich.toml");
  run.sim.run_to_end();
  std::vector<double> want, want_u;
  reference_spike_times(kSets.front(), 10.0, consistent, {}, &want, &want_u);
  ASSERT_EQ(run.out.reports.size(), 1u);
  const auto& values = run.out.reports[0].values;
  ASSERT_EQ(values.size(), want.size());
  const auto& u = run.out.reports[0].states.at("u_mv");  // record.v_m.variables
  ASSERT_EQ(u.size(), want_u.size());
  for (std::size_t n = 0; n < want.size(); ++n) {
    // Stored as float32: |v| <= 100 mV rounds to within 4e-6 mV.
    ASSERT_NEAR(values[n], want[n], 1e-5) << "sample " << n;
    ASSERT_NEAR(u[n], want_u[n], 1e-5) << "u sample " << n;
  }
}

INSTANTIATE_TEST_SUITE_P(BothSchemes, Izhikevich, ::testing::Values(true, false));

}  // namespace
}  // namespace spikeweave::validation
