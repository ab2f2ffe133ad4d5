#pragma once
// Host only (includes the TOML reader): reads a model's or rule's parameters from its table
// through their declarations, so that the default, the range and the documentation are one.
#include <string>

#include "core/config_table.hpp"
#include "model/parameter_info.hpp"

namespace spikeweave::model {

class ParameterReader {
 public:
  // `unit_suffix` replaces "<unit>" in declared names (w_max_<unit> -> w_max_pa).
  ParameterReader(const config::Table& table, const ParameterList& declared,
                  std::string unit_suffix = "")
      : table_(table), declared_(declared), unit_suffix_(std::move(unit_suffix)) {}

  // The number under the declared name (its default when absent); checked against its range.
  double number(const std::string& name) const;
  // As number(), with a default other than the declared one (a model variant's own default).
  double number(const std::string& name, double fallback) const;
  std::int64_t integer(const std::string& name) const;
  bool boolean(const std::string& name) const;
  // The chosen value of a kChoice parameter (refusing others, naming the choices).
  std::string choice(const std::string& name) const;
  std::string text(const std::string& name) const;
  // The key with "<unit>" replaced, as the user writes it.
  std::string key(const std::string& name) const;
  const config::Table& table() const { return table_; }

 private:
  const ParameterInfo& declared(const std::string& name) const { return declared_.get(name); }

  const config::Table& table_;
  const ParameterList& declared_;
  std::string unit_suffix_;
};

}  // namespace spikeweave::model
