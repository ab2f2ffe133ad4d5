// The trace-based STDP rules' entries in the registry. Host only (reads TOML).
#include "core/errors.hpp"
#include "model/parameter_reader.hpp"
#include "plasticity/rule.hpp"
#include "plasticity/rule_parameters.hpp"
#include "plasticity/stdp/stdp_params.hpp"

namespace spikeweave::plasticity {
namespace {

using model::ParameterReader;

const model::ParameterList& pair_parameters() {
  static const model::ParameterList list({
      rule_parameter("tau_plus_ms", 20.0, true, "presynaptic trace time constant"),
      rule_parameter("tau_minus_ms", 20.0, true, "postsynaptic trace time constant"),
      rule_parameter("lambda", 0.01, false, "learning rate (step relative to w_max)"),
      rule_parameter("alpha", 1.0, false, "depression / facilitation ratio"),
      rule_parameter("mu", 0.0, false, "weight dependence of both (0 additive, 1 multiplicative)"),
      rule_parameter("mu_plus", 0.0, false, "weight dependence of facilitation (instead of mu)"),
      rule_parameter("mu_minus", 0.0, false, "weight dependence of depression (instead of mu)"),
      rule_parameter("w_max_<unit>", 100.0, true, "upper bound of the weight"),
      model::choice_parameter(
          "pairing", {"all_to_all", "nearest_symmetric", "nearest", "nearest_pre_centered"},
          "which spikes pair (nearest = nearest_symmetric)"),
  });
  return list;
}

const model::ParameterList& power_law_parameters() {
  static const model::ParameterList list({
      rule_parameter("tau_plus_ms", 20.0, true, "presynaptic trace time constant"),
      rule_parameter("tau_minus_ms", 20.0, true, "postsynaptic trace time constant"),
      rule_parameter("lambda", 0.1, false, "learning rate"),
      rule_parameter("alpha", 1.0, false, "depression / facilitation ratio"),
      rule_parameter("mu", 0.4, false, "exponent: facilitation ~ w^mu; depression ~ w"),
  });
  return list;
}

const model::ParameterList& triplet_parameters() {
  static const model::ParameterList list({
      rule_parameter("tau_plus_ms", 16.8, true, "r1 (pair) presynaptic trace"),
      rule_parameter("tau_x_ms", 101.0, true, "r2 (triplet) presynaptic trace"),
      rule_parameter("tau_minus_ms", 33.7, true, "o1 (pair) postsynaptic trace"),
      rule_parameter("tau_y_ms", 125.0, true, "o2 (triplet) postsynaptic trace"),
      rule_parameter("a2_plus", 5e-10, false, "pair facilitation amplitude (relative to w_max)"),
      rule_parameter("a3_plus", 6.2e-3, false, "triplet facilitation amplitude"),
      rule_parameter("a2_minus", 7e-3, false, "pair depression amplitude"),
      rule_parameter("a3_minus", 2.3e-4, false, "triplet depression amplitude"),
      rule_parameter("w_max_<unit>", 100.0, true, "upper bound of the weight"),
  });
  return list;
}

Pairing parse_pairing(const config::Table& t) {
  const std::string name = t.string("pairing", "all_to_all");
  if (name == "all_to_all") return Pairing::kAllToAll;
  if (name == "nearest" || name == "nearest_symmetric") return Pairing::kNearestSymmetric;
  if (name == "nearest_pre_centered") return Pairing::kNearestPreCentered;
  throw ConfigError(t.key_path("pairing"), "unknown pairing '" + name +
                                               "'; expected all_to_all, nearest_symmetric (or "
                                               "nearest) or nearest_pre_centered");
}

AnyValue parse_pair(const config::Table& t, const RuleParseContext& context) {
  const ParameterReader read(t, pair_parameters(), context.unit_suffix);
  StdpPairParams s;
  s.tau_plus_ms = read.number("tau_plus_ms");
  s.tau_minus_ms = read.number("tau_minus_ms");
  s.lambda = read.number("lambda");
  s.alpha = read.number("alpha");
  if (t.has("mu") && (t.has("mu_plus") || t.has("mu_minus"))) {
    throw ConfigError(t.key_path("mu"), "give either mu or mu_plus and mu_minus");
  }
  const double mu = read.number("mu");  // the default of both
  s.mu_plus = read.number("mu_plus", mu);
  s.mu_minus = read.number("mu_minus", mu);
  s.w_max = read.number("w_max_<unit>");
  s.pairing = parse_pairing(t);
  return AnyValue::of(s);
}

AnyValue parse_power_law(const config::Table& t, const RuleParseContext& context) {
  const ParameterReader read(t, power_law_parameters(), context.unit_suffix);
  StdpPowerLawParams s;
  s.tau_plus_ms = read.number("tau_plus_ms");
  s.tau_minus_ms = read.number("tau_minus_ms");
  s.lambda = read.number("lambda");
  s.alpha = read.number("alpha");
  s.mu = read.number("mu");
  return AnyValue::of(s);
}

AnyValue parse_triplet(const config::Table& t, const RuleParseContext& context) {
  const ParameterReader read(t, triplet_parameters(), context.unit_suffix);
  StdpTripletParams s;
  s.tau_plus_ms = read.number("tau_plus_ms");
  s.tau_x_ms = read.number("tau_x_ms");
  s.tau_minus_ms = read.number("tau_minus_ms");
  s.tau_y_ms = read.number("tau_y_ms");
  s.a2_plus = read.number("a2_plus");
  s.a3_plus = read.number("a3_plus");
  s.a2_minus = read.number("a2_minus");
  s.a3_minus = read.number("a3_minus");
  s.w_max = read.number("w_max_<unit>");
  return AnyValue::of(s);
}

// These rules keep no signal delays: their parameters are their lowering.
AnyValue lower_as_is(const AnyValue& params, double /*dt_ms*/, const std::string& /*key*/) {
  return params;
}

std::vector<model::StateVariableInfo> trace_state() {
  return {{"r1", "1", "", false, true, "presynaptic trace after the source's last spike"},
          {"t_last", "steps", "", false, true, "time of the source's last spike"},
          {"t_done", "steps", "", false, true,
           "presynaptic time up to which the row's synapses saw postsynaptic spikes"}};
}

std::vector<model::StateVariableInfo> post_trace_state() {
  return {{"post_history", "steps", "", false, true,
           "the target's recent spikes (history_capacity), from which traces are computed"}};
}

RuleInfo describe(const char* name, const char* summary, const model::ParameterList& parameters,
                  AnyValue (*parse)(const config::Table&, const RuleParseContext&)) {
  RuleInfo r;
  r.name = name;
  r.summary = summary;
  r.parameters = parameters;
  r.synapse_state = {{"weight", "weight", "", false, true, "the weight (always in the recording)"}};
  r.source_state = trace_state();
  r.target_state = post_trace_state();
  r.parse = parse;
  r.lower = &lower_as_is;
  return r;
}

}  // namespace

RuleInfo describe_stdp_pair() {
  return describe("stdp_pair", "pair STDP (NEST stdp_synapse; van Rossum 2000; Guetig 2003)",
                  pair_parameters(), &parse_pair);
}

RuleInfo describe_stdp_power_law() {
  return describe("stdp_power_law", "power-law STDP (NEST stdp_pl_synapse_hom; Morrison 2007)",
                  power_law_parameters(), &parse_power_law);
}

RuleInfo describe_stdp_triplet() {
  RuleInfo r = describe("stdp_triplet", "minimal triplet STDP (Pfister & Gerstner 2006)",
                        triplet_parameters(), &parse_triplet);
  r.source_state.push_back({"r2", "1", "", false, true, "triplet presynaptic trace (tau_x)"});
  return r;
}

}  // namespace spikeweave::plasticity
