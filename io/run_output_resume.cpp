#include "io/run_output_resume.hpp"

#include <map>
#include <tuple>

#include "io/hdf5_util.hpp"

namespace spikeweave::io {
namespace {

// Rows of a row-major [rows, columns] table, restricted to `columns` (indices into the old
// columns), row-major again.
template <class T>
std::vector<T> pick_columns(const std::vector<double>& table, std::size_t old_columns,
                            const std::vector<std::size_t>& columns) {
  const std::size_t rows = old_columns == 0 ? 0 : table.size() / old_columns;
  std::vector<T> out;
  out.reserve(rows * columns.size());
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c : columns) out.push_back(static_cast<T>(table[r * old_columns + c]));
  }
  return out;
}

void append_spikes(comm::Context& context, RunOutput& output, const RunOutputLayout& layout,
                   hid_t file, const std::string& where) {
  for (std::size_t g = 0; g < layout.spike_groups.size(); ++g) {
    std::vector<std::uint64_t> node_ids;
    std::vector<double> times_ms;
    if (context.rank() == 0) {
      const std::string group = "spikes/" + h5::link_name(layout.spike_groups[g].population);
      if (!h5::exists(file, group)) throw FileError(where, "has no /" + group);
      Handle spikes = h5::open_group(file, group, where);
      node_ids = h5::read_uint64s(spikes, "node_ids", where);
      times_ms = h5::read_doubles(spikes, "timestamps", where);
    }
    output.append_spikes(static_cast<int>(g), node_ids, times_ms);
  }
}

void append_reports(RunOutput& output, const RunOutputLayout& layout, hid_t file,
                    const std::string& where) {
  for (std::size_t k = 0; k < layout.reports.size(); ++k) {
    const ReportLayout& r = layout.reports[k];
    const std::string group = "report/" + h5::link_name(r.population);
    if (!h5::exists(file, group)) throw FileError(where, "has no /" + group);
    Handle report = h5::open_group(file, group, where);
    Handle mapping = h5::open_group(report, "mapping", where);
    const std::vector<std::uint64_t> old_ids = h5::read_uint64s(mapping, "node_ids", where);
    const std::vector<double> data = h5::read_doubles(report, "data", where);
    std::map<std::uint64_t, std::size_t> column_of;
    for (std::size_t c = 0; c < old_ids.size(); ++c) column_of[old_ids[c]] = c;
    std::vector<std::size_t> columns;
    for (std::uint64_t id : r.local_node_ids) {
      const auto it = column_of.find(id);
      if (it == column_of.end())
        throw FileError(where, "/" + group + " does not record node " + std::to_string(id));
      columns.push_back(it->second);
    }
    const std::size_t rows = old_ids.empty() ? 0 : data.size() / old_ids.size();
    output.append_report(static_cast<int>(k), pick_columns<float>(data, old_ids.size(), columns),
                         rows);
  }
}

void append_weights(RunOutput& output, const RunOutputLayout& layout, hid_t file,
                    const std::string& where) {
  for (std::size_t k = 0; k < layout.weights.size(); ++k) {
    const WeightLayout& w = layout.weights[k];
    const std::string group = "weights/" + h5::link_name(w.projection);
    if (!h5::exists(file, group)) throw FileError(where, "has no /" + group);
    Handle weights = h5::open_group(file, group, where);
    const std::vector<std::uint64_t> sources = h5::read_uint64s(weights, "source", where);
    const std::vector<std::uint64_t> targets = h5::read_uint64s(weights, "target", where);
    // A column is a synapse: (source, target, ordinal among the columns of that pair).
    std::map<std::tuple<std::uint64_t, std::uint64_t, std::uint64_t>, std::size_t> column_of;
    std::map<std::pair<std::uint64_t, std::uint64_t>, std::uint64_t> seen;
    for (std::size_t c = 0; c < sources.size(); ++c) {
      const std::uint64_t n = seen[{sources[c], targets[c]}]++;
      column_of[{sources[c], targets[c], n}] = c;
    }
    seen.clear();
    std::vector<std::size_t> columns;
    for (std::size_t j = 0; j < w.local_sources.size(); ++j) {
      const std::uint64_t n = seen[{w.local_sources[j], w.local_targets[j]}]++;
      const auto it = column_of.find({w.local_sources[j], w.local_targets[j], n});
      if (it == column_of.end())
        throw FileError(where, "/" + group + " does not record synapse " +
                                   std::to_string(w.local_sources[j]) + " -> " +
                                   std::to_string(w.local_targets[j]));
      columns.push_back(it->second);
    }
    const std::vector<double> times_ms = h5::read_doubles(weights, "time_ms", where);
    const std::vector<double> values = h5::read_doubles(weights, "weight", where);
    output.append_weights(static_cast<int>(k),
                          pick_columns<double>(values, sources.size(), columns), times_ms);
    for (const std::string& variable : w.variables) {
      const std::vector<double> state = h5::read_doubles(weights, h5::link_name(variable), where);
      output.append_state(static_cast<int>(k), variable,
                          pick_columns<double>(state, sources.size(), columns), times_ms.size());
    }
  }
}

}  // namespace

void append_previous_output(comm::Context& context, RunOutput& output,
                            const RunOutputLayout& layout, const std::string& previous) {
  // Every rank reads (serially) what it needs; a read error on one rank is agreed before any
  // collective append, so that no rank waits for another in HDF5.
  std::string problem;
  Handle file;
  try {
    file = h5::open_existing_file(previous);
  } catch (const UserError& e) {
    problem = e.what();
  }
  problem = comm::first_error(context, problem);
  if (!problem.empty()) throw FileError(previous, problem);
  append_spikes(context, output, layout, file, previous);
  append_reports(output, layout, file, previous);
  append_weights(output, layout, file, previous);
}

}  // namespace spikeweave::io
