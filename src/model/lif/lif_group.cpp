// The LIF models' engine part: state Views, initial values and the update kernel of each variant.
#include "engine/neuron_group.hpp"
#include "model/lif/lif_update.hpp"

namespace spikeweave::engine {
namespace {

using kernels::View;

template <class Update>
class LifGroup final : public NeuronGroup {
 public:
  explicit LifGroup(const GroupArgs& args) : NeuronGroup(args) {
    const int n = size();
    const model::LifLowered& lowered = args.lowered.as<model::LifLowered>();
    const model::LifParams& p = lowered.params;
    e_l_mv_ = p.e_l_mv;
    update_.q = lowered.q;
    kernels::LifState& s = update_.s;
    s.v_rel_mv = View<double*>(spec_.name + ".v_rel_mv", n);
    s.refractory_steps = View<std::int32_t*>(spec_.name + ".refractory_steps", n);
    const bool synaptic_currents = lowered.variant != model::LifVariant::kPscDelta;
    const bool alpha = lowered.variant == model::LifVariant::kPscAlpha;
    s.i_syn_ex_pa = View<double*>(spec_.name + ".i_syn_ex_pa", synaptic_currents ? n : 0);
    s.i_syn_in_pa = View<double*>(spec_.name + ".i_syn_in_pa", synaptic_currents ? n : 0);
    s.di_syn_ex = View<double*>(spec_.name + ".di_syn_ex", alpha ? n : 0);
    s.di_syn_in = View<double*>(spec_.name + ".di_syn_in", alpha ? n : 0);
    initialise_state(s.v_rel_mv, args.net, index_, gids_, "v_m_mv", p.e_l_mv, p.e_l_mv);
    if (synaptic_currents) {
      const bool conductances = lowered.variant == model::LifVariant::kCondExp;
      initialise_state(s.i_syn_ex_pa, args.net, index_, gids_,
                       conductances ? "g_ex_ns" : "i_syn_ex_pa", 0.0, 0.0);
      initialise_state(s.i_syn_in_pa, args.net, index_, gids_,
                       conductances ? "g_in_ns" : "i_syn_in_pa", 0.0, 0.0);
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
  double e_l_mv() const override { return e_l_mv_; }

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
