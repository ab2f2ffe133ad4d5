#include "network/reference.hpp"

#include <sstream>

#include "model/neuron_model.hpp"
#include "plasticity/plasticity_spec.hpp"
#include "plasticity/rule.hpp"

namespace spikeweave::network {
namespace {

std::string code(const std::string& text) {
  return "`" + text + "`";
}

void parameter_table(std::ostringstream& out, const model::ParameterList& parameters) {
  if (parameters.all().empty()) {
    out << "No parameters.\n\n";
    return;
  }
  out << "| key | unit | default | range | meaning |\n|---|---|---|---|---|\n";
  for (const model::ParameterInfo& p : parameters.all()) {
    out << "| " << code(p.name) << " | " << p.unit << " | " << p.default_description() << " | "
        << p.range_description() << " | " << p.meaning << " |\n";
  }
  out << "\n";
}

void state_table(std::ostringstream& out, const char* title,
                 const std::vector<model::StateVariableInfo>& state) {
  if (state.empty()) return;
  out << "| " << title << " | unit | `init` key | recordable | checkpointed | meaning |\n"
      << "|---|---|---|---|---|---|\n";
  for (const model::StateVariableInfo& s : state) {
    out << "| " << code(s.name) << " | " << s.unit << " | "
        << (s.init_key.empty() ? "" : code(s.init_key)) << " | " << (s.recordable ? "yes" : "")
        << " | " << (s.checkpointed ? "yes" : "") << " | " << s.meaning << " |\n";
  }
  out << "\n";
}

}  // namespace

std::string models_reference_markdown() {
  std::ostringstream out;
  out << "### Neuron models\n\n";
  for (const model::NeuronModelInfo* m : model::neuron_models().all()) {
    out << "#### " << code(m->name) << "\n\n" << m->summary << ". ";
    if (m->receives_input()) {
      out << "Synaptic weights onto it: " << code(m->weight_key()) << " [" << m->weight_unit_name()
          << "].\n\n";
    } else {
      out << "A source: it receives no synapses and no stimuli.\n\n";
    }
    parameter_table(out, m->parameters);
    state_table(out, "state variable", m->state);
  }
  out << "### Plasticity rules\n\n"
      << "Keys named `..._<unit>` take the target's weight unit (`pa`, `mv` or `ns`). Every rule "
         "also takes these keys:\n\n";
  parameter_table(out, plasticity::shared_plasticity_parameters());
  for (const plasticity::RuleInfo* r : plasticity::rules().all()) {
    out << "#### " << code(r->name) << "\n\n" << r->summary << ".\n\n";
    parameter_table(out, r->parameters);
    state_table(out, "per synapse", r->synapse_state);
    state_table(out, "per source", r->source_state);
    state_table(out, "per target", r->target_state);
  }
  out << "#### `homeostatic_scaling = { ... }` and `tagging = { ... }` inside a rule\n\n"
      << "Homeostatic scaling (the keys of the `homeostatic_scaling` rule) can be added to any "
         "rule as a sub-table; tagging and capture needs a spike-timing rule:\n\n";
  parameter_table(out, plasticity::tagging_parameter_list());
  return out.str();
}

}  // namespace spikeweave::network
