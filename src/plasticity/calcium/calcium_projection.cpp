// The calcium rule's engine part (Graupner & Brunel 2012), optionally dopamine-modulated.
#include "engine/dopamine_train.hpp"
#include "engine/plastic_projection.hpp"
#include "kernels/calcium_deliver.hpp"
#include "plasticity/calcium/calcium_params.hpp"

namespace spikeweave::engine {
namespace {

// Calcium-based plasticity, optionally dopamine-modulated.
template <class Weight>
class CalciumProjection final : public PlasticProjection<Weight, kernels::CalciumSynapses<Weight>> {
  using Base = PlasticProjection<Weight, kernels::CalciumSynapses<Weight>>;

 public:
  CalciumProjection(PlasticArgs& args, const plasticity::CalciumLowered& lowered)
      : Base(args, 0.0, false, {0.0, 1.0, 1.0 / (lowered.params.w_max - lowered.params.w_min)}),
        train_(lowered.params.tau_n_ms, args.net.simulation.dt_ms, lowered.dopamine_delay_steps) {
    const network::NetworkSpec& net = args.net;
    const network::ProjectionSpec& spec = net.projections[args.index];
    const plasticity::PlasticitySpec& p = *spec.plasticity;
    const plasticity::CalciumParams& c = lowered.params;
    const double dt = net.simulation.dt_ms;
    PostHistories& histories = args.histories;
    auto& s = this->s_;
    s.p = kernels::CalciumParams{c.tau_ca_ms, c.c_pre,
                                 c.c_post,    c.theta_d,
                                 c.theta_p,   c.gamma_d,
                                 c.gamma_p,   c.tau_rho_ms,
                                 c.rho_star,  c.bistable,
                                 c.w_min,     c.w_max,
                                 dt,          lowered.pre_delay_steps};
    s.decay = kernels::DecayTable::make(dt / c.tau_ca_ms);
    s.channel = histories.require_channel(spec.target, c.tau_ca_ms, p.history_capacity);
    if (!c.dopamine_population.empty()) {
      modulator_ = net.population_index(c.dopamine_population);
      s.dopamine_gain = c.dopamine_gain;
      s.tau_n_ms = c.tau_n_ms;
      s.dopamine = train_.signal();
    }
    // The stored state is rho: initial weights map back to efficacies.
    auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), s.weight);
    for (std::size_t k = 0; k < host.extent(0); ++k) {
      host(k) = static_cast<Weight>((static_cast<double>(host(k)) - c.w_min) / (c.w_max - c.w_min));
    }
    Kokkos::deep_copy(s.weight, host);
    this->reset_tagging_baseline();
    const std::uint64_t rows = this->tables_.rows();
    s.pending = decltype(s.pending)(spec.name + ".calcium_pending", rows);
    s.pending_count = kernels::View<std::uint32_t*>(spec.name + ".calcium_pending_count", rows);
    s.old_calcium = kernels::View<double*>(spec.name + ".calcium_old", rows);
    s.old_time = kernels::View<std::int64_t*>(spec.name + ".calcium_old_time", rows);
    s.overflow = kernels::View<int*>(spec.name + ".calcium_overflow", 1);
  }

  int modulator_population() const override { return modulator_; }
  void add_modulator_spikes(const std::vector<Step>& stamps) override {
    train_.add(stamps);
    this->s_.dopamine = train_.signal();
  }

 protected:
  kernels::View<const Weight*> state_view(const std::string& variable) const override {
    return variable == "rho" ? kernels::View<const Weight*>(this->s_.weight)
                             : kernels::View<const Weight*>();
  }
  void after_deliver() override {
    auto flag = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), this->s_.overflow);
    if (flag(0) != 0) {
      throw UserError(
          this->key_ + ".plasticity",
          "more than 8 presynaptic spikes of one source within pre_delay_ms; the calcium "
          "rule keeps 8 pending influxes per source");
    }
  }
  void after_sweep(Step idle_before) override {
    if (modulator_ >= 0) {
      train_.prune(idle_before);
      this->s_.dopamine = train_.signal();
    }
  }
  double weight_from_state(double rho) const override {
    return this->s_.p.w_min + rho * (this->s_.p.w_max - this->s_.p.w_min);
  }
  double state_from_weight(double weight) const override {
    return (weight - this->s_.p.w_min) / (this->s_.p.w_max - this->s_.p.w_min);
  }
  void save_rule_state(StateWriter& w, const ProjectionKeys& keys) const override {
    const auto& s = this->s_;
    w.put(keys.prefix + "calcium_pending", keys.rows, s.pending);
    w.put(keys.prefix + "calcium_pending_count", keys.rows, s.pending_count);
    w.put(keys.prefix + "calcium_old", keys.rows, s.old_calcium);
    w.put(keys.prefix + "calcium_old_time", keys.rows, s.old_time);
    if (modulator_ >= 0) train_.save(w, keys.prefix + "dopamine/", keys.root);
  }
  void restore_rule_state(StateReader& r, const ProjectionKeys& keys) override {
    auto& s = this->s_;
    r.get(keys.prefix + "calcium_pending", keys.rows, s.pending);
    r.get(keys.prefix + "calcium_pending_count", keys.rows, s.pending_count);
    r.get(keys.prefix + "calcium_old", keys.rows, s.old_calcium);
    r.get(keys.prefix + "calcium_old_time", keys.rows, s.old_time);
    if (modulator_ >= 0) {
      train_.restore(r, keys.prefix + "dopamine/");
      s.dopamine = train_.signal();
    }
  }
  bool can_switch_learning() const override { return true; }
  void switch_learning(bool on) override { this->s_.learning = on; }
  std::uint64_t extra_bytes() const override {
    const auto& s = this->s_;
    return s.pending.span() * sizeof(std::int64_t) +
           s.pending_count.span() * sizeof(std::uint32_t) + s.old_calcium.span() * sizeof(double) +
           s.old_time.span() * sizeof(std::int64_t);
  }

 private:
  DopamineTrain train_;
  int modulator_ = -1;
};

}  // namespace

std::unique_ptr<Projection> make_calcium_projection(PlasticArgs& args) {
  const auto& lowered = args.lowered.rule.as<plasticity::CalciumLowered>();
  if (args.double_weights) return std::make_unique<CalciumProjection<double>>(args, lowered);
  return std::make_unique<CalciumProjection<float>>(args, lowered);
}

}  // namespace spikeweave::engine
