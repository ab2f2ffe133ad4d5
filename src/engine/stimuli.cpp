#include "engine/stimuli.hpp"

#include <algorithm>
#include <cmath>

#include "core/time_grid.hpp"
#include "kernels/stimulus.hpp"

namespace spikeweave::engine {
namespace {

using network::StimulusKind;
using network::StimulusSpec;

// Steps s whose interval (s dt, (s+1) dt] lies inside [start_ms, stop_ms].
struct ActiveSteps {
  Step first = 0;
  Step stop = 0;
  ActiveSteps(const StimulusSpec& s, double dt_ms) {
    first = first_step_from(s.start_ms, dt_ms);
    stop = end_step_at(s.stop_ms, dt_ms);
  }
  // The part of [first_step, first_step + steps) that is active, as (begin, count).
  std::pair<Step, int> clip(Step first_step, int steps) const {
    const Step begin = std::max(first, first_step);
    const Step end = std::min(stop, first_step + steps);
    return {begin, end > begin ? static_cast<int>(end - begin) : 0};
  }
};

// Local indices of the stimulus' target neurons on this rank (all, or those in node_ids).
kernels::View<const std::uint32_t*> local_targets(const StimulusSpec& s,
                                                  const NeuronGroup& target) {
  std::vector<std::uint32_t> locals;
  const Gid first = target.spec().first_gid;
  for (std::size_t i = 0; i < target.gids().size(); ++i) {
    if (s.node_ids.empty() ||
        std::binary_search(s.node_ids.begin(), s.node_ids.end(), target.gids()[i] - first)) {
      locals.push_back(static_cast<std::uint32_t>(i));
    }
  }
  kernels::View<std::uint32_t*> view("stimulus.targets", locals.size());
  auto host = Kokkos::create_mirror_view(view);
  std::copy(locals.begin(), locals.end(), host.data());
  Kokkos::deep_copy(view, host);
  return view;
}

int port_of(network::Receptor receptor) {
  return receptor == network::Receptor::kInhibitory ? kernels::kPortInhibitory
                                                    : kernels::kPortExcitatory;
}

class PoissonStimulus final : public Stimulus {
 public:
  PoissonStimulus(const network::NetworkSpec& net, int index, NeuronGroup& target)
      : active_(net.stimuli[index], net.simulation.dt_ms) {
    const StimulusSpec& s = net.stimuli[index];
    kernel_.ring = target.ring();
    kernel_.targets = local_targets(s, target);
    n_ = static_cast<int>(kernel_.targets.extent(0));
    kernel_.gids = target.device_gids();
    kernel_.seed = net.simulation.seed;
    kernel_.stimulus = static_cast<std::uint32_t>(index);
    kernel_.port = port_of(s.receptor);
    kernel_.mean_per_step = s.rate_hz * net.simulation.dt_ms * 1e-3;
    kernel_.table = kernels::PoissonTable::make(kernel_.mean_per_step);
    kernel_.weight_fixed = kernels::to_fixed(s.weight);
    kernel_.slots = target.slots();
    kernel_.cached_words = kernels::View<std::uint32_t* [4]>("stimulus.poisson_words", n_);
  }
  void apply(Step first_step, int steps) override {
    const auto [begin, count] = active_.clip(first_step, steps);
    if (count == 0 || n_ == 0) return;
    kernel_.first_step = begin;
    kernel_.steps = count;
    Kokkos::parallel_for(kernels::PoissonInput::kLabel,
                         Kokkos::RangePolicy<kernels::ExecSpace>(0, n_), kernel_);
    // The kernel cached the words of the block it ended inside, if any (see PoissonInput).
    const Step end = begin + count;
    kernel_.cached_block = (end & 3) != 0 ? end >> 2 : -1;
  }

 private:
  kernels::PoissonInput kernel_;
  ActiveSteps active_;
  int n_ = 0;
};

// dc and spike_times: the same value into every target neuron at a list of steps.
class ConstantStimulus final : public Stimulus {
 public:
  ConstantStimulus(const network::NetworkSpec& net, int index, NeuronGroup& target)
      : slots_count_(target.slots()) {
    const StimulusSpec& s = net.stimuli[index];
    const double dt = net.simulation.dt_ms;
    kernel_.ring = target.ring();
    kernel_.targets = local_targets(s, target);
    n_ = static_cast<int>(kernel_.targets.extent(0));
    if (s.kind == StimulusKind::kDc) {
      kernel_.port = kernels::kPortCurrent;
      kernel_.value_fixed = kernels::to_fixed(s.amplitude_pa);
      const ActiveSteps active(s, dt);
      dc_first_ = active.first;
      dc_stop_ = active.stop;
      is_dc_ = true;
    } else {
      kernel_.port = port_of(s.receptor);
      kernel_.value_fixed = kernels::to_fixed(s.weight);
      for (double t : s.times_ms) {
        if (t >= s.start_ms && t <= s.stop_ms)
          arrival_steps_.push_back(time_to_nearest_step(t, dt) - 1);
      }
      std::sort(arrival_steps_.begin(), arrival_steps_.end());
    }
    slots_ = kernels::View<int*>("stimulus.slots", 0);
  }
  void apply(Step first_step, int steps) override {
    std::vector<int> slots;
    if (is_dc_) {
      for (Step s = std::max(first_step, dc_first_); s < std::min(first_step + steps, dc_stop_);
           ++s) {
        slots.push_back(static_cast<int>(s % slots_count_));
      }
    } else {
      auto it = std::lower_bound(arrival_steps_.begin(), arrival_steps_.end(), first_step);
      for (; it != arrival_steps_.end() && *it < first_step + steps; ++it) {
        slots.push_back(static_cast<int>(*it % slots_count_));
      }
    }
    if (slots.empty() || n_ == 0) return;
    if (slots_.extent(0) != slots.size()) Kokkos::resize(slots_, slots.size());
    auto host = Kokkos::create_mirror_view(slots_);
    std::copy(slots.begin(), slots.end(), host.data());
    Kokkos::deep_copy(slots_, host);
    kernel_.slots = slots_;
    Kokkos::parallel_for(kernels::ConstantInput::kLabel,
                         Kokkos::RangePolicy<kernels::ExecSpace>(0, n_), kernel_);
  }

 private:
  kernels::ConstantInput kernel_;
  kernels::View<int*> slots_;
  std::vector<Step> arrival_steps_;
  Step dc_first_ = 0, dc_stop_ = 0;
  bool is_dc_ = false;
  int n_ = 0;
  int slots_count_;
};

}  // namespace

std::vector<std::unique_ptr<Stimulus>> make_stimuli(
    const network::NetworkSpec& net, std::vector<std::unique_ptr<NeuronGroup>>& groups) {
  std::vector<std::unique_ptr<Stimulus>> stimuli;
  for (std::size_t i = 0; i < net.stimuli.size(); ++i) {
    NeuronGroup& target = *groups[net.stimuli[i].target];
    if (net.stimuli[i].kind == StimulusKind::kPoisson) {
      stimuli.push_back(std::make_unique<PoissonStimulus>(net, static_cast<int>(i), target));
    } else {
      stimuli.push_back(std::make_unique<ConstantStimulus>(net, static_cast<int>(i), target));
    }
  }
  return stimuli;
}

}  // namespace spikeweave::engine
