#include "io/run_file_reader.hpp"

#include "io/hdf5_util.hpp"

namespace spikeweave::io {

RunFileSummary read_run_summary(const std::string& path) {
  Handle file = h5::open_existing_file(path);
  if (!h5::exists(file, "spikes") || !h5::exists(file, "provenance")) {
    throw FileError(path, "not a SpikeWeave run file (no /spikes or /provenance)");
  }
  RunFileSummary summary;
  Handle provenance = h5::open_group(file, "provenance", path);
  summary.t_stop_ms = h5::read_double_attribute(provenance, "t_stop_ms", path);
  summary.ranks = h5::read_int_attribute(provenance, "ranks", path);
  summary.version = h5::read_string_attribute(provenance, "version", path);
  summary.git_commit = h5::read_string_attribute(provenance, "git_commit", path);
  if (h5::exists(file, "provenance/energy")) {
    const std::string where = path + ":/provenance/energy";
    Handle energy = h5::open_group(provenance, "energy", where);
    summary.has_energy = true;
    summary.synops = h5::read_double_attribute(energy, "synops", where);
    summary.neuron_updates = h5::read_double_attribute(energy, "neuron_updates", where);
    summary.energy_spikes = h5::read_double_attribute(energy, "spikes", where);
    for (const std::string& name : h5::child_names(energy, where)) {
      Handle platform = h5::open_group(energy, name, where);
      summary.joules.emplace_back(name, h5::read_double_attribute(platform, "joules", where));
    }
  }
  if (h5::exists(file, "presentations")) {
    const std::string where = path + ":/presentations";
    Handle group = h5::open_group(file, "presentations", where);
    for (const std::string& name : h5::child_names(group, where)) {
      Handle log = h5::open_group(group, name, where);
      summary.presentations.emplace_back(
          name, h5::read_doubles(log, "start_ms", where + "/" + name).size());
    }
  }
  Handle spikes = h5::open_group(file, "spikes", path);
  for (const std::string& name : h5::child_names(spikes, path + ":/spikes")) {
    Handle group = h5::open_group(spikes, name, path);
    PopulationSpikeSummary p;
    p.name = name;
    p.nodes = static_cast<std::uint64_t>(h5::read_int_attribute(group, "n_nodes", path));
    Handle dataset =
        dataset_handle(H5Dopen2(group, "node_ids", H5P_DEFAULT), path + ":/spikes/" + name);
    Handle space = space_handle(H5Dget_space(dataset), path);
    p.spikes = static_cast<std::uint64_t>(H5Sget_simple_extent_npoints(space));
    summary.populations.push_back(p);
  }
  return summary;
}

SpikeTrains read_spikes(const std::string& path, const std::string& population) {
  Handle file = h5::open_existing_file(path);
  const std::string where = path + ":/spikes/" + population;
  if (!h5::exists(file, "spikes/" + population)) throw FileError(where, "no such population");
  Handle group = h5::open_group(file, "spikes/" + population, where);
  SpikeTrains trains;
  trains.node_ids = h5::read_uint64s(group, "node_ids", where);
  trains.times_ms = h5::read_doubles(group, "timestamps", where);
  return trains;
}

}  // namespace spikeweave::io
