#include "core/config_table.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "core/errors.hpp"

namespace spikeweave::config {

std::string format_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char text[40];
  for (int digits = 6; digits <= 17; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, value);
    if (std::strtod(text, nullptr) == value) break;
  }
  return text;
}

std::string Range::describe() const {
  return std::string(low_open ? "(" : "[") + format_number(low) + ", " + format_number(high) +
         (high_open ? ")" : "]");
}

std::string IntRange::describe() const {
  return std::to_string(low) + " .. " + std::to_string(high);
}

Table::Table(const toml::table& table, std::string path) : table_(&table), path_(std::move(path)) {}

std::string Table::key_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

bool Table::has(std::string_view key) const {
  known_.emplace(key);
  return table_->contains(key);
}

const toml::node* Table::node(std::string_view key) const {
  known_.emplace(key);
  return table_->get(key);
}

const toml::node& Table::required(std::string_view key) const {
  const toml::node* n = node(key);
  if (n == nullptr) throw ConfigError(key_path(key), "required key is missing");
  return *n;
}

std::string describe_type(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
      return "a date/time";
    default:
      return "an unknown value";
  }
}

std::string render(const toml::node& node) {
  std::ostringstream out;
  node.visit([&out](const auto& value) { out << value; });
  return out.str();
}

namespace {
thread_local SchemaRecorder* current_recorder = nullptr;

double as_number(const toml::node& n, const std::string& where) {
  if (const std::optional<double> value = number_value(n)) return *value;
  throw ConfigError(where, "expected a number, got " + describe_type(n));
}

Range as_range(const IntRange& r) {
  return Range{static_cast<double>(r.low), static_cast<double>(r.high), false, false, r.what};
}
}  // namespace

std::optional<double> number_value(const toml::node& node) {
  if (const auto* f = node.as_floating_point()) return f->get();
  if (const auto* i = node.as_integer()) return static_cast<double>(i->get());
  return std::nullopt;
}

SchemaRecorder::SchemaRecorder() : previous_(current_recorder) {
  current_recorder = this;
}
SchemaRecorder::~SchemaRecorder() {
  current_recorder = previous_;
}

void SchemaRecorder::note(NumericKey key) {
  if (current_recorder != nullptr) current_recorder->keys_.push_back(std::move(key));
}

double check_number(double value, const std::string& key, const Range& range) {
  if (range.contains(value)) return value;
  const std::string expected = std::string("; expected ") +
                               (*range.what ? range.what : "a number") + " in " + range.describe();
  if (!std::isfinite(value)) {
    throw ConfigError(key, format_number(value) + " is not a finite number" + expected);
  }
  throw ConfigError(key, format_number(value) + " is out of range" + expected);
}

std::int64_t check_integer(std::int64_t value, const std::string& key, const IntRange& range) {
  if (range.contains(value)) return value;
  throw ConfigError(key, std::to_string(value) + " is out of range; expected " +
                             (*range.what ? range.what : "an integer") + " in " + range.describe());
}

double Table::number(std::string_view key, const Range& range) const {
  SchemaRecorder::note({key_path(key), range, false, true});
  return check_number(as_number(required(key), key_path(key)), key_path(key), range);
}

double Table::number(std::string_view key, double fallback, const Range& range) const {
  const toml::node* n = node(key);
  SchemaRecorder::note({key_path(key), range, false, n != nullptr});
  return n ? check_number(as_number(*n, key_path(key)), key_path(key), range) : fallback;
}

std::optional<double> Table::optional_number(std::string_view key, const Range& range) const {
  const toml::node* n = node(key);
  SchemaRecorder::note({key_path(key), range, false, n != nullptr});
  if (!n) return std::nullopt;
  return check_number(as_number(*n, key_path(key)), key_path(key), range);
}

std::int64_t Table::integer(std::string_view key, const IntRange& range) const {
  SchemaRecorder::note({key_path(key), as_range(range), true, true});
  const toml::node& n = required(key);
  if (const auto* i = n.as_integer()) return check_integer(i->get(), key_path(key), range);
  throw ConfigError(key_path(key),
                    "expected an integer, got " + describe_type(n) + " (" + render(n) + ")");
}

std::int64_t Table::integer(std::string_view key, std::int64_t fallback,
                            const IntRange& range) const {
  if (!has(key)) {
    SchemaRecorder::note({key_path(key), as_range(range), true, false});
    return fallback;
  }
  return integer(key, range);
}

std::string Table::string(std::string_view key) const {
  const toml::node& n = required(key);
  if (const auto* s = n.as_string()) return s->get();
  throw ConfigError(key_path(key), "expected a string, got " + describe_type(n));
}

std::string Table::string(std::string_view key, std::string_view fallback) const {
  return has(key) ? string(key) : std::string(fallback);
}

bool Table::boolean(std::string_view key, bool fallback) const {
  const toml::node* n = node(key);
  if (!n) return fallback;
  if (const auto* b = n->as_boolean()) return b->get();
  throw ConfigError(key_path(key), "expected true or false, got " + describe_type(*n));
}

std::vector<double> Table::number_array(std::string_view key, const Range& range) const {
  SchemaRecorder::note({key_path(key), range, false, true});
  const toml::node& n = required(key);
  const auto* array = n.as_array();
  if (!array)
    throw ConfigError(key_path(key), "expected an array of numbers, got " + describe_type(n));
  std::vector<double> values;
  values.reserve(array->size());
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string where = key_path(key) + "[" + std::to_string(i) + "]";
    values.push_back(check_number(as_number(*array->get(i), where), where, range));
  }
  return values;
}

std::vector<std::string> Table::string_array(std::string_view key) const {
  const toml::node& n = required(key);
  if (const auto* s = n.as_string()) return {s->get()};
  const auto* array = n.as_array();
  if (!array)
    throw ConfigError(key_path(key), "expected an array of strings, got " + describe_type(n));
  std::vector<std::string> values;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto* s = array->get(i)->as_string();
    if (!s) {
      throw ConfigError(key_path(key) + "[" + std::to_string(i) + "]",
                        "expected a string, got " + describe_type(*array->get(i)));
    }
    values.push_back(s->get());
  }
  return values;
}

Table Table::table(std::string_view key) const {
  const toml::node& n = required(key);
  const auto* t = n.as_table();
  if (!t) throw ConfigError(key_path(key), "expected a table, got " + describe_type(n));
  return Table(*t, key_path(key));
}

std::optional<Table> Table::optional_table(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return table(key);
}

std::vector<Table> Table::array_of_tables(std::string_view key) const {
  std::vector<Table> tables;
  const toml::node* n = node(key);
  if (!n) return tables;
  const auto* array = n->as_array();
  if (!array) {
    throw ConfigError(key_path(key), "expected an array of tables ([[" + std::string(key) +
                                         "]]), got " + describe_type(*n));
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string where = key_path(key) + "[" + std::to_string(i) + "]";
    const auto* t = array->get(i)->as_table();
    if (!t) throw ConfigError(where, "expected a table, got " + describe_type(*array->get(i)));
    tables.emplace_back(*t, where);
  }
  return tables;
}

std::vector<std::string> Table::keys() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : *table_) out.emplace_back(k.str());
  return out;
}

void Table::reject_unknown_keys() const {
  for (const auto& [k, v] : *table_) {
    if (known_.count(k.str()) == 0) {
      std::string expected;
      for (const auto& known : known_) expected += (expected.empty() ? "" : ", ") + known;
      throw ConfigError(
          key_path(k.str()),
          "unknown key" + (expected.empty() ? std::string(" (this table takes no keys)")
                                            : "; expected one of: " + expected));
    }
  }
}

toml::table parse_toml(std::string_view text, const std::string& source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << source << ":" << e.source().begin.line << ":" << e.source().begin.column;
    throw ConfigError(where.str(), "invalid TOML: " + std::string(e.description()));
  }
}

namespace {
struct PathPart {
  std::string key;
  std::optional<std::size_t> index;
};

std::vector<PathPart> split_path(const std::string& path, const std::string& assignment) {
  std::vector<PathPart> parts;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    const std::size_t dot = path.find('.', pos);
    std::string token = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    PathPart part;
    const std::size_t bracket = token.find('[');
    if (bracket != std::string::npos) {
      const std::size_t close = token.find(']', bracket);
      if (close == std::string::npos || close != token.size() - 1) {
        throw ConfigError("--set " + assignment, "malformed index in key path '" + path + "'");
      }
      try {
        part.index = std::stoul(token.substr(bracket + 1, close - bracket - 1));
      } catch (const std::exception&) {
        throw ConfigError("--set " + assignment, "malformed index in key path '" + path + "'");
      }
      token = token.substr(0, bracket);
    }
    if (token.empty()) throw ConfigError("--set " + assignment, "empty key in path '" + path + "'");
    part.key = token;
    parts.push_back(part);
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  return parts;
}
}  // namespace

void apply_override(toml::table& root, const std::string& assignment) {
  const std::size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw ConfigError("--set " + assignment, "expected key.path=value");
  }
  const std::string path = assignment.substr(0, eq);
  const std::string value_text = assignment.substr(eq + 1);
  toml::table value_table;
  try {
    value_table = toml::parse("value = " + value_text);
  } catch (const toml::parse_error&) {
    // Bare words are taken as strings, so `--set simulation.output=out/x.h5` works unquoted.
    toml::table fallback;
    fallback.insert("value", value_text);
    value_table = std::move(fallback);
  }
  const std::vector<PathPart> parts = split_path(path, assignment);
  toml::table* current = &root;
  std::string walked;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const PathPart& part = parts[i];
    walked += (walked.empty() ? "" : ".") + part.key;
    const bool last = i + 1 == parts.size();
    if (part.index) {
      auto* array = current->get_as<toml::array>(part.key);
      if (!array || *part.index >= array->size()) {
        throw ConfigError("--set " + assignment,
                          "no element " + std::to_string(*part.index) + " in '" + walked + "'");
      }
      walked += "[" + std::to_string(*part.index) + "]";
      toml::node* element = array->get(*part.index);
      if (last) {
        throw ConfigError("--set " + assignment,
                          "cannot replace a whole table element '" + walked + "'");
      }
      current = element->as_table();
      if (!current) throw ConfigError("--set " + assignment, "'" + walked + "' is not a table");
      continue;
    }
    if (last) {
      current->insert_or_assign(part.key, *value_table.get("value"));
      return;
    }
    toml::node* child = current->get(part.key);
    if (!child) {
      current->insert(part.key, toml::table{});
      child = current->get(part.key);
    }
    current = child->as_table();
    if (!current) throw ConfigError("--set " + assignment, "'" + walked + "' is not a table");
  }
}

}  // namespace spikeweave::config
