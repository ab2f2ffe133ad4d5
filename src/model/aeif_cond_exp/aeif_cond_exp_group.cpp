// The aeif_cond_exp model's engine part: state Views, initial values, the update kernel and the
// check of its error flag.
#include "engine/neuron_group.hpp"
#include "model/aeif_cond_exp/aeif_cond_exp_update.hpp"

namespace spikeweave::engine {
namespace {

using kernels::View;

class AeifCondExpGroup final : public NeuronGroup {
 public:
  explicit AeifCondExpGroup(const GroupArgs& args) : NeuronGroup(args) {
    const int n = size();
    const auto& lowered = args.lowered.as<model::AeifCondExpLowered>();
    const std::string& name = spec_.name;
    update_.q = lowered;
    kernels::AeifCondExpState& s = update_.s;
    s.v_m_mv = View<double*>(name + ".v_m_mv", n);
    s.w_pa = View<double*>(name + ".w_pa", n);
    s.g_ex_ns = View<double*>(name + ".g_ex_ns", n);
    s.g_in_ns = View<double*>(name + ".g_in_ns", n);
    s.refractory = View<std::int32_t*>(name + ".refractory_steps", n);
    s.integration_step_ms = View<double*>(name + ".integration_step_ms", n);
    initialise_state(s.v_m_mv, args.net, index_, gids_, "v_m_mv", lowered.params.e_l_mv, 0.0);
    initialise_state(s.w_pa, args.net, index_, gids_, "w_pa", 0.0, 0.0);
    initialise_state(s.g_ex_ns, args.net, index_, gids_, "g_ex_ns", 0.0, 0.0);
    initialise_state(s.g_in_ns, args.net, index_, gids_, "g_in_ns", 0.0, 0.0);
    Kokkos::deep_copy(s.integration_step_ms, lowered.initial_step_ms);
    update_.ring = ring_;
    update_.fired = fired_;
    update_.error = make_model_error_flag(name + ".error");
  }

  void update(Step step, int lag) override {
    update_.slot = static_cast<int>(step % slots_);
    update_.lag = lag;
    kernels::run_update(update_, size());
  }
  void check_errors(Step first_step, double dt_ms) override {
    check_model_error(update_.error, *this, first_step, dt_ms,
                      "numerical instability (V below -1000 mV or |w| above 1e6 pA, NEST's "
                      "bounds); check a_ns, b_pa and the input");
  }
  View<const double*> v_rel_mv() const override { return update_.s.v_m_mv; }
  double e_l_mv() const override { return 0.0; }  // V is stored absolute
  NeuronStateView checkpoint_view(const std::string& variable) override {
    const auto& s = update_.s;
    // integration_step_ms: the step RKF45 carries over is part of the exact state.
    return find_state_view(variable, s.refractory,
                           {{"v_m_mv", s.v_m_mv},
                            {"w_pa", s.w_pa},
                            {"g_ex_ns", s.g_ex_ns},
                            {"g_in_ns", s.g_in_ns},
                            {"integration_step_ms", s.integration_step_ms}});
  }
  View<const double*> state_view(const std::string& variable) const override {
    if (variable == "w_pa") return update_.s.w_pa;
    if (variable == "g_ex_ns") return update_.s.g_ex_ns;
    if (variable == "g_in_ns") return update_.s.g_in_ns;
    return {};
  }

 private:
  kernels::AeifCondExpUpdate update_;
};

}  // namespace

std::unique_ptr<NeuronGroup> make_aeif_cond_exp_group(const GroupArgs& args) {
  return std::make_unique<AeifCondExpGroup>(args);
}

}  // namespace spikeweave::engine
