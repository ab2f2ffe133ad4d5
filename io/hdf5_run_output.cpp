#include "io/hdf5_run_output.hpp"

#include <mpi.h>

#include <algorithm>
#include <numeric>

#include "comm/mpi/mpi_context.hpp"
#include "core/errors.hpp"
#include "core/version.hpp"
#include "io/hdf5_util.hpp"
#include "io/output_path.hpp"

namespace spikeweave::io {
namespace {

constexpr hsize_t kSpikeChunk = 1 << 16;  // rows per chunk of spike datasets
constexpr hsize_t kReportChunkRows = 256;

struct SpikeGroup {
  Handle group, timestamps, node_ids;
  hsize_t rows = 0;
};

struct WeightGroup {
  Handle group, time, weight;
  std::vector<std::pair<std::string, Handle>> states;  // plastic state variables
  hsize_t rows = 0;
  hsize_t columns = 0;
  hsize_t first_column = 0;
  hsize_t local_columns = 0;
};

struct Report {
  ReportLayout layout;
  Handle group, data;
  std::vector<Handle> states;  // one per layout.variables
  hsize_t state_rows = 0;
  hsize_t rows = 0;
  hsize_t columns = 0;       // all ranks
  hsize_t first_column = 0;  // this rank's first column
};

class Hdf5RunOutput final : public RunOutput {
 public:
  Hdf5RunOutput(comm::Context& context, std::string path, const RunOutputLayout& layout)
      : context_(context), path_(std::move(path)) {
    const std::vector<SpikeGroupLayout>& spike_groups = layout.spike_groups;
    const std::vector<ReportLayout>& reports = layout.reports;
    h5::silence_errors();
    const std::string partial = partial_path(path_);
    Handle access = plist_handle(H5Pcreate(H5P_FILE_ACCESS), path_);
    check(H5Pset_fapl_mpio(access, comm::mpi::communicator_of(context), MPI_INFO_NULL), path_);
    file_ = file_handle(H5Fcreate(partial.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access),
                        partial + ": cannot create the output file");
    transfer_ = plist_handle(H5Pcreate(H5P_DATASET_XFER), path_);
    check(H5Pset_dxpl_mpio(transfer_, H5FD_MPIO_COLLECTIVE), path_);

    Handle spikes = h5::create_group(file_, "spikes", path_);
    for (const SpikeGroupLayout& spike_group : spike_groups) {
      SpikeGroup g;
      g.group = h5::create_group(spikes, spike_group.population, path_);
      h5::write_attribute(g.group, "sorting", std::string("none"), path_);
      h5::write_attribute(g.group, "n_nodes", static_cast<std::int64_t>(spike_group.size), path_);
      g.timestamps =
          h5::create_extendible(g.group, "timestamps", H5T_IEEE_F64LE, {}, kSpikeChunk, path_);
      h5::write_attribute(g.timestamps, "units", std::string("ms"), path_);
      g.node_ids =
          h5::create_extendible(g.group, "node_ids", H5T_STD_U64LE, {}, kSpikeChunk, path_);
      spike_groups_.push_back(std::move(g));
    }
    datasets_ = 2 * spike_groups.size() + reports.size();
    for (const WeightLayout& weights : layout.weights) datasets_ += 2 + weights.variables.size();
    if (!reports.empty()) {
      Handle report_root = h5::create_group(file_, "report", path_);
      for (const ReportLayout& report : reports) add_report(report_root, report);
    }
    if (!layout.weights.empty()) {
      Handle weight_root = h5::create_group(file_, "weights", path_);
      for (const WeightLayout& weights : layout.weights) add_weights(weight_root, weights);
    }
  }

  // An output that was never committed (the run failed: a full disk, a peer's error) is discarded:
  // its handles are closed and "<path>.partial" removed, leaving any earlier output untouched.
  ~Hdf5RunOutput() override {
    if (file_.get() < 0) return;
    spike_groups_.clear();
    reports_.clear();
    weight_groups_.clear();
    transfer_.reset();
    // Closing flushes HDF5's metadata; on a full disk that fails again and leaves libhdf5 with a
    // half-closed file that crashes it at MPI_Finalize. The file is discarded anyway, so rank 0
    // frees its space first.
    if (context_.rank() == 0) truncate_partial_file(path_);
    file_.reset();
    if (context_.rank() == 0) remove_partial_file(path_);
  }

  void reserve(std::uint64_t local_bytes) override {
    // Chunked datasets grow a chunk at a time and HDF5 adds metadata: ask for the data, one chunk
    // per dataset and a megabyte more.
    const double needed = static_cast<double>(context_.sum(local_bytes)) +
                          static_cast<double>(datasets_ * kSpikeChunk * sizeof(double)) + 1048576.0;
    std::string problem = context_.rank() == 0 ? space_problem(partial_path(path_), needed) : "";
    context_.broadcast(problem, 0);
    if (!problem.empty())
      throw FileError(path_, "cannot write the next " +
                                 std::to_string(static_cast<long long>(needed)) +
                                 " bytes: " + problem);
  }

  void append_weights(int group, const std::vector<double>& values,
                      const std::vector<double>& times_ms) override {
    WeightGroup& g = weight_groups_.at(group);
    const hsize_t samples = times_ms.size();
    const std::string where = path_ + ":/weights";
    h5::write_block(g.time, H5T_NATIVE_DOUBLE, times_ms.data(), g.rows + samples, g.rows,
                    context_.rank() == 0 ? samples : 0, 0, 1, transfer_, where, &context_);
    h5::write_block(g.weight, H5T_NATIVE_DOUBLE, values.data(), g.rows + samples, g.rows, samples,
                    g.first_column, g.local_columns, transfer_, where, &context_);
    g.rows += samples;
  }

  void append_state(int group, const std::string& variable, const std::vector<double>& values,
                    std::uint64_t samples) override {
    WeightGroup& g = weight_groups_.at(group);
    for (auto& [name, dataset] : g.states) {
      if (name != variable) continue;
      // append_weights already advanced g.rows by these samples.
      h5::write_block(dataset, H5T_NATIVE_DOUBLE, values.data(), g.rows, g.rows - samples, samples,
                      g.first_column, g.local_columns, transfer_, path_ + ":/weights/" + variable,
                      &context_);
    }
  }

  void append_spikes(int group, const std::vector<std::uint64_t>& node_ids,
                     const std::vector<double>& times_ms) override {
    SpikeGroup& g = spike_groups_.at(group);
    const std::uint64_t local = node_ids.size();
    const std::uint64_t before = context_.exclusive_prefix_sum(local);
    const std::uint64_t total = context_.sum(local);
    const std::string where = path_ + ":/spikes";
    h5::write_block(g.timestamps, H5T_NATIVE_DOUBLE, times_ms.data(), g.rows + total,
                    g.rows + before, local, 0, 1, transfer_, where, &context_);
    h5::write_block(g.node_ids, H5T_NATIVE_UINT64, node_ids.data(), g.rows + total, g.rows + before,
                    local, 0, 1, transfer_, where, &context_);
    g.rows += total;
  }

  void append_report(int report, const std::vector<float>& values, std::uint64_t samples) override {
    Report& r = reports_.at(report);
    const hsize_t local_columns = r.layout.local_node_ids.size();
    h5::write_block(r.data, H5T_NATIVE_FLOAT, values.data(), r.rows + samples, r.rows, samples,
                    r.first_column, local_columns, transfer_, path_ + ":/report", &context_);
    r.rows += samples;
  }

  void append_report_state(int report, const std::string& variable,
                           const std::vector<float>& values, std::uint64_t samples) override {
    Report& r = reports_.at(report);
    const auto& names = r.layout.variables;
    const std::size_t v =
        static_cast<std::size_t>(std::find(names.begin(), names.end(), variable) - names.begin());
    require_invariant(v < names.size(), "report state variable not declared in the layout");
    // Called after append_report for the same samples: r.rows already counts them.
    h5::write_block(r.states[v], H5T_NATIVE_FLOAT, values.data(), r.rows, r.rows - samples, samples,
                    r.first_column, r.layout.local_node_ids.size(), transfer_,
                    path_ + ":/report/" + r.layout.population + "/" + variable, &context_);
  }

  void sync() override {
    check(H5Fflush(file_, H5F_SCOPE_GLOBAL), path_ + ": cannot flush the output file");
    context_.barrier();
  }
  std::string partial_file() const override { return partial_path(path_); }

  void commit(const Provenance& p) override {
    const std::string where = path_ + ":/provenance";
    for (Report& r : reports_) {
      Handle mapping = h5::open_group(r.group, "mapping", where);
      Handle time = h5::create_fixed(mapping, "time", H5T_IEEE_F64LE, {3}, where);
      const double t_stop = r.layout.t_start_ms + static_cast<double>(r.rows) * r.layout.every_ms;
      const double values[3] = {r.layout.t_start_ms, t_stop, r.layout.every_ms};
      h5::write_block(time, H5T_NATIVE_DOUBLE, values, 3, 0, context_.rank() == 0 ? 3 : 0, 0, 1,
                      transfer_, where, &context_);
      h5::write_attribute(time, "units", std::string("ms"), where);
    }
    {
      Handle group = h5::create_group(file_, "provenance", where);
      h5::write_attribute(group, "config_toml", p.config_toml, where);
      h5::write_attribute(group, "command_line", p.command_line, where);
      h5::write_attribute(group, "version", std::string(kVersion), where);
      h5::write_attribute(group, "git_commit", std::string(kGitCommit), where);
      h5::write_attribute(group, "ranks", static_cast<std::int64_t>(p.ranks), where);
      h5::write_attribute(group, "backend", p.backend, where);
      h5::write_attribute(group, "dt_ms", p.dt_ms, where);
      h5::write_attribute(group, "t_stop_ms", p.t_stop_ms, where);
      h5::write_attribute(group, "seed", static_cast<std::int64_t>(p.seed), where);
      Handle timers = h5::create_group(group, "phase_seconds", where);
      for (const auto& [name, seconds] : p.phase_seconds)
        h5::write_attribute(timers, name, seconds, where);
      Handle counters = h5::create_group(group, "counters", where);
      for (const auto& [name, value] : p.counters)
        h5::write_attribute(counters, name, value, where);
      write_energy(group, p.energy);
    }
    write_presentations(p.presentations);
    spike_groups_.clear();
    reports_.clear();
    weight_groups_.clear();
    transfer_.reset();
    check(H5Fclose(file_.get()), path_ + ": cannot close the output file");
    file_ = Handle();
    commit_output_path(context_, path_);
  }

 private:
  // /provenance/energy: the counts and the table as attributes, one subgroup per platform.
  void write_energy(hid_t provenance, const EnergyRecord& e) {
    if (!e.present) return;
    const std::string where = path_ + ":/provenance/energy";
    Handle group = h5::create_group(provenance, "energy", where);
    h5::write_attribute(group, "synops", e.synops, where);
    h5::write_attribute(group, "neuron_updates", e.neuron_updates, where);
    h5::write_attribute(group, "spikes", e.spikes, where);
    h5::write_attribute(group, "table_path", e.table_path, where);
    h5::write_attribute(group, "table_toml", e.table_toml, where);
    for (const EnergyRecord::Platform& p : e.platforms) {
      const std::string at = where + "/" + p.name;
      Handle platform = h5::create_group(group, h5::link_name(p.name), at);
      h5::write_attribute(platform, "pj_per_synop", p.pj_per_synop, at);
      h5::write_attribute(platform, "pj_per_neuron_update", p.pj_per_neuron_update, at);
      h5::write_attribute(platform, "pj_per_spike", p.pj_per_spike, at);
      h5::write_attribute(platform, "joules", p.joules, at);
      h5::write_attribute(platform, "source", p.source, at);
    }
  }

  // /presentations/<name>/{start_ms, sample} with the log's attributes; rank 0 writes the rows.
  void write_presentations(const std::vector<PresentationLog>& logs) {
    if (logs.empty()) return;
    const std::string where = path_ + ":/presentations";
    Handle root = h5::create_group(file_, "presentations", where);
    for (const PresentationLog& log : logs) {
      const std::string at = where + "/" + log.name;
      Handle group = h5::create_group(root, h5::link_name(log.name), at);
      for (const auto& [name, value] : log.text) h5::write_attribute(group, name, value, at);
      for (const auto& [name, value] : log.numbers) h5::write_attribute(group, name, value, at);
      const hsize_t n = log.start_ms.size();
      const hsize_t mine = context_.rank() == 0 ? n : 0;
      Handle start = h5::create_fixed(group, "start_ms", H5T_IEEE_F64LE, {n}, at);
      h5::write_block(start, H5T_NATIVE_DOUBLE, log.start_ms.data(), n, 0, mine, 0, 1, transfer_,
                      at, &context_);
      h5::write_attribute(start, "units", std::string("ms"), at);
      Handle sample = h5::create_fixed(group, "sample", H5T_STD_I64LE, {n}, at);
      h5::write_block(sample, H5T_NATIVE_INT64, log.sample.data(), n, 0, mine, 0, 1, transfer_, at,
                      &context_);
    }
  }

  void add_report(hid_t root, const ReportLayout& layout) {
    Report r;
    r.layout = layout;
    const std::uint64_t local = layout.local_node_ids.size();
    r.first_column = context_.exclusive_prefix_sum(local);
    r.columns = context_.sum(local);
    const std::string where = path_ + ":/report/" + layout.population;
    r.group = h5::create_group(root, layout.population, where);
    const hsize_t chunk_rows = std::max<hsize_t>(
        1, std::min<hsize_t>(kReportChunkRows, (1 << 20) / std::max<hsize_t>(1, r.columns)));
    r.data = h5::create_extendible(r.group, "data", H5T_IEEE_F32LE, {r.columns}, chunk_rows, where);
    h5::write_attribute(r.data, "units", std::string("mV"), where);
    for (std::size_t v = 0; v < layout.variables.size(); ++v) {
      r.states.push_back(h5::create_extendible(r.group, layout.variables[v], H5T_IEEE_F32LE,
                                               {r.columns}, chunk_rows, where));
      h5::write_attribute(r.states.back(), "units", layout.units[v], where);
    }
    Handle mapping = h5::create_group(r.group, "mapping", where);
    Handle node_ids = h5::create_fixed(mapping, "node_ids", H5T_STD_U64LE, {r.columns}, where);
    h5::write_block(node_ids, H5T_NATIVE_UINT64, layout.local_node_ids.data(), r.columns,
                    r.first_column, local, 0, 1, transfer_, where, &context_);
    Handle element_ids =
        h5::create_fixed(mapping, "element_ids", H5T_STD_U32LE, {r.columns}, where);
    const std::vector<std::uint32_t> zeros(local, 0);
    h5::write_block(element_ids, H5T_NATIVE_UINT32, zeros.data(), r.columns, r.first_column, local,
                    0, 1, transfer_, where, &context_);
    Handle pointers =
        h5::create_fixed(mapping, "index_pointers", H5T_STD_U64LE, {r.columns + 1}, where);
    std::vector<std::uint64_t> index(local + (context_.rank() == context_.size() - 1 ? 1 : 0));
    std::iota(index.begin(), index.end(), r.first_column);
    h5::write_block(pointers, H5T_NATIVE_UINT64, index.data(), r.columns + 1, r.first_column,
                    index.size(), 0, 1, transfer_, where, &context_);
    reports_.push_back(std::move(r));
  }

  void add_weights(hid_t root, const WeightLayout& layout) {
    WeightGroup g;
    g.local_columns = layout.local_sources.size();
    g.first_column = context_.exclusive_prefix_sum(g.local_columns);
    g.columns = context_.sum(static_cast<std::uint64_t>(g.local_columns));
    const std::string where = path_ + ":/weights/" + layout.projection;
    g.group = h5::create_group(root, layout.projection, where);
    for (const auto& [name, ids] : {std::pair<const char*, const std::vector<std::uint64_t>*>{
                                        "source", &layout.local_sources},
                                    std::pair<const char*, const std::vector<std::uint64_t>*>{
                                        "target", &layout.local_targets}}) {
      Handle ids_set = h5::create_fixed(g.group, name, H5T_STD_U64LE, {g.columns}, where);
      h5::write_block(ids_set, H5T_NATIVE_UINT64, ids->data(), g.columns, g.first_column,
                      ids->size(), 0, 1, transfer_, where, &context_);
    }
    g.time = h5::create_extendible(g.group, "time_ms", H5T_IEEE_F64LE, {}, 1024, where);
    h5::write_attribute(g.time, "units", std::string("ms"), where);
    g.weight = h5::create_extendible(
        g.group, "weight", H5T_IEEE_F64LE, {g.columns},
        std::max<hsize_t>(1, std::min<hsize_t>(64, (1 << 20) / std::max<hsize_t>(1, g.columns))),
        where);
    h5::write_attribute(g.weight, "units", layout.units, where);
    for (const std::string& variable : layout.variables) {
      Handle state = h5::create_extendible(
          g.group, variable, H5T_IEEE_F64LE, {g.columns},
          std::max<hsize_t>(1, std::min<hsize_t>(64, (1 << 20) / std::max<hsize_t>(1, g.columns))),
          where);
      g.states.emplace_back(variable, std::move(state));
    }
    weight_groups_.push_back(std::move(g));
  }

  comm::Context& context_;
  std::string path_;
  Handle file_;
  Handle transfer_;
  std::vector<SpikeGroup> spike_groups_;
  std::vector<Report> reports_;
  std::vector<WeightGroup> weight_groups_;
  std::uint64_t datasets_ = 0;  // extendible datasets, each of which may grow by a chunk
};

}  // namespace

std::unique_ptr<RunOutput> create_hdf5_run_output(comm::Context& context, const std::string& path,
                                                  bool overwrite, const RunOutputLayout& layout) {
  check_output_path(context, path, overwrite);
  return std::make_unique<Hdf5RunOutput>(context, path, layout);
}

}  // namespace spikeweave::io
