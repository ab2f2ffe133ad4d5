#pragma once
// A read-only view of one TOML table that knows its key path and which keys were asked for,
// so that every error names the full key (`projection[2].delay_ms`) and unknown keys are caught.
#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/schema_recorder.hpp"
#include "core/value_range.hpp"

namespace spikeweave::config {

// The value of a TOML integer or float node as a double (integers beyond 2^53 rounded, where
// toml++'s value<double>() refuses them), or nothing for any other node.
std::optional<double> number_value(const toml::node& node);

class Table {
 public:
  Table(const toml::table& table, std::string path);

  const std::string& path() const { return path_; }
  // Full key path of a child key: "simulation" + "dt_ms" -> "simulation.dt_ms".
  std::string key_path(std::string_view key) const;
  bool has(std::string_view key) const;

  // Numbers accept TOML integers and floats. Each reader takes the key's documented range and
  // throws ConfigError naming the key for a missing key, a wrong type, NaN, an infinity or a
  // value outside the range. There is deliberately no reader without a range.
  double number(std::string_view key, const Range& range) const;
  double number(std::string_view key, double fallback, const Range& range) const;
  std::optional<double> optional_number(std::string_view key, const Range& range) const;
  std::int64_t integer(std::string_view key, const IntRange& range) const;
  std::int64_t integer(std::string_view key, std::int64_t fallback, const IntRange& range) const;
  std::string string(std::string_view key) const;
  std::string string(std::string_view key, std::string_view fallback) const;
  bool boolean(std::string_view key, bool fallback) const;
  std::vector<double> number_array(std::string_view key, const Range& range) const;
  std::vector<std::string> string_array(std::string_view key) const;

  Table table(std::string_view key) const;
  std::optional<Table> optional_table(std::string_view key) const;
  // Elements of an array of tables, named `key[i]`. A missing key gives an empty vector.
  std::vector<Table> array_of_tables(std::string_view key) const;

  // The raw node (or nullptr), marking the key as known.
  const toml::node* node(std::string_view key) const;
  // Keys present in the table, in order.
  std::vector<std::string> keys() const;

  // Throws ConfigError for the first key present but never asked for, listing the known keys.
  void reject_unknown_keys() const;

 private:
  const toml::node& required(std::string_view key) const;

  const toml::table* table_;
  std::string path_;
  mutable std::set<std::string, std::less<>> known_;
};

// Describes a TOML node's type for error messages ("a string", "an array", ...).
std::string describe_type(const toml::node& node);
// Renders a scalar node for error messages.
std::string render(const toml::node& node);

// Parses TOML text; syntax errors become ConfigError naming `source` (a file path) and the line.
toml::table parse_toml(std::string_view text, const std::string& source);

// Applies `key.path=value` overrides (the CLI's --set). Paths use dots and [i] indices,
// e.g. `simulation.t_stop_ms=200` or `projection[0].weight_pa=50`. The value is TOML.
void apply_override(toml::table& root, const std::string& assignment);

}  // namespace spikeweave::config
