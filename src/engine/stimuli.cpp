#include "engine/stimuli.hpp"

#include <algorithm>
#include <cmath>

#include "core/errors.hpp"
#include "core/time_grid.hpp"
#include "core/value_range.hpp"
#include "io/data_matrix.hpp"
#include "kernels/encoder.hpp"
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

}  // namespace

void Stimulus::set_rate_hz(const std::string& key, double /*rate_hz*/) {
  throw ConfigError(key, "only a poisson stimulus has a rate to change");
}
void Stimulus::set_amplitude_pa(const std::string& key, double /*amplitude_pa*/) {
  throw ConfigError(key, "only a dc stimulus has an amplitude to change");
}

namespace {

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
    dt_ms_ = net.simulation.dt_ms;
    set_mean(s.rate_hz);
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
  // The cached random words stay valid: the rate only changes how they are turned into counts.
  void set_rate_hz(const std::string& key, double rate_hz) override {
    set_mean(config::check_number(rate_hz, key + ".rate_hz", config::ranges::kRateHz));
  }

 private:
  void set_mean(double rate_hz) {
    kernel_.mean_per_step = rate_hz * dt_ms_ * 1e-3;
    kernel_.table = kernels::PoissonTable::make(kernel_.mean_per_step);
  }

  kernels::PoissonInput kernel_;
  ActiveSteps active_;
  double dt_ms_ = 0.0;
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
  void set_amplitude_pa(const std::string& key, double amplitude_pa) override {
    if (!is_dc_) Stimulus::set_amplitude_pa(key, amplitude_pa);
    kernel_.value_fixed = kernels::to_fixed(
        config::check_number(amplitude_pa, key + ".amplitude_pa", config::ranges::kCurrentPa));
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

template <class T, class Source>
kernels::View<const T*> upload(const std::string& label, const Source& values) {
  kernels::View<T*> view(label, values.size());
  auto host = Kokkos::create_mirror_view(view);
  for (std::size_t k = 0; k < values.size(); ++k) host(k) = static_cast<T>(values[k]);
  Kokkos::deep_copy(view, host);
  return view;
}

// rate, latency, phase, delta: replays the plan of network/encoding.hpp (see kernels/encoder.hpp).
class EncoderStimulus final : public Stimulus {
 public:
  EncoderStimulus(const network::NetworkSpec& net, int index, NeuronGroup& target) {
    const StimulusSpec& s = net.stimuli[index];
    const io::DataMatrix data = io::read_data_matrix(s.encoder.data, s.encoder.dataset);
    const std::uint64_t targeted =
        s.node_ids.empty() ? target.spec().size : static_cast<std::uint64_t>(s.node_ids.size());
    plan_ = network::plan_encoder(s, static_cast<std::uint32_t>(index), data.rows, data.cols,
                                  data.values, data.path, targeted, net.simulation.dt_ms,
                                  net.simulation.steps);
    kernels::EncoderSchedule& k = schedule_;
    k.ring = target.ring();
    k.targets = local_targets(s, target);
    n_ = static_cast<int>(k.targets.extent(0));
    // The column (or channel) of each local target: its rank among the targeted node ids.
    auto locals = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), k.targets);
    std::vector<std::uint32_t> channels;
    for (int t = 0; t < n_; ++t) {
      const NodeId node = target.gids()[locals(t)] - target.spec().first_gid;
      channels.push_back(s.node_ids.empty()
                             ? static_cast<std::uint32_t>(node)
                             : static_cast<std::uint32_t>(
                                   std::lower_bound(s.node_ids.begin(), s.node_ids.end(), node) -
                                   s.node_ids.begin()));
    }
    k.channels = upload<std::uint32_t>("encoder.channels", channels);
    k.order = upload<std::uint32_t>("encoder.order", plan_.order);
    k.first_step = plan_.first_step;
    k.period = plan_.period_steps;
    k.present = plan_.present_steps;
    k.slots = target.slots();
    k.port = port_of(s.receptor);
    k.weight_fixed = kernels::to_fixed(s.weight);
    k.row_channels = plan_.channels;
    if (plan_.rate) {
      rate_.probability = upload<double>("encoder.probability", plan_.probability);
      rate_.step_sample = upload<std::int32_t>("encoder.step_sample", plan_.step_sample);
      rate_.gids = target.device_gids();
      rate_.seed = net.simulation.seed;
      rate_.stimulus = static_cast<std::uint32_t>(index);
      rate_.signal = plan_.signal;
    } else {
      events_.event_begin = upload<std::uint64_t>("encoder.event_begin", plan_.event_begin);
      events_.event_offsets = upload<std::int32_t>("encoder.event_offsets", plan_.event_offsets);
    }
  }
  void apply(Step first_step, int steps) override {
    if (n_ == 0 || plan_.order.empty()) return;
    schedule_.begin = first_step;
    schedule_.steps = steps;
    const Kokkos::RangePolicy<kernels::ExecSpace> range(0, n_);
    if (plan_.rate) {
      rate_.s = schedule_;
      Kokkos::parallel_for(kernels::RateEncoderInput::kLabel, range, rate_);
    } else {
      events_.s = schedule_;
      Kokkos::parallel_for(kernels::EventEncoderInput::kLabel, range, events_);
    }
  }
  const network::EncoderPlan* encoder_plan() const override { return &plan_; }

 private:
  network::EncoderPlan plan_;
  kernels::EncoderSchedule schedule_;
  kernels::RateEncoderInput rate_;
  kernels::EventEncoderInput events_;
  int n_ = 0;
};

}  // namespace

std::vector<std::unique_ptr<Stimulus>> make_stimuli(
    const network::NetworkSpec& net, std::vector<std::unique_ptr<NeuronGroup>>& groups) {
  std::vector<std::unique_ptr<Stimulus>> stimuli;
  for (std::size_t i = 0; i < net.stimuli.size(); ++i) {
    NeuronGroup& target = *groups[net.stimuli[i].target];
    if (net.stimuli[i].is_encoder()) {
      stimuli.push_back(std::make_unique<EncoderStimulus>(net, static_cast<int>(i), target));
    } else if (net.stimuli[i].kind == StimulusKind::kPoisson) {
      stimuli.push_back(std::make_unique<PoissonStimulus>(net, static_cast<int>(i), target));
    } else {
      stimuli.push_back(std::make_unique<ConstantStimulus>(net, static_cast<int>(i), target));
    }
  }
  return stimuli;
}

}  // namespace spikeweave::engine

namespace spikeweave::engine {

std::vector<io::PresentationLog> presentation_logs(
    const network::NetworkSpec& net, const std::vector<std::unique_ptr<Stimulus>>& stimuli) {
  static const char* const kKinds[] = {"poisson", "dc",    "spike_times", "rate",
                                       "latency", "phase", "delta"};
  std::vector<io::PresentationLog> logs;
  const double dt = net.simulation.dt_ms;
  for (std::size_t i = 0; i < stimuli.size(); ++i) {
    const network::EncoderPlan* plan = stimuli[i]->encoder_plan();
    if (plan == nullptr) continue;
    const network::StimulusSpec& s = net.stimuli[i];
    io::PresentationLog log;
    log.name = "stimulus_" + std::to_string(i);
    log.text = {{"stimulus", s.key},
                {"kind", kKinds[static_cast<int>(s.kind)]},
                {"target", net.populations[s.target].name},
                {"data", s.encoder.data},
                {"dataset", s.encoder.dataset}};
    log.numbers = {{"present_ms", s.encoder.present_ms},
                   {"rest_ms", s.encoder.rest_ms},
                   {"split_begin", static_cast<double>(plan->split_begin)},
                   {"split_end", static_cast<double>(plan->split_end)}};
    for (std::size_t p = 0; p < plan->order.size(); ++p) {
      log.start_ms.push_back(static_cast<double>(plan->window_start(p)) * dt);
      log.sample.push_back(static_cast<std::int64_t>(plan->split_begin + plan->order[p]));
    }
    logs.push_back(std::move(log));
  }
  return logs;
}

}  // namespace spikeweave::engine
