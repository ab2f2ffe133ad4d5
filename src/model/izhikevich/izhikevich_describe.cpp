// The izhikevich model's entry in the registry: parameters, state variables, parser and lowering.
// Host only (reads TOML).
#include <limits>
#include <string>

#include "core/errors.hpp"
#include "model/izhikevich/izhikevich_params.hpp"
#include "model/neuron_model.hpp"
#include "model/parameter_reader.hpp"

namespace spikeweave::model {
namespace {
namespace ranges = config::ranges;

// a is a rate [1/ms]: zero would freeze u, a negative one would make it diverge.
constexpr config::Range kRecoveryRate{0.0, 1e3, true, false, "a positive rate [1/ms]"};
constexpr config::Range kCoupling{-1e3, 1e3, false, false, "a dimensionless coupling"};
constexpr config::Range kIncrement{-1e4, 1e4, false, false, "an increment of u"};

const ParameterList& declared() {
  static const ParameterList list({
      number_parameter("a", "1/ms", 0.02, kRecoveryRate, "time scale of the recovery variable u"),
      number_parameter("b", "1", 0.2, kCoupling, "sensitivity of u to the membrane potential"),
      number_parameter("c_mv", "mV", -65.0, ranges::kVoltageMv,
                       "reset value of v after a spike, below v_th_mv"),
      number_parameter("d", "mV", 8.0, kIncrement, "increment of u after a spike"),
      number_parameter("v_th_mv", "mV", 30.0, ranges::kVoltageMv, "spike cut-off (peak) of v"),
      number_parameter("i_e_pa", "pA", 0.0, ranges::kCurrentPa,
                       "constant input current; 1 pA adds 1 mV/ms to dv/dt (as NEST)"),
      number_parameter("v_min_mv", "mV", -std::numeric_limits<double>::infinity(),
                       ranges::kVoltageMv, "lower bound of v, at most c_mv"),
      boolean_parameter("consistent_integration", true,
                        "forward Euler of v and u from the old values (NEST's default); false: "
                        "the scheme of Izhikevich (2003), two half steps of v then u"),
  });
  return list;
}

AnyValue parse(const config::Table& t, const ModelParseContext& /*context*/) {
  const ParameterReader read(t, declared());
  IzhikevichParams p;
  p.a = read.number("a");
  p.b = read.number("b");
  p.c_mv = read.number("c_mv");
  p.d = read.number("d");
  p.v_th_mv = read.number("v_th_mv");
  p.i_e_pa = read.number("i_e_pa");
  p.v_min_mv = read.number("v_min_mv");
  p.consistent_integration = read.boolean("consistent_integration");
  t.reject_unknown_keys();
  // A reset at or above the cut-off would fire at every step.
  if (!(p.c_mv < p.v_th_mv)) {
    throw ConfigError(t.key_path("c_mv"), std::to_string(p.c_mv) + " must be below v_th_mv " +
                                              std::to_string(p.v_th_mv));
  }
  if (!(p.v_min_mv <= p.c_mv)) throw ConfigError(t.key_path("v_min_mv"), "must not exceed c_mv");
  return AnyValue::of(p);
}

AnyValue lower(const AnyValue& params, double dt_ms, const std::string& /*key*/) {
  IzhikevichLowered lowered;
  lowered.params = params.as<IzhikevichParams>();
  lowered.step_ms = dt_ms;
  return AnyValue::of(lowered);
}

}  // namespace

NeuronModelInfo describe_izhikevich() {
  NeuronModelInfo m;
  m.name = "izhikevich";
  m.summary =
      "Izhikevich (2003) quadratic model with recovery variable; synaptic input is a voltage jump "
      "[mV] (NEST izhikevich)";
  m.weight_unit = WeightUnit::kMillivolt;
  m.parameters = declared();
  m.state = {{"v_m_mv", "mV", "v_m_mv", true, true, "membrane potential (initially -65)"},
             {"u_mv", "mV", "u_mv", true, true,
              "recovery variable (initially b times the initial v_m_mv)"}};
  m.parse = &parse;
  m.lower = &lower;
  return m;
}

}  // namespace spikeweave::model
