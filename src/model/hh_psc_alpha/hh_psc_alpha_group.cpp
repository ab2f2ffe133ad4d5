// The hh_psc_alpha model's engine part: state Views, initial values (the gates at their steady
// state of the initial V unless given), the update kernel and the check of its error flag.
#include <cmath>
#include <limits>
#include <utility>

#include "engine/neuron_group.hpp"
#include "model/hh_psc_alpha/hh_psc_alpha_update.hpp"

namespace spikeweave::engine {
namespace {

using kernels::View;

class HhPscAlphaGroup final : public NeuronGroup {
 public:
  explicit HhPscAlphaGroup(const GroupArgs& args) : NeuronGroup(args) {
    const int n = size();
    const auto& lowered = args.lowered.as<model::HhPscAlphaLowered>();
    const std::string& name = spec_.name;
    update_.q = lowered;
    kernels::HhPscAlphaState& s = update_.s;
    const auto view = [&](const char* field) { return View<double*>(name + "." + field, n); };
    s.v_m_mv = view("v_m_mv");
    s.act_m = view("act_m");
    s.inact_h = view("inact_h");
    s.act_n = view("act_n");
    s.di_syn_ex = view("di_syn_ex");
    s.i_syn_ex_pa = view("i_syn_ex_pa");
    s.di_syn_in = view("di_syn_in");
    s.i_syn_in_pa = view("i_syn_in_pa");
    s.refractory = View<std::int32_t*>(name + ".refractory_steps", n);
    s.integration_step_ms = view("integration_step_ms");
    initialise_state(s.v_m_mv, args.net, index_, gids_, "v_m_mv", -65.0, 0.0);
    initialise_state(s.i_syn_ex_pa, args.net, index_, gids_, "i_syn_ex_pa", 0.0, 0.0);
    initialise_state(s.i_syn_in_pa, args.net, index_, gids_, "i_syn_in_pa", 0.0, 0.0);
    initialise_gates(args);
    Kokkos::deep_copy(s.integration_step_ms, lowered.step_ms);  // NEST starts at dt
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
    check_model_error(update_.error, *this, first_step, dt_ms, "");
  }
  View<const double*> v_rel_mv() const override { return update_.s.v_m_mv; }
  double e_l_mv() const override { return 0.0; }  // V is stored absolute
  NeuronStateView checkpoint_view(const std::string& variable) override {
    const auto& s = update_.s;
    return find_state_view(variable, s.refractory,
                           {{"v_m_mv", s.v_m_mv},
                            {"act_m", s.act_m},
                            {"inact_h", s.inact_h},
                            {"act_n", s.act_n},
                            {"i_syn_ex_pa", s.i_syn_ex_pa},
                            {"i_syn_in_pa", s.i_syn_in_pa},
                            {"di_syn_ex", s.di_syn_ex},
                            {"di_syn_in", s.di_syn_in},
                            {"integration_step_ms", s.integration_step_ms}});
  }

  View<const double*> state_view(const std::string& variable) const override {
    const kernels::HhPscAlphaState& s = update_.s;
    if (variable == "act_m") return s.act_m;
    if (variable == "inact_h") return s.inact_h;
    if (variable == "act_n") return s.act_n;
    if (variable == "i_syn_ex_pa") return s.i_syn_ex_pa;
    if (variable == "i_syn_in_pa") return s.i_syn_in_pa;
    return {};
  }

 private:
  // m, h and n from `init`, else (NaN marks them) alpha / (alpha + beta) at the initial V.
  void initialise_gates(const GroupArgs& args) {
    kernels::HhPscAlphaState& s = update_.s;
    constexpr double kUnset = std::numeric_limits<double>::quiet_NaN();
    initialise_state(s.act_m, args.net, index_, gids_, "act_m", kUnset, 0.0);
    initialise_state(s.inact_h, args.net, index_, gids_, "inact_h", kUnset, 0.0);
    initialise_state(s.act_n, args.net, index_, gids_, "act_n", kUnset, 0.0);
    auto v = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), s.v_m_mv);
    auto m = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), s.act_m);
    auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), s.inact_h);
    auto n = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), s.act_n);
    for (int i = 0; i < size(); ++i) {
      const kernels::HhRates r = kernels::hh_rates(v(i));
      if (std::isnan(m(i))) m(i) = r.alpha_m / (r.alpha_m + r.beta_m);
      if (std::isnan(h(i))) h(i) = r.alpha_h / (r.alpha_h + r.beta_h);
      if (std::isnan(n(i))) n(i) = r.alpha_n / (r.alpha_n + r.beta_n);
    }
    Kokkos::deep_copy(s.act_m, m);
    Kokkos::deep_copy(s.inact_h, h);
    Kokkos::deep_copy(s.act_n, n);
  }

  kernels::HhPscAlphaUpdate update_;
};

}  // namespace

std::unique_ptr<NeuronGroup> make_hh_psc_alpha_group(const GroupArgs& args) {
  return std::make_unique<HhPscAlphaGroup>(args);
}

}  // namespace spikeweave::engine
