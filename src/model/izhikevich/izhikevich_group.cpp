// The izhikevich model's engine part: state Views, initial values and the update kernel.
#include <cmath>
#include <limits>

#include "engine/neuron_group.hpp"
#include "model/izhikevich/izhikevich_update.hpp"

namespace spikeweave::engine {
namespace {

using kernels::View;

class IzhikevichGroup final : public NeuronGroup {
 public:
  explicit IzhikevichGroup(const GroupArgs& args) : NeuronGroup(args) {
    const int n = size();
    const auto& lowered = args.lowered.as<model::IzhikevichLowered>();
    update_.q = lowered;
    kernels::IzhikevichState& s = update_.s;
    s.v_m_mv = View<double*>(spec_.name + ".v_m_mv", n);
    s.u_mv = View<double*>(spec_.name + ".u_mv", n);
    initialise_state(s.v_m_mv, args.net, index_, gids_, "v_m_mv", -65.0, 0.0);
    // u defaults to b v (Izhikevich 2003): NaN marks the neurons without an `init` value.
    initialise_state(s.u_mv, args.net, index_, gids_, "u_mv",
                     std::numeric_limits<double>::quiet_NaN(), 0.0);
    auto v_host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), s.v_m_mv);
    auto u_host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), s.u_mv);
    for (int i = 0; i < n; ++i) {
      if (std::isnan(u_host(i))) u_host(i) = lowered.params.b * v_host(i);
    }
    Kokkos::deep_copy(s.u_mv, u_host);
    update_.ring = ring_;
    update_.fired = fired_;
  }

  void update(Step step, int lag) override {
    update_.slot = static_cast<int>(step % slots_);
    update_.lag = lag;
    kernels::run_chunked_update(update_, size());
  }
  View<const double*> v_rel_mv() const override { return update_.s.v_m_mv; }
  double e_l_mv() const override { return 0.0; }  // v is stored absolute
  View<const double*> state_view(const std::string& variable) const override {
    return variable == "u_mv" ? update_.s.u_mv : View<const double*>();
  }
  NeuronStateView checkpoint_view(const std::string& variable) override {
    NeuronStateView v;
    v.provided = variable == "v_m_mv" || variable == "u_mv";
    v.real = variable == "v_m_mv" ? update_.s.v_m_mv : update_.s.u_mv;
    return v;
  }

 private:
  kernels::IzhikevichUpdate update_;
};

}  // namespace

std::unique_ptr<NeuronGroup> make_izhikevich_group(const GroupArgs& args) {
  return std::make_unique<IzhikevichGroup>(args);
}

}  // namespace spikeweave::engine
