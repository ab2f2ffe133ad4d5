#include "engine/post_histories.hpp"

#include <algorithm>

#include "core/errors.hpp"
#include "engine/checkpoint_state.hpp"
#include "engine/neuron_group.hpp"

namespace spikeweave::engine {

int PostHistories::require_channel(int population, double tau_ms, int capacity) {
  Request& r = requests_[population];
  r.capacity = std::max(r.capacity, capacity);
  const auto it = std::find(r.taus_ms.begin(), r.taus_ms.end(), tau_ms);
  if (it != r.taus_ms.end()) return static_cast<int>(it - r.taus_ms.begin());
  if (static_cast<int>(r.taus_ms.size()) == kernels::kMaxTraceChannels) {
    throw ConfigError("projection",
                      "more than " + std::to_string(kernels::kMaxTraceChannels) +
                          " distinct postsynaptic trace time constants onto one population");
  }
  r.taus_ms.push_back(tau_ms);
  return static_cast<int>(r.taus_ms.size() - 1);
}

void PostHistories::allocate(const std::vector<std::unique_ptr<NeuronGroup>>& groups,
                             double dt_ms) {
  for (const auto& [population, request] : requests_) {
    const int n = groups[population]->size();
    const std::string name = groups[population]->spec().name;
    kernels::PostHistory h;
    h.capacity = 1;
    while (h.capacity < request.capacity) h.capacity *= 2;
    h.mask = static_cast<std::uint64_t>(h.capacity - 1);
    h.channels = static_cast<int>(request.taus_ms.size());
    for (int c = 0; c < h.channels; ++c)
      h.decay[c] = kernels::DecayTable::make(dt_ms / request.taus_ms[c]);
    h.stamp = kernels::View<std::int64_t**>(name + ".post_stamp", n, h.capacity);
    h.trace =
        kernels::View<double***>(name + ".post_trace", std::max(1, h.channels), n, h.capacity);
    h.count = kernels::View<std::uint64_t*>(name + ".post_count", n);
    h.recent = decltype(h.recent)(name + ".post_recent", n);
    h.overflow = kernels::View<int*>(name + ".post_overflow", 1);
    histories_[population] = h;
  }
}

void PostHistories::append(const std::vector<std::unique_ptr<NeuronGroup>>& groups, Step first_step,
                           int steps) {
  for (const auto& [population, h] : histories_) {
    kernels::PostHistoryAppend append{h, groups[population]->fired(), first_step, steps};
    Kokkos::parallel_for(kernels::PostHistoryAppend::kLabel,
                         Kokkos::RangePolicy<kernels::ExecSpace>(0, groups[population]->size()),
                         append);
  }
}

void PostHistories::save_state(StateWriter& w,
                               const std::vector<std::unique_ptr<NeuronGroup>>& groups) const {
  for (const auto& [population, h] : histories_) {
    const StateKeys keys = gid_keys(groups[population]->gids(), groups[population]->spec().name);
    const std::string prefix = "post_history/" + groups[population]->spec().name + "/";
    w.put(prefix + "stamp", keys, h.stamp);
    w.put(prefix + "count", keys, h.count);
    w.put(prefix + "recent", keys, h.recent);
    for (int c = 0; c < h.channels; ++c) {
      // A contiguous copy of channel c: (neuron, slot).
      kernels::View<double**> channel("post_trace_channel", h.trace.extent(1), h.trace.extent(2));
      Kokkos::deep_copy(channel, Kokkos::subview(h.trace, c, Kokkos::ALL, Kokkos::ALL));
      w.put(prefix + "trace_" + std::to_string(c), keys, channel);
    }
  }
}

void PostHistories::restore_state(StateReader& r,
                                  const std::vector<std::unique_ptr<NeuronGroup>>& groups) {
  for (auto& [population, h] : histories_) {
    const StateKeys keys = gid_keys(groups[population]->gids(), groups[population]->spec().name);
    const std::string prefix = "post_history/" + groups[population]->spec().name + "/";
    r.get(prefix + "stamp", keys, h.stamp);
    r.get(prefix + "count", keys, h.count);
    r.get(prefix + "recent", keys, h.recent);
    // Each channel straight into its part of the traces (read in place where the file holds
    // it in this rank's order): a channel-sized buffer in between cost 0.1 s of page faults at
    // scale 8 on the shared VM.
    for (int c = 0; c < h.channels; ++c)
      r.get(prefix + "trace_" + std::to_string(c), keys,
            Kokkos::subview(h.trace, c, Kokkos::ALL, Kokkos::ALL));
  }
}

bool PostHistories::take_overflow() {
  bool any = false;
  for (auto& [population, h] : histories_) {
    auto flag = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), h.overflow);
    if (flag(0) != 0) {
      any = true;
      Kokkos::deep_copy(h.overflow, 0);
    }
  }
  return any;
}

std::uint64_t PostHistories::bytes() const {
  std::uint64_t b = 0;
  for (const auto& [population, h] : histories_) {
    b += h.stamp.span() * sizeof(std::int64_t) + h.trace.span() * sizeof(double) +
         h.count.span() * sizeof(std::uint64_t) + h.recent.span() * sizeof(std::int64_t);
  }
  return b;
}

}  // namespace spikeweave::engine
