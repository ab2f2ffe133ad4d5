#pragma once
// Runs small plastic networks in-process and collects spikes and final weights, for the STDP
// tests: presynaptic spike_source neurons with given trains, postsynaptic LIF neurons forced to
// fire at given times by a strong spike_times stimulus (the plastic weights are far too small
// to make them fire on their own).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "common/memory_run_output.hpp"
#include "common/test_context.hpp"
#include "engine/simulation.hpp"
#include "network/spec.hpp"

namespace spikeweave::test {

// A random spike train on the 0.1 ms grid: intervals of min_isi_ms plus an exponential of mean
// 1/rate, from from_ms until to_ms, distinct times.
inline std::vector<double> random_train(std::mt19937_64& rng, double rate_hz, double from_ms,
                                        double to_ms, double min_isi_ms = 0.1) {
  std::exponential_distribution<double> isi(rate_hz * 1e-3);
  std::vector<double> times;
  for (double t = from_ms + min_isi_ms + isi(rng);; t += min_isi_ms + isi(rng)) {
    const double on_grid = std::round(t * 10.0) / 10.0;
    if (on_grid >= to_ms) break;
    if (times.empty() || on_grid > times.back()) times.push_back(on_grid);
  }
  return times;
}

inline std::string toml_times(const std::vector<double>& times) {
  std::ostringstream out;
  out.precision(17);
  out << "[";
  for (std::size_t i = 0; i < times.size(); ++i) out << (i ? ", " : "") << times[i];
  out << "]";
  return out.str();
}

// One train per node, as the TOML list of lists that spike_source's spike_times_ms takes.
inline std::string toml_trains(const std::vector<std::vector<double>>& trains) {
  std::string out = "[";
  for (std::size_t i = 0; i < trains.size(); ++i) out += (i ? ", " : "") + toml_times(trains[i]);
  return out + "]";
}

// The two populations of the plasticity tests: spike_source "pre" replaying `pre_trains`, and
// `post_size` lif_psc_delta neurons "post" (rest 0 mV, threshold 20 mV, no refractory time, plus
// `post_params`) that fire only when forced_post_spikes() makes them.
inline std::string pre_post_populations(const std::vector<std::vector<double>>& pre_trains,
                                        int post_size, const std::string& post_params = "") {
  return "[[population]]\nname = \"pre\"\nsize = " + std::to_string(pre_trains.size()) +
         "\nmodel = \"spike_source\"\nparams = { spike_times_ms = " + toml_trains(pre_trains) +
         " }\n[[population]]\nname = \"post\"\nsize = " + std::to_string(post_size) +
         "\nmodel = \"lif_psc_delta\"\nparams = { e_l_mv = 0.0, v_th_mv = 20.0, v_reset_mv = 0.0, "
         "t_ref_ms = 0.0" +
         (post_params.empty() ? "" : ", " + post_params) + " }\n";
}

// A spike_times stimulus of 1000 mV: every "post" neuron fires at exactly `times` (the plastic
// weights are far too small to make it fire), and the spikes of both populations are recorded.
inline std::string forced_post_spikes(const std::vector<double>& times) {
  return "[[stimulus]]\nkind = \"spike_times\"\ntarget = \"post\"\ntimes_ms = " +
         toml_times(times) + "\nweight_mv = 1000.0\n[[record]]\nspikes = [\"pre\", \"post\"]\n";
}

struct PlasticRun {
  std::vector<std::vector<double>> pre_spikes_ms;   // per presynaptic node, recorded
  std::vector<std::vector<double>> post_spikes_ms;  // per postsynaptic node, recorded
  std::vector<engine::SynapseState> synapses;       // all ranks' synapses of the projection
  std::vector<double> initial_weights;              // same order as synapses
};

// Collects every rank's synapses on every rank (sorted by source, target, delay). Collective.
inline std::vector<engine::SynapseState> gather_synapses(
    comm::Context& context, const std::vector<engine::SynapseState>& mine) {
  std::vector<std::uint64_t> words;
  for (const auto& s : mine) {
    double w = s.weight;
    std::uint64_t bits;
    std::memcpy(&bits, &w, sizeof bits);
    words.insert(words.end(),
                 {s.source, s.target, static_cast<std::uint64_t>(s.delay_steps), bits});
  }
  const int ranks = context.size();
  std::vector<std::uint64_t> send;
  for (int r = 0; r < ranks; ++r) send.insert(send.end(), words.begin(), words.end());
  std::vector<int> counts(ranks, static_cast<int>(words.size())), received_counts;
  std::vector<std::uint64_t> all;
  context.alltoallv(send, counts, all, received_counts, false);
  std::vector<engine::SynapseState> states;
  for (std::size_t k = 0; k + 3 < all.size(); k += 4) {
    engine::SynapseState s;
    s.source = all[k];
    s.target = all[k + 1];
    s.delay_steps = static_cast<int>(all[k + 2]);
    std::memcpy(&s.weight, &all[k + 3], sizeof s.weight);
    states.push_back(s);
  }
  std::sort(states.begin(), states.end(), [](const auto& a, const auto& b) {
    return std::tie(a.source, a.target, a.delay_steps, a.weight) <
           std::tie(b.source, b.target, b.delay_steps, b.weight);
  });
  return states;
}

// Runs `toml` (with projection `projection` plastic) on `context` and returns spikes of
// populations "pre" and "post" and the projection's final synapses. Collective.
inline PlasticRun run_plastic(comm::Context& context, const std::string& toml, int projection = 0,
                              const std::vector<std::string>& overrides = {}) {
  const network::NetworkSpec spec = network::parse_network(toml, "stdp_test.toml", overrides);
  engine::Simulation sim(spec, context);
  MemoryRunOutput out(sim.spike_layouts().size(), sim.report_layouts().size());
  sim.set_output(&out);
  PlasticRun run;
  std::vector<engine::SynapseState> initial =
      gather_synapses(context, sim.synapse_states(projection));
  sim.run_to_end();
  run.synapses = gather_synapses(context, sim.synapse_states(projection));
  for (std::size_t g = 0; g < spec.spike_record.size(); ++g) {
    const auto& pop = spec.populations[spec.spike_record[g]];
    auto& target = pop.name == "pre" ? run.pre_spikes_ms : run.post_spikes_ms;
    target.assign(pop.size, {});
    for (auto [node, stamp] :
         out.gather_sorted(context, static_cast<int>(g), spec.simulation.dt_ms)) {
      target[node].push_back(static_cast<double>(stamp) * spec.simulation.dt_ms);
    }
  }
  // Initial weights in the same order: synapses are only re-sorted by weight among duplicates
  // of (source, target, delay), which the tests avoid.
  for (const auto& s : initial) run.initial_weights.push_back(s.weight);
  return run;
}

}  // namespace spikeweave::test
