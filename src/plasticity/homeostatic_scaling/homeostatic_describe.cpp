// The homeostatic_scaling rule's entry in the registry: no spike-timing rule, static weights
// scaled by the target's gain. Host only (reads TOML).
#include "model/parameter_reader.hpp"
#include "plasticity/plasticity_spec.hpp"
#include "plasticity/rule.hpp"

namespace spikeweave::plasticity {
namespace {

AnyValue parse(const config::Table& t, const RuleParseContext& /*context*/) {
  return AnyValue::of(parse_homeostatic_scaling(t));
}

AnyValue lower_as_is(const AnyValue& params, double /*dt_ms*/, const std::string& /*key*/) {
  return params;
}

}  // namespace

RuleInfo describe_homeostatic_scaling() {
  RuleInfo r;
  r.name = "homeostatic_scaling";
  r.summary = "synaptic scaling only (Turrigiano 1998; van Rossum, Bi & Turrigiano 2000)";
  r.parameters = homeostatic_scaling_parameters();
  r.synapse_state = {{"weight", "weight", "", false, true, "the weight before scaling"}};
  r.target_state = {{"gain", "1", "", false, true, "multiplicative gain of the incoming weights"},
                    {"rate_estimate", "Hz", "", false, true, "exponential rate trace"}};
  r.spike_timing = false;
  r.parse = &parse;
  r.lower = &lower_as_is;
  return r;
}

}  // namespace spikeweave::plasticity
