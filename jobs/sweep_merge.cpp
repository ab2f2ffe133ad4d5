// `spikeweave sweep --merge OUT.h5 SHARD.h5 ...` (jobs/sweep.hpp).
#include <sstream>

#include "core/errors.hpp"
#include "io/output_path.hpp"
#include "io/sweep_file.hpp"
#include "jobs/sweep.hpp"

namespace spikeweave::jobs {
namespace {

// The spec without its "shard = i/n" line: what every shard of one sweep shares.
std::string without_shard(const std::string& spec) {
  std::istringstream in(spec);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("shard = ", 0) != 0) out += line + "\n";
  }
  return out;
}

void check_same_sweep(const io::SweepFileContents& first, const std::string& first_path,
                      const io::SweepFileContents& other, const std::string& path) {
  const io::SweepFileLayout &a = first.layout, &b = other.layout;
  if (without_shard(a.spec) != without_shard(b.spec)) {
    throw FileError(path, "is a shard of another sweep than " + first_path +
                              " (its sweep file or base network differs)");
  }
  if (a.rows != b.rows || a.axes != b.axes || a.populations != b.populations ||
      a.plastic_projections != b.plastic_projections || a.keep_spikes != b.keep_spikes ||
      a.population_metrics != b.population_metrics || a.weight_metrics != b.weight_metrics) {
    throw FileError(path, "has another table layout than " + first_path);
  }
}

// Which shard holds row i (the first that has it done); a row done nowhere is an error.
std::vector<std::size_t> owners(const std::vector<io::SweepFileContents>& files,
                                const std::vector<std::string>& paths) {
  const std::uint64_t rows = files[0].layout.rows;
  std::vector<std::size_t> owner(rows, files.size());
  for (std::uint64_t i = 0; i < rows; ++i) {
    for (std::size_t f = 0; f < files.size() && owner[i] == files.size(); ++f) {
      if (files[f].table.done[i]) owner[i] = f;
    }
    if (owner[i] == files.size()) {
      throw FileError(paths[0], "point " + std::to_string(i) +
                                    " is done in none of the shards; rerun its shard first");
    }
  }
  return owner;
}

}  // namespace

void merge_sweep_files(comm::Context& context, const std::vector<std::string>& shards,
                       const std::string& output, bool overwrite, const std::string& command_line) {
  if (shards.empty()) throw ConfigError("--merge", "expected the shard files to merge");
  io::check_output_path(context, output, overwrite);
  // Every rank reads every shard: the table is small; spikes, if kept, are read where written.
  std::vector<io::SweepFileContents> files;
  for (const std::string& path : shards) {
    files.push_back(io::read_sweep_file(path));
    check_same_sweep(files[0], shards[0], files.back(), path);
  }
  const std::vector<std::size_t> owner = owners(files, shards);
  io::SweepFileLayout layout = files[0].layout;
  layout.spec = without_shard(layout.spec);
  layout.command_line = command_line;
  layout.ranks = context.size();
  const std::uint64_t R = layout.rows, ranks = context.size(), r = context.rank();
  const std::size_t P = layout.populations.size();
  io::SweepRowBlock b;
  b.first_row = R * r / ranks;
  b.rows = R * (r + 1) / ranks - b.first_row;
  const io::SweepRowBlock& all = files[0].table;
  b.axis_values.assign(layout.axes.size(), {});
  b.metrics.assign(all.metrics.size(), {});
  std::vector<std::uint64_t> spike_counts(layout.keep_spikes ? R * P : 0, 0);
  for (std::uint64_t i = 0; i < R; ++i) {
    const io::SweepRowBlock& from = files[owner[i]].table;
    for (std::size_t p = 0; p < spike_counts.size() / std::max<std::uint64_t>(R, 1); ++p)
      spike_counts[i * P + p] = from.spike_nodes[i][p].size();
    if (i < b.first_row || i >= b.first_row + b.rows) continue;
    for (std::size_t a = 0; a < layout.axes.size(); ++a)
      b.axis_values[a].push_back(all.axis_values[a][i]);
    b.repeat.push_back(all.repeat[i]);
    b.seed.push_back(all.seed[i]);
    for (std::size_t c = 0; c < all.metrics.size(); ++c) b.metrics[c].push_back(from.metrics[c][i]);
    b.done.push_back(1);
    b.spike_nodes.push_back(layout.keep_spikes ? from.spike_nodes[i]
                                               : decltype(from.spike_nodes[i]){});
    b.spike_times_ms.push_back(layout.keep_spikes ? from.spike_times_ms[i]
                                                  : decltype(from.spike_times_ms[i]){});
  }
  io::write_sweep_file(context, output, layout, b, spike_counts);
}

}  // namespace spikeweave::jobs
