// The poisson_source model's engine part.
#include "engine/neuron_group.hpp"
#include "model/poisson_source/poisson_source_params.hpp"
#include "model/poisson_source/poisson_source_update.hpp"

namespace spikeweave::engine {
namespace {

class PoissonSourceGroup final : public NeuronGroup {
 public:
  explicit PoissonSourceGroup(const GroupArgs& args) : NeuronGroup(args) {
    const model::PoissonSourceLowered& p = args.lowered.as<model::PoissonSourceLowered>();
    update_.fired = fired_;
    update_.gids = device_gids_;
    update_.seed = args.net.simulation.seed;
    update_.population = static_cast<std::uint32_t>(index_);
    update_.spike_probability = p.spike_probability;
    first_step_ = p.first_step;
    stop_step_ = p.stop_step;
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

}  // namespace

std::unique_ptr<NeuronGroup> make_poisson_source_group(const GroupArgs& args) {
  return std::make_unique<PoissonSourceGroup>(args);
}

}  // namespace spikeweave::engine
