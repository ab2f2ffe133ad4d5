// The trace-based STDP rules' engine part: one projection class over the weight rules of
// stdp_rules.hpp (pair, power law, triplet), which the delivery kernel calls per pairing.
#include <type_traits>

#include "engine/plastic_projection.hpp"
#include "kernels/stdp_rules.hpp"
#include "plasticity/stdp/stdp_params.hpp"

namespace spikeweave::engine {
namespace {

// Trace-based STDP (pair, power-law, triplet).
template <class Weight, class Rule>
class StdpProjection final : public PlasticProjection<Weight, kernels::StdpSynapses<Weight, Rule>> {
  using Base = PlasticProjection<Weight, kernels::StdpSynapses<Weight, Rule>>;

 public:
  // `triplet`: the triplet rule's parameters (its second traces), null for the pair rules.
  StdpProjection(PlasticArgs& args, const Rule& rule, double tau_plus_ms, double tau_minus_ms,
                 kernels::PairingMode pairing, TaggingBounds bounds,
                 const plasticity::StdpTripletParams* triplet)
      : Base(args, tau_minus_ms, pairing != kernels::PairingMode::kAllToAll, bounds) {
    const network::NetworkSpec& net = args.net;
    const int index = args.index;
    const plasticity::PlasticitySpec& p = *net.projections[index].plasticity;
    const double dt = net.simulation.dt_ms;
    auto& s = this->s_;
    s.rule = rule;
    s.pairing = pairing;
    s.channel_minus = this->kminus_table_.channel;
    s.decay_plus = kernels::DecayTable::make(dt / tau_plus_ms);
    if (triplet != nullptr) {
      s.triplet = true;
      s.decay_x = kernels::DecayTable::make(dt / triplet->tau_x_ms);
      s.channel_triplet =
          args.histories.require_channel(this->target_, triplet->tau_y_ms, p.history_capacity);
      s.rows.r2 = kernels::View<double*>(net.projections[index].name + ".r2", this->tables_.rows());
    }
    if (pairing == kernels::PairingMode::kNearestPreCentered) {
      s.pre_centered_trace = kernels::View<double*>(
          net.projections[index].name + ".pre_centered_trace", this->tables_.synapses);
    }
  }

 protected:
  bool can_switch_learning() const override { return true; }
  void switch_learning(bool on) override { this->s_.learning = on; }
  std::uint64_t extra_bytes() const override {
    return this->s_.pre_centered_trace.span() * sizeof(double);
  }
  void save_rule_state(StateWriter& w, const ProjectionKeys& keys) const override {
    const auto& s = this->s_;
    if (s.triplet) w.put(keys.prefix + "r2", keys.rows, s.rows.r2);
    if (s.pairing == kernels::PairingMode::kNearestPreCentered) {
      w.put(keys.prefix + "pre_centered_trace", keys.synapses, s.pre_centered_trace);
    }
  }
  void restore_rule_state(StateReader& r, const ProjectionKeys& keys) override {
    auto& s = this->s_;
    if (s.triplet) r.get(keys.prefix + "r2", keys.rows, s.rows.r2);
    if (s.pairing == kernels::PairingMode::kNearestPreCentered) {
      r.get(keys.prefix + "pre_centered_trace", keys.synapses, s.pre_centered_trace);
    }
  }
};

template <class Rule, class Weight>
std::unique_ptr<Projection> make(PlasticArgs& args, const Rule& rule, double tau_plus_ms,
                                 double tau_minus_ms, kernels::PairingMode pairing,
                                 TaggingBounds bounds,
                                 const plasticity::StdpTripletParams* triplet = nullptr) {
  return std::make_unique<StdpProjection<Weight, Rule>>(args, rule, tau_plus_ms, tau_minus_ms,
                                                        pairing, bounds, triplet);
}

template <class Weight>
std::unique_ptr<Projection> make_pair(PlasticArgs& args) {
  const auto& p = args.lowered.rule.as<plasticity::StdpPairParams>();
  const kernels::PairWeightRule rule{p.lambda, p.alpha, p.mu_plus, p.mu_minus, p.w_max};
  return make<kernels::PairWeightRule, Weight>(args, rule, p.tau_plus_ms, p.tau_minus_ms,
                                               static_cast<kernels::PairingMode>(p.pairing),
                                               {0.0, p.w_max, 1.0});
}

template <class Weight>
std::unique_ptr<Projection> make_power_law(PlasticArgs& args) {
  const auto& p = args.lowered.rule.as<plasticity::StdpPowerLawParams>();
  const kernels::PowerLawWeightRule rule{p.lambda, p.alpha, p.mu, std::is_same_v<Weight, float>};
  return make<kernels::PowerLawWeightRule, Weight>(args, rule, p.tau_plus_ms, p.tau_minus_ms,
                                                   kernels::PairingMode::kAllToAll,
                                                   {0.0, 1e300, 1.0});
}

template <class Weight>
std::unique_ptr<Projection> make_triplet(PlasticArgs& args) {
  const auto& p = args.lowered.rule.as<plasticity::StdpTripletParams>();
  const kernels::TripletWeightRule rule{p.a2_plus, p.a3_plus, p.a2_minus, p.a3_minus, p.w_max};
  return make<kernels::TripletWeightRule, Weight>(args, rule, p.tau_plus_ms, p.tau_minus_ms,
                                                  kernels::PairingMode::kAllToAll,
                                                  {0.0, p.w_max, 1.0}, &p);
}

}  // namespace

std::unique_ptr<Projection> make_stdp_pair_projection(PlasticArgs& args) {
  return args.double_weights ? make_pair<double>(args) : make_pair<float>(args);
}
std::unique_ptr<Projection> make_stdp_power_law_projection(PlasticArgs& args) {
  return args.double_weights ? make_power_law<double>(args) : make_power_law<float>(args);
}
std::unique_ptr<Projection> make_stdp_triplet_projection(PlasticArgs& args) {
  return args.double_weights ? make_triplet<double>(args) : make_triplet<float>(args);
}

}  // namespace spikeweave::engine
