#include "plasticity/rule.hpp"

#include "core/errors.hpp"

namespace spikeweave::plasticity {

// Generated from the registrations in the rule folders' CMakeLists (cmake/SpikeWeaveRegistry).
void add_builtin_plasticity_rules(RuleRegistry& registry);

std::vector<std::string> RuleInfo::recordable() const {
  std::vector<std::string> names;
  for (const model::StateVariableInfo& s : synapse_state) {
    if (s.recordable) names.push_back(s.name);
  }
  return names;
}

const RuleInfo& RuleRegistry::add(RuleInfo info) {
  if (find(info.name) != nullptr) {
    throw InternalError("plasticity rule '" + info.name + "' is registered twice");
  }
  if (info.parse == nullptr || info.lower == nullptr) {
    throw InternalError("plasticity rule '" + info.name + "' has no parser or no lowering");
  }
  rules_.push_back(std::move(info));
  return rules_.back();
}

const RuleInfo* RuleRegistry::find(const std::string& name) const {
  for (const RuleInfo& r : rules_) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

const RuleInfo& RuleRegistry::get(const std::string& name, const std::string& key) const {
  if (const RuleInfo* r = find(name)) return *r;
  std::string known;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    known += (i == 0 ? "" : (i + 1 == rules_.size() ? " or " : ", ")) + rules_[i].name;
  }
  throw ConfigError(key, "unknown plasticity rule '" + name + "'; expected " + known);
}

std::vector<const RuleInfo*> RuleRegistry::all() const {
  std::vector<const RuleInfo*> out;
  for (const RuleInfo& r : rules_) out.push_back(&r);
  return out;
}

RuleRegistry& rules() {
  static RuleRegistry* registry = [] {
    auto* r = new RuleRegistry();  // never destroyed: specs may outlive static destructors
    add_builtin_plasticity_rules(*r);
    return r;
  }();
  return *registry;
}

}  // namespace spikeweave::plasticity
