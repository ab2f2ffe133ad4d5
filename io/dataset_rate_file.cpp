#include "io/dataset_rate_file.hpp"

#include <fcntl.h>
#include <mpi.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>

#include "comm/mpi/mpi_context.hpp"
#include "core/errors.hpp"
#include "core/version.hpp"
#include "io/dataset_spec.hpp"
#include "io/hdf5_util.hpp"
#include "io/output_path.hpp"

namespace spikeweave::io {
namespace {

constexpr hsize_t kChunkBytes = 4u << 20;            // target size of a chunk of the bulk datasets
constexpr std::uint64_t kCopyNetworksPerRound = 16;  // networks per rank per compression round

std::string creating_path(const std::string& path) {
  return partial_path(path) + ".creating";
}
std::string compressing_path(const std::string& path) {
  return path + ".compressing";
}

hid_t real_type(const RateDatasetLayout& l) {
  return l.double_precision ? H5T_NATIVE_DOUBLE : H5T_NATIVE_FLOAT;
}
hid_t real_file_type(const RateDatasetLayout& l) {
  return l.double_precision ? H5T_IEEE_F64LE : H5T_IEEE_F32LE;
}

// Chunk of a [M, tail...] dataset: one network, as many whole leading tail rows as fit kChunkBytes.
std::vector<hsize_t> chunk_of(const std::vector<hsize_t>& tail, std::size_t element_bytes) {
  std::vector<hsize_t> chunk{1};
  hsize_t inner = element_bytes;
  for (hsize_t t : tail) inner *= t;
  // Shrink leading dimensions of the tail until a chunk is at most kChunkBytes.
  std::vector<hsize_t> c = tail;
  for (std::size_t d = 0; d < c.size() && inner > kChunkBytes; ++d) {
    const hsize_t rest = inner / std::max<hsize_t>(1, c[d]);
    const hsize_t fit = std::max<hsize_t>(1, kChunkBytes / std::max<hsize_t>(1, rest));
    c[d] = std::min(c[d], fit);
    inner = rest * c[d];
  }
  chunk.insert(chunk.end(), c.begin(), c.end());
  return chunk;
}

Handle create_dataset(hid_t file, const std::string& name, hid_t type,
                      const std::vector<hsize_t>& dims, std::size_t element_bytes, int deflate,
                      bool fill_zero, const std::string& where) {
  const std::string what = where + ": cannot create dataset " + name;
  Handle space =
      space_handle(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), what);
  Handle dcpl = plist_handle(H5Pcreate(H5P_DATASET_CREATE), what);
  if (deflate > 0) {
    const std::vector<hsize_t> tail(dims.begin() + 1, dims.end());
    std::vector<hsize_t> chunk = chunk_of(tail, element_bytes);
    if (dims[0] == 0) chunk[0] = 1;
    check(H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()), what);
    check(H5Pset_deflate(dcpl, static_cast<unsigned>(deflate)), what);
  } else {
    // Contiguous and allocated from the start: later writes change raw data only, never
    // metadata, and a run of consecutive networks is one contiguous range of the file (one
    // write call, no chunk mapping).
    check(H5Pset_layout(dcpl, H5D_CONTIGUOUS), what);
    check(H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY), what);
  }
  check(H5Pset_fill_time(dcpl, fill_zero ? H5D_FILL_TIME_ALLOC : H5D_FILL_TIME_NEVER), what);
  return dataset_handle(H5Dcreate2(file, name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                        what);
}

Handle params_type(const RateDatasetLayout& layout, bool file, const std::string& where) {
  const std::size_t size = 8 * (1 + layout.param_columns.size());
  Handle type = type_handle(H5Tcreate(H5T_COMPOUND, size), where + ": params type");
  check(H5Tinsert(type, "network", 0, file ? H5T_STD_U64LE : H5T_NATIVE_UINT64), where);
  for (std::size_t c = 0; c < layout.param_columns.size(); ++c) {
    check(H5Tinsert(type, layout.param_columns[c].c_str(), 8 * (c + 1),
                    file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE),
          where);
  }
  return type;
}

// Runs of consecutive indices (sorted input): (first, count) pairs.
std::vector<std::pair<std::uint64_t, std::uint64_t>> runs_of(
    const std::vector<std::uint64_t>& indices) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> runs;
  for (std::size_t e = 0; e < indices.size();) {
    std::size_t end = e + 1;
    while (end < indices.size() && indices[end] == indices[end - 1] + 1) ++end;
    runs.emplace_back(indices[e], end - e);
    e = end;
  }
  return runs;
}

// Writes (or reads) whole rows of a [M, tail...] dataset from a packed buffer, one call per run of
// consecutive rows, each with a memory space of the run's own shape (HDF5's fast path: a file
// hyperslab against a memory space of equal shape maps chunks without visiting elements).
// Collective when `calls` (the same on every rank) exceeds this rank's runs: the extra calls
// select nothing.
void transfer_rows(hid_t dataset, hid_t memory_type, void* data,
                   const std::vector<std::uint64_t>& indices, int calls, hid_t transfer, bool write,
                   const std::string& where) {
  Handle file_space = space_handle(H5Dget_space(dataset), where);
  const int rank = H5Sget_simple_extent_ndims(file_space);
  std::vector<hsize_t> dims(rank);
  check(H5Sget_simple_extent_dims(file_space, dims.data(), nullptr), where);
  std::size_t row_bytes = H5Tget_size(memory_type);
  for (int d = 1; d < rank; ++d) row_bytes *= dims[d];
  const auto runs = runs_of(indices);
  std::size_t offset = 0;
  for (int c = 0; c < calls; ++c) {
    std::vector<hsize_t> start(rank, 0), count(dims);
    Handle memory_space;
    if (c < static_cast<int>(runs.size())) {
      start[0] = runs[c].first;
      count[0] = runs[c].second;
      check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start.data(), nullptr, count.data(),
                                nullptr),
            where);
      memory_space = space_handle(H5Screate_simple(rank, count.data(), nullptr), where);
    } else {
      check(H5Sselect_none(file_space), where);
      count[0] = 1;
      memory_space = space_handle(H5Screate_simple(rank, count.data(), nullptr), where);
      check(H5Sselect_none(memory_space), where);
    }
    unsigned char* at =
        c < static_cast<int>(runs.size()) ? static_cast<unsigned char*>(data) + offset : nullptr;
    if (write) {
      if (H5Dwrite(dataset, memory_type, memory_space, file_space, transfer, at) < 0) {
        h5::throw_write_failure(dataset, where);
      }
    } else {
      check(H5Dread(dataset, memory_type, memory_space, file_space, transfer, at), where);
    }
    if (c < static_cast<int>(runs.size())) offset += runs[c].second * row_bytes;
  }
}

// The number of calls every rank makes for its rows: the most runs any rank has.
int agreed_calls(comm::Context* context, const std::vector<std::uint64_t>& indices) {
  const double runs = static_cast<double>(runs_of(indices).size());
  return static_cast<int>(context != nullptr ? context->max(runs) : runs);
}

void write_rows(comm::Context& context, hid_t dataset, hid_t memory_type, const void* data,
                const std::vector<std::uint64_t>& indices, hid_t transfer,
                const std::string& where) {
  transfer_rows(dataset, memory_type, const_cast<void*>(data), indices,
                agreed_calls(&context, indices), transfer, true, where);
}

// Independent (not collective) writes of this rank's own rows: one call per run, straight from
// `data` to the file, without the two-phase aggregation of collective MPI-IO.
void write_own_rows(hid_t dataset, hid_t memory_type, const void* data,
                    const std::vector<std::uint64_t>& indices, hid_t transfer,
                    const std::string& where) {
  transfer_rows(dataset, memory_type, const_cast<void*>(data), indices,
                static_cast<int>(runs_of(indices).size()), transfer, true, where);
}

void read_rows(comm::Context* context, hid_t dataset, hid_t memory_type, void* data,
               const std::vector<std::uint64_t>& indices, hid_t transfer,
               const std::string& where) {
  transfer_rows(dataset, memory_type, data, indices, agreed_calls(context, indices), transfer,
                false, where);
}

std::map<std::string, std::string> spec_entries(const std::string& text) {
  std::map<std::string, std::string> entries;
  std::istringstream in(text);
  std::string line, section;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line[0] == '[') {
      section = line.substr(1, line.find(']') - 1);
      continue;
    }
    const std::size_t eq = line.find(" = ");
    if (eq == std::string::npos) continue;
    entries[(section.empty() ? "" : section + ".") + line.substr(0, eq)] = line.substr(eq + 3);
  }
  return entries;
}

}  // namespace

std::string describe_spec_difference(const std::string& in_file, const std::string& requested,
                                     int limit) {
  const auto a = spec_entries(in_file), b = spec_entries(requested);
  std::vector<std::string> lines;
  for (const auto& [key, value] : a) {
    const auto it = b.find(key);
    if (it == b.end()) {
      lines.push_back(key + ": file " + value + ", now absent");
    } else if (it->second != value) {
      lines.push_back(key + ": file " + value + ", now " + it->second);
    }
  }
  for (const auto& [key, value] : b) {
    if (a.find(key) == a.end()) lines.push_back(key + ": absent in the file, now " + value);
  }
  std::string text;
  for (int i = 0; i < static_cast<int>(lines.size()) && i < limit; ++i)
    text += (i ? "; " : "") + lines[i];
  if (static_cast<int>(lines.size()) > limit) text += "; ...";
  return text.empty() ? "(the texts differ only in layout)" : text;
}

void RateDatasetBlock::clear() {
  indices.clear();
  w.clear();
  input.clear();
  h0.clear();
  activity.clear();
  h.clear();
  lyapunov.clear();
}

std::uint64_t RateDatasetBlock::bytes() const {
  return w.size() + input.size() + h0.size() + (activity.size() + h.size()) * sizeof(float) +
         lyapunov.size() * sizeof(double) + indices.size();
}

struct RateDatasetWriter::Impl {
  comm::Context& context;
  std::string path;
  RateDatasetLayout layout;
  Handle file, transfer, independent;
  int writeback_fd = -1;  // the work file, for sync_file_range (a hint; -1 if unavailable)
  Handle w, input, h0, activity, h, lyapunov, params, done;

  Impl(comm::Context& c, std::string p, const RateDatasetLayout& l)
      : context(c), path(std::move(p)), layout(l) {}

  Handle open_parallel(const std::string& name, unsigned flags, bool create) {
    Handle access = plist_handle(H5Pcreate(H5P_FILE_ACCESS), name);
    check(H5Pset_fapl_mpio(access, comm::mpi::communicator_of(context), MPI_INFO_NULL), name);
    if (create) {
      return file_handle(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access),
                         name + ": cannot create");
    }
    return file_handle(H5Fopen(name.c_str(), flags, access), name + ": cannot open");
  }

  std::vector<hsize_t> dims(std::initializer_list<hsize_t> tail) const {
    std::vector<hsize_t> d{layout.networks};
    d.insert(d.end(), tail);
    return d;
  }

  // Creates every dataset of the layout in `target` (deflate as given).
  void create_layout(hid_t target, int deflate, const std::string& where) {
    const hsize_t n = layout.neurons, k = layout.trials, t = layout.steps;
    const std::size_t rb = layout.real_bytes();
    w = create_dataset(target, "W", real_file_type(layout), dims({n, n}), rb, deflate, false,
                       where);
    h5::write_attribute(w, "layout", std::string("W[m, i, j]: weight from neuron j onto neuron i"),
                        where);
    input = create_dataset(target, "input", real_file_type(layout), dims({n}), rb, deflate, false,
                           where);
    h0 = create_dataset(target, "h0", real_file_type(layout), dims({k, n}), rb, deflate, false,
                        where);
    activity = create_dataset(target, "activity", H5T_IEEE_F32LE, dims({k, t, n}), 4, deflate,
                              false, where);
    h5::write_attribute(
        activity, "layout",
        std::string("activity[m, k, t, i]: x = phi(h) of neuron i after step t + 1 of trial k"),
        where);
    if (layout.record_h) {
      h = create_dataset(target, "h", H5T_IEEE_F32LE, dims({k, t, n}), 4, deflate, false, where);
    }
    if (layout.lyapunov) {
      lyapunov = create_dataset(target, "lyapunov_per_ms", H5T_IEEE_F64LE, dims({}), 8, deflate,
                                false, where);
      h5::write_attribute(lyapunov, "units", std::string("1/ms"), where);
    }
    Handle ptype = params_type(layout, true, where);
    params = create_dataset(target, "params", ptype, dims({}),
                            8 * (1 + layout.param_columns.size()), deflate, false, where);
    done = create_dataset(target, "done", H5T_STD_U8LE, dims({}), 1, deflate, true, where);
    Handle provenance = h5::create_group(target, "provenance", where);
    h5::write_attribute(provenance, "spec", layout.spec_toml, where);
    h5::write_attribute(provenance, "command_line", layout.command_line, where);
    h5::write_attribute(provenance, "version", std::string(kVersion), where);
    h5::write_attribute(provenance, "git_commit", std::string(kGitCommit), where);
    h5::write_attribute(provenance, "backend", layout.backend, where);
    h5::write_attribute(provenance, "ranks_at_creation", static_cast<std::int64_t>(context.size()),
                        where);
  }

  void open_datasets(hid_t source, const std::string& where) {
    auto open = [&](const char* name) {
      return dataset_handle(H5Dopen2(source, name, H5P_DEFAULT), where + ": no dataset " + name);
    };
    w = open("W");
    input = open("input");
    h0 = open("h0");
    activity = open("activity");
    if (layout.record_h) h = open("h");
    if (layout.lyapunov) lyapunov = open("lyapunov_per_ms");
    params = open("params");
    done = open("done");
  }

  void close_all() {
    w.reset();
    input.reset();
    h0.reset();
    activity.reset();
    h.reset();
    lyapunov.reset();
    params.reset();
    done.reset();
    transfer.reset();
    independent.reset();
    if (writeback_fd >= 0) ::close(writeback_fd);
    writeback_fd = -1;
    if (file.get() >= 0) {
      check(H5Fclose(file.get()), path + ": cannot close the dataset file");
      file = Handle();  // its own close of the already closed id fails silently
    }
  }
};

RateDatasetWriter::RateDatasetWriter(comm::Context& context, std::string path,
                                     const RateDatasetLayout& layout, bool overwrite,
                                     const std::function<void(std::uint64_t, double*)>& param_row)
    : impl_(std::make_unique<Impl>(context, std::move(path), layout)) {
  h5::silence_errors();
  Impl& s = *impl_;
  namespace fs = std::filesystem;
  // Directory checks only: an existing final file is examined below, not refused.
  check_output_path(context, s.path, true);
  std::string decision;
  if (context.rank() == 0) {
    std::error_code ec;
    if (overwrite) {
      decision = "fresh";
    } else if (fs::exists(s.path, ec)) {
      std::string problem;
      const std::string spec = read_dataset_spec(s.path, problem);
      if (!problem.empty()) {
        decision = "error:the file exists and " + problem + "; pass --overwrite to replace it";
      } else if (spec != layout.spec_toml) {
        decision = "error:the file exists and was made with different parameters (" +
                   describe_spec_difference(spec, layout.spec_toml) +
                   "); pass --overwrite to replace it";
      } else {
        decision = "complete";
      }
    } else if (fs::exists(partial_path(s.path), ec)) {
      std::string problem;
      const std::string spec = read_dataset_spec(partial_path(s.path), problem);
      if (!problem.empty()) {
        decision = "error:the unfinished run's file " + partial_path(s.path) + " " + problem +
                   "; remove it or pass --overwrite to start again";
      } else if (spec != layout.spec_toml) {
        decision = "error:an unfinished run with different parameters exists (" +
                   describe_spec_difference(spec, layout.spec_toml) +
                   "); resume it with its own parameters, or pass --overwrite to start again";
      } else {
        decision = "resume";
      }
    } else {
      decision = "fresh";
    }
  }
  context.broadcast(decision, 0);
  if (decision.rfind("error:", 0) == 0) throw FileError(s.path, decision.substr(6));
  const std::string where = s.path;
  if (decision == "complete") {
    state_ = DatasetState::kComplete;
    done_.assign(layout.networks, 1);
    return;
  }
  if (decision == "fresh") {
    const std::string creating = creating_path(s.path);
    if (context.rank() == 0) std::remove(creating.c_str());
    context.barrier();
    {
      s.file = s.open_parallel(creating, 0, true);
      s.transfer = plist_handle(H5Pcreate(H5P_DATASET_XFER), where);
      check(H5Pset_dxpl_mpio(s.transfer, H5FD_MPIO_COLLECTIVE), where);
      s.create_layout(s.file, 0, creating);
      // /params: rank r writes its contiguous share of rows.
      const std::uint64_t m = layout.networks, ranks = context.size(), r = context.rank();
      const std::uint64_t first = m * r / ranks, last = m * (r + 1) / ranks;
      const std::size_t columns = layout.param_columns.size();
      std::vector<unsigned char> rows((last - first) * 8 * (1 + columns));
      std::vector<double> values(columns);
      std::vector<std::uint64_t> indices;
      for (std::uint64_t e = first; e < last; ++e) {
        param_row(e, values.data());
        unsigned char* row = rows.data() + (e - first) * 8 * (1 + columns);
        std::memcpy(row, &e, 8);
        if (columns > 0) std::memcpy(row + 8, values.data(), 8 * columns);
        indices.push_back(e);
      }
      Handle mtype = params_type(layout, false, where);
      write_rows(context, s.params, mtype, rows.data(), indices, s.transfer, creating + ":/params");
      s.close_all();
    }
    std::string problem;
    if (context.rank() == 0) {
      std::remove(partial_path(s.path).c_str());
      if (std::rename(creating.c_str(), partial_path(s.path).c_str()) != 0) {
        problem =
            std::string("cannot rename the new dataset file into place: ") + std::strerror(errno);
      }
    }
    context.broadcast(problem, 0);
    if (!problem.empty()) throw FileError(s.path, problem);
    state_ = DatasetState::kFresh;
  } else {
    state_ = DatasetState::kResumed;
  }
  s.file = s.open_parallel(partial_path(s.path), H5F_ACC_RDWR, false);
  s.transfer = plist_handle(H5Pcreate(H5P_DATASET_XFER), where);
  check(H5Pset_dxpl_mpio(s.transfer, H5FD_MPIO_COLLECTIVE), where);
  s.independent = plist_handle(H5Pcreate(H5P_DATASET_XFER), where);
  check(H5Pset_dxpl_mpio(s.independent, H5FD_MPIO_INDEPENDENT), where);
  s.writeback_fd = ::open(partial_path(s.path).c_str(), O_RDONLY | O_CLOEXEC);
  s.open_datasets(s.file, partial_path(s.path));
  done_.assign(layout.networks, 0);
  if (layout.networks > 0) {
    check(H5Dread(s.done, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, s.transfer, done_.data()),
          where + ":/done");
  }
}

RateDatasetWriter::~RateDatasetWriter() = default;

void RateDatasetWriter::write(const RateDatasetBlock& b) {
  Impl& s = *impl_;
  const std::string where = partial_path(s.path);
  require_invariant(std::is_sorted(b.indices.begin(), b.indices.end()),
                    "dataset block indices must be sorted");
  // With sync, the previous round's data, whose writeback was started when it was written and ran
  // while this round was simulated, is flushed now and only then marked done: durable against a
  // crashed node, and the disk works in parallel with the simulation instead of after it.
  if (sync_) mark_written();
  const hid_t real = real_type(s.layout);
  write_own_rows(s.w, real, b.w.data(), b.indices, s.independent, where + ":/W");
  write_own_rows(s.input, real, b.input.data(), b.indices, s.independent, where + ":/input");
  write_own_rows(s.h0, real, b.h0.data(), b.indices, s.independent, where + ":/h0");
  write_own_rows(s.activity, H5T_NATIVE_FLOAT, b.activity.data(), b.indices, s.independent,
                 where + ":/activity");
  if (s.layout.record_h)
    write_own_rows(s.h, H5T_NATIVE_FLOAT, b.h.data(), b.indices, s.independent, where + ":/h");
  if (s.layout.lyapunov) {
    write_own_rows(s.lyapunov, H5T_NATIVE_DOUBLE, b.lyapunov.data(), b.indices, s.independent,
                   where + ":/lyapunov_per_ms");
  }
  bytes_written_ += b.bytes();
  unmarked_.insert(unmarked_.end(), b.indices.begin(), b.indices.end());
  if (sync_) {
#ifdef SYNC_FILE_RANGE_WRITE
    // Start writing this round's pages to the disk now, without waiting (a hint).
    if (s.writeback_fd >= 0) ::sync_file_range(s.writeback_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
  } else {
    mark_written();  // after a barrier: enough against killed processes
  }
}

void RateDatasetWriter::mark_written() {
  Impl& s = *impl_;
  const std::string where = partial_path(s.path);
  // Every rank's data is written before any flag is set: a barrier is enough against killed
  // processes (the data is in the operating system's cache), a flush (MPI_File_sync) also
  // against a crashed node, whose cache could reach the disk in any order.
  if (sync_) check(H5Fflush(s.file, H5F_SCOPE_GLOBAL), where + ": cannot flush");
  s.context.barrier();
  const std::vector<std::uint8_t> ones(unmarked_.size(), 1);
  write_own_rows(s.done, H5T_NATIVE_UINT8, ones.data(), unmarked_, s.independent, where + ":/done");
  marked_ += unmarked_.size();
  unmarked_.clear();
}

void RateDatasetWriter::commit() {
  Impl& s = *impl_;
  if (state_ == DatasetState::kComplete) return;
  mark_written();
  s.close_all();
  const RateDatasetLayout& l = s.layout;
  if (l.deflate == 0) {
    commit_output_path(s.context, s.path);
    return;
  }
  // Compress: copy the work file into a deflated file, a few networks per rank per round.
  const std::string target = compressing_path(s.path);
  {
    Handle source_file = s.open_parallel(partial_path(s.path), H5F_ACC_RDONLY, false);
    Impl in(s.context, s.path, l);
    in.open_datasets(source_file, partial_path(s.path));
    Impl out(s.context, s.path, l);
    out.file = s.open_parallel(target, 0, true);
    out.create_layout(out.file, l.deflate, target);
    Handle transfer = plist_handle(H5Pcreate(H5P_DATASET_XFER), target);
    check(H5Pset_dxpl_mpio(transfer, H5FD_MPIO_COLLECTIVE), target);
    const std::uint64_t ranks = s.context.size(), r = s.context.rank();
    const std::uint64_t per_round = kCopyNetworksPerRound * ranks;
    const std::uint64_t rounds = (l.networks + per_round - 1) / per_round;
    const std::size_t n = l.neurons, k = l.trials, t = l.steps, rb = l.real_bytes();
    std::vector<unsigned char> buffer;
    auto copy = [&](hid_t from, hid_t to, hid_t type, std::size_t row_bytes,
                    const std::vector<std::uint64_t>& rows, const char* name) {
      buffer.resize(std::max<std::size_t>(1, rows.size() * row_bytes));
      read_rows(&s.context, from, type, buffer.data(), rows, transfer,
                partial_path(s.path) + ":/" + name);
      write_rows(s.context, to, type, buffer.data(), rows, transfer, target + ":/" + name);
    };
    Handle ptype = params_type(l, false, target);
    for (std::uint64_t round = 0; round < rounds; ++round) {
      std::vector<std::uint64_t> rows;
      const std::uint64_t first = round * per_round + r * kCopyNetworksPerRound;
      for (std::uint64_t e = first; e < first + kCopyNetworksPerRound && e < l.networks; ++e)
        rows.push_back(e);
      copy(in.w, out.w, real_type(l), n * n * rb, rows, "W");
      copy(in.input, out.input, real_type(l), n * rb, rows, "input");
      copy(in.h0, out.h0, real_type(l), k * n * rb, rows, "h0");
      copy(in.activity, out.activity, H5T_NATIVE_FLOAT, k * t * n * 4, rows, "activity");
      if (l.record_h) copy(in.h, out.h, H5T_NATIVE_FLOAT, k * t * n * 4, rows, "h");
      if (l.lyapunov)
        copy(in.lyapunov, out.lyapunov, H5T_NATIVE_DOUBLE, 8, rows, "lyapunov_per_ms");
      copy(in.params, out.params, ptype, 8 * (1 + l.param_columns.size()), rows, "params");
      copy(in.done, out.done, H5T_NATIVE_UINT8, 1, rows, "done");
    }
    in.close_all();
    source_file = Handle();
    out.close_all();
  }
  std::string problem;
  if (s.context.rank() == 0) {
    if (std::rename(target.c_str(), s.path.c_str()) != 0) {
      problem =
          std::string("cannot rename the compressed dataset into place: ") + std::strerror(errno);
    } else {
      std::remove(partial_path(s.path).c_str());
    }
  }
  s.context.broadcast(problem, 0);
  if (!problem.empty()) throw FileError(s.path, problem);
}

struct RateDatasetReader::Impl {
  Handle file;
  std::vector<std::string> param_names;
};

RateDatasetReader::RateDatasetReader(const std::string& path)
    : impl_(std::make_unique<Impl>()), path_(path) {
  h5::silence_errors();
  std::string problem;
  spec_ = read_dataset_spec(path, problem);
  if (!problem.empty()) throw FileError(path, problem);
  impl_->file =
      file_handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), path + ": cannot open");
  Handle activity =
      dataset_handle(H5Dopen2(impl_->file, "activity", H5P_DEFAULT), path + ": no /activity");
  Handle space = space_handle(H5Dget_space(activity), path);
  hsize_t dims[4] = {0, 0, 0, 0};
  if (H5Sget_simple_extent_ndims(space) != 4)
    throw FileError(path, "/activity is not [M, K, T, N]");
  check(H5Sget_simple_extent_dims(space, dims, nullptr), path);
  networks_ = dims[0];
  trials_ = static_cast<int>(dims[1]);
  steps_ = static_cast<int>(dims[2]);
  neurons_ = static_cast<int>(dims[3]);
}

RateDatasetReader::~RateDatasetReader() = default;

namespace {
std::string shape_text(const std::vector<hsize_t>& dims) {
  std::string text = "[";
  for (std::size_t d = 0; d < dims.size(); ++d) text += (d ? ", " : "") + std::to_string(dims[d]);
  return text + "]";
}

// Row m of dataset `name`, which must have the shape [networks, row_shape...]: a file that was
// edited or made by something else is a FileError naming the dataset and both shapes.
template <class T>
std::vector<T> read_network(hid_t file, const std::string& path, const char* name, std::uint64_t m,
                            hid_t type, std::uint64_t networks,
                            const std::vector<hsize_t>& row_shape) {
  if (m >= networks) {
    throw FileError(path, "network " + std::to_string(m) + " does not exist (the file has " +
                              std::to_string(networks) + ")");
  }
  const std::string where = path + ":/" + name;
  Handle dataset = dataset_handle(H5Dopen2(file, name, H5P_DEFAULT), where + ": missing");
  Handle space = space_handle(H5Dget_space(dataset), where);
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  check(H5Sget_simple_extent_dims(space, dims.data(), nullptr), where);
  std::vector<hsize_t> expected{networks};
  expected.insert(expected.end(), row_shape.begin(), row_shape.end());
  if (dims != expected) {
    throw FileError(where, "has the shape " + shape_text(dims) + ", expected " +
                               shape_text(expected) + " (not a SpikeWeave rate dataset?)");
  }
  std::size_t count = 1;
  for (hsize_t d : row_shape) count *= d;
  std::vector<T> values(count);
  read_rows(nullptr, dataset, type, values.data(), {m}, H5P_DEFAULT, where);
  return values;
}
}  // namespace

bool RateDatasetReader::done(std::uint64_t m) const {
  return read_network<std::uint8_t>(impl_->file, path_, "done", m, H5T_NATIVE_UINT8, networks_,
                                    {})[0] != 0;
}
std::vector<double> RateDatasetReader::weights(std::uint64_t m) const {
  const hsize_t n = static_cast<hsize_t>(neurons_);
  return read_network<double>(impl_->file, path_, "W", m, H5T_NATIVE_DOUBLE, networks_, {n, n});
}
std::vector<double> RateDatasetReader::input(std::uint64_t m) const {
  return read_network<double>(impl_->file, path_, "input", m, H5T_NATIVE_DOUBLE, networks_,
                              {static_cast<hsize_t>(neurons_)});
}
std::vector<double> RateDatasetReader::h0(std::uint64_t m) const {
  return read_network<double>(impl_->file, path_, "h0", m, H5T_NATIVE_DOUBLE, networks_,
                              {static_cast<hsize_t>(trials_), static_cast<hsize_t>(neurons_)});
}
std::vector<float> RateDatasetReader::activity(std::uint64_t m) const {
  return read_network<float>(impl_->file, path_, "activity", m, H5T_NATIVE_FLOAT, networks_,
                             {static_cast<hsize_t>(trials_), static_cast<hsize_t>(steps_),
                              static_cast<hsize_t>(neurons_)});
}

double RateDatasetReader::param(std::uint64_t m, const std::string& name) const {
  const std::string where = path_ + ":/params";
  Handle dataset =
      dataset_handle(H5Dopen2(impl_->file, "params", H5P_DEFAULT), where + ": missing");
  Handle file_type = type_handle(H5Dget_type(dataset), where);
  if (H5Tget_member_index(file_type, name.c_str()) < 0) throw FileError(where, "no column " + name);
  Handle type = type_handle(H5Tcreate(H5T_COMPOUND, sizeof(double)), where);
  check(H5Tinsert(type, name.c_str(), 0, H5T_NATIVE_DOUBLE), where);
  double value = 0.0;
  if (m >= networks_) throw FileError(path_, "network " + std::to_string(m) + " does not exist");
  Handle space = space_handle(H5Dget_space(dataset), where);
  hsize_t rows = 0;
  if (H5Sget_simple_extent_ndims(space) != 1 ||
      H5Sget_simple_extent_dims(space, &rows, nullptr) < 0 || rows != networks_) {
    throw FileError(where, "expected one row per network (" + std::to_string(networks_) + ")");
  }
  read_rows(nullptr, dataset, type, &value, {m}, H5P_DEFAULT, where);
  return value;
}

}  // namespace spikeweave::io
