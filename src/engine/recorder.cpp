#include "engine/recorder.hpp"

#include <algorithm>

#include "comm/spike.hpp"
#include "core/errors.hpp"

namespace spikeweave::engine {

Recorder::Recorder(const network::NetworkSpec& net,
                   const std::vector<std::unique_ptr<NeuronGroup>>& groups, int interval_steps)
    : net_(net), groups_(groups), spike_group_of_(net.populations.size(), -1) {
  for (int p : net.spike_record) {
    spike_group_of_[p] = static_cast<int>(spikes_.size());
    spikes_.push_back(SpikeBuffer{p, {}, {}});
  }
  for (const network::VoltageRecordSpec& spec : net.voltage_record) {
    Report r;
    r.population = spec.population;
    r.every_steps = spec.every_steps;
    r.every_ms = spec.every_ms;
    const NeuronGroup& group = *groups[spec.population];
    std::vector<std::uint32_t> locals;
    const Gid first = group.spec().first_gid;
    for (std::size_t i = 0; i < group.gids().size(); ++i) {
      const NodeId node = group.gids()[i] - first;
      if (std::binary_search(spec.node_ids.begin(), spec.node_ids.end(), node)) {
        locals.push_back(static_cast<std::uint32_t>(i));
        r.node_ids.push_back(node);
      }
    }
    r.local_indices = kernels::View<std::uint32_t*>("report.local_indices", locals.size());
    auto host = Kokkos::create_mirror_view(r.local_indices);
    std::copy(locals.begin(), locals.end(), host.data());
    Kokkos::deep_copy(r.local_indices, host);
    const int max_samples =
        static_cast<int>((interval_steps + r.every_steps - 1) / r.every_steps) + 1;
    r.interval_samples = kernels::View<float**>("report.samples", max_samples, locals.size());
    add_state_variables(r, spec, group, max_samples);
    reports_.push_back(std::move(r));
  }
}

void Recorder::add_state_variables(Report& r, const network::VoltageRecordSpec& spec,
                                   const NeuronGroup& group, int max_samples) {
  for (const std::string& variable : spec.variables) {
    const kernels::View<const double*> view = group.state_view(variable);
    // The parser accepted only recordable variables: a model must provide each one.
    require_invariant(view.extent(0) == static_cast<std::size_t>(group.size()),
                      "a recordable state variable without its View in the neuron group");
    r.variables.push_back(variable);
    r.units.push_back(group.model().state_variable(variable)->unit);
    r.state_views.push_back(view);
  }
  r.interval_states = kernels::View<float***>("report.state_samples", r.variables.size(),
                                              max_samples, r.node_ids.size());
  r.state_buffered.resize(r.variables.size());
}

std::vector<io::SpikeGroupLayout> Recorder::spike_layouts() const {
  std::vector<io::SpikeGroupLayout> layouts;
  for (const SpikeBuffer& b : spikes_) {
    layouts.push_back({net_.populations[b.population].name, net_.populations[b.population].size});
  }
  return layouts;
}

std::vector<io::ReportLayout> Recorder::report_layouts() const {
  std::vector<io::ReportLayout> layouts;
  for (const Report& r : reports_) {
    layouts.push_back({net_.populations[r.population].name, r.node_ids,
                       static_cast<double>(r.every_steps) * net_.simulation.dt_ms, r.every_ms,
                       r.variables, r.units});
  }
  return layouts;
}

std::vector<io::WeightLayout> Recorder::weight_layouts() const {
  std::vector<io::WeightLayout> layouts;
  for (const WeightGroup& g : weight_groups_) {
    layouts.push_back(
        {net_.projections[g.projection->index()].name, g.sources, g.targets, g.units, g.variables});
  }
  return layouts;
}

void Recorder::add_weight_group(const network::WeightRecordSpec& spec, const Projection* projection,
                                std::vector<std::uint64_t> synapses,
                                std::vector<std::uint64_t> sources,
                                std::vector<std::uint64_t> targets) {
  WeightGroup g;
  g.projection = projection;
  g.every_steps = spec.every_steps;
  g.synapses = std::move(synapses);
  g.sources = std::move(sources);
  g.targets = std::move(targets);
  const auto& target = net_.populations[projection->target()];
  g.units = target.model->weight_unit_name();
  g.variables = spec.variables;
  g.state_buffered.resize(g.variables.size());
  weight_groups_.push_back(std::move(g));
}

void Recorder::sample_weights(Step previous_step, Step step, bool initial) {
  for (WeightGroup& g : weight_groups_) {
    if (!initial && step / g.every_steps == previous_step / g.every_steps) continue;
    const std::vector<double> values = g.projection->weights(g.synapses);
    g.buffered.insert(g.buffered.end(), values.begin(), values.end());
    for (std::size_t v = 0; v < g.variables.size(); ++v) {
      const std::vector<double> state = g.projection->state(g.variables[v], g.synapses);
      g.state_buffered[v].insert(g.state_buffered[v].end(), state.begin(), state.end());
    }
    g.times_ms.push_back(static_cast<double>(step) * net_.simulation.dt_ms);
  }
}

void Recorder::add_spikes(int population, const std::uint64_t* packed, std::size_t n,
                          Step first_step) {
  const int g = spike_group_of_[population];
  if (g < 0) return;
  SpikeBuffer& b = spikes_[g];
  const NeuronGroup& group = *groups_[population];
  const Gid first = group.spec().first_gid;
  const double dt = net_.simulation.dt_ms;
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint64_t local = comm::spike_key(packed[k]);
    const Step step = first_step + comm::spike_lag(packed[k]);
    b.node_ids.push_back(group.gids()[local] - first);
    // A spike emitted in step s carries the time at the end of that step, as in NEST.
    b.times_ms.push_back(static_cast<double>(step + 1) * dt);
  }
}

void Recorder::sample(Step step) {
  for (Report& r : reports_) {
    if ((step + 1) % r.every_steps != 0) continue;
    const NeuronGroup& group = *groups_[r.population];
    const auto v = group.v_rel_mv();
    const auto indices = r.local_indices;
    const auto samples = r.interval_samples;
    const int row = r.samples_in_interval++;
    const double e_l = group.e_l_mv();
    Kokkos::parallel_for(
        "spikeweave::record::v_m",
        Kokkos::RangePolicy<kernels::ExecSpace>(0, static_cast<int>(indices.extent(0))),
        KOKKOS_LAMBDA(const int j) { samples(row, j) = static_cast<float>(v(indices(j)) + e_l); });
    const auto states = r.interval_states;
    for (std::size_t k = 0; k < r.state_views.size(); ++k) {
      const auto x = r.state_views[k];
      const int variable = static_cast<int>(k);
      Kokkos::parallel_for(
          "spikeweave::record::state",
          Kokkos::RangePolicy<kernels::ExecSpace>(0, static_cast<int>(indices.extent(0))),
          KOKKOS_LAMBDA(const int j) {
            states(variable, row, j) = static_cast<float>(x(indices(j)));
          });
    }
  }
}

void Recorder::end_interval() {
  for (Report& r : reports_) {
    if (r.samples_in_interval == 0) continue;
    auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), r.interval_samples);
    const std::size_t columns = r.node_ids.size();
    for (int s = 0; s < r.samples_in_interval; ++s) {
      for (std::size_t j = 0; j < columns; ++j) r.buffered.push_back(host(s, j));
    }
    if (!r.variables.empty()) {
      auto states = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), r.interval_states);
      for (std::size_t k = 0; k < r.variables.size(); ++k) {
        for (int s = 0; s < r.samples_in_interval; ++s) {
          for (std::size_t j = 0; j < columns; ++j) r.state_buffered[k].push_back(states(k, s, j));
        }
      }
    }
    r.buffered_samples += static_cast<std::uint64_t>(r.samples_in_interval);
    r.samples_in_interval = 0;
  }
}

std::uint64_t Recorder::buffered_bytes() const {
  std::uint64_t bytes = 0;
  for (const auto& s : spikes_)
    bytes += s.node_ids.size() * (sizeof(std::uint64_t) + sizeof(double));
  for (const auto& r : reports_) {
    bytes += r.buffered.size() * sizeof(float);
    for (const auto& b : r.state_buffered) bytes += b.size() * sizeof(float);
  }
  for (const auto& g : weight_groups_) {
    bytes += (g.buffered.size() + g.times_ms.size()) * sizeof(double);
    for (const auto& b : g.state_buffered) bytes += b.size() * sizeof(double);
  }
  return bytes;
}

void Recorder::flush() {
  if (output_ != nullptr) {
    output_->reserve(buffered_bytes());
    for (std::size_t g = 0; g < spikes_.size(); ++g) {
      output_->append_spikes(static_cast<int>(g), spikes_[g].node_ids, spikes_[g].times_ms);
    }
    for (std::size_t k = 0; k < reports_.size(); ++k) {
      output_->append_report(static_cast<int>(k), reports_[k].buffered,
                             reports_[k].buffered_samples);
      for (std::size_t v = 0; v < reports_[k].variables.size(); ++v) {
        output_->append_report_state(static_cast<int>(k), reports_[k].variables[v],
                                     reports_[k].state_buffered[v], reports_[k].buffered_samples);
      }
    }
    for (std::size_t k = 0; k < weight_groups_.size(); ++k) {
      output_->append_weights(static_cast<int>(k), weight_groups_[k].buffered,
                              weight_groups_[k].times_ms);
      const WeightGroup& g = weight_groups_[k];
      for (std::size_t v = 0; v < g.variables.size(); ++v) {
        output_->append_state(static_cast<int>(k), g.variables[v], g.state_buffered[v],
                              g.times_ms.size());
      }
    }
  }
  for (WeightGroup& g : weight_groups_) {
    g.buffered.clear();
    g.times_ms.clear();
    for (auto& b : g.state_buffered) b.clear();
  }
  for (SpikeBuffer& b : spikes_) {
    b.node_ids.clear();
    b.times_ms.clear();
  }
  for (Report& r : reports_) {
    r.buffered.clear();
    for (auto& b : r.state_buffered) b.clear();
    r.buffered_samples = 0;
  }
}

}  // namespace spikeweave::engine
