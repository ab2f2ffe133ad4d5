#include "model/parameter_info.hpp"

#include "core/errors.hpp"

namespace spikeweave::model {

std::string ParameterInfo::default_description() const {
  if (required()) return "required";
  if (kind == ParameterKind::kNumber || kind == ParameterKind::kInteger) {
    return config::format_number(*default_value);
  }
  return default_text;
}

std::string ParameterInfo::range_description() const {
  switch (kind) {
    case ParameterKind::kNumber:
    case ParameterKind::kInteger:
    case ParameterKind::kNumberList:
      return range.describe();
    case ParameterKind::kBoolean:
      return "true or false";
    case ParameterKind::kChoice: {
      std::string text;
      for (std::size_t i = 0; i < choices.size(); ++i) {
        text +=
            (i == 0 ? "" : (i + 1 == choices.size() ? " or " : ", ")) + ("\"" + choices[i] + "\"");
      }
      return text;
    }
    case ParameterKind::kText:
      return "a name";
  }
  return "";
}

ParameterList::ParameterList(std::vector<ParameterInfo> parameters)
    : parameters_(std::move(parameters)) {}

const ParameterInfo& ParameterList::get(const std::string& name) const {
  for (const ParameterInfo& p : parameters_) {
    if (p.name == name) return p;
  }
  throw InternalError("parameter '" + name + "' is read but not declared");
}

ParameterInfo number_parameter(std::string name, std::string unit, std::optional<double> fallback,
                               const config::Range& range, std::string meaning) {
  ParameterInfo p;
  p.name = std::move(name);
  p.unit = std::move(unit);
  p.default_value = fallback;
  p.range = range;
  p.meaning = std::move(meaning);
  return p;
}

ParameterInfo choice_parameter(std::string name, std::vector<std::string> choices,
                               std::string meaning) {
  ParameterInfo p;
  p.name = std::move(name);
  p.kind = ParameterKind::kChoice;
  p.default_text = "\"" + choices.front() + "\"";
  p.choices = std::move(choices);
  p.meaning = std::move(meaning);
  return p;
}

ParameterInfo boolean_parameter(std::string name, bool fallback, std::string meaning) {
  ParameterInfo p;
  p.name = std::move(name);
  p.kind = ParameterKind::kBoolean;
  p.default_text = fallback ? "true" : "false";
  p.meaning = std::move(meaning);
  return p;
}

ParameterInfo text_parameter(std::string name, std::string fallback_toml, std::string meaning) {
  ParameterInfo p;
  p.name = std::move(name);
  p.kind = ParameterKind::kText;
  p.default_text = std::move(fallback_toml);
  p.meaning = std::move(meaning);
  return p;
}

}  // namespace spikeweave::model
