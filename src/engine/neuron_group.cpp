#include "engine/neuron_group.hpp"

#include "core/errors.hpp"
#include "core/random.hpp"
#include "core/time_grid.hpp"
#include "kernels/lif_update.hpp"
#include "kernels/sources.hpp"

namespace spikeweave::engine {

using kernels::View;

NeuronGroup::NeuronGroup(const network::PopulationSpec& spec, int index, std::vector<Gid> gids,
                         int interval_steps, int slots, bool receives_input)
    : spec_(spec), index_(index), gids_(std::move(gids)), slots_(slots) {
  const int n = size();
  device_gids_ = View<std::uint32_t*>(spec.name + ".gids", n);
  auto host = Kokkos::create_mirror_view(device_gids_);
  for (int i = 0; i < n; ++i) host(i) = static_cast<std::uint32_t>(gids_[i]);
  Kokkos::deep_copy(device_gids_, host);
  ring_ = kernels::InputRing(spec.name + ".ring", kernels::kPortCount, receives_input ? slots : 0,
                             receives_input ? n : 0);
  fired_ = kernels::FiredFlags(spec.name + ".fired", interval_steps, n);
}

namespace {

// Initial values of one state variable: the population default, or draws keyed by
// (seed, population, variable, gid) so that they do not depend on the partition.
void initialise(View<double*> values, const network::NetworkSpec& net, int population,
                const std::vector<Gid>& gids, const std::string& variable, double fallback,
                double offset) {
  const network::PopulationSpec& pop = net.populations[population];
  auto host = Kokkos::create_mirror_view(values);
  const Distribution* dist = nullptr;
  int variable_index = 0;
  for (std::size_t k = 0; k < pop.init.size(); ++k) {
    if (pop.init[k].variable == variable) {
      dist = &pop.init[k].value;
      variable_index = static_cast<int>(k);
    }
  }
  const std::string key = pop.key + ".init." + variable;
  for (std::size_t i = 0; i < gids.size(); ++i) {
    double value = fallback;
    if (dist != nullptr) {
      rng::Stream stream(net.simulation.seed, rng::Purpose::kInitialState,
                         static_cast<std::uint32_t>(population * 16 + variable_index),
                         static_cast<std::uint32_t>(gids[i]), 0);
      value = dist->sample(stream, key);
    }
    host(i) = value - offset;
  }
  Kokkos::deep_copy(values, host);
}

template <class Update>
class LifGroup final : public NeuronGroup {
 public:
  LifGroup(const network::NetworkSpec& net, int index, std::vector<Gid> gids, int interval_steps,
           int slots)
      : NeuronGroup(net.populations[index], index, std::move(gids), interval_steps, slots, true) {
    const int n = size();
    const model::LifParams& p = spec_.lif;
    update_.q = model::lower_lif(p, spec_.model, net.simulation.dt_ms, spec_.key + ".params");
    kernels::LifState& s = update_.s;
    s.v_rel_mv = View<double*>(spec_.name + ".v_rel_mv", n);
    s.refractory_steps = View<std::int32_t*>(spec_.name + ".refractory_steps", n);
    const bool synaptic_currents = spec_.model != model::ModelKind::kLifPscDelta;
    const bool alpha = spec_.model == model::ModelKind::kLifPscAlpha;
    s.i_syn_ex_pa = View<double*>(spec_.name + ".i_syn_ex_pa", synaptic_currents ? n : 0);
    s.i_syn_in_pa = View<double*>(spec_.name + ".i_syn_in_pa", synaptic_currents ? n : 0);
    s.di_syn_ex = View<double*>(spec_.name + ".di_syn_ex", alpha ? n : 0);
    s.di_syn_in = View<double*>(spec_.name + ".di_syn_in", alpha ? n : 0);
    initialise(s.v_rel_mv, net, index, gids_, "v_m_mv", p.e_l_mv, p.e_l_mv);
    if (synaptic_currents) {
      const bool conductances = spec_.model == model::ModelKind::kLifCondExp;
      initialise(s.i_syn_ex_pa, net, index, gids_, conductances ? "g_ex_ns" : "i_syn_ex_pa", 0.0,
                 0.0);
      initialise(s.i_syn_in_pa, net, index, gids_, conductances ? "g_in_ns" : "i_syn_in_pa", 0.0,
                 0.0);
    }
    update_.ring = ring_;
    update_.fired = fired_;
  }

  void update(Step step, int lag) override {
    update_.slot = static_cast<int>(step % slots_);
    update_.lag = lag;
    kernels::run_lif_update(update_, size());
  }
  View<const double*> v_rel_mv() const override { return update_.s.v_rel_mv; }
  double e_l_mv() const override { return spec_.lif.e_l_mv; }

 private:
  Update update_;
};

class PoissonSourceGroup final : public NeuronGroup {
 public:
  PoissonSourceGroup(const network::NetworkSpec& net, int index, std::vector<Gid> gids,
                     int interval_steps, int slots)
      : NeuronGroup(net.populations[index], index, std::move(gids), interval_steps, slots, false) {
    const model::PoissonSourceParams& p = spec_.poisson;
    const double dt = net.simulation.dt_ms;
    update_.fired = fired_;
    update_.gids = device_gids_;
    update_.seed = net.simulation.seed;
    update_.population = static_cast<std::uint32_t>(index);
    update_.spike_probability = -std::expm1(-p.rate_hz * dt * 1e-3);
    // Active in steps whose interval (s dt, (s+1) dt] lies in [start, stop).
    first_step_ = static_cast<Step>(std::ceil(p.start_ms / dt - kGridTolerance));
    stop_step_ = std::isinf(p.stop_ms)
                     ? std::numeric_limits<Step>::max()
                     : static_cast<Step>(std::floor(p.stop_ms / dt + kGridTolerance));
  }
  void update(Step step, int lag) override {
    update_.step = step;
    update_.lag = lag;
    update_.active = step >= first_step_ && step < stop_step_;
    kernels::run_update(update_, size());
  }

 private:
  kernels::PoissonSourceUpdate update_;
  Step first_step_ = 0;
  Step stop_step_ = 0;
};

class SpikeSourceGroup final : public NeuronGroup {
 public:
  SpikeSourceGroup(const network::NetworkSpec& net, int index, std::vector<Gid> gids,
                   int interval_steps, int slots)
      : NeuronGroup(net.populations[index], index, std::move(gids), interval_steps, slots, false) {
    const double dt = net.simulation.dt_ms;
    const auto& lists = spec_.spike_source.spike_times_ms;
    const int n = size();
    View<std::uint64_t*> begin(spec_.name + ".spike_begin", n + 1);
    auto host_begin = Kokkos::create_mirror_view(begin);
    std::vector<std::int64_t> steps;
    for (int i = 0; i < n; ++i) {
      host_begin(i) = steps.size();
      const auto& times = lists.size() == 1 ? lists[0] : lists[gids_[i] - spec_.first_gid];
      for (double t : times) {
        // A spike "at t" is emitted at the end of the step that ends at t.
        const Step s = time_to_nearest_step(t, dt) - 1;
        require_invariant(s >= 0, "spike_source times >= dt are checked by the parser");
        steps.push_back(s);
      }
    }
    host_begin(n) = steps.size();
    Kokkos::deep_copy(begin, host_begin);
    View<std::int64_t*> spike_steps(spec_.name + ".spike_steps", steps.size());
    auto host_steps = Kokkos::create_mirror_view(spike_steps);
    for (std::size_t k = 0; k < steps.size(); ++k) host_steps(k) = steps[k];
    Kokkos::deep_copy(spike_steps, host_steps);
    update_.fired = fired_;
    update_.spike_steps = spike_steps;
    update_.begin = begin;
    update_.next = View<std::uint64_t*>(spec_.name + ".spike_next", n);
    Kokkos::deep_copy(update_.next, Kokkos::subview(begin, std::make_pair(0, n)));
  }
  void update(Step step, int lag) override {
    update_.step = step;
    update_.lag = lag;
    kernels::run_update(update_, size());
  }

 private:
  kernels::SpikeSourceUpdate update_;
};

}  // namespace

std::unique_ptr<NeuronGroup> make_neuron_group(const network::NetworkSpec& net, int index,
                                               std::vector<Gid> gids, int interval_steps,
                                               int slots) {
  switch (net.populations[index].model) {
    case model::ModelKind::kLifPscDelta:
      return std::make_unique<LifGroup<kernels::LifPscDeltaUpdate>>(net, index, std::move(gids),
                                                                    interval_steps, slots);
    case model::ModelKind::kLifPscExp:
      return std::make_unique<LifGroup<kernels::LifPscExpUpdate>>(net, index, std::move(gids),
                                                                  interval_steps, slots);
    case model::ModelKind::kLifPscAlpha:
      return std::make_unique<LifGroup<kernels::LifPscAlphaUpdate>>(net, index, std::move(gids),
                                                                    interval_steps, slots);
    case model::ModelKind::kLifCondExp:
      return std::make_unique<LifGroup<kernels::LifCondExpUpdate>>(net, index, std::move(gids),
                                                                   interval_steps, slots);
    case model::ModelKind::kPoissonSource:
      return std::make_unique<PoissonSourceGroup>(net, index, std::move(gids), interval_steps,
                                                  slots);
    case model::ModelKind::kSpikeSource:
      return std::make_unique<SpikeSourceGroup>(net, index, std::move(gids), interval_steps, slots);
  }
  throw InternalError("unknown model kind");
}

}  // namespace spikeweave::engine
