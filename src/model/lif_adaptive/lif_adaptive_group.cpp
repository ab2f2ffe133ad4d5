// The adaptive LIF models' engine part: the base model's state plus theta and w.
#include "engine/neuron_group.hpp"
#include "model/lif/lif_state.hpp"
#include "model/lif_adaptive/lif_adaptive_update.hpp"

namespace spikeweave::engine {
namespace {

using kernels::View;

template <class Update>
class LifAdaptiveGroup final : public NeuronGroup {
 public:
  explicit LifAdaptiveGroup(const GroupArgs& args) : NeuronGroup(args) {
    const int n = size();
    const auto& lowered = args.lowered.as<model::LifAdaptiveLowered>();
    const model::LifParams& p = lowered.params.lif;
    e_l_mv_ = p.e_l_mv;
    update_.q = lowered.q;
    update_.a = lowered.adapt;
    kernels::LifAdaptiveState& s = update_.s;
    s.base = make_lif_state(args, *this, lowered.variant, p);
    s.theta_mv = View<double*>(spec_.name + ".theta_mv", n);
    s.w_pa = View<double*>(spec_.name + ".w_pa", n);
    initialise_state(s.theta_mv, args.net, index_, gids_, "theta_mv", 0.0, 0.0);
    initialise_state(s.w_pa, args.net, index_, gids_, "w_pa", 0.0, 0.0);
    update_.ring = ring_;
    update_.fired = fired_;
  }

  void update(Step step, int lag) override {
    update_.slot = static_cast<int>(step % slots_);
    update_.lag = lag;
    kernels::run_chunked_update(update_, size());
  }
  View<const double*> v_rel_mv() const override { return update_.s.base.v_rel_mv; }
  NeuronStateView checkpoint_view(const std::string& variable) override {
    NeuronStateView v;
    v.provided = true;
    if (variable == "theta_mv") {
      v.real = update_.s.theta_mv;
    } else if (variable == "w_pa") {
      v.real = update_.s.w_pa;
    } else {
      return lif_checkpoint_view(update_.s.base, variable);
    }
    return v;
  }
  double e_l_mv() const override { return e_l_mv_; }
  View<const double*> state_view(const std::string& variable) const override {
    if (variable == "theta_mv") return update_.s.theta_mv;
    if (variable == "w_pa") return update_.s.w_pa;
    return lif_state_view(update_.s.base, variable);
  }

 private:
  Update update_;
  double e_l_mv_ = 0.0;
};

}  // namespace

std::unique_ptr<NeuronGroup> make_lif_psc_exp_adaptive_group(const GroupArgs& args) {
  return std::make_unique<LifAdaptiveGroup<kernels::LifPscExpAdaptiveUpdate>>(args);
}
std::unique_ptr<NeuronGroup> make_lif_cond_exp_adaptive_group(const GroupArgs& args) {
  return std::make_unique<LifAdaptiveGroup<kernels::LifCondExpAdaptiveUpdate>>(args);
}

}  // namespace spikeweave::engine
