#include "model/parameter_reader.hpp"

#include "core/errors.hpp"

namespace spikeweave::model {

std::string ParameterReader::key(const std::string& name) const {
  const std::string placeholder = "<unit>";
  const std::size_t at = name.find(placeholder);
  if (at == std::string::npos) return name;
  return name.substr(0, at) + unit_suffix_ + name.substr(at + placeholder.size());
}

double ParameterReader::number(const std::string& name) const {
  const ParameterInfo& p = declared(name);
  if (!p.default_value) return table_.number(key(name), p.range);
  return table_.number(key(name), *p.default_value, p.range);
}

double ParameterReader::number(const std::string& name, double fallback) const {
  return table_.number(key(name), fallback, declared(name).range);
}

std::int64_t ParameterReader::integer(const std::string& name) const {
  const ParameterInfo& p = declared(name);
  const config::IntRange range{static_cast<std::int64_t>(p.range.low),
                               static_cast<std::int64_t>(p.range.high), p.range.what};
  if (!p.default_value) return table_.integer(key(name), range);
  return table_.integer(key(name), static_cast<std::int64_t>(*p.default_value), range);
}

bool ParameterReader::boolean(const std::string& name) const {
  const ParameterInfo& p = declared(name);
  return table_.boolean(key(name), p.default_text == "true");
}

std::string ParameterReader::choice(const std::string& name) const {
  const ParameterInfo& p = declared(name);
  const std::string value = table_.string(key(name), p.choices.front());
  for (const std::string& c : p.choices) {
    if (value == c) return value;
  }
  throw ConfigError(table_.key_path(key(name)),
                    "expected " + p.range_description() + ", got \"" + value + "\"");
}

std::string ParameterReader::text(const std::string& name) const {
  const ParameterInfo& p = declared(name);
  if (p.required()) return table_.string(key(name));
  // The declared default is TOML text: a quoted string.
  std::string fallback = p.default_text;
  if (fallback.size() >= 2 && fallback.front() == '"')
    fallback = fallback.substr(1, fallback.size() - 2);
  return table_.string(key(name), fallback);
}

}  // namespace spikeweave::model
