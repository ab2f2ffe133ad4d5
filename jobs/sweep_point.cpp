#include "jobs/sweep_point.hpp"

#include <chrono>
#include <ctime>

#include "core/errors.hpp"
#include "engine/simulation.hpp"
#include "jobs/spike_collector.hpp"
#include "network/spec.hpp"

namespace spikeweave::jobs {
namespace {

// Per population: the counts are summed over the group (exact integers); the CVs go to rank 0.
std::vector<PopulationMetrics> population_metrics(comm::Context& group,
                                                  const network::NetworkSpec& net,
                                                  const SpikeCollector& spikes,
                                                  const MetricsWindow& window) {
  const std::size_t P = net.populations.size();
  std::vector<std::uint64_t> count_words, cv_words;
  for (std::size_t p = 0; p < P; ++p) {
    std::vector<NeuronCv> cvs;
    const PopulationCounts c = count_spike_trains(spikes.nodes[p], spikes.times_ms[p], window, cvs);
    const std::vector<std::uint64_t> w = c.words();
    count_words.insert(count_words.end(), w.begin(), w.end());
    cv_words.push_back(cvs.size());
    for (const NeuronCv& cv : cvs) {
      cv_words.push_back(cv.node_id);
      cv_words.push_back(bits_of(cv.cv));
    }
  }
  group.sum(count_words);
  const std::vector<std::uint64_t> received = gather_words_to_root(group, cv_words);
  if (group.rank() != 0) return {};
  std::vector<std::vector<NeuronCv>> cvs(P);
  for (std::size_t at = 0; at < received.size();) {  // rank by rank
    for (std::size_t p = 0; p < P; ++p) {
      const std::uint64_t n = received[at++];
      for (std::uint64_t e = 0; e < n; ++e, at += 2)
        cvs[p].push_back({received[at], double_of(received[at + 1])});
    }
  }
  std::vector<PopulationMetrics> metrics;
  const std::size_t per_population = 4 + window.bins;
  for (std::size_t p = 0; p < P; ++p) {
    const std::vector<std::uint64_t> words(count_words.begin() + p * per_population,
                                           count_words.begin() + (p + 1) * per_population);
    metrics.push_back(finish_population_metrics(
        PopulationCounts::from_words(words), std::move(cvs[p]), net.populations[p].size, window));
  }
  return metrics;
}

// Per plastic projection: each rank summarises its targets; rank 0 combines them.
std::vector<WeightMetrics> plastic_metrics(comm::Context& group, const network::NetworkSpec& net,
                                           const engine::Simulation& simulation) {
  std::vector<std::uint64_t> words;
  std::vector<int> plastic;
  for (std::size_t q = 0; q < net.projections.size(); ++q) {
    if (!net.projections[q].plasticity) continue;
    plastic.push_back(static_cast<int>(q));
    std::vector<std::uint64_t> targets;
    std::vector<double> weights;
    for (const engine::SynapseState& s : simulation.synapse_states(static_cast<int>(q))) {
      targets.push_back(s.target);
      weights.push_back(s.weight);
    }
    const std::vector<TargetWeights> summaries = summarise_by_target(targets, weights);
    words.push_back(summaries.size());
    for (const TargetWeights& t : summaries) {
      const WeightMoments& m = t.moments;
      words.insert(words.end(), {t.target, bits_of(m.count), bits_of(m.mean), bits_of(m.m2),
                                 bits_of(m.m3), bits_of(m.m4)});
    }
  }
  const std::vector<std::uint64_t> received = gather_words_to_root(group, words);
  if (group.rank() != 0) return {};
  std::vector<std::vector<TargetWeights>> summaries(plastic.size());
  for (std::size_t at = 0; at < received.size();) {  // rank by rank
    for (std::size_t k = 0; k < plastic.size(); ++k) {
      const std::uint64_t n = received[at++];
      for (std::uint64_t e = 0; e < n; ++e, at += 6) {
        summaries[k].push_back(
            {received[at],
             {double_of(received[at + 1]), double_of(received[at + 2]), double_of(received[at + 3]),
              double_of(received[at + 4]), double_of(received[at + 5])}});
      }
    }
  }
  std::vector<WeightMetrics> metrics;
  for (auto& s : summaries) metrics.push_back(finish_weight_metrics(std::move(s)));
  return metrics;
}

network::NetworkSpec point_network(const SweepSpec& spec, const SweepKeyEvaluator& keys,
                                   const SweepPoint& point) {
  network::NetworkSpec net =
      network::parse_network(spec.base_toml, spec.base_path, point_overrides(spec, keys, point));
  // Metrics need every population's spikes, whatever [[record]] of the base network says.
  net.spike_record.clear();
  for (std::size_t p = 0; p < net.populations.size(); ++p)
    net.spike_record.push_back(static_cast<int>(p));
  return net;
}

MetricsWindow window_of(const SweepSpec& spec, const network::NetworkSpec& net) {
  const SweepMetricsSpec& m = spec.metrics;
  const double stop = m.window_stop_ms < 0 ? net.simulation.t_stop_ms : m.window_stop_ms;
  return MetricsWindow::of(m.window_start_ms, stop, m.bin_ms, m.spectrum_segment_ms);
}

}  // namespace

SweepTableColumns sweep_table_columns(const SweepSpec& spec, const SweepKeyEvaluator& keys) {
  SweepPoint first;
  first.axis_values = design_points(spec).at(0);
  const network::NetworkSpec net = point_network(spec, keys, first);
  SweepTableColumns columns;
  for (const auto& p : net.populations) {
    columns.populations.push_back(p.name);
    columns.population_sizes.push_back(p.size);
  }
  for (const auto& q : net.projections) {
    if (q.plasticity) columns.plastic_projections.push_back(q.name);
  }
  return columns;
}

SweepPointResult run_sweep_point(comm::Context& group, const SweepSpec& spec,
                                 const SweepKeyEvaluator& keys, const SweepPoint& point) {
  const auto wall_start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  const network::NetworkSpec net = point_network(spec, keys, point);
  SweepPointResult result;
  result.index = point.index;
  {
    engine::Simulation simulation(net, group);
    SpikeCollector spikes(net.populations.size());
    simulation.set_output(&spikes);
    simulation.run_to_end();
    result.populations = population_metrics(group, net, spikes, window_of(spec, net));
    result.plastic = plastic_metrics(group, net, simulation);
    if (spec.keep_spikes) {
      SortedSpikes all = gather_spikes_to_root(group, spikes);
      result.spike_nodes = std::move(all.nodes);
      result.spike_times_ms = std::move(all.times_ms);
    }
  }
  result.wall_seconds = group.max(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count());
  result.cpu_seconds = group.sum(static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
  return result;
}

}  // namespace spikeweave::jobs
