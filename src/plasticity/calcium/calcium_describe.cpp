// The calcium rule's entry in the registry. Host only (reads TOML).
#include "core/errors.hpp"
#include "core/time_grid.hpp"
#include "model/parameter_reader.hpp"
#include "plasticity/calcium/calcium_params.hpp"
#include "plasticity/rule.hpp"
#include "plasticity/rule_parameters.hpp"

namespace spikeweave::plasticity {
namespace {

const model::ParameterList& parameters() {
  namespace ranges = config::ranges;
  static const model::ParameterList list({
      rule_parameter("tau_ca_ms", 20.0, true, "calcium decay"),
      rule_parameter("c_pre", 1.0, false, "calcium jump per presynaptic spike"),
      rule_parameter("c_post", 2.0, false, "calcium jump per postsynaptic spike"),
      rule_parameter("pre_delay_ms", 13.7, false, "delay of the presynaptic (NMDA) influx"),
      rule_parameter("theta_d", 1.0, true, "depression threshold"),
      rule_parameter("theta_p", 1.3, true, "potentiation threshold, >= theta_d"),
      rule_parameter("gamma_d", 200.0, false, "depression rate"),
      rule_parameter("gamma_p", 321.808, false, "potentiation rate"),
      rule_parameter("tau_rho_ms", 150000.0, true, "efficacy time constant"),
      model::number_parameter("rho_star", "1", 0.5, ranges::kSigned,
                              "unstable fixed point between the two stable states"),
      model::boolean_parameter("bistable", true, "include the cubic term"),
      model::number_parameter("w_min_<unit>", "weight", 0.0, ranges::kWeight,
                              "weight of efficacy 0"),
      model::number_parameter("w_max_<unit>", "weight", 1.0, ranges::kWeight,
                              "weight of efficacy 1, above w_min"),
      model::text_parameter("dopamine_population", "\"\"",
                            "population whose spikes scale potentiation (\"\" = none)"),
      model::number_parameter("dopamine_gain", "1", 1.0, ranges::kSigned,
                              "gamma_p (1 + dopamine_gain n tau_n)"),
      rule_parameter("tau_n_ms", 200.0, true, "dopamine trace time constant"),
      rule_parameter("dopamine_delay_ms", 0.0, false,
                     "from a dopamine spike to its effect; 0 = dt"),
  });
  return list;
}

AnyValue parse(const config::Table& t, const RuleParseContext& context) {
  const model::ParameterReader read(t, parameters(), context.unit_suffix);
  CalciumParams c;
  c.tau_ca_ms = read.number("tau_ca_ms");
  c.c_pre = read.number("c_pre");
  c.c_post = read.number("c_post");
  c.pre_delay_ms = read.number("pre_delay_ms");
  c.theta_d = read.number("theta_d");
  c.theta_p = read.number("theta_p");
  c.gamma_d = read.number("gamma_d");
  c.gamma_p = read.number("gamma_p");
  c.tau_rho_ms = read.number("tau_rho_ms");
  c.rho_star = read.number("rho_star");
  c.bistable = read.boolean("bistable");
  c.w_min = read.number("w_min_<unit>");
  c.w_max = read.number("w_max_<unit>");
  if (!(c.w_max > c.w_min)) {
    throw ConfigError(t.key_path(read.key("w_max_<unit>")),
                      "must exceed " + read.key("w_min_<unit>"));
  }
  if (!(c.theta_p >= c.theta_d)) throw ConfigError(t.key_path("theta_p"), "must be >= theta_d");
  c.dopamine_population = read.text("dopamine_population");
  c.dopamine_gain = read.number("dopamine_gain");
  c.tau_n_ms = read.number("tau_n_ms");
  c.dopamine_delay_ms = read.number("dopamine_delay_ms");
  return AnyValue::of(c);
}

AnyValue lower(const AnyValue& params, double dt_ms, const std::string& /*key*/) {
  CalciumLowered lowered;
  lowered.params = params.as<CalciumParams>();
  const CalciumParams& c = lowered.params;
  lowered.pre_delay_steps = static_cast<int>(interval_to_steps(c.pre_delay_ms, dt_ms, 0));
  lowered.dopamine_delay_steps = signal_delay_steps(c.dopamine_delay_ms, dt_ms);
  return AnyValue::of(lowered);
}

std::string modulator(const AnyValue& params) {
  return params.as<CalciumParams>().dopamine_population;
}

}  // namespace

RuleInfo describe_calcium() {
  RuleInfo r;
  r.name = "calcium";
  r.summary = "calcium-based rule with bistable efficacy (Graupner & Brunel 2012)";
  r.parameters = parameters();
  r.synapse_state = {{"rho", "1", "", true, true, "efficacy in [0, 1] (the stored state)"}};
  r.source_state = {
      {"calcium_pending", "steps", "", false, true, "pending presynaptic influxes"},
      {"calcium_old", "1", "", false, true, "presynaptic calcium at calcium_old_time"},
      {"calcium_pending_count", "1", "", false, true, "presynaptic spikes so far"},
      {"calcium_old_time", "steps", "", false, true, "reference time of calcium_old"},
      {"t_last", "steps", "", false, true, "time of the source's last spike"},
      {"t_done", "steps", "", false, true, "time up to which the row's synapses are integrated"}};
  r.target_state = {{"post_history", "steps", "", false, true, "the target's recent spikes"}};
  r.parse = &parse;
  r.lower = &lower;
  r.modulator_population = &modulator;
  return r;
}

}  // namespace spikeweave::plasticity
