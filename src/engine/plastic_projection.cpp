#include "engine/plastic_projection.hpp"

#include "core/errors.hpp"

namespace spikeweave::engine {

// Generated from the registrations in the rule folders' CMakeLists (cmake/SpikeWeaveRegistry).
PlasticProjectionFactory builtin_projection_factory(const std::string& rule);

PlasticProjectionFactory projection_factory(const plasticity::RuleInfo& rule) {
  if (rule.make_projection != nullptr) return rule.make_projection;
  if (PlasticProjectionFactory builtin = builtin_projection_factory(rule.name)) return builtin;
  throw InternalError("plasticity rule '" + rule.name + "' has no engine factory");
}

std::unique_ptr<Projection> make_plastic_projection(PlasticArgs& args) {
  return projection_factory(*args.net.projections[args.index].plasticity->rule)(args);
}

}  // namespace spikeweave::engine
