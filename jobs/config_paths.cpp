#include "jobs/config_paths.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace spikeweave::jobs {

const toml::node* lookup_key(const toml::table& root, const std::string& path) {
  const toml::node* current = &root;
  std::stringstream parts(path);
  std::string part;
  while (std::getline(parts, part, '.')) {
    const auto* table = current->as_table();
    if (!table) return nullptr;
    std::size_t bracket = part.find('[');
    const std::string key = part.substr(0, bracket);
    current = table->get(key);
    if (!current) return nullptr;
    while (bracket != std::string::npos) {
      const std::size_t close = part.find(']', bracket);
      if (close == std::string::npos) return nullptr;
      const auto* array = current->as_array();
      const std::size_t index =
          std::strtoul(part.substr(bracket + 1, close - bracket - 1).c_str(), nullptr, 10);
      if (!array || index >= array->size()) return nullptr;
      current = array->get(index);
      bracket = part.find('[', close);
    }
  }
  return current;
}

std::string override_value_text(double v) {
  char text[40];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, v);
    if (std::strtod(text, nullptr) == v) break;
  }
  std::string s = text;
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

}  // namespace spikeweave::jobs
