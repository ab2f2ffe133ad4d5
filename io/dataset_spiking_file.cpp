#include "io/dataset_spiking_file.hpp"

#include <mpi.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "comm/mpi/mpi_context.hpp"
#include "core/errors.hpp"
#include "core/version.hpp"
#include "io/hdf5_util.hpp"
#include "io/output_path.hpp"

namespace spikeweave::io {
namespace {

constexpr hsize_t kChunkRows = 1 << 16;

}  // namespace

void write_spiking_dataset(comm::Context& context, const std::string& path,
                           const SpikingDatasetLayout& layout,
                           const std::vector<SpikingInstance>& mine,
                           const std::vector<std::uint64_t>& counts) {
  h5::silence_errors();
  const std::size_t P = layout.populations.size(), Q = layout.projections.size(), columns = P + Q;
  const std::uint64_t M = layout.instances;
  require_invariant(counts.size() == M * columns,
                    "spiking dataset: counts must be M x (populations + projections)");
  const std::string target = path + ".assembling";
  const std::string where = path;
  {
    Handle access = plist_handle(H5Pcreate(H5P_FILE_ACCESS), where);
    check(H5Pset_fapl_mpio(access, comm::mpi::communicator_of(context), MPI_INFO_NULL), where);
    Handle file = file_handle(H5Fcreate(target.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access),
                              target + ": cannot create the output file");
    Handle transfer = plist_handle(H5Pcreate(H5P_DATASET_XFER), where);
    check(H5Pset_dxpl_mpio(transfer, H5FD_MPIO_COLLECTIVE), where);
    // Offsets: instance m of column c starts at the sum of the counts of earlier instances.
    std::vector<std::uint64_t> pointers((M + 1) * columns, 0);
    for (std::uint64_t m = 0; m < M; ++m) {
      for (std::size_t c = 0; c < columns; ++c)
        pointers[(m + 1) * columns + c] = pointers[m * columns + c] + counts[m * columns + c];
    }
    const std::uint64_t first = mine.empty() ? 0 : mine.front().index;
    const bool root = context.rank() == 0;
    auto write_1d = [&](hid_t group, const char* name, hid_t file_type, hid_t memory_type,
                        const void* data, std::uint64_t total, std::uint64_t offset,
                        std::uint64_t rows, const std::string& at) {
      Handle dataset = h5::create_extendible(group, name, file_type, {}, kChunkRows, at);
      h5::write_block(dataset, memory_type, data, total, offset, rows, 0, 1, transfer, at);
      return dataset;
    };
    auto pointer_column = [&](std::size_t c) {
      std::vector<std::uint64_t> column(M + 1);
      for (std::uint64_t m = 0; m <= M; ++m) column[m] = pointers[m * columns + c];
      return column;
    };
    Handle spikes = h5::create_group(file, "spikes", where);
    for (std::size_t p = 0; p < P; ++p) {
      const std::string at = where + ":/spikes/" + layout.populations[p];
      Handle group = h5::create_group(spikes, h5::link_name(layout.populations[p]), at);
      std::vector<std::uint64_t> nodes;
      std::vector<double> times;
      for (const SpikingInstance& s : mine) {
        nodes.insert(nodes.end(), s.spike_nodes[p].begin(), s.spike_nodes[p].end());
        times.insert(times.end(), s.spike_times_ms[p].begin(), s.spike_times_ms[p].end());
      }
      const std::uint64_t total = pointers[M * columns + p];
      const std::uint64_t offset = mine.empty() ? 0 : pointers[first * columns + p];
      write_1d(group, "node_ids", H5T_STD_U64LE, H5T_NATIVE_UINT64, nodes.data(), total, offset,
               nodes.size(), at);
      Handle ts = write_1d(group, "timestamps", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, times.data(),
                           total, offset, times.size(), at);
      h5::write_attribute(ts, "units", std::string("ms"), at);
      const std::vector<std::uint64_t> column = pointer_column(p);
      write_1d(group, "index_pointers", H5T_STD_U64LE, H5T_NATIVE_UINT64, column.data(), M + 1, 0,
               root ? M + 1 : 0, at);
    }
    Handle connectivity = h5::create_group(file, "connectivity", where);
    for (std::size_t q = 0; q < Q; ++q) {
      const std::string at = where + ":/connectivity/" + layout.projections[q];
      Handle group = h5::create_group(connectivity, h5::link_name(layout.projections[q]), at);
      std::vector<std::uint64_t> sources, targets;
      std::vector<double> weights, delays;
      for (const SpikingInstance& s : mine) {
        sources.insert(sources.end(), s.sources[q].begin(), s.sources[q].end());
        targets.insert(targets.end(), s.targets[q].begin(), s.targets[q].end());
        weights.insert(weights.end(), s.weights[q].begin(), s.weights[q].end());
        delays.insert(delays.end(), s.delays_ms[q].begin(), s.delays_ms[q].end());
      }
      const std::uint64_t total = pointers[M * columns + P + q];
      const std::uint64_t offset = mine.empty() ? 0 : pointers[first * columns + P + q];
      const std::uint64_t rows = sources.size();
      write_1d(group, "source", H5T_STD_U64LE, H5T_NATIVE_UINT64, sources.data(), total, offset,
               rows, at);
      write_1d(group, "target", H5T_STD_U64LE, H5T_NATIVE_UINT64, targets.data(), total, offset,
               rows, at);
      write_1d(group, "weight", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, weights.data(), total, offset,
               rows, at);
      Handle d = write_1d(group, "delay_ms", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, delays.data(),
                          total, offset, rows, at);
      h5::write_attribute(d, "units", std::string("ms"), at);
      const std::vector<std::uint64_t> column = pointer_column(P + q);
      write_1d(group, "index_pointers", H5T_STD_U64LE, H5T_NATIVE_UINT64, column.data(), M + 1, 0,
               root ? M + 1 : 0, at);
    }
    {
      // /params: network, seed, then the varied values; each rank writes its rows.
      const std::size_t V = layout.varied_keys.size();
      const std::size_t row_bytes = 16 + 8 * V;
      Handle file_type = type_handle(H5Tcreate(H5T_COMPOUND, row_bytes), where);
      Handle memory_type = type_handle(H5Tcreate(H5T_COMPOUND, row_bytes), where);
      check(H5Tinsert(file_type, "network", 0, H5T_STD_U64LE), where);
      check(H5Tinsert(memory_type, "network", 0, H5T_NATIVE_UINT64), where);
      check(H5Tinsert(file_type, "seed", 8, H5T_STD_U64LE), where);
      check(H5Tinsert(memory_type, "seed", 8, H5T_NATIVE_UINT64), where);
      for (std::size_t v = 0; v < V; ++v) {
        check(H5Tinsert(file_type, layout.varied_keys[v].c_str(), 16 + 8 * v, H5T_IEEE_F64LE),
              where);
        check(H5Tinsert(memory_type, layout.varied_keys[v].c_str(), 16 + 8 * v, H5T_NATIVE_DOUBLE),
              where);
      }
      std::vector<unsigned char> rows(mine.size() * row_bytes);
      for (std::size_t e = 0; e < mine.size(); ++e) {
        std::memcpy(rows.data() + e * row_bytes, &mine[e].index, 8);
        std::memcpy(rows.data() + e * row_bytes + 8, &mine[e].seed, 8);
        if (V > 0)  // without varied keys, varied.data() may be null
          std::memcpy(rows.data() + e * row_bytes + 16, mine[e].varied.data(), 8 * V);
      }
      const hsize_t dims = M;
      Handle space = space_handle(H5Screate_simple(1, &dims, nullptr), where);
      Handle params = dataset_handle(
          H5Dcreate2(file, "params", file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
          where + ":/params");
      h5::write_block(params, memory_type, rows.data(), M, first, mine.size(), 0, 1, transfer,
                      where + ":/params");
      Handle done = h5::create_fixed(file, "done", H5T_STD_U8LE, {M}, where);
      const std::vector<std::uint8_t> ones(mine.size(), 1);
      h5::write_block(done, H5T_NATIVE_UINT8, ones.data(), M, first, mine.size(), 0, 1, transfer,
                      where + ":/done");
    }
    Handle provenance = h5::create_group(file, "provenance", where);
    h5::write_attribute(provenance, "spec", layout.spec, where);
    h5::write_attribute(provenance, "command_line", layout.command_line, where);
    h5::write_attribute(provenance, "version", std::string(kVersion), where);
    h5::write_attribute(provenance, "git_commit", std::string(kGitCommit), where);
    h5::write_attribute(provenance, "backend", layout.backend, where);
    // Parallel HDF5 closes a file only when nothing in it is open.
    spikes.reset();
    connectivity.reset();
    provenance.reset();
    transfer.reset();
    check(H5Fclose(file.get()), target + ": cannot close");
    file = Handle();
  }
  std::string problem;
  if (context.rank() == 0 && std::rename(target.c_str(), path.c_str()) != 0) {
    problem =
        std::string("cannot rename the assembled dataset into place: ") + std::strerror(errno);
  }
  context.broadcast(problem, 0);
  if (!problem.empty()) throw FileError(path, problem);
}

}  // namespace spikeweave::io
