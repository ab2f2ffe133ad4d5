// The frequency dependence of STDP (Sjoestroem, Turrigiano & Nelson 2001, Neuron 32:1149) with the
// triplet rule of Pfister & Gerstner (2006, J Neurosci 26:9673): 60 pre-post pairings with
// dt = +10 ms or -10 ms, repeated at 1, 10, 20, 40 and 50 Hz, through rule "stdp_triplet" with
// its defaults (P&G Table 3, visual cortex, all-to-all). Three comparisons:
//  1. the engine against an independent event-by-event evaluation of the P&G equations on the
//     spike times the engine actually produced (double weights: agreement to 1e-9);
//  2. the engine against Sjoestroem's data as tabulated by P&G (mean +- SEM): the triplet model
//     was fitted to these points, and every point must lie within 2 SEM;
//  3. the shape P&G's Fig. 3 shows: for +10 ms no change at low frequency and potentiation
//     growing with frequency; for -10 ms depression up to 20 Hz turning into potentiation at 40
//     and 50 Hz (the triplet term beating pair depression).
// Each condition has its own presynaptic spike_source and its own postsynaptic LIF, forced to
// fire at the wanted times by a strong spike_times stimulus; the plastic weights are far too
// small to make it fire. The pairing interval is the one the rule sees: NEST's convention
// (stdp_deliver.hpp), where a postsynaptic spike reaches the synapse after the dendritic delay
// d, so dt = t_post + d - t_pre.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "plastic_network_run.hpp"

namespace spikeweave::test {
namespace {

// P&G 2006 Table 3, visual cortex, all-to-all: the engine's defaults, repeated here so that the
// reference does not read them from the engine.
struct TripletModel {
  double tau_plus_ms = 16.8, tau_x_ms = 101.0, tau_minus_ms = 33.7, tau_y_ms = 125.0;
  double a2_plus = 5e-10, a3_plus = 6.2e-3, a2_minus = 7e-3, a3_minus = 2.3e-4;
};

struct Trajectory {
  double change = 0.0;  // final weight change, in units of w_max
  double low = 0.0;     // lowest and highest cumulative change on the way
  double high = 0.0;
};

// The all-to-all triplet rule straight from P&G's equations: detectors r1, r2 (pre) and
// o1, o2 (post) jump by 1 at each spike and decay exponentially; at a post spike
// w += r1 (A2+ + A3+ o2), at a pre spike w -= o1 (A2- + A3- r2), the triplet detector read just
// before its own jump. Times are as seen by the synapse; no bounds.
Trajectory triplet_reference(const TripletModel& m, const std::vector<double>& pre_ms,
                             const std::vector<double>& post_at_synapse_ms) {
  struct Event {
    double t;
    bool pre;
  };
  std::vector<Event> events;
  for (double t : pre_ms) events.push_back({t, true});
  for (double t : post_at_synapse_ms) events.push_back({t, false});
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.t < b.t; });
  double r1 = 0, r2 = 0, o1 = 0, o2 = 0, w = 0, last = 0;
  Trajectory traj;
  for (const Event& e : events) {
    const double gap = e.t - last;
    last = e.t;
    r1 *= std::exp(-gap / m.tau_plus_ms);
    r2 *= std::exp(-gap / m.tau_x_ms);
    o1 *= std::exp(-gap / m.tau_minus_ms);
    o2 *= std::exp(-gap / m.tau_y_ms);
    if (e.pre) {
      w -= o1 * (m.a2_minus + m.a3_minus * r2);
      r1 += 1.0;
      r2 += 1.0;
    } else {
      w += r1 * (m.a2_plus + m.a3_plus * o2);
      o1 += 1.0;
      o2 += 1.0;
    }
    traj.low = std::min(traj.low, w);
    traj.high = std::max(traj.high, w);
  }
  traj.change = w;
  return traj;
}

struct Condition {
  double frequency_hz;
  double dt_ms;      // t_post + d - t_pre
  double data_mean;  // Sjoestroem 2001 as tabulated by P&G 2006 (0.1 Hz for 1 Hz: see below)
  double data_sem;
  std::vector<double> pre_ms, post_ms;  // post: somatic spike times (stimulus times)
};

constexpr int kPairings = 60;
constexpr double kDelayMs = 1.0;
constexpr double kFirstPairingMs = 100.0;
constexpr double kWMaxMv = 0.1;  // 60 pairings x 0.1 mV stay far below the 20 mV threshold

// The lowest frequency of the experiment is 0.1 Hz; 60 pairings at 0.1 Hz would be 600 s of
// model time. At 1 Hz every detector has decayed to exp(-1000/125) = 3e-4 of a jump before the
// next pairing, so the model's 1 Hz and 0.1 Hz results differ by < 1e-4 (checked below with the
// reference) and the 0.1 Hz data point is the comparison for 1 Hz.
std::vector<Condition> sjostrom_conditions() {
  // {frequency, +10 ms mean, SEM, -10 ms mean, SEM} (P&G 2006, from Sjoestroem et al. 2001).
  const double table[5][5] = {{1.0, -0.04, 0.05, -0.29, 0.08},
                              {10.0, 0.14, 0.10, -0.41, 0.11},
                              {20.0, 0.29, 0.14, -0.34, 0.10},
                              {40.0, 0.53, 0.11, 0.56, 0.32},
                              {50.0, 0.56, 0.26, 0.75, 0.19}};
  std::vector<Condition> conditions;
  for (const auto& row : table) {
    for (int sign : {+1, -1}) {
      Condition c;
      c.frequency_hz = row[0];
      c.dt_ms = 10.0 * sign;
      c.data_mean = sign > 0 ? row[1] : row[3];
      c.data_sem = sign > 0 ? row[2] : row[4];
      const double period_ms = 1000.0 / c.frequency_hz;
      for (int k = 0; k < kPairings; ++k) {
        const double t_pre = kFirstPairingMs + k * period_ms + (sign < 0 ? 20.0 : 0.0);
        c.pre_ms.push_back(t_pre);
        c.post_ms.push_back(t_pre + c.dt_ms - kDelayMs);
      }
      conditions.push_back(c);
    }
  }
  return conditions;
}

std::vector<double> shifted(const std::vector<double>& times, double by_ms) {
  std::vector<double> out;
  for (double t : times) out.push_back(t + by_ms);
  return out;
}

// One pre population, one post population, one plastic projection and one forcing stimulus per
// condition. Each synapse starts where its predicted excursion stays centred in [0, w_max], so
// the bounds never clip and the change is the rule's own.
std::string protocol_toml(const std::vector<Condition>& conditions,
                          const std::vector<double>& initial_weight_mv, double t_stop_ms) {
  std::ostringstream toml;
  toml.precision(17);
  toml << "[simulation]\ndt_ms = 0.1\nt_stop_ms = " << t_stop_ms << "\nseed = 3\n";
  std::ostringstream record;
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    const Condition& c = conditions[i];
    toml << "[[population]]\nname = \"pre" << i << "\"\nsize = 1\nmodel = \"spike_source\"\n"
         << "params = { spike_times_ms = " << toml_times(c.pre_ms) << " }\n"
         << "[[population]]\nname = \"post" << i << "\"\nsize = 1\nmodel = \"lif_psc_delta\"\n"
         << "params = { e_l_mv = 0.0, v_th_mv = 20.0, v_reset_mv = 0.0, t_ref_ms = 0.0, "
            "tau_m_ms = 10.0 }\n"
         << "[[projection]]\nname = \"syn" << i << "\"\nsource = \"pre" << i
         << "\"\ntarget = \"post" << i << "\"\nconnect = { rule = \"all_to_all\" }\n"
         << "weight_mv = " << initial_weight_mv[i] << "\ndelay_ms = " << kDelayMs
         << "\n"
         // Sweeps every 100 ms: the facilitation of the last postsynaptic spikes (applied only at
         // the next presynaptic spike or sweep) is in the weights when the run ends 1 s later.
         << "plasticity = { rule = \"stdp_triplet\", w_max_mv = " << kWMaxMv
         << ", weight_type = \"double\", sweep_interval_ms = 100.0 }\n"
         << "[[stimulus]]\nkind = \"spike_times\"\ntarget = \"post" << i
         << "\"\ntimes_ms = " << toml_times(c.post_ms) << "\nweight_mv = 1000.0\n";
    record << (i ? ", " : "") << "\"pre" << i << "\", \"post" << i << "\"";
  }
  toml << "[[record]]\nspikes = [" << record.str() << "]\n";
  return toml.str();
}

TEST(SjostromTriplet, FrequencyDependenceMatchesPfisterGerstnerAndSjostromData) {
  const TripletModel model;
  const std::vector<Condition> conditions = sjostrom_conditions();
  std::vector<double> initial_weight_mv;
  double t_stop_ms = 0.0;
  for (const Condition& c : conditions) {
    const Trajectory planned = triplet_reference(model, c.pre_ms, shifted(c.post_ms, kDelayMs));
    // An excursion wider than 0.9 w_max would clip whatever the start; none is (max ~0.75).
    ASSERT_LT(planned.high - planned.low, 0.9) << c.frequency_hz << " Hz, " << c.dt_ms << " ms";
    initial_weight_mv.push_back(kWMaxMv * (0.5 - 0.5 * (planned.high + planned.low)));
    t_stop_ms = std::max(t_stop_ms, std::max(c.pre_ms.back(), c.post_ms.back()) + 1000.0);
  }
  // The 1 Hz stand-in for 0.1 Hz (see sjostrom_conditions).
  for (double dt : {10.0, -10.0}) {
    std::vector<double> pre, post;
    for (int k = 0; k < kPairings; ++k) {
      pre.push_back(100.0 + 10000.0 * k);
      post.push_back(pre.back() + dt);
    }
    const double at_0_1_hz = triplet_reference(model, pre, post).change;
    const Condition& at_1_hz = conditions[dt > 0 ? 0 : 1];
    EXPECT_NEAR(triplet_reference(model, at_1_hz.pre_ms, shifted(at_1_hz.post_ms, kDelayMs)).change,
                at_0_1_hz, 1e-4);
  }

  const PlasticNetworkResult run =
      run_plastic_network(world(), protocol_toml(conditions, initial_weight_mv, t_stop_ms), [&] {
        std::vector<std::string> names;
        for (std::size_t i = 0; i < conditions.size(); ++i)
          names.push_back("syn" + std::to_string(i));
        return names;
      }());

  std::ostringstream table;
  table << "\n  f [Hz]  dt [ms]  engine dw/w_max  P&G reference  data (mean +- SEM)\n";
  std::vector<double> change(conditions.size());
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    const Condition& c = conditions[i];
    const std::string where =
        std::to_string(c.frequency_hz) + " Hz, dt " + std::to_string(c.dt_ms) + " ms";
    const std::vector<double>& pre = run.spikes_ms.at("pre" + std::to_string(i)).at(0);
    const std::vector<double>& post = run.spikes_ms.at("post" + std::to_string(i)).at(0);
    // The protocol really happened: 60 pre and 60 forced post spikes at the planned times.
    ASSERT_EQ(pre.size(), static_cast<std::size_t>(kPairings)) << where;
    ASSERT_EQ(post.size(), static_cast<std::size_t>(kPairings)) << where;
    for (int k = 0; k < kPairings; ++k) {
      ASSERT_NEAR(pre[k], c.pre_ms[k], 1e-9) << where;
      ASSERT_NEAR(post[k] + kDelayMs - pre[k], c.dt_ms, 1e-9) << where;
    }
    const std::vector<engine::SynapseState>& before = run.initial.at("syn" + std::to_string(i));
    const std::vector<engine::SynapseState>& after = run.final.at("syn" + std::to_string(i));
    ASSERT_EQ(after.size(), 1u);
    ASSERT_EQ(after[0].delay_steps, 10);
    change[i] = (after[0].weight - before[0].weight) / kWMaxMv;

    // 1. Engine vs the equations, on the engine's own spike times. Double weights; the engine
    // decays traces over a different sequence of intervals (per spike, per sweep), so the two
    // differ by rounding only: 1e-9 of w_max is far above that and far below any modelling
    // error (a missed or doubled pairing is >= 1e-4).
    const Trajectory expected = triplet_reference(model, pre, shifted(post, kDelayMs));
    EXPECT_NEAR(change[i], expected.change, 1e-9) << where;
    // The weight never reached a bound, so the comparison is with the unbounded rule.
    const double w0 = before[0].weight / kWMaxMv;
    EXPECT_GT(w0 + expected.low, 0.0) << where;
    EXPECT_LT(w0 + expected.high, 1.0) << where;

    // 2. Engine vs Sjoestroem's data: P&G fitted the model to these ten points; its largest
    // deviation is 1.3 SEM (-10 ms at 40 Hz: model 0.15, data 0.56 +- 0.32). 2 SEM accepts the
    // published fit and rejects rules without the triplet term: with A3+ = 0 the -10 ms pairings
    // at 50 Hz end at -0.78 (8 SEM off); a pair rule with balanced windows (A2+ tau+ = A2- tau-)
    // gives +0.46 for +10 ms at 1 Hz (10 SEM off).
    EXPECT_LE(std::fabs(change[i] - c.data_mean), 2.0 * c.data_sem)
        << where << ": engine " << change[i] << ", data " << c.data_mean << " +- " << c.data_sem;
    char line[128];
    std::snprintf(line, sizeof line, "  %6.0f  %+7.0f  %+15.4f  %+13.4f  %+8.2f +- %.2f\n",
                  c.frequency_hz, c.dt_ms, change[i], expected.change, c.data_mean, c.data_sem);
    table << line;
  }
  if (world().rank() == 0) std::printf("%s", table.str().c_str());

  // 3. The shape. Index 2k is +10 ms, 2k + 1 is -10 ms at frequency k (1, 10, 20, 40, 50 Hz).
  // +10 ms: no plasticity at 1 Hz (the pair term A2+ = 5e-10 is negligible and the triplet term
  // needs a previous post spike within ~tau_y = 125 ms), then potentiation rising with frequency.
  EXPECT_LT(std::fabs(change[0]), 1e-3);
  for (int k = 1; k < 5; ++k) {
    EXPECT_GT(change[2 * k], change[2 * (k - 1)] + 0.05) << "+10 ms potentiation must grow";
  }
  EXPECT_GT(change[8], 0.5);
  // -10 ms: pair depression A2- exp(-10/33.7) per pairing (60 x 5.2e-3 = 0.31) up to 20 Hz, then
  // potentiation at 40 and 50 Hz where the post spike of the next pairing follows the pre spike
  // closely enough for the triplet term to win.
  for (int k = 0; k < 3; ++k) EXPECT_LT(change[2 * k + 1], -0.25) << "-10 ms at low frequency";
  EXPECT_GT(change[7], 0.05);
  EXPECT_GT(change[9], 0.5);
}

}  // namespace
}  // namespace spikeweave::test
