#pragma once
// How a neuron model or a plasticity rule documents itself: each parameter (TOML key, unit,
// default, accepted range, meaning) and each state variable (unit, initial-value key, whether it
// can be recorded and whether a checkpoint must hold it). The parsers read parameters through
// these records (model/parameter_reader.hpp), so the documentation, the defaults and the checks
// cannot drift apart; the reference tables of the README are generated from them.
// Plain data: no TOML and no Kokkos header, so kernels and the registry can include it.
#include <optional>
#include <string>
#include <vector>

#include "core/value_range.hpp"

namespace spikeweave::model {

enum class ParameterKind {
  kNumber,      // a finite number in `range`
  kInteger,     // an integer in `range`
  kBoolean,     // true or false
  kChoice,      // one of `choices`
  kText,        // a string (e.g. a population name)
  kNumberList,  // an array of numbers in `range` (or an array of such arrays)
};

struct ParameterInfo {
  std::string name;  // TOML key; "<unit>" stands for the weight unit of the target (w_max_<unit>)
  std::string unit;  // "ms", "mV", "pA", "nS", "pF", "Hz", "1" (dimensionless), "weight" or ""
  ParameterKind kind = ParameterKind::kNumber;
  std::optional<double> default_value;  // numbers: nullopt means required
  std::string default_text;             // other kinds: the default as TOML ("" means required)
  config::Range range{};                // numbers, integers and number lists
  std::vector<std::string> choices;     // kChoice
  std::string meaning;

  bool required() const {
    return kind == ParameterKind::kNumber || kind == ParameterKind::kInteger
               ? !default_value.has_value()
               : default_text.empty();
  }
  // The default as the reference tables show it ("250", "-inf", "\"euler\"", "required").
  std::string default_description() const;
  // The accepted values as the reference tables show them ("(0, 1e+09]", "\"a\" or \"b\"").
  std::string range_description() const;
};

struct StateVariableInfo {
  std::string name;      // "v_m_mv", "i_syn_ex_pa", "eligibility", ...
  std::string unit;      // "mV", "pA", "nS", "1", "weight"
  std::string init_key;  // key under the population's `init` table ("" = not settable)
  bool recordable = false;
  bool checkpointed = true;  // part of the state a checkpoint must hold
  std::string meaning;
};

// The documentation of one parameter list, looked up by name. Asking for an undeclared name is a
// bug in the model's own parser (InternalError), so every key a parser reads is declared.
class ParameterList {
 public:
  ParameterList() = default;
  explicit ParameterList(std::vector<ParameterInfo> parameters);
  const ParameterInfo& get(const std::string& name) const;
  const std::vector<ParameterInfo>& all() const { return parameters_; }

 private:
  std::vector<ParameterInfo> parameters_;
};

// Shorthands for the declarations of the models and rules.
ParameterInfo number_parameter(std::string name, std::string unit, std::optional<double> fallback,
                               const config::Range& range, std::string meaning);
ParameterInfo choice_parameter(std::string name, std::vector<std::string> choices,
                               std::string meaning);
ParameterInfo boolean_parameter(std::string name, bool fallback, std::string meaning);
ParameterInfo text_parameter(std::string name, std::string fallback_toml, std::string meaning);

}  // namespace spikeweave::model
