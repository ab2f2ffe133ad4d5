// The stdp_dopamine rule's entry in the registry. Host only (reads TOML).
#include "core/errors.hpp"
#include "model/parameter_reader.hpp"
#include "plasticity/rule.hpp"
#include "plasticity/rule_parameters.hpp"
#include "plasticity/stdp_dopamine/dopamine_params.hpp"

namespace spikeweave::plasticity {
namespace {

const model::ParameterList& parameters() {
  namespace ranges = config::ranges;
  static const model::ParameterList list({
      model::text_parameter("dopamine_population", "",
                            "population whose spikes are the dopamine signal"),
      rule_parameter("tau_plus_ms", 20.0, true, "STDP window, potentiation side"),
      rule_parameter("tau_minus_ms", 20.0, true, "STDP window, depression side"),
      rule_parameter("a_plus", 1.0, false, "eligibility increase per pairing"),
      rule_parameter("a_minus", 1.5, false, "eligibility decrease per pairing"),
      rule_parameter("tau_c_ms", 1000.0, true, "eligibility trace time constant"),
      rule_parameter("tau_n_ms", 200.0, true, "dopamine trace time constant"),
      rule_parameter("b", 0.0, false, "dopamine baseline [1/ms]"),
      rule_parameter("dopamine_delay_ms", 0.0, false,
                     "from a dopamine spike to its effect; 0 = dt"),
      model::number_parameter("w_min_<unit>", "weight", 0.0, ranges::kWeight, "lower bound"),
      model::number_parameter("w_max_<unit>", "weight", 200.0, ranges::kWeight,
                              "upper bound, above w_min"),
  });
  return list;
}

AnyValue parse(const config::Table& t, const RuleParseContext& context) {
  const model::ParameterReader read(t, parameters(), context.unit_suffix);
  StdpDopamineParams s;
  s.dopamine_population = read.text("dopamine_population");
  s.tau_plus_ms = read.number("tau_plus_ms");
  s.tau_minus_ms = read.number("tau_minus_ms");
  s.a_plus = read.number("a_plus");
  s.a_minus = read.number("a_minus");
  s.tau_c_ms = read.number("tau_c_ms");
  s.tau_n_ms = read.number("tau_n_ms");
  s.b = read.number("b");
  s.dopamine_delay_ms = read.number("dopamine_delay_ms");
  s.w_min = read.number("w_min_<unit>");
  s.w_max = read.number("w_max_<unit>");
  if (!(s.w_max > s.w_min)) {
    throw ConfigError(t.key_path(read.key("w_max_<unit>")),
                      "must exceed " + read.key("w_min_<unit>"));
  }
  return AnyValue::of(s);
}

AnyValue lower(const AnyValue& params, double dt_ms, const std::string& /*key*/) {
  StdpDopamineLowered lowered;
  lowered.params = params.as<StdpDopamineParams>();
  lowered.dopamine_delay_steps = signal_delay_steps(lowered.params.dopamine_delay_ms, dt_ms);
  return AnyValue::of(lowered);
}

std::string modulator(const AnyValue& params) {
  return params.as<StdpDopamineParams>().dopamine_population;
}

}  // namespace

RuleInfo describe_stdp_dopamine() {
  RuleInfo r;
  r.name = "stdp_dopamine";
  r.summary = "reward-modulated STDP (Izhikevich 2007; NEST stdp_dopamine_synapse)";
  r.parameters = parameters();
  r.synapse_state = {{"weight", "weight", "", false, true, "the weight (always in the recording)"},
                     {"eligibility", "1", "", true, true, "eligibility trace c"}};
  r.source_state = {{"r1", "1", "", false, true, "presynaptic trace after the last spike"},
                    {"t_last", "steps", "", false, true, "time of the source's last spike"},
                    {"t_done", "steps", "", false, true,
                     "presynaptic time up to which the row's synapses are integrated"},
                    {"dopamine_train", "steps", "", false, true,
                     "the modulator's spikes still needed, with the concentration after each"}};
  r.target_state = {{"post_history", "steps", "", false, true, "the target's recent spikes"}};
  r.parse = &parse;
  r.lower = &lower;
  r.modulator_population = &modulator;
  return r;
}

}  // namespace spikeweave::plasticity
