#pragma once
// The plain data of a checkpoint, shared by the engine (which fills and reads it) and the HDF5
// files (io/checkpoint_file.hpp). No HDF5 or MPI header here.
//
// A checkpoint is a set of named blocks. Every entry of a block is keyed by identities that do
// not depend on the decomposition: a neuron by its gid, a presynaptic row by its source node id,
// an input-ring entry by (target gid, port, absolute arrival step). Synapses are keyed implicitly
// (a segmented key set): per target gid, the count of its incoming synapses, which follow one
// another in the canonical order (source node id, then ordinal among the synapses of that pair
// in delay order) that any decomposition of the same network derives from its tables. Each rank
// contributes the entries it owns; a restart on any number of ranks picks the entries it owns.
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

namespace spikeweave::io {

// An allocator that leaves new elements uninitialised: a checkpoint's value vectors are sized
// and then filled completely, and zeroing hundreds of MB first would cost as much as the fill.
template <class T>
struct UninitializedAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() = default;
  template <class U>
  UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
  // Large vectors in transparent huge pages where the kernel offers them on request: a 100 MB
  // block faults 50 pages in instead of 25,000 (half of a restore's time went to page faults).
  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugeBytes) return std::allocator<T>::allocate(n);
    const std::size_t rounded = (bytes + kHugeBytes - 1) / kHugeBytes * kHugeBytes;
    void* p = std::aligned_alloc(kHugeBytes, rounded);
    if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    (void)::madvise(p, rounded, MADV_HUGEPAGE);  // a hint: failure leaves normal pages
#endif
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < kHugeBytes) {
      std::allocator<T>::deallocate(p, n);
    } else {
      std::free(p);
    }
  }
  static constexpr std::size_t kHugeBytes = std::size_t{2} << 20;
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;  // default-initialisation: no zeroing for numbers
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
template <class T>
using ValueVector = std::vector<T, UninitializedAllocator<T>>;

struct CheckpointBlock {
  std::string name;                 // "population/exc/v_m_mv", "projection/ee/weight", ...
  int key_width = 1;                // key words per entry
  int value_width = 1;              // values per entry
  bool integer = false;             // int64 values (else float64)
  std::vector<std::uint64_t> keys;  // entries x key_width
  ValueVector<double> reals;        // entries x value_width, when !integer
  ValueVector<std::int64_t> ints;   // entries x value_width, when integer
  // Real values that are float32 in the engine: stored as float32, in `singles` when written
  // from the engine or read through read_ranges (else in `reals`).
  bool single = false;
  ValueVector<float> singles;
  // Blocks of the same key set (the synapses of a projection, the neurons of a population) have
  // the same keys in the same order on every rank: stored once, at /keys/<key_set>.
  std::string key_set;
  // A segmented key set (key_width 0, no keys): `owners` (target gids) and `counts` (entries of
  // each owner, which follow one another in the values), carried by the set's first block.
  bool segmented = false;
  std::vector<std::uint64_t> owners;
  std::vector<std::uint64_t> counts;
  // Values produced while the file is written, piece after piece, instead of held in
  // reals/ints/singles (a projection's synapse values: the bulk of a checkpoint), so that the
  // disk writes a piece while the next is produced and only a piece is in memory at a time.
  // Piece k is this rank's rows [pieces[k], pieces[k + 1]) (pieces[0] = 0); produce(k, out,
  // lane) writes its value_width values per row, of the block's value type, to `out`. Each piece
  // is produced once, by one of `lanes` independent producers: a lane's pieces in increasing k,
  // and different lanes may run at the same time on different threads.
  std::vector<std::uint64_t> pieces;
  std::function<void(std::size_t, void*, unsigned)> produce;
  unsigned lanes = 1;
  // Values borrowed from the engine instead of copied into reals/ints/singles (a neuron array of
  // tens of MB is written from where it lies: a copy into fresh memory costs more than the
  // write): `borrowed_entries` x value_width values of the block's type, contiguous, kept alive by
  // `borrowed_owner`, and read when the block is written, before the state changes.
  const void* borrowed = nullptr;
  std::size_t borrowed_entries = 0;
  std::shared_ptr<const void> borrowed_owner;

  // Entries: from the keys, or, for a block whose key set's keys another block carries (keys
  // left empty) or a segmented one, from the values.
  std::size_t entries() const {
    if (produce) return pieces.empty() ? 0 : pieces.back();
    if (borrowed != nullptr) return borrowed_entries;
    if (!segmented && (!keys.empty() || key_set.empty()))
      return key_width > 0 ? keys.size() / key_width : 0;
    const std::size_t values = integer            ? ints.size()
                               : !singles.empty() ? singles.size()
                                                  : reals.size();
    return value_width > 0 ? values / static_cast<std::size_t>(value_width) : 0;
  }
};

// Produces a block's deferred values (see CheckpointBlock::produce) into reals/ints/singles.
inline void produce_values(CheckpointBlock& b) {
  if (!b.produce) return;
  const std::size_t width = static_cast<std::size_t>(b.value_width);
  const std::size_t n = b.entries() * width;
  unsigned char* out = nullptr;
  std::size_t value_bytes = 8;
  if (b.integer) {
    b.ints.resize(n);
    out = reinterpret_cast<unsigned char*>(b.ints.data());
  } else if (b.single) {
    b.singles.resize(n);
    out = reinterpret_cast<unsigned char*>(b.singles.data());
    value_bytes = 4;
  } else {
    b.reals.resize(n);
    out = reinterpret_cast<unsigned char*>(b.reals.data());
  }
  for (std::size_t k = 0; k + 1 < b.pieces.size(); ++k)
    b.produce(k, out + b.pieces[k] * width * value_bytes, 0);
  b.produce = nullptr;
  b.pieces.clear();
}

// A block without entries yet.
inline CheckpointBlock empty_block(std::string name, int key_width, int value_width, bool integer) {
  CheckpointBlock b;
  b.name = std::move(name);
  b.key_width = key_width;
  b.value_width = value_width;
  b.integer = integer;
  return b;
}

// What a checkpoint says about itself (root attributes of state.h5).
struct CheckpointHeader {
  std::int64_t layout_version = 0;
  std::int64_t step = 0;
  std::int64_t interval_steps = 0;
  std::int64_t ranks = 0;  // ranks that wrote it
  double dt_ms = 0.0;
  std::string network_hash;    // hash of the network TOML file's text
  std::string network_toml;    // the network TOML file's text, as given
  std::string overrides;       // --set overrides of the run, one per line
  std::string effective_toml;  // the configuration as run
  std::string version;         // SpikeWeave version and commit that wrote it
};

// Rows [first, first + count) of a block.
struct RowRange {
  std::uint64_t first = 0;
  std::uint64_t count = 0;
};

// A block's values where they lie in the file as one array of the engine's own value type
// (little-endian float32, float64 or int64, row after row, uncompressed): read straight from
// the file into place, from any thread, without the HDF5 library (which is not thread-safe here).
class RawValueRows {
 public:
  virtual ~RawValueRows() = default;
  std::uint64_t rows = 0;
  int width = 1;
  bool integer = false;
  bool single = false;
  // Rows [first, first + count) to `out` (count * width values). A short file is a FileError.
  virtual void read(std::uint64_t first, std::uint64_t count, void* out) const = 0;
  // Rows [first, first + count) mapped read-only where they lie in the page cache (no copy and no
  // fresh buffer), unmapped when the last copy of the pointer goes; null where they cannot be
  // mapped (then read).
  virtual std::shared_ptr<const void> map(std::uint64_t first, std::uint64_t count) const {
    (void)first, (void)count;
    return nullptr;
  }
};

// Reads blocks of a checkpoint; the entries a rank does not want are skipped while reading.
class CheckpointSource {
 public:
  virtual ~CheckpointSource() = default;
  virtual const CheckpointHeader& header() const = 0;
  virtual bool has_block(const std::string& name) const = 0;
  // The entries of block `name` whose keys `wanted` accepts (key_width words each), in file
  // order, and (if `rows` is given) their rows in the file. A missing block, or one whose keys
  // are not `key_width` words wide (when given), is a FileError naming the file and the block.
  virtual CheckpointBlock read(const std::string& name,
                               const std::function<bool(const std::uint64_t*)>& wanted,
                               std::vector<std::uint64_t>* rows = nullptr, int key_width = 0) = 0;
  // The values (no keys) of the given rows of block `name`, increasing: for blocks of a key set
  // whose rows a first read() found.
  virtual CheckpointBlock read_rows(const std::string& name,
                                    const std::vector<std::uint64_t>& rows) = 0;
  // The owners and counts of the segmented key set of block `name`, in file order. A block
  // without a segmented key set is a FileError.
  virtual void read_segments(const std::string& name, std::vector<std::uint64_t>& owners,
                             std::vector<std::uint64_t>& counts) = 0;
  // The values (no keys) of the given row ranges of block `name`, concatenated in the order
  // given; float32 values come in `singles`.
  virtual CheckpointBlock read_ranges(const std::string& name,
                                      const std::vector<RowRange>& ranges) = 0;
  // Rows [range.first, range.first + range.count) of block `name`'s values straight into `out`
  // (range.count x width values of 8 bytes: int64 if `integer`, else double), where the block has
  // values of that kind and width within its rows; false, nothing read, otherwise. For a reader
  // whose entries lie in the file in its own order: no block in between (a fresh buffer of a
  // post-synaptic history cost 0.08 s of faults at scale 4 on the shared VM).
  virtual bool read_range_into(const std::string& name, RowRange range, std::size_t width,
                               bool integer, void* out) {
    (void)name, (void)range, (void)width, (void)integer, (void)out;
    return false;
  }
  // The values of block `name` as raw rows of the file (see RawValueRows), or null where they
  // are stored otherwise (then read_ranges). A missing block is a FileError.
  virtual std::unique_ptr<RawValueRows> raw_rows(const std::string& name) {
    (void)name;
    return nullptr;
  }
};

}  // namespace spikeweave::io
