// Registers a toy neuron model and a toy plasticity rule from test files alone (the registry's
// promise, docs/extending.md: this file holds their kernels and engine parts, toy_units_host.cpp
// their parameters and parsers) and runs a small network with them.
//
// toy_integrator: a non-leaky integrate-and-fire neuron, v += input [mV] each step, a spike and
// v = 0 when v >= threshold_mv. toy_potentiation: every presynaptic spike is delivered with the
// synapse's weight and then adds increment_<unit> to it, capped at w_max_<unit>.
//
// A spike source fires at 10, 20, ..., 100 ms onto one toy neuron through one toy synapse with
// weight 0.125 mV and increment 0.0625 mV: the k-th input (k = 0..9) carries 0.125 + 0.0625 k,
// so v reaches 1.25 at input 5, 1.5 at input 8 and 1.3125 at input 10 (every value exact in
// binary and in the 2^-32 fixed-point ring): three spikes; the final weight is
// 0.125 + 10 * 0.0625 = 0.75. On several ranks the synapse lives on one of them.
#include <gtest/gtest.h>

#include "common/test_context.hpp"
#include "engine/neuron_group.hpp"
#include "engine/plastic_projection.hpp"
#include "engine/simulation.hpp"
#include "extension/toy_units.hpp"
#include "kernels/neuron_update.hpp"
#include "model/neuron_model.hpp"
#include "network/spec.hpp"
#include "plasticity/rule.hpp"

namespace spikeweave {
namespace {

// ---- the toy neuron model ------------------------------------------------------------------

struct ToyUpdate {
  kernels::View<double*> v;
  kernels::InputRing ring;
  kernels::FiredFlags fired;
  double threshold = 1.0;
  int slot = 0;
  int lag = 0;
  static constexpr const char* kLabel = "spikeweave::toy_integrator::update";
  KOKKOS_INLINE_FUNCTION void operator()(const int i) const {
    double input = 0.0;
    for (int port = 0; port < kernels::kPortCount; ++port) {
      input += kernels::from_fixed(ring(port, slot, i));
      ring(port, slot, i) = 0;
    }
    const double v_new = v(i) + input;
    const bool spike = v_new >= threshold;
    v(i) = spike ? 0.0 : v_new;
    fired(lag, i) = spike ? 1 : 0;
  }
};

class ToyGroup final : public engine::NeuronGroup {
 public:
  explicit ToyGroup(const engine::GroupArgs& args) : NeuronGroup(args) {
    update_.v = kernels::View<double*>("toy.v", size());
    update_.ring = ring_;
    update_.fired = fired_;
    update_.threshold = args.lowered.as<toy::ToyParams>().threshold_mv;
  }
  void update(Step step, int lag) override {
    update_.slot = static_cast<int>(step % slots_);
    update_.lag = lag;
    kernels::run_update(update_, size());
  }
  kernels::View<const double*> v_rel_mv() const override { return update_.v; }

 private:
  ToyUpdate update_;
};

std::unique_ptr<engine::NeuronGroup> make_toy_group(const engine::GroupArgs& args) {
  return std::make_unique<ToyGroup>(args);
}

// ---- the toy plasticity rule ---------------------------------------------------------------

// The kernel side: the shared plastic-synapse state with the toy's at_spike / update /
// after_spike / catch_up (kernels/plastic_deliver.hpp calls them).
template <class Weight>
struct ToySynapses : kernels::StdpSynapses<Weight, kernels::PairWeightRule> {
  double increment = 0.0;
  double w_max = 0.0;
  struct Spike {
    std::int64_t stamp;
  };
  KOKKOS_INLINE_FUNCTION Spike at_spike(std::uint64_t, std::int64_t stamp) const { return {stamp}; }
  KOKKOS_INLINE_FUNCTION double update(std::uint64_t k, std::uint32_t, int, std::uint64_t,
                                       const Spike&) const {
    const double w = static_cast<double>(this->weight(k));
    const double next = w + increment;
    this->weight(k) = static_cast<Weight>(next > w_max ? w_max : next);
    return w;  // this spike is delivered with the weight before its own change
  }
  KOKKOS_INLINE_FUNCTION void after_spike(std::uint64_t row, const Spike& x) const {
    this->rows.t_last(row) = x.stamp;
    this->rows.t_done(row) = x.stamp;
  }
  KOKKOS_INLINE_FUNCTION void catch_up(std::uint64_t, std::uint32_t, int, std::uint64_t,
                                       std::int64_t) const {}
};

template <class Weight>
class ToyProjection final : public engine::PlasticProjection<Weight, ToySynapses<Weight>> {
 public:
  ToyProjection(engine::PlasticArgs& args, const toy::ToyRuleParams& p)
      : engine::PlasticProjection<Weight, ToySynapses<Weight>>(args, 0.0, false, {0.0, p.w_max}) {
    this->s_.increment = p.increment;
    this->s_.w_max = p.w_max;
  }
};

std::unique_ptr<engine::Projection> make_toy_projection(engine::PlasticArgs& args) {
  const auto& p = args.lowered.rule.as<toy::ToyRuleParams>();
  if (args.double_weights) return std::make_unique<ToyProjection<double>>(args, p);
  return std::make_unique<ToyProjection<float>>(args, p);
}

// ---- registration: the whole of what the rest of SpikeWeave needs to know -------------------

void register_toys() {
  static const bool done = [] {
    model::NeuronModelInfo m = toy::toy_integrator_info();
    m.make_group = &make_toy_group;
    model::neuron_models().add(m);

    plasticity::RuleInfo r = toy::toy_potentiation_info();
    r.make_projection = &make_toy_projection;
    plasticity::rules().add(r);
    return true;
  }();
  (void)done;
}

const char* const kNetwork = R"(
[simulation]
dt_ms = 0.1
t_stop_ms = 120.0
seed = 3

[[population]]
name = "input"
size = 1
model = "spike_source"
params = { spike_times_ms = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0] }

[[population]]
name = "toy"
size = 1
model = "toy_integrator"
params = { threshold_mv = 1.0 }

[[projection]]
source = "input"
target = "toy"
connect = { rule = "all_to_all" }
weight_mv = 0.125
delay_ms = 1.0
plasticity = { rule = "toy_potentiation", increment_mv = 0.0625, w_max_mv = 5.0 }
)";

TEST(Registry, RunsAToyModelAndRuleRegisteredFromOneFile) {
  register_toys();
  const network::NetworkSpec spec = network::parse_network(kNetwork, "toy.toml");
  engine::Simulation simulation(spec, test::world());
  simulation.run_to_end();
  // Inputs 5, 8 and 10 (k = 4, 7, 9) cross the threshold.
  EXPECT_EQ(simulation.global_spike_counts()[1], 3u);
  const std::vector<engine::SynapseState> synapses = simulation.synapse_states(0);
  ASSERT_LE(synapses.size(), 1u);
  if (!synapses.empty()) {
    EXPECT_DOUBLE_EQ(synapses[0].weight, 0.75);
  }
}

TEST(Registry, ToyKeysAreCheckedLikeBuiltInOnes) {
  register_toys();
  std::string text = kNetwork;
  text.replace(text.find("threshold_mv = 1.0"), 18, "threshold_mv = -1.0");
  try {
    network::parse_network(text, "toy.toml");
    FAIL() << "a negative threshold was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("population[1].params.threshold_mv"), std::string::npos)
        << e.what();
  }
  text = kNetwork;
  text.replace(text.find("increment_mv"), 12, "increment_pa");
  EXPECT_THROW(network::parse_network(text, "toy.toml"), ConfigError);
}

}  // namespace
}  // namespace spikeweave
