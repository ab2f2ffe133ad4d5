#include "io/sweep_file.hpp"

#include <mpi.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "comm/mpi/mpi_context.hpp"
#include "core/errors.hpp"
#include "core/version.hpp"
#include "io/hdf5_util.hpp"

namespace spikeweave::io {
namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& n : names) text += (text.empty() ? "" : "\n") + n;
  return text;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> names;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) names.push_back(line);
  return names;
}

// Everything a write needs: the file, the collective transfer and this rank's block.
struct Writer {
  hid_t file;
  hid_t transfer;
  const SweepFileLayout& layout;
  const SweepRowBlock& mine;
  std::string where;

  void column(hid_t parent, const std::string& name, hid_t file_type, hid_t memory_type,
              const void* data) const {
    const std::string at = where + ":" + name;
    Handle d = h5::create_fixed(parent, h5::link_name(name), file_type, {layout.rows}, at);
    h5::write_block(d, memory_type, data, layout.rows, mine.first_row, mine.rows, 0, 1, transfer,
                    at);
  }
};

void write_points(const Writer& w) {
  Handle points = h5::create_group(w.file, "points", w.where);
  h5::write_attribute(points, "axes", joined(w.layout.axes), w.where);
  for (std::size_t a = 0; a < w.layout.axes.size(); ++a) {
    w.column(points, w.layout.axes[a], H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
             w.mine.axis_values[a].data());
  }
  w.column(points, "repeat", H5T_STD_U64LE, H5T_NATIVE_UINT64, w.mine.repeat.data());
  w.column(points, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, w.mine.seed.data());
}

void write_metrics(const Writer& w) {
  Handle metrics = h5::create_group(w.file, "metrics", w.where);
  std::size_t c = 0;
  auto group_of = [&](const std::string& name, const std::vector<std::string>& names) {
    Handle group = h5::create_group(metrics, h5::link_name(name), w.where);
    for (const std::string& metric : names) {
      w.column(group, metric, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, w.mine.metrics[c++].data());
    }
  };
  for (const std::string& p : w.layout.populations) group_of(p, w.layout.population_metrics);
  for (const std::string& q : w.layout.plastic_projections) group_of(q, w.layout.weight_metrics);
  for (const char* name : {"wall_seconds", "cpu_seconds"}) {
    w.column(metrics, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, w.mine.metrics[c++].data());
  }
}

// /spikes_of_point/<i>/<population>: every rank creates every dataset (collective), the owner
// of row i writes it.
void write_spikes(const Writer& w, const std::vector<std::uint64_t>& counts,
                  const std::vector<std::uint8_t>& all_done) {
  Handle spikes = h5::create_group(w.file, "spikes_of_point", w.where);
  const std::size_t P = w.layout.populations.size();
  for (std::uint64_t i = 0; i < w.layout.rows; ++i) {
    if (!all_done[i]) continue;
    const bool owner = i >= w.mine.first_row && i < w.mine.first_row + w.mine.rows;
    Handle point = h5::create_group(spikes, std::to_string(i), w.where);
    for (std::size_t p = 0; p < P; ++p) {
      const std::string at =
          w.where + ":/spikes_of_point/" + std::to_string(i) + "/" + w.layout.populations[p];
      Handle group = h5::create_group(point, h5::link_name(w.layout.populations[p]), at);
      const std::uint64_t n = counts[i * P + p];
      const std::uint64_t local = owner ? n : 0;
      const void* nodes = owner ? w.mine.spike_nodes[i - w.mine.first_row][p].data() : nullptr;
      const void* times = owner ? w.mine.spike_times_ms[i - w.mine.first_row][p].data() : nullptr;
      Handle d = h5::create_fixed(group, "node_ids", H5T_STD_U64LE, {n}, at);
      Handle t = h5::create_fixed(group, "timestamps", H5T_IEEE_F64LE, {n}, at);
      h5::write_attribute(t, "units", std::string("ms"), at);
      if (n == 0) continue;  // nothing to write (and HDF5 refuses writes to empty datasets)
      h5::write_block(d, H5T_NATIVE_UINT64, nodes, n, 0, local, 0, 1, w.transfer, at);
      h5::write_block(t, H5T_NATIVE_DOUBLE, times, n, 0, local, 0, 1, w.transfer, at);
    }
  }
}

void write_provenance(hid_t file, const SweepFileLayout& layout, const std::string& where) {
  Handle provenance = h5::create_group(file, "provenance", where);
  h5::write_attribute(provenance, "spec", layout.spec, where);
  h5::write_attribute(provenance, "sweep_toml", layout.sweep_toml, where);
  h5::write_attribute(provenance, "base_toml", layout.base_toml, where);
  h5::write_attribute(provenance, "command_line", layout.command_line, where);
  h5::write_attribute(provenance, "version", std::string(kVersion), where);
  h5::write_attribute(provenance, "git_commit", std::string(kGitCommit), where);
  h5::write_attribute(provenance, "backend", layout.backend, where);
  h5::write_attribute(provenance, "ranks", layout.ranks, where);
  h5::write_attribute(provenance, "populations", joined(layout.populations), where);
  h5::write_attribute(provenance, "population_metrics", joined(layout.population_metrics), where);
  h5::write_attribute(provenance, "plastic_projections", joined(layout.plastic_projections), where);
  h5::write_attribute(provenance, "weight_metrics", joined(layout.weight_metrics), where);
  h5::write_attribute(provenance, "keep_spikes", std::int64_t{layout.keep_spikes}, where);
}

}  // namespace

std::vector<std::string> SweepFileLayout::metric_columns() const {
  std::vector<std::string> columns;
  for (const std::string& p : populations) {
    for (const std::string& m : population_metrics) columns.push_back(p + "/" + m);
  }
  for (const std::string& q : plastic_projections) {
    for (const std::string& m : weight_metrics) columns.push_back(q + "/" + m);
  }
  columns.push_back("wall_seconds");
  columns.push_back("cpu_seconds");
  return columns;
}

void write_sweep_file(comm::Context& context, const std::string& path,
                      const SweepFileLayout& layout, const SweepRowBlock& mine,
                      const std::vector<std::uint64_t>& spike_counts) {
  h5::silence_errors();
  const std::string target = path + ".assembling";
  std::vector<std::uint64_t> done_words(layout.rows, 0);
  for (std::uint64_t r = 0; r < mine.rows; ++r) done_words[mine.first_row + r] = mine.done[r];
  context.sum(done_words);
  const std::vector<std::uint8_t> all_done(done_words.begin(), done_words.end());
  {
    Handle access = plist_handle(H5Pcreate(H5P_FILE_ACCESS), path);
    check(H5Pset_fapl_mpio(access, comm::mpi::communicator_of(context), MPI_INFO_NULL), path);
    Handle file = file_handle(H5Fcreate(target.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access),
                              target + ": cannot create the output file");
    Handle transfer = plist_handle(H5Pcreate(H5P_DATASET_XFER), path);
    check(H5Pset_dxpl_mpio(transfer, H5FD_MPIO_COLLECTIVE), path);
    const Writer w{file, transfer, layout, mine, path};
    write_points(w);
    write_metrics(w);
    w.column(file, "done", H5T_STD_U8LE, H5T_NATIVE_UINT8, mine.done.data());
    if (layout.keep_spikes) write_spikes(w, spike_counts, all_done);
    write_provenance(file, layout, path);
    // Parallel HDF5 closes a file only when nothing in it is open.
    transfer.reset();
    check(H5Fclose(file.get()), target + ": cannot close");
    file = Handle();
  }
  std::string problem;
  if (context.rank() == 0 && std::rename(target.c_str(), path.c_str()) != 0)
    problem = std::string("cannot rename the sweep file into place: ") + std::strerror(errno);
  context.broadcast(problem, 0);
  if (!problem.empty()) throw FileError(path, problem);
}

std::string read_sweep_spec(const std::string& path, std::string& problem) {
  h5::silence_errors();
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) {
    problem = "cannot be opened as HDF5";
    return "";
  }
  Handle file = file_handle(id, path);
  if (!h5::exists(file, "provenance") || !h5::exists(file, "points")) {
    problem = "is not a SpikeWeave sweep file (no /provenance or /points)";
    return "";
  }
  // Rank 0 alone reads this to decide a resume: a malformed file must become `problem`, never an
  // exception that would leave the other ranks waiting for the decision.
  try {
    Handle provenance = h5::open_group(file, "provenance", path);
    if (!h5::has_attribute(provenance, "spec")) {
      problem = "has no /provenance spec (not a SpikeWeave sweep file)";
      return "";
    }
    return h5::read_string_attribute(provenance, "spec", path);
  } catch (const FileError& e) {
    problem = e.what();
    return "";
  }
}

SweepFileContents read_sweep_file(const std::string& path) {
  h5::silence_errors();
  SweepFileContents out;
  SweepFileLayout& layout = out.layout;
  SweepRowBlock& table = out.table;
  Handle file = file_handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
                            path + ": cannot open as HDF5");
  if (!h5::exists(file, "provenance") || !h5::exists(file, "points"))
    throw FileError(path, "not a SpikeWeave sweep file (no /provenance or /points)");
  Handle provenance = h5::open_group(file, "provenance", path);
  auto text = [&](const char* name) { return h5::read_string_attribute(provenance, name, path); };
  layout.spec = text("spec");
  layout.sweep_toml = text("sweep_toml");
  layout.base_toml = text("base_toml");
  layout.command_line = text("command_line");
  layout.backend = text("backend");
  layout.ranks = h5::read_int_attribute(provenance, "ranks", path);
  layout.populations = split_lines(text("populations"));
  layout.population_metrics = split_lines(text("population_metrics"));
  layout.plastic_projections = split_lines(text("plastic_projections"));
  layout.weight_metrics = split_lines(text("weight_metrics"));
  layout.keep_spikes = h5::read_int_attribute(provenance, "keep_spikes", path) != 0;
  Handle points = h5::open_group(file, "points", path);
  layout.axes = split_lines(h5::read_string_attribute(points, "axes", path));
  for (const std::string& axis : layout.axes)
    table.axis_values.push_back(h5::read_doubles(points, h5::link_name(axis), path));
  table.repeat = h5::read_uint64s(points, "repeat", path);
  table.seed = h5::read_uint64s(points, "seed", path);
  layout.rows = table.repeat.size();
  table.rows = layout.rows;
  Handle metrics = h5::open_group(file, "metrics", path);
  for (const std::string& column : layout.metric_columns()) {
    const std::size_t slash = column.find('/');
    const std::string name = slash == std::string::npos
                                 ? column
                                 : h5::link_name(column.substr(0, slash)) + column.substr(slash);
    table.metrics.push_back(h5::read_doubles(metrics, name, path));
  }
  for (std::uint64_t d : h5::read_uint64s(file, "done", path))
    table.done.push_back(static_cast<std::uint8_t>(d));
  if (layout.keep_spikes) {
    table.spike_nodes.resize(layout.rows);
    table.spike_times_ms.resize(layout.rows);
    for (std::uint64_t i = 0; i < layout.rows; ++i) {
      if (!table.done[i]) continue;
      for (const std::string& p : layout.populations) {
        const std::string group = "spikes_of_point/" + std::to_string(i) + "/" + h5::link_name(p);
        table.spike_nodes[i].push_back(h5::read_uint64s(file, group + "/node_ids", path));
        table.spike_times_ms[i].push_back(h5::read_doubles(file, group + "/timestamps", path));
      }
    }
  }
  return out;
}

}  // namespace spikeweave::io
