#include "network/energy.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/config_table.hpp"
#include "core/errors.hpp"

namespace spikeweave::network {
namespace {

constexpr config::Range kEnergyPj{0.0, 1e9, false, false, "an energy per operation [pJ]"};

std::string read_text(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw FileError(path, "no such file");
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw FileError(path, "cannot be read");
  return text.str();
}

}  // namespace

EnergyTable parse_energy_table(const std::string& text, const std::string& path) {
  EnergyTable table;
  table.path = path;
  table.text = text;
  try {
    const toml::table root = config::parse_toml(text, path);
    const config::Table top(root, "");
    std::set<std::string> names;
    for (const config::Table& t : top.array_of_tables("platform")) {
      EnergyPlatform p;
      p.name = t.string("name");
      if (p.name.empty() || !names.insert(p.name).second) {
        throw ConfigError(t.key_path("name"), "must be a non-empty name used once");
      }
      p.source = t.string("source");
      p.pj_per_synop = t.number("pj_per_synop", kEnergyPj);
      p.pj_per_neuron_update = t.number("pj_per_neuron_update", kEnergyPj);
      p.pj_per_spike = t.number("pj_per_spike", kEnergyPj);
      p.pj_per_mac = t.number("pj_per_mac", 0.0, kEnergyPj);
      t.reject_unknown_keys();
      table.platforms.push_back(std::move(p));
    }
    top.reject_unknown_keys();
  } catch (const FileError&) {
    throw;
  } catch (const UserError& e) {
    throw ConfigError(path, e.what());
  }
  return table;
}

EnergyTable find_energy_table(const std::string& configured,
                              const std::vector<std::string>& defaults) {
  if (!configured.empty()) return parse_energy_table(read_text(configured), configured);
  if (const char* env = std::getenv("SPIKEWEAVE_ENERGY_TABLE"); env && *env) {
    return parse_energy_table(read_text(env), env);
  }
  for (const std::string& path : defaults) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec))
      return parse_energy_table(read_text(path), path);
  }
  return {};
}

double energy_joules(const EnergyPlatform& platform, const EnergyCounts& counts) {
  return 1e-12 * (counts.synops * platform.pj_per_synop +
                  counts.neuron_updates * platform.pj_per_neuron_update +
                  counts.spikes * platform.pj_per_spike);
}

}  // namespace spikeweave::network
