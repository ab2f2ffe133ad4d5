// The spike_source model's engine part.
#include "engine/neuron_group.hpp"
#include "model/spike_source/spike_source_params.hpp"
#include "model/spike_source/spike_source_update.hpp"

namespace spikeweave::engine {
namespace {

using kernels::View;

class SpikeSourceGroup final : public NeuronGroup {
 public:
  explicit SpikeSourceGroup(const GroupArgs& args) : NeuronGroup(args) {
    const model::SpikeSourceLowered& lists = args.lowered.as<model::SpikeSourceLowered>();
    const int n = size();
    // This rank's neurons' lists, in CSR form.
    View<std::uint64_t*> begin(spec_.name + ".spike_begin", n + 1);
    auto host_begin = Kokkos::create_mirror_view(begin);
    std::vector<std::int64_t> steps;
    for (int i = 0; i < n; ++i) {
      host_begin(i) = steps.size();
      const std::size_t list = lists.shared ? 0 : gids_[i] - spec_.first_gid;
      steps.insert(steps.end(), lists.steps.begin() + static_cast<long>(lists.begin[list]),
                   lists.steps.begin() + static_cast<long>(lists.begin[list + 1]));
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

std::unique_ptr<NeuronGroup> make_spike_source_group(const GroupArgs& args) {
  return std::make_unique<SpikeSourceGroup>(args);
}

}  // namespace spikeweave::engine
