// The stdp_dopamine rule's engine part: reward-modulated STDP whose eligibility traces are
// turned into weight changes by the dopamine signal of a designated population.
#include "engine/dopamine_train.hpp"
#include "engine/plastic_projection.hpp"
#include "kernels/dopamine_deliver.hpp"
#include "plasticity/stdp_dopamine/dopamine_params.hpp"

namespace spikeweave::engine {
namespace {

// Reward-modulated STDP with the dopamine signal of a designated population.
template <class Weight>
class DopamineProjection final
    : public PlasticProjection<Weight, kernels::DopamineSynapses<Weight>> {
  using Base = PlasticProjection<Weight, kernels::DopamineSynapses<Weight>>;

 public:
  DopamineProjection(PlasticArgs& args, const plasticity::StdpDopamineLowered& lowered)
      : Base(args, lowered.params.tau_minus_ms, false,
             {lowered.params.w_min, lowered.params.w_max, 1.0}),
        train_(lowered.params.tau_n_ms, args.net.simulation.dt_ms, lowered.dopamine_delay_steps) {
    const network::NetworkSpec& net = args.net;
    const int index = args.index;
    const plasticity::PlasticitySpec& p = *net.projections[index].plasticity;
    const plasticity::StdpDopamineParams& d = lowered.params;
    const double dt = net.simulation.dt_ms;
    auto& s = this->s_;
    s.p = kernels::DopamineParams{d.a_plus, d.a_minus, d.tau_c_ms, d.tau_n_ms,
                                  d.b,      d.w_min,   d.w_max,    dt};
    s.decay_plus = kernels::DecayTable::make(dt / d.tau_plus_ms);
    s.dopamine = train_.signal();
    s.eligibility = kernels::View<Weight*>(net.projections[index].name + ".eligibility",
                                           this->tables_.synapses);
    protein_dopamine_threshold_ = p.tagging ? p.tagging->protein_dopamine_threshold : 0.0;
    modulator_ = net.population_index(d.dopamine_population);
  }

  int modulator_population() const override { return modulator_; }
  void add_modulator_spikes(const std::vector<Step>& stamps) override {
    train_.add(stamps);
    this->s_.dopamine = train_.signal();
  }

 protected:
  kernels::View<const Weight*> state_view(const std::string& variable) const override {
    return variable == "eligibility" ? kernels::View<const Weight*>(this->s_.eligibility)
                                     : kernels::View<const Weight*>();
  }
  void after_sweep(Step idle_before) override {
    // Every row is now integrated to at least idle_before.
    train_.prune(idle_before);
    this->s_.dopamine = train_.signal();
  }
  bool dopamine_above(Step stamp) const override {
    return protein_dopamine_threshold_ > 0.0 && train_.n_at(stamp) > protein_dopamine_threshold_;
  }
  bool can_switch_learning() const override { return true; }
  void switch_learning(bool on) override { this->s_.learning = on; }
  std::uint64_t extra_bytes() const override {
    return this->s_.eligibility.span() * sizeof(Weight);
  }
  void save_rule_state(StateWriter& w, const ProjectionKeys& keys) const override {
    w.put(keys.prefix + "eligibility", keys.synapses, this->s_.eligibility);
    train_.save(w, keys.prefix + "dopamine/", keys.root);
  }
  void restore_rule_state(StateReader& r, const ProjectionKeys& keys) override {
    r.get(keys.prefix + "eligibility", keys.synapses, this->s_.eligibility);
    train_.restore(r, keys.prefix + "dopamine/");
    this->s_.dopamine = train_.signal();
  }

 private:
  DopamineTrain train_;
  double protein_dopamine_threshold_ = 0.0;
  int modulator_ = -1;
};

}  // namespace

std::unique_ptr<Projection> make_stdp_dopamine_projection(PlasticArgs& args) {
  const auto& lowered = args.lowered.rule.as<plasticity::StdpDopamineLowered>();
  if (args.double_weights) return std::make_unique<DopamineProjection<double>>(args, lowered);
  return std::make_unique<DopamineProjection<float>>(args, lowered);
}

}  // namespace spikeweave::engine
