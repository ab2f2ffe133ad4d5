#include "io/checkpoint_file.hpp"

#include <fcntl.h>
#include <mpi.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <utility>

#include "comm/mpi/mpi_context.hpp"
#include "io/checkpoint_raw_file.hpp"
#include "io/hdf5_util.hpp"
#include "io/piece_pipeline.hpp"

namespace spikeweave::io {
namespace {

constexpr const char* kFormat = "spikeweave-checkpoint";
// Rows read at a time at restart: bounds the memory of a rank that scans a large block.
constexpr hsize_t kReadRows = 1 << 20;
// Row ranges at least this long are read straight into place (else through a window).
constexpr hsize_t kDirectRows = 1 << 14;
// Datasets of at least this many bytes begin at a multiple of RawFile::kAlignment in the file.
constexpr hsize_t kAlignedDatasetBytes = 1 << 16;

// Creates the groups of `path` ("a/b/c") below `root` that do not exist yet; returns the last.
Handle make_groups(hid_t root, const std::string& path, const std::string& where) {
  Handle current = group_handle(H5Gopen2(root, ".", H5P_DEFAULT), where);
  std::size_t begin = 0;
  while (begin <= path.size()) {
    const std::size_t end = std::min(path.find('/', begin), path.size());
    const std::string part = h5::link_name(path.substr(begin, end - begin));
    current = h5::exists(current, part) ? h5::open_group(current, part, where)
                                        : h5::create_group(current, part, where);
    begin = end + 1;
  }
  return current;
}

std::string block_path(const std::string& name) {
  std::string path = "state";
  std::size_t begin = 0;
  while (begin <= name.size()) {
    const std::size_t end = std::min(name.find('/', begin), name.size());
    path += "/" + h5::link_name(name.substr(begin, end - begin));
    begin = end + 1;
  }
  return path;
}

void write_header(hid_t file, const CheckpointHeader& h, const std::string& where) {
  h5::write_attribute(file, "format", std::string(kFormat), where);
  h5::write_attribute(file, "layout_version", h.layout_version, where);
  h5::write_attribute(file, "step", h.step, where);
  h5::write_attribute(file, "interval_steps", h.interval_steps, where);
  h5::write_attribute(file, "ranks", h.ranks, where);
  h5::write_attribute(file, "dt_ms", h.dt_ms, where);
  h5::write_attribute(file, "network_hash", h.network_hash, where);
  h5::write_attribute(file, "network_toml", h.network_toml, where);
  h5::write_attribute(file, "overrides", h.overrides, where);
  h5::write_attribute(file, "effective_toml", h.effective_toml, where);
  h5::write_attribute(file, "version", h.version, where);
}

CheckpointHeader read_header(hid_t file, const std::string& where) {
  if (!h5::has_attribute(file, "format") ||
      h5::read_string_attribute(file, "format", where) != kFormat) {
    throw FileError(
        where, "not a SpikeWeave checkpoint (no format attribute '" + std::string(kFormat) + "')");
  }
  CheckpointHeader h;
  h.layout_version = h5::read_int_attribute(file, "layout_version", where);
  if (h.layout_version != kCheckpointLayoutVersion) {
    const std::string writer = h5::has_attribute(file, "version")
                                   ? " (written by SpikeWeave " +
                                         h5::read_string_attribute(file, "version", where) +
                                         "; continue it with that version)"
                                   : "";
    throw FileError(where, "checkpoint layout version " + std::to_string(h.layout_version) +
                               ", but this SpikeWeave reads version " +
                               std::to_string(kCheckpointLayoutVersion) + writer);
  }
  h.step = h5::read_int_attribute(file, "step", where);
  h.interval_steps = h5::read_int_attribute(file, "interval_steps", where);
  h.ranks = h5::read_int_attribute(file, "ranks", where);
  h.dt_ms = h5::read_double_attribute(file, "dt_ms", where);
  h.network_hash = h5::read_string_attribute(file, "network_hash", where);
  h.network_toml = h5::read_string_attribute(file, "network_toml", where);
  h.overrides = h5::read_string_attribute(file, "overrides", where);
  h.effective_toml = h5::read_string_attribute(file, "effective_toml", where);
  h.version = h5::read_string_attribute(file, "version", where);
  return h;
}

std::string key_set_path(const std::string& key_set) {
  std::string path = block_path(key_set);
  return "keys" + path.substr(std::string("state").size());
}

// Whether this rank can write its rows of `dataset` straight into the file's bytes: the file's
// storage of it is known and its stored type is the memory's (or the rank has no rows).
bool raw_writable(hid_t dataset, hid_t type, const RawFile& file, std::uint64_t rows,
                  const std::string& at) {
  if (!file.open() || H5Dget_offset(dataset) == HADDR_UNDEF) return false;
  Handle stored = type_handle(H5Dget_type(dataset), at);
  return rows == 0 || H5Tequal(stored, type) > 0;
}

// Writes data[0, bytes) at file offset `offset` with `file`, hashing the whole checksum chunks
// in it first; the error, or "".
std::string write_hashed(RawFile& file, ChunkHashes& hashes, const void* data, std::uint64_t bytes,
                         std::uint64_t offset) {
  hashes.add_whole_chunks(data, offset, bytes);
  return file.write(data, bytes, offset);
}

// This rank's rows [first, first + rows) of a 2-D dataset of `width` columns and `total` rows,
// from `data`, written straight into the file's bytes (RawFile: O_DIRECT where it can; the whole
// checksum chunks hashed from `data`), or, where some rank cannot, through HDF5's collective
// write. Collective.
void write_rows(comm::Context& context, hid_t dataset, hid_t type, const void* data,
                std::uint64_t total, std::uint64_t first, std::uint64_t rows, hsize_t width,
                hid_t transfer, const std::string& at, RawFile& file, ChunkHashes& hashes) {
  std::vector<double> refused{raw_writable(dataset, type, file, rows, at) ? 0.0 : 1.0};
  context.max(refused);
  if (refused[0] != 0.0) {
    h5::write_block(dataset, type, data, total, first, rows, 0, width, transfer, at, &context);
    return;
  }
  const std::uint64_t row_bytes = H5Tget_size(type) * width;
  const std::string error = comm::first_error(
      context, rows == 0 ? std::string()
                         : write_hashed(file, hashes, data, rows * row_bytes,
                                        H5Dget_offset(dataset) + first * row_bytes));
  if (!error.empty()) throw FileError(at, error);
}

// Creates the group of a segmented key set and writes this rank's owners and counts into it.
void write_segments(comm::Context& context, hid_t file, hid_t transfer, const CheckpointBlock& b,
                    const std::string& at, RawFile& raw, ChunkHashes& hashes) {
  if (b.owners.size() != b.counts.size()) {
    throw InternalError("checkpoint block " + b.name + ": owners and counts differ in length");
  }
  const std::uint64_t local = b.owners.size();
  const std::uint64_t first = context.exclusive_prefix_sum(local);
  const std::uint64_t total = context.sum(local);
  Handle set = make_groups(file, key_set_path(b.key_set), at);
  Handle owners = h5::create_fixed(set, "owners", H5T_STD_U64LE, {total}, at);
  Handle counts = h5::create_fixed(set, "counts", H5T_STD_U64LE, {total}, at);
  if (total == 0) return;
  write_rows(context, owners, H5T_NATIVE_UINT64, b.owners.data(), total, first, local, 1, transfer,
             at, raw, hashes);
  write_rows(context, counts, H5T_NATIVE_UINT64, b.counts.data(), total, first, local, 1, transfer,
             at, raw, hashes);
}

// The in-memory type and data of a block's values.
hid_t memory_type(const CheckpointBlock& b) {
  return b.integer ? H5T_NATIVE_INT64 : b.single ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE;
}
const void* value_data(const CheckpointBlock& b) {
  if (b.borrowed != nullptr) return b.borrowed;
  if (b.integer) return b.ints.data();
  return b.single ? static_cast<const void*>(b.singles.data())
                  : static_cast<const void*>(b.reals.data());
}

// Rows [first, first + rows) of a block's values: piece k of a deferred block, from `pipeline`
// (see CheckpointBlock::produce), or all of this rank's rows of another block (k = 0).
const void* piece_values(const CheckpointBlock& b, std::size_t k, std::uint64_t& first,
                         std::uint64_t& rows, PiecePipeline* pipeline) {
  first = 0;
  rows = 0;
  if (!b.produce) {
    if (k == 0 && b.value_width > 0) rows = b.entries();
    return value_data(b);
  }
  static const double kNothing = 0.0;  // a valid address for the empty writes after its own
  if (k + 1 >= b.pieces.size()) return &kNothing;
  first = b.pieces[k];
  rows = b.pieces[k + 1] - first;
  return pipeline->wait(k);
}

// A rank's pieces of a deferred block written straight into the dataset's bytes, which begin at
// file offset `at` for this rank (a contiguous dataset, whose storage parallel HDF5 allocates at
// creation; HDF5 keeps no raw data of it, so nothing it writes later overlaps): the lanes of a
// PiecePipeline produce each piece at its file offset modulo RawFile::kAlignment in their buffers
// and hash its whole checksum chunks, and the writer writes it (O_DIRECT where it can) while the
// lanes produce the next ones. No collective call per piece. The error, or "".
std::string write_pieces_raw(const CheckpointBlock& b, std::size_t pieces, RawFile& file,
                             std::uint64_t at, std::uint64_t row_bytes, bool aligned,
                             ChunkHashes& hashes, BufferPool* pool) {
  std::vector<std::uint64_t> shifts(pieces, 0);
  if (file.direct() && aligned) {
    for (std::size_t k = 0; k < pieces; ++k)
      shifts[k] = (at + b.pieces[k] * row_bytes) % RawFile::kAlignment;
  }
  auto offset_of = [&](std::size_t k) { return at + b.pieces[k] * row_bytes; };
  auto bytes_of = [&](std::size_t k) { return (b.pieces[k + 1] - b.pieces[k]) * row_bytes; };
  std::vector<ChunkHashes> piece_hashes(pieces);  // each filled by its piece's lane
  PiecePipeline pipeline(
      b, pieces, row_bytes, pipeline_lanes(b, pieces), std::move(shifts),
      [&](std::size_t k, const void* data) {
        piece_hashes[k].add_whole_chunks(data, offset_of(k), bytes_of(k));
      },
      pool);
  for (std::size_t k = 0; k < pieces; ++k) {
    const void* data = pipeline.wait(k);
    const std::string error = file.write(data, bytes_of(k), offset_of(k));
    if (!error.empty()) return error;
    pipeline.release(k);
  }
  for (const ChunkHashes& h : piece_hashes) {
    hashes.index.insert(hashes.index.end(), h.index.begin(), h.index.end());
    hashes.hash.insert(hashes.hash.end(), h.hash.begin(), h.hash.end());
  }
  return std::string();
}

// Writes a block's values straight into its dataset's bytes when every rank can: a deferred
// block's pieces as its lanes produce them (write_pieces_raw), another's rows at once. Otherwise
// through HDF5: a deferred block piece by piece, each produced ahead by the lanes of a
// PiecePipeline while the earlier ones are written, starting the writeback of each piece once
// written; those writes are collective, and every rank makes as many as the rank with the most
// pieces (empty ones after its own), whether or not its blocks are deferred.
void write_values(comm::Context& context, hid_t values, const CheckpointBlock& b,
                  std::uint64_t total, std::uint64_t first, hid_t transfer, const std::string& at,
                  RawFile& file, ChunkHashes& hashes, BufferPool* pool) {
  const std::size_t local = !b.produce ? 1 : b.pieces.empty() ? 0 : b.pieces.size() - 1;
  const hid_t type = memory_type(b);
  const hsize_t width = static_cast<hsize_t>(b.value_width);
  const std::uint64_t row_bytes = H5Tget_size(type) * width;
  const std::uint64_t rows = b.entries();
  std::vector<double> most{static_cast<double>(local),
                           raw_writable(values, type, file, rows, at) ? 0.0 : 1.0};
  context.max(most);
  const haddr_t offset = H5Dget_offset(values);
  if (most[1] == 0.0) {
    const std::uint64_t at_byte = offset + first * row_bytes;
    std::string error;
    if (b.produce && local > 0) {
      error = write_pieces_raw(b, local, file, at_byte, row_bytes,
                               offset % RawFile::kAlignment == 0, hashes, pool);
    } else if (!b.produce && rows > 0) {
      error = write_hashed(file, hashes, value_data(b), rows * row_bytes, at_byte);
    }
    error = comm::first_error(context, error);
    if (!error.empty()) throw FileError(at, error);
    return;
  }
  std::unique_ptr<PiecePipeline> pipeline;
  if (b.produce && local > 0)
    pipeline = std::make_unique<PiecePipeline>(b, local, row_bytes, pipeline_lanes(b, local),
                                               std::vector<std::uint64_t>{}, nullptr, pool);
  for (std::size_t k = 0; k < static_cast<std::size_t>(most[0]); ++k) {
    std::uint64_t row = 0, n = 0;
    const void* data = piece_values(b, k, row, n, pipeline.get());
    h5::write_block(values, type, data, total, first + row, n, 0, width, transfer, at, &context);
    if (pipeline && k < local) pipeline->release(k);
    if (offset != HADDR_UNDEF)
      file.start_writeback(offset + (first + row) * row_bytes, n * row_bytes);
  }
}

// Writes a block; its keys go to its own group, or once per key set (`written` remembers).
void write_block(comm::Context& context, hid_t file, hid_t transfer, const CheckpointBlock& b,
                 const std::string& where, std::set<std::string>& written, RawFile& raw,
                 ChunkHashes& hashes, BufferPool* pool) {
  const std::uint64_t local = b.entries();
  const std::uint64_t first = context.exclusive_prefix_sum(local);
  const std::uint64_t total = context.sum(local);
  const std::string at = where + ":/" + block_path(b.name);
  Handle group = make_groups(file, block_path(b.name), at);
  h5::write_attribute(group, "name", b.name, at);
  const bool write_keys = b.key_set.empty() || written.insert(b.key_set).second;
  if (write_keys && local > 0 && b.keys.empty() && !b.segmented) {
    throw InternalError("checkpoint block " + b.name + " is the first of key set " + b.key_set +
                        " but carries no keys");
  }
  Handle keys;
  if (!b.key_set.empty()) {
    h5::write_attribute(group, "key_set", key_set_path(b.key_set), at);
    if (write_keys && b.segmented) {
      write_segments(context, file, transfer, b, at, raw, hashes);
    } else if (write_keys) {
      const std::string path = key_set_path(b.key_set);
      const std::size_t slash = path.rfind('/');
      Handle parent = make_groups(file, path.substr(0, slash), at);
      keys = h5::create_fixed(parent, path.substr(slash + 1), H5T_STD_U64LE,
                              {total, static_cast<hsize_t>(b.key_width)}, at);
    }
  } else {
    keys = h5::create_fixed(group, "keys", H5T_STD_U64LE,
                            {total, static_cast<hsize_t>(b.key_width)}, at);
  }
  const hid_t file_type = b.integer ? H5T_STD_I64LE : b.single ? H5T_IEEE_F32LE : H5T_IEEE_F64LE;
  Handle values = h5::create_fixed(group, "values", file_type,
                                   {total, static_cast<hsize_t>(b.value_width)}, at);
  if (total == 0) return;  // HDF5 refuses even empty writes to an empty dataset
  if (write_keys && !b.segmented) {
    write_rows(context, keys, H5T_NATIVE_UINT64, b.keys.data(), total, first, local,
               static_cast<hsize_t>(b.key_width), transfer, at, raw, hashes);
  }
  write_values(context, values, b, total, first, transfer, at, raw, hashes, pool);
}

// Rows [first, first + rows) of a 2-D dataset of `width` columns into `out`.
void read_rows_into(hid_t dataset, hid_t type, hsize_t first, hsize_t rows, hsize_t width,
                    void* out, const std::string& where) {
  if (rows == 0 || width == 0) return;
  Handle space = space_handle(H5Dget_space(dataset), where);
  const hsize_t start[2] = {first, 0};
  const hsize_t count[2] = {rows, width};
  check(H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr), where);
  Handle memory = space_handle(H5Screate_simple(2, count, nullptr), where);
  check(H5Dread(dataset, type, memory, space, H5P_DEFAULT, out), where);
}

// Rows [first, first + rows) of a 2-D dataset.
template <class Vector>
void read_slab(hid_t dataset, hid_t type, hsize_t first, hsize_t rows, hsize_t width, Vector& out,
               const std::string& where) {
  out.resize(rows * width);
  read_rows_into(dataset, type, first, rows, width, out.data(), where);
}

void dims_of(hid_t dataset, hsize_t (&dims)[2], const std::string& where) {
  Handle space = space_handle(H5Dget_space(dataset), where);
  if (H5Sget_simple_extent_ndims(space) != 2) throw FileError(where, "expected a 2-D dataset");
  check(H5Sget_simple_extent_dims(space, dims, nullptr), where);
}

// The path of a block's segmented key set (a group of owners and counts), or "".
std::string segmented_set(hid_t group, const std::string& where) {
  if (!h5::has_attribute(group, "key_set")) return "";
  const std::string path = h5::read_string_attribute(group, "key_set", where);
  const hid_t file = H5Iget_file_id(group);
  Handle file_handle_(file, H5Fclose, where);
  return h5::exists(file, path + "/owners") ? path : "";
}

// A block's keys: its own, or its key set's (not for segmented key sets).
Handle open_keys(hid_t group, const std::string& where) {
  if (!segmented_set(group, where).empty()) {
    throw FileError(where, "keyed by a segmented key set, where keys were expected");
  }
  if (h5::has_attribute(group, "key_set")) {
    const std::string path = h5::read_string_attribute(group, "key_set", where);
    const hid_t file = H5Iget_file_id(group);
    Handle file_handle_(file, H5Fclose, where);
    return dataset_handle(H5Dopen2(file, path.c_str(), H5P_DEFAULT), where + " keys " + path);
  }
  return dataset_handle(H5Dopen2(group, "keys", H5P_DEFAULT), where + "/keys");
}

// RawValueRows over a file descriptor of its own: pread is safe from several threads at once.
class FileValueRows final : public RawValueRows {
 public:
  FileValueRows(const std::string& path, std::uint64_t offset, std::uint64_t row_bytes,
                std::function<void(std::uint64_t)> before_read)
      : path_(path),
        fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)),
        offset_(offset),
        row_bytes_(row_bytes),
        before_read_(std::move(before_read)) {
    if (fd_ < 0) throw FileError(path, std::string("cannot read: ") + std::strerror(errno));
  }
  FileValueRows(const FileValueRows&) = delete;
  FileValueRows& operator=(const FileValueRows&) = delete;
  ~FileValueRows() override { ::close(fd_); }

  void read(std::uint64_t first, std::uint64_t count, void* out) const override {
    if (first + count > rows) throw FileError(path_, "a read beyond a block's values");
    auto* to = static_cast<unsigned char*>(out);
    std::uint64_t at = offset_ + first * row_bytes_, left = count * row_bytes_;
    if (before_read_) before_read_(at + left);
    while (left > 0) {
      const ssize_t got = ::pread(fd_, to, left, static_cast<off_t>(at));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        throw FileError(path_, got == 0 ? std::string("ends inside a block's values: truncated")
                                        : std::string("cannot read: ") + std::strerror(errno));
      }
      to += got, at += static_cast<std::uint64_t>(got), left -= static_cast<std::uint64_t>(got);
    }
  }

  std::shared_ptr<const void> map(std::uint64_t first, std::uint64_t count) const override {
    if (first + count > rows || count == 0) return nullptr;
    const std::uint64_t at = offset_ + first * row_bytes_, end = at + count * row_bytes_;
    if (before_read_) before_read_(end);
    const std::uint64_t page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    const std::uint64_t start = at / page * page;
    const std::size_t length = static_cast<std::size_t>(end - start);
    // MAP_POPULATE: the pages are in the page cache; their entries are made in one call.
    void* base = ::mmap(nullptr, length, PROT_READ, MAP_SHARED | MAP_POPULATE, fd_,
                        static_cast<off_t>(start));
    if (base == MAP_FAILED) return nullptr;
    std::shared_ptr<void> mapping(base, [length](void* p) { ::munmap(p, length); });
    return std::shared_ptr<const void>(mapping,
                                       static_cast<const unsigned char*>(base) + (at - start));
  }

 private:
  std::string path_;
  int fd_;
  std::uint64_t offset_, row_bytes_;
  std::function<void(std::uint64_t)> before_read_;
};

// The native type whose bytes a dataset of file type `type` holds as they are, or -1.
hid_t raw_native_type(hid_t type) {
  for (const auto& [file, native] :
       {std::pair{H5T_IEEE_F32LE, H5T_NATIVE_FLOAT}, std::pair{H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE},
        std::pair{H5T_STD_I64LE, H5T_NATIVE_INT64}}) {
    if (H5Tequal(type, file) > 0 && H5Tequal(native, file) > 0) return native;
  }
  return -1;
}

class Hdf5CheckpointSource final : public CheckpointSource {
 public:
  Hdf5CheckpointSource(const std::string& path, std::function<void(std::uint64_t)> before_raw_read)
      : path_(path),
        file_(h5::open_existing_file(path)),
        header_(read_header(file_, path)),
        before_raw_read_(std::move(before_raw_read)) {}

  const CheckpointHeader& header() const override { return header_; }

  bool has_block(const std::string& name) const override {
    return h5::exists(file_, block_path(name));
  }

  CheckpointBlock read(const std::string& name,
                       const std::function<bool(const std::uint64_t*)>& wanted,
                       std::vector<std::uint64_t>* rows, int key_width) override {
    return scan(
        name, [&wanted](hsize_t, const std::uint64_t* key) { return wanted(key); }, true, rows,
        nullptr, key_width);
  }

  CheckpointBlock read_rows(const std::string& name,
                            const std::vector<std::uint64_t>& rows) override {
    // `rows` increases: a cursor walks it along the chunks, which are skipped where it has none.
    std::size_t next = 0;
    return scan(
        name,
        [&](hsize_t row, const std::uint64_t*) {
          if (next < rows.size() && rows[next] == row) {
            ++next;
            return true;
          }
          return false;
        },
        false, nullptr, &rows, 0);
  }

  void read_segments(const std::string& name, std::vector<std::uint64_t>& owners,
                     std::vector<std::uint64_t>& counts) override {
    const std::string where = path_ + ":/" + block_path(name);
    Handle group = open_block(name, where);
    const std::string set = segmented_set(group, where);
    if (set.empty()) {
      throw FileError(where, "has no segmented key set (written by another version?)");
    }
    Handle set_group = h5::open_group(file_, set, where);
    owners = h5::read_uint64s(set_group, "owners", where + " " + set);
    counts = h5::read_uint64s(set_group, "counts", where + " " + set);
    if (owners.size() != counts.size()) throw FileError(where, set + ": owners and counts differ");
  }

  bool read_range_into(const std::string& name, RowRange range, std::size_t width, bool integer,
                       void* out) override {
    const std::string where = path_ + ":/" + block_path(name);
    if (!has_block(name)) return false;
    Handle group = open_block(name, where);
    Handle values = dataset_handle(H5Dopen2(group, "values", H5P_DEFAULT), where + "/values");
    hsize_t dims[2];
    dims_of(values, dims, where + "/values");
    Handle type = type_handle(H5Dget_type(values), where);
    if (dims[1] != width || range.first + range.count > dims[0] ||
        (H5Tget_class(type) == H5T_INTEGER) != integer) {
      return false;
    }
    read_rows_into(values, integer ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE, range.first, range.count,
                   width, out, where + "/values");
    return true;
  }

  CheckpointBlock read_ranges(const std::string& name,
                              const std::vector<RowRange>& ranges) override {
    const std::string where = path_ + ":/" + block_path(name);
    Handle group = open_block(name, where);
    Handle values = dataset_handle(H5Dopen2(group, "values", H5P_DEFAULT), where + "/values");
    hsize_t dims[2];
    dims_of(values, dims, where + "/values");
    CheckpointBlock block = block_of_type(name, values, dims, where);
    const hid_t type = memory_type(block);
    const std::size_t row_bytes = H5Tget_size(type) * dims[1];
    // Where each range goes in the output (the order given), and the ranges in file order.
    std::vector<std::uint64_t> dest(ranges.size());
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < ranges.size(); ++i) {
      if (ranges[i].first + ranges[i].count > dims[0]) {
        throw FileError(
            where, "an entry range beyond the block's " + std::to_string(dims[0]) + " entries");
      }
      dest[i] = total;
      total += ranges[i].count;
    }
    unsigned char* out = resize_values(block, total * dims[1]);
    std::vector<std::size_t> by_file(ranges.size());
    for (std::size_t i = 0; i < by_file.size(); ++i) by_file[i] = i;
    std::sort(by_file.begin(), by_file.end(),
              [&](std::size_t a, std::size_t b) { return ranges[a].first < ranges[b].first; });
    RangeReader reader{values, type, dims, row_bytes, where, {}, 0, 0};
    for (std::size_t i = 0; i < by_file.size();) {
      // Ranges that follow one another in the file and in the output are read as one.
      std::size_t j = i;
      RowRange run = ranges[by_file[i]];
      while (j + 1 < by_file.size() && ranges[by_file[j + 1]].first == run.first + run.count &&
             dest[by_file[j + 1]] == dest[by_file[i]] + run.count) {
        run.count += ranges[by_file[++j]].count;
      }
      reader.copy(run, out + dest[by_file[i]] * row_bytes);
      i = j + 1;
    }
    return block;
  }

  std::unique_ptr<RawValueRows> raw_rows(const std::string& name) override {
    const std::string where = path_ + ":/" + block_path(name);
    Handle group = open_block(name, where);
    Handle values = dataset_handle(H5Dopen2(group, "values", H5P_DEFAULT), where + "/values");
    hsize_t dims[2];
    dims_of(values, dims, where + "/values");
    Handle type = type_handle(H5Dget_type(values), where);
    const hid_t native = raw_native_type(type);
    // Only one contiguous, unfiltered array at a known place in a file without a user block.
    Handle create = plist_handle(H5Dget_create_plist(values), where);
    Handle file_create = plist_handle(H5Fget_create_plist(file_), where);
    hsize_t user_block = 1;
    const haddr_t offset = H5Dget_offset(values);
    const std::uint64_t row_bytes = native < 0 ? 0 : H5Tget_size(native) * dims[1];
    if (native < 0 || offset == HADDR_UNDEF || H5Pget_layout(create) != H5D_CONTIGUOUS ||
        H5Pget_nfilters(create) != 0 || H5Pget_userblock(file_create, &user_block) < 0 ||
        user_block != 0 || H5Dget_storage_size(values) != dims[0] * row_bytes) {
      return nullptr;
    }
    auto raw = std::make_unique<FileValueRows>(path_, offset, row_bytes, before_raw_read_);
    raw->rows = dims[0];
    raw->width = static_cast<int>(dims[1]);
    raw->integer = H5Tget_class(type) == H5T_INTEGER;
    raw->single = !raw->integer && H5Tget_size(type) == 4;
    return raw;
  }

 private:
  Handle open_block(const std::string& name, const std::string& where) {
    if (!has_block(name)) {
      throw FileError(path_, "the checkpoint has no block '" + name +
                                 "' (written for another network or by another version)");
    }
    return h5::open_group(file_, block_path(name), where);
  }

  // An empty block with the value type and width of dataset `values`.
  static CheckpointBlock block_of_type(const std::string& name, hid_t values,
                                       const hsize_t (&dims)[2], const std::string& where) {
    Handle type = type_handle(H5Dget_type(values), where);
    CheckpointBlock block;
    block.name = name;
    block.key_width = 0;
    block.segmented = true;
    block.value_width = static_cast<int>(dims[1]);
    block.integer = H5Tget_class(type) == H5T_INTEGER;
    block.single = !block.integer && H5Tget_size(type) == 4;
    return block;
  }

  static unsigned char* resize_values(CheckpointBlock& b, std::uint64_t n) {
    if (b.integer) {
      b.ints.resize(n);
      return reinterpret_cast<unsigned char*>(b.ints.data());
    }
    if (b.single) {
      b.singles.resize(n);
      return reinterpret_cast<unsigned char*>(b.singles.data());
    }
    b.reals.resize(n);
    return reinterpret_cast<unsigned char*>(b.reals.data());
  }

  // Copies row ranges of a dataset: long ones read straight into place, short ones (a few
  // synapses of one target) through a window of kReadRows rows, so that a rank that owns every
  // third target does not make one HDF5 call per target.
  struct RangeReader {
    hid_t values;
    hid_t type;
    const hsize_t (&dims)[2];
    std::size_t row_bytes;
    const std::string& where;
    std::vector<unsigned char> window;
    hsize_t window_first = 0, window_rows = 0;

    void copy(const RowRange& r, unsigned char* out) {
      if (r.count == 0) return;
      if (r.count >= kDirectRows) {
        read_rows_into(values, type, r.first, r.count, dims[1], out, where + "/values");
        return;
      }
      if (r.first < window_first || r.first + r.count > window_first + window_rows) {
        window_first = r.first;
        window_rows = std::min<hsize_t>(kReadRows, dims[0] - r.first);
        window.resize(window_rows * row_bytes);
        read_rows_into(values, type, window_first, window_rows, dims[1], window.data(),
                       where + "/values");
      }
      std::memcpy(out, window.data() + (r.first - window_first) * row_bytes, r.count * row_bytes);
    }
  };

  // The entries of a block that `wanted` (row in the file, key or null) accepts, read in chunks;
  // with `with_keys` false the keys are not read (and not returned). `only` (sorted rows, or
  // null) lets chunks without a wanted row go unread.
  CheckpointBlock scan(const std::string& name,
                       const std::function<bool(hsize_t, const std::uint64_t*)>& wanted,
                       bool with_keys, std::vector<std::uint64_t>* rows_out,
                       const std::vector<std::uint64_t>* only, int key_width) {
    const std::string where = path_ + ":/" + block_path(name);
    if (!has_block(name)) {
      throw FileError(path_, "the checkpoint has no block '" + name +
                                 "' (written for another network or by another version)");
    }
    Handle group = h5::open_group(file_, block_path(name), where);
    Handle keys = open_keys(group, where);
    Handle values = dataset_handle(H5Dopen2(group, "values", H5P_DEFAULT), where + "/values");
    hsize_t key_dims[2], value_dims[2];
    dims_of(keys, key_dims, where + "/keys");
    dims_of(values, value_dims, where + "/values");
    if (key_dims[0] != value_dims[0]) throw FileError(where, "keys and values differ in length");
    if (key_width > 0 && key_dims[1] != static_cast<hsize_t>(key_width)) {
      throw FileError(where, "keyed by " + std::to_string(key_dims[1]) +
                                 " words, this network by " + std::to_string(key_width));
    }
    Handle type = type_handle(H5Dget_type(values), where);
    CheckpointBlock block;
    block.name = name;
    block.key_width = static_cast<int>(key_dims[1]);
    block.value_width = static_cast<int>(value_dims[1]);
    block.integer = H5Tget_class(type) == H5T_INTEGER;
    // Each chunk of rows is read straight onto the end of the block's vectors, and the rows not
    // wanted are then squeezed out in place: no read buffer and no copy. On the shared VM a fresh
    // page costs about as much to fault in as to fill (0.5 s of a restore's 2 s at scale 4 went to
    // a post-synaptic history's buffers being faulted in, grown and copied).
    const hsize_t kw = key_dims[1], vw = value_dims[1];
    const hsize_t most = only != nullptr ? only->size() : key_dims[0];
    if (with_keys) block.keys.reserve(most * kw);
    (block.integer ? block.ints.reserve(most * vw) : block.reals.reserve(most * vw));
    for (hsize_t first = 0; first < key_dims[0]; first += kReadRows) {
      const hsize_t rows = std::min(kReadRows, key_dims[0] - first);
      if (only != nullptr) {
        const auto it = std::lower_bound(only->begin(), only->end(), first);
        if (it == only->end() || *it >= first + rows) continue;
      }
      const std::size_t kept = block.keys.size() / std::max<hsize_t>(kw, 1);
      const std::size_t kept_values = block.integer ? block.ints.size() : block.reals.size();
      std::uint64_t* key_rows = nullptr;
      if (with_keys) {
        block.keys.resize((kept + rows) * kw);
        key_rows = block.keys.data() + kept * kw;
        read_rows_into(keys, H5T_NATIVE_UINT64, first, rows, kw, key_rows, where + "/keys");
      }
      unsigned char* value_rows =
          resize_values(block, kept_values + rows * vw) +
          kept_values * (block.integer ? sizeof(std::int64_t) : sizeof(double));
      read_rows_into(values, block.integer ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE, first, rows, vw,
                     value_rows, where + "/values");
      const std::size_t row_bytes = vw * 8;
      hsize_t to = 0;
      for (hsize_t r = 0; r < rows; ++r) {
        if (!wanted(first + r, with_keys ? key_rows + r * kw : nullptr)) continue;
        if (rows_out != nullptr) rows_out->push_back(first + r);
        if (to != r && with_keys) std::memmove(key_rows + to * kw, key_rows + r * kw, kw * 8);
        if (to != r)
          std::memmove(value_rows + to * row_bytes, value_rows + r * row_bytes, row_bytes);
        ++to;
      }
      if (with_keys) block.keys.resize((kept + to) * kw);
      resize_values(block, kept_values + to * vw);
    }
    return block;
  }

  std::string path_;
  Handle file_;
  CheckpointHeader header_;
  std::function<void(std::uint64_t)> before_raw_read_;
};

void collect_blocks(hid_t group, const std::string& where,
                    std::vector<CheckpointBlockSummary>& out) {
  for (const std::string& child : h5::child_names(group, where)) {
    Handle sub = h5::open_group(group, child, where);
    if (h5::has_attribute(sub, "name")) {
      CheckpointBlockSummary s;
      s.name = h5::read_string_attribute(sub, "name", where);
      Handle values = dataset_handle(H5Dopen2(sub, "values", H5P_DEFAULT), where);
      hsize_t kd[2] = {0, 0}, vd[2];
      dims_of(values, vd, where);
      if (segmented_set(sub, where).empty()) {
        Handle keys = open_keys(sub, where);
        dims_of(keys, kd, where);
      }
      Handle type = type_handle(H5Dget_type(values), where);
      s.entries = vd[0];
      s.key_width = static_cast<int>(kd[1]);
      s.value_width = static_cast<int>(vd[1]);
      s.integer = H5Tget_class(type) == H5T_INTEGER;
      s.single = !s.integer && H5Tget_size(type) == 4;
      out.push_back(s);
    } else {
      collect_blocks(sub, where + "/" + child, out);
    }
  }
}

}  // namespace

ChunkHashes write_checkpoint_state(comm::Context& context, const std::string& path,
                                   const CheckpointHeader& header,
                                   const std::vector<CheckpointBlock>& blocks, BufferPool* pool) {
  h5::silence_errors();
  Handle access = plist_handle(H5Pcreate(H5P_FILE_ACCESS), path);
  check(H5Pset_fapl_mpio(access, comm::mpi::communicator_of(context), MPI_INFO_NULL), path);
  // Large datasets start on a block boundary, so that their bytes can be written with O_DIRECT.
  check(H5Pset_alignment(access, kAlignedDatasetBytes, RawFile::kAlignment), path);
  Handle file = file_handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access),
                            path + ": cannot create the checkpoint file");
  Handle transfer = plist_handle(H5Pcreate(H5P_DATASET_XFER), path);
  check(H5Pset_dxpl_mpio(transfer, H5FD_MPIO_COLLECTIVE), path);
  write_header(file, header, path);
  ChunkHashes hashes;
  {
    RawFile raw(path, RawFile::direct_requested());
    std::set<std::string> written;
    for (const CheckpointBlock& b : blocks)
      write_block(context, file, transfer, b, path, written, raw, hashes, pool);
    const std::string error = comm::first_error(context, raw.sync());
    if (!error.empty()) throw FileError(path, error);
  }
  transfer.reset();
  check(H5Fclose(file.get()), path + ": cannot close the checkpoint file");
  file = Handle();
  // Rank 0 collects every rank's chunk hashes.
  std::vector<int> counts(static_cast<std::size_t>(context.size()), 0), received;
  const std::vector<std::uint64_t> words = hashes.words();
  counts[0] = static_cast<int>(words.size());
  std::vector<std::uint64_t> all;
  if (context.alltoallv(words, counts, all, received, false))
    throw FileError(path, "a rank failed while the checksums were collected");
  ChunkHashes collected;
  collected.add_words(all.data(), all.size());
  return collected;
}

std::unique_ptr<CheckpointSource> open_checkpoint_state(
    const std::string& path, std::function<void(std::uint64_t)> before_raw_read) {
  h5::silence_errors();
  return std::make_unique<Hdf5CheckpointSource>(path, std::move(before_raw_read));
}

std::vector<CheckpointBlockSummary> checkpoint_block_summaries(const std::string& path) {
  Handle file = h5::open_existing_file(path);
  read_header(file, path);
  std::vector<CheckpointBlockSummary> out;
  if (h5::exists(file, "state")) {
    Handle state = h5::open_group(file, "state", path);
    collect_blocks(state, path + ":/state", out);
  }
  return out;
}

}  // namespace spikeweave::io
