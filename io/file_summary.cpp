#include "io/file_summary.hpp"

#include <algorithm>
#include <filesystem>

#include "io/hdf5_util.hpp"

namespace spikeweave::io {
namespace {

// The dimensions of dataset `name` under `parent`.
std::vector<hsize_t> dims(hid_t parent, const std::string& name, const std::string& where) {
  Handle dataset = dataset_handle(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), where + name);
  Handle space = space_handle(H5Dget_space(dataset), where + name);
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0) throw FileError(where + name, "cannot read the shape");
  std::vector<hsize_t> out(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space, out.data(), nullptr);
  return out;
}

std::uint64_t count_done(hid_t file, const std::string& path) {
  const std::vector<std::uint64_t> done = h5::read_uint64s(file, "done", path + ":/done");
  return static_cast<std::uint64_t>(
      std::count_if(done.begin(), done.end(), [](std::uint64_t d) { return d != 0; }));
}

// Last entry of <group>/<child>/index_pointers for every child: its total over all instances.
std::vector<std::pair<std::string, std::uint64_t>> totals(hid_t file, const std::string& group,
                                                          const std::string& path) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  const std::string where = path + ":/" + group;
  Handle parent = h5::open_group(file, group, where);
  for (const std::string& name : h5::child_names(parent, where)) {
    Handle child = h5::open_group(parent, name, where + "/" + name);
    const std::vector<std::uint64_t> pointers =
        h5::read_uint64s(child, "index_pointers", where + "/" + name + "/index_pointers");
    out.emplace_back(name, pointers.empty() ? 0 : pointers.back());
  }
  return out;
}

}  // namespace

FileKind detect_file_kind(const std::string& path) {
  Handle file = h5::open_existing_file(path);
  if (h5::exists(file, "W") && h5::exists(file, "activity")) return FileKind::kRateDataset;
  if (h5::exists(file, "connectivity") && h5::exists(file, "spikes"))
    return FileKind::kSpikingDataset;
  if (h5::exists(file, "spikes") && h5::exists(file, "provenance")) return FileKind::kRun;
  return FileKind::kOther;
}

RateDatasetSummary read_rate_dataset_summary(const std::string& path) {
  Handle file = h5::open_existing_file(path);
  const std::vector<hsize_t> activity = dims(file, "activity", path + ":/");
  if (activity.size() != 4) throw FileError(path + ":/activity", "expected [M, K, T, N]");
  RateDatasetSummary s;
  s.networks = activity[0];
  s.trials = activity[1];
  s.steps = activity[2];
  s.neurons = activity[3];
  s.done = count_done(file, path);
  return s;
}

SpikingDatasetSummary read_spiking_dataset_summary(const std::string& path) {
  Handle file = h5::open_existing_file(path);
  SpikingDatasetSummary s;
  const std::vector<hsize_t> done = dims(file, "done", path + ":/");
  s.instances = done.empty() ? 0 : done[0];
  s.done = count_done(file, path);
  s.spikes = totals(file, "spikes", path);
  s.synapses = totals(file, "connectivity", path);
  return s;
}

}  // namespace spikeweave::io
