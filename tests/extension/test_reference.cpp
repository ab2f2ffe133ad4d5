// Every registered neuron model and plasticity rule documents itself (each parameter's key,
// unit, default, range and meaning; each state variable), its parser reads exactly the numeric
// keys it declares, and the README's reference section is the text generated from the registry.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "core/schema_recorder.hpp"
#include "model/neuron_model.hpp"
#include "network/reference.hpp"
#include "network/spec.hpp"
#include "plasticity/plasticity_spec.hpp"
#include "plasticity/rule.hpp"

namespace spikeweave {
namespace {

bool numeric(const model::ParameterInfo& p) {
  return p.kind == model::ParameterKind::kNumber || p.kind == model::ParameterKind::kInteger ||
         p.kind == model::ParameterKind::kNumberList;
}

void expect_documented(const model::ParameterList& list, const std::string& owner) {
  for (const model::ParameterInfo& p : list.all()) {
    const std::string where = owner + "." + p.name;
    EXPECT_FALSE(p.name.empty()) << owner;
    EXPECT_FALSE(p.meaning.empty()) << where;
    EXPECT_FALSE(p.default_description().empty()) << where;
    EXPECT_FALSE(p.range_description().empty()) << where;
    if (numeric(p)) {
      EXPECT_FALSE(p.unit.empty()) << where;
      EXPECT_LT(p.range.low, p.range.high) << where;
      // A default is inside the range, or an infinity meaning "no bound" (v_min_mv, stop_ms).
      if (p.default_value && std::isfinite(*p.default_value)) {
        EXPECT_TRUE(p.range.contains(*p.default_value)) << where << " default outside its range";
      }
    }
    if (p.kind == model::ParameterKind::kChoice) {
      EXPECT_FALSE(p.choices.empty()) << where;
    }
  }
}

void expect_documented(const std::vector<model::StateVariableInfo>& state,
                       const std::string& owner) {
  for (const model::StateVariableInfo& s : state) {
    EXPECT_FALSE(s.name.empty()) << owner;
    EXPECT_FALSE(s.unit.empty()) << owner << "." << s.name;
    EXPECT_FALSE(s.meaning.empty()) << owner << "." << s.name;
  }
}

TEST(Reference, EveryModelAndRuleDocumentsItsParametersAndState) {
  ASSERT_GE(model::neuron_models().all().size(), 6u);
  for (const model::NeuronModelInfo* m : model::neuron_models().all()) {
    EXPECT_FALSE(m->summary.empty()) << m->name;
    expect_documented(m->parameters, m->name);
    expect_documented(m->state, m->name);
    // A model that integrates input has a membrane potential to record; a relay without state
    // (parrot) has none, and recording v_m of it is refused by the parser.
    if (m->receives_input() && !m->state.empty()) {
      EXPECT_NE(m->state_variable("v_m_mv"), nullptr) << m->name << " has no membrane potential";
    }
  }
  ASSERT_GE(plasticity::rules().all().size(), 6u);
  for (const plasticity::RuleInfo* r : plasticity::rules().all()) {
    EXPECT_FALSE(r->summary.empty()) << r->name;
    expect_documented(r->parameters, r->name);
    expect_documented(r->synapse_state, r->name);
    expect_documented(r->source_state, r->name);
    expect_documented(r->target_state, r->name);
  }
  expect_documented(plasticity::shared_plasticity_parameters(), "plasticity");
  expect_documented(plasticity::tagging_parameter_list(), "tagging");
}

// The numeric keys a parse of `toml` read below `prefix` (one level: no sub-tables).
std::set<std::string> keys_read(const std::string& toml, const std::string& prefix) {
  config::SchemaRecorder recorder;
  network::parse_network(toml, "reference.toml");
  std::set<std::string> keys;
  for (const config::NumericKey& k : recorder.keys()) {
    if (k.path.rfind(prefix, 0) != 0) continue;
    const std::string rest = k.path.substr(prefix.size());
    if (rest.find('.') == std::string::npos) keys.insert(rest);
  }
  return keys;
}

// A value inside a required number's range.
std::string required_value(const model::ParameterInfo& p) {
  if (p.kind == model::ParameterKind::kNumberList) return "[1.0]";
  if (p.kind == model::ParameterKind::kText) return "\"modulator\"";
  return config::format_number(p.range.low_open ? p.range.low + 1.0 : p.range.low);
}

const char* const kSimulation =
    "[simulation]\ndt_ms = 0.1\nt_stop_ms = 1.0\n"
    "[[population]]\nname = \"modulator\"\nsize = 1\nmodel = \"poisson_source\"\n"
    "params = { rate_hz = 1.0 }\n";

TEST(Reference, ModelsReadExactlyTheirDeclaredNumericKeys) {
  for (const model::NeuronModelInfo* m : model::neuron_models().all()) {
    std::string params, init;
    std::set<std::string> declared;
    for (const model::ParameterInfo& p : m->parameters.all()) {
      if (numeric(p)) declared.insert(p.name);
      if (p.required()) params += (params.empty() ? "" : ", ") + p.name + " = " + required_value(p);
    }
    const std::string toml = std::string(kSimulation) +
                             "[[population]]\nname = \"x\"\nsize = 2\nmodel = \"" + m->name +
                             "\"\nparams = { " + params + " }\n";
    EXPECT_EQ(keys_read(toml, "population[1].params."), declared) << m->name;
  }
}

TEST(Reference, RulesReadExactlyTheirDeclaredNumericKeys) {
  std::set<std::string> shared;
  for (const auto& p : plasticity::shared_plasticity_parameters().all()) {
    if (numeric(p)) shared.insert(p.name);
  }
  for (const plasticity::RuleInfo* r : plasticity::rules().all()) {
    std::string keys = "rule = \"" + r->name + "\"";
    std::set<std::string> declared = shared;
    for (const model::ParameterInfo& p : r->parameters.all()) {
      std::string key = p.name;
      const auto unit = key.find("<unit>");
      if (unit != std::string::npos) key.replace(unit, 6, "pa");
      if (numeric(p)) declared.insert(key);
      if (p.required()) keys += ", " + key + " = " + required_value(p);
    }
    const std::string toml = std::string(kSimulation) +
                             "[[population]]\nname = \"x\"\nsize = 2\nmodel = \"lif_psc_exp\"\n"
                             "[[projection]]\nsource = \"x\"\ntarget = \"x\"\n"
                             "connect = { rule = \"all_to_all\" }\nweight_pa = 1.0\n"
                             "delay_ms = 1.0\nplasticity = { " +
                             keys + " }\n";
    EXPECT_EQ(keys_read(toml, "projection[0].plasticity."), declared) << r->name;
  }
}

std::string section(const std::string& text, const std::string& begin, const std::string& end) {
  const auto a = text.find(begin);
  const auto b = text.find(end);
  if (a == std::string::npos || b == std::string::npos || b < a) return "(markers missing)";
  return text.substr(a + begin.size(), b - a - begin.size());
}

TEST(Reference, ReadmeSectionIsTheGeneratedReference) {
  std::ifstream in(std::string(SPIKEWEAVE_SOURCE_DIR) + "/README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme =
      section(text.str(), "<!-- models-reference:begin -->\n", "<!-- models-reference:end -->");
  EXPECT_EQ(readme, network::models_reference_markdown())
      << "README.md's model and rule reference differs from the registry: run "
         "scripts/update_readme_reference.sh";
}

}  // namespace
}  // namespace spikeweave
