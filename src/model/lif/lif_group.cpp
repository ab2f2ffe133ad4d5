// The LIF models' engine part: state Views, initial values and the update kernel of each variant.
#include "engine/neuron_group.hpp"
#include "model/lif/lif_state.hpp"
#include "model/lif/lif_update.hpp"

namespace spikeweave::engine {
namespace {

using kernels::View;

template <class Update>
class LifGroup final : public NeuronGroup {
 public:
  explicit LifGroup(const GroupArgs& args) : NeuronGroup(args) {
    const model::LifLowered& lowered = args.lowered.as<model::LifLowered>();
    e_l_mv_ = lowered.params.e_l_mv;
    update_.q = lowered.q;
    update_.s = make_lif_state(args, *this, lowered.variant, lowered.params);
    update_.ring = ring_;
    update_.fired = fired_;
  }

  void update(Step step, int lag) override {
    update_.slot = static_cast<int>(step % slots_);
    update_.lag = lag;
    kernels::run_lif_update(update_, size());
  }
  void update_interval(Step first_step, int lags) override {
    kernels::run_chunked_interval(update_, size(), first_step, lags, slots_);
  }
  View<const double*> v_rel_mv() const override { return update_.s.v_rel_mv; }
  NeuronStateView checkpoint_view(const std::string& variable) override {
    return lif_checkpoint_view(update_.s, variable);
  }
  double e_l_mv() const override { return e_l_mv_; }
  View<const double*> state_view(const std::string& variable) const override {
    return lif_state_view(update_.s, variable);
  }

 private:
  Update update_;
  double e_l_mv_ = 0.0;
};

}  // namespace

std::unique_ptr<NeuronGroup> make_lif_psc_delta_group(const GroupArgs& args) {
  return std::make_unique<LifGroup<kernels::LifPscDeltaUpdate>>(args);
}
std::unique_ptr<NeuronGroup> make_lif_psc_exp_group(const GroupArgs& args) {
  return std::make_unique<LifGroup<kernels::LifPscExpUpdate>>(args);
}
std::unique_ptr<NeuronGroup> make_lif_psc_alpha_group(const GroupArgs& args) {
  return std::make_unique<LifGroup<kernels::LifPscAlphaUpdate>>(args);
}
std::unique_ptr<NeuronGroup> make_lif_cond_exp_group(const GroupArgs& args) {
  return std::make_unique<LifGroup<kernels::LifCondExpUpdate>>(args);
}

}  // namespace spikeweave::engine
