#pragma once
// Moving the state of the engine's parts into checkpoint blocks and back (see
// io/checkpoint_data.hpp for what a block is). Each part saves its Views with the keys of their
// entries (global ids and synapse identities) and restores them by looking up its own keys, so a
// checkpoint restores onto any number of ranks and any partition. Host side; the Views are
// mirrored to the host for I/O only.
#include <Kokkos_Core.hpp>
#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "core/errors.hpp"
#include "io/checkpoint_data.hpp"
#include "kernels/prefetch.hpp"

namespace spikeweave::engine {

// The keys of a block's entries on this rank: `width` words per entry (at most 3), or, with
// width 0, a segmented key set (a projection's synapses): no words; this rank's `owners`
// (target gids) with `counts` entries each, stored owner after owner, each owner's entries in
// the canonical order that every decomposition derives alike. Local entry i belongs to owner
// owner_of(i), and local entries of one owner are in that canonical order already, so the
// stored position of entry i is starts[owner] plus the entries of that owner before i: one
// sequential pass, writing into one stream per owner (no permutation array, no random reads).
struct StateKeys {
  int width = 1;
  std::vector<std::uint64_t> words;
  // Names the key set when other blocks share these keys (stored once in the file), or "".
  std::string set;
  // The word that is a gid owned by this rank (neurons: 0), or -1: entries of other ranks'
  // gids are skipped without a lookup (StateReader::set_local_gids).
  int owner_word = -1;
  std::vector<std::uint64_t> owners, counts, starts;  // segmented key sets only
  Kokkos::View<const std::uint32_t*, Kokkos::HostSpace> owner_of;
  // Offsets of runs of local entries whose owners do not decrease (a projection's segments:
  // targets increase within each), or empty if the entries have no such runs. They let
  // for_each_stored visit the entries a tile of owners at a time (see there).
  std::vector<std::uint64_t> runs;
  bool segmented() const { return width == 0; }
  std::size_t size() const {
    return segmented() ? owner_of.extent(0) : words.size() / static_cast<std::size_t>(width);
  }
};

// Gids (one word per entry) of a population's neurons on this rank (key set "population/<name>").
StateKeys gid_keys(const std::vector<std::uint64_t>& gids, const std::string& population);

// The first index of a rank-1 View whose value is NaN or infinite, or -1. (x - x is 0 exactly
// for finite x and NaN otherwise: no isfinite, which differs between Kokkos 3 and 4.)
template <class T>
std::int64_t first_non_finite(
    const Kokkos::View<const T*, Kokkos::DefaultExecutionSpace::memory_space>& v) {
  std::int64_t first = 0;
  const std::int64_t none = static_cast<std::int64_t>(v.extent(0));
  Kokkos::parallel_reduce(
      "spikeweave::checkpoint::first_non_finite",
      Kokkos::RangePolicy<Kokkos::DefaultExecutionSpace, Kokkos::IndexType<std::int64_t>>(0, none),
      KOKKOS_LAMBDA(const std::int64_t k, std::int64_t& found) {
        const double x = static_cast<double>(v(k));
        if (!(x - x == 0.0) && k < found) found = k;
      },
      Kokkos::Min<std::int64_t>(first));
  return none == 0 || first >= none ? -1 : first;
}

// What a projection's blocks are keyed by on this rank.
struct ProjectionKeys {
  std::string prefix;  // "projection/<name>/"
  StateKeys synapses;  // (source node id, target gid, ordinal among that pair), per local synapse
  StateKeys rows;      // source node id, per row of the local tables
  StateKeys targets;   // gid, per local neuron of the target population
  bool root = false;   // this rank writes the state that every rank holds whole
};

// Owners per tile in for_each_stored: a tile's live stream lines (2,048 x 64 bytes) and cursors
// fit in L2, and each run still holds hundreds of a tile's entries in a row (fewer, shorter runs
// per tile made 256 owners slower than 1,024-4,096 at 36,000 owners).
constexpr std::size_t kOwnersPerTile = 2048;

// The entries of a segmented key set, visited tile by tile of owners as f(local entry i, stored
// position j, owner o), each owner's entries in increasing i (so the positions do not depend on
// the visiting order); tile k's owners are [first_owner(k), first_owner(k + 1)), and once a tile
// is visited, its stored positions [starts[first_owner(k)], starts[first_owner(k + 1)]) are
// complete. Tiles are visited in order, each once.
class TileVisit {
 public:
  // `tiled` false visits in entry order (one tile of all owners): a restore's gather, where
  // tiling showed no gain (scale 8, one rank: restores of 6.6-6.7 s tiled against 5.6-7.2 s in
  // entry order on the shared VM) and the reads, not the writes, are the scattered side. Keys
  // without runs, or with owners for one tile only, are visited in entry order too.
  TileVisit(const StateKeys& keys, bool tiled, std::size_t owners_per_tile = kOwnersPerTile)
      : keys_(keys),
        tiled_(tiled && keys.runs.size() >= 2 && keys.owners.size() > owners_per_tile),
        per_tile_(tiled_ ? owners_per_tile : std::max<std::size_t>(keys.owners.size(), 1)),
        next_(keys.starts) {
    if (tiled_) cursor_.assign(keys.runs.begin(), keys.runs.end() - 1);
  }
  // Moves each run's cursor to its first entry of tile k (owners increase within a run), so
  // that tiles may be visited out of order, or shared out among several TileVisits (one per
  // thread): each owner's positions are counted by the one visit that visits its tile.
  // Forward from the cursors (a later tile than they are at), the search gallops from each
  // cursor: a thread of a restore's placement skips the other thread's tile (a few hundred
  // entries of each run, a few lines) instead of a binary search over the whole run (11 % of the
  // placement's samples at scale 4).
  void seek(std::size_t k) {
    if (!tiled_) return;
    const std::uint32_t* owner = keys_.owner_of.data();
    const auto first = static_cast<std::uint32_t>(first_owner(k));
    const bool forward = k >= cursor_tile_;
    for (std::size_t r = 0; r < cursor_.size(); ++r) {
      const std::uint32_t* end = owner + keys_.runs[r + 1];
      const std::uint32_t* from = owner + (forward ? cursor_[r] : keys_.runs[r]);
      cursor_[r] = static_cast<std::uint64_t>(galloping_lower_bound(from, end, first) - owner);
    }
    cursor_tile_ = k;
  }
  std::size_t tiles() const { return (keys_.owners.size() + per_tile_ - 1) / per_tile_; }
  std::size_t owners_per_tile() const { return per_tile_; }
  std::size_t first_owner(std::size_t k) const {
    return std::min(k * per_tile_, keys_.owners.size());
  }

  template <class F>
  void visit(std::size_t k, F&& f) {
    visit(k, f, [](std::size_t) {});
  }

  // As visit(k, f), and asks for the start of each run's entries in the tile a few runs before
  // they are visited: its owners and its values in `entries` (the entry-ordered side, read or
  // written). A tile visits each run for a few hundred entries only (2,048 of 36,000
  // owners, a quarter of them a source's targets: 250 entries), so every run's start missed the
  // cache twice where the hardware prefetchers had not yet caught on. Asked for 4 runs ahead:
  // a model of the restore's placement on the AMD VM took 20 % less (0.37-0.38 s against 0.48 s,
  // 324 M weights, two threads); a checkpoint's scatter at scale 8, 12-15 % less.
  template <class T, class F>
  void visit_prefetching(std::size_t k, const T* entries, F&& f) {
    if (!tiled_) {
      visit(k, f);
      return;
    }
    constexpr std::size_t kRunsAhead = 4, kMaxLines = 16, kLineBytes = 64;
    const std::size_t first = first_owner(k), end = first_owner(k + 1);
    const std::uint64_t tile_entries =
        (end < keys_.starts.size() ? keys_.starts[end] : keys_.size()) - keys_.starts[first];
    // Lines of a run's start to ask for: an average run of the tile, at most kMaxLines.
    const std::uint64_t average = tile_entries / std::max<std::size_t>(cursor_.size(), 1) + 1;
    const std::size_t owner_lines = static_cast<std::size_t>(
        std::min<std::uint64_t>(kMaxLines, (average * sizeof(std::uint32_t)) / kLineBytes + 1));
    const std::size_t entry_lines = static_cast<std::size_t>(
        std::min<std::uint64_t>(kMaxLines, (average * sizeof(T)) / kLineBytes + 1));
    const std::uint32_t* owner = keys_.owner_of.data();
    const char* values = reinterpret_cast<const char*>(entries);
    visit(k, f, [&](std::size_t r) {
      if (r + kRunsAhead >= cursor_.size()) return;
      const std::uint64_t i = cursor_[r + kRunsAhead];
      const std::uint64_t run_end = keys_.runs[r + kRunsAhead + 1];
      if (i >= run_end) return;
      // Within the run: no address past its entries (nor the arrays' ends).
      const std::uint64_t left = run_end - i;
      const char* owners_at = reinterpret_cast<const char*>(owner + i);
      const char* values_at = values + i * sizeof(T);
      const std::size_t n_owner = static_cast<std::size_t>(std::min<std::uint64_t>(
          owner_lines, (left * sizeof(std::uint32_t) + kLineBytes - 1) / kLineBytes));
      const std::size_t n_entry = static_cast<std::size_t>(
          std::min<std::uint64_t>(entry_lines, (left * sizeof(T) + kLineBytes - 1) / kLineBytes));
      for (std::size_t line = 0; line < n_owner; ++line)
        kernels::prefetch_line(owners_at + line * kLineBytes);
      for (std::size_t line = 0; line < n_entry; ++line)
        kernels::prefetch_line(values_at + line * kLineBytes);
    });
  }

 private:
  // visit(k, f), calling before_run(r) before run r's entries of the tile are visited.
  template <class F, class G>
  void visit(std::size_t k, F&& f, G&& before_run) {
    const std::uint32_t* owner = keys_.owner_of.data();
    std::uint64_t* next = next_.data();
    if (!tiled_) {
      for (std::size_t i = 0, n = keys_.size(); i < n; ++i) f(i, next[owner[i]]++, owner[i]);
      return;
    }
    // Entry order is row after row, each row spread over all owners: visited in that order,
    // every entry goes to another owner's stream, and with 36,000 owners (2.3 MB of live lines)
    // the scatter of a weight cost 10-13 ns per entry. Tile by tile of owners instead (each
    // run's cursor moves on over the entries of the tile's owners: runs are sorted by owner), the
    // live lines stay in cache: about 7 ns per entry on the shared VM.
    const std::uint64_t end_owner = first_owner(k + 1);
    for (std::size_t r = 0; r < cursor_.size(); ++r) {
      before_run(r);
      std::uint64_t i = cursor_[r];
      const std::uint64_t end = keys_.runs[r + 1];
      for (; i < end && owner[i] < end_owner; ++i) f(i, next[owner[i]]++, owner[i]);
      cursor_[r] = i;
    }
    cursor_tile_ = k + 1;
  }

  // The first of [from, end) (ascending) not below `value`, searched from `from` in steps that
  // double, then by bisection of the last step.
  static const std::uint32_t* galloping_lower_bound(const std::uint32_t* from,
                                                    const std::uint32_t* end, std::uint32_t value) {
    std::size_t step = 1;
    while (static_cast<std::size_t>(end - from) > step && from[step - 1] < value) {
      from += step;
      step *= 2;
    }
    return std::lower_bound(from, from + std::min<std::size_t>(step, end - from), value);
  }

  const StateKeys& keys_;
  bool tiled_;
  std::size_t per_tile_;
  std::vector<std::uint64_t> next_, cursor_;
  std::size_t cursor_tile_ = 0;  // the tile whose first entries the cursors are at
};

// Entries of the largest tile of `owners_per_tile` owners of a segmented key set (a placement
// lane's piece: see TileScatter; a restore's tile buffer: gather_stored), or 0 for other key sets.
std::uint64_t largest_tile_entries(const StateKeys& keys,
                                   std::size_t owners_per_tile = kOwnersPerTile);

// Calls f(local entry i, stored position j) for every entry of `keys` (see TileVisit).
template <class F>
void for_each_stored(const StateKeys& keys, F&& f, bool tiled = true) {
  if (!keys.segmented()) {
    for (std::size_t i = 0, n = keys.size(); i < n; ++i) f(i, i);
    return;
  }
  TileVisit visit(keys, tiled);
  for (std::size_t k = 0; k < visit.tiles(); ++k)
    visit.visit(k, [&f](std::uint64_t i, std::uint64_t j, std::uint32_t) {
      f(static_cast<std::size_t>(i), static_cast<std::size_t>(j));
    });
}

// Places a segmented key set's values (in[i] for local entry i) in their stored order, as
// for_each_stored does, a tile of owners at a time, through write combining: each owner's stream
// is gathered in a cache-resident 64-byte line and written a whole line at a time with
// non-temporal stores, so the destination's lines are never read (see checkpoint_scatter.cpp).
// T: float, double, int64. `in` and `keys` must outlive it.
template <class T>
class TileScatter {
 public:
  TileScatter(const StateKeys& keys, const T* in);
  ~TileScatter();
  std::size_t tiles() const { return visit_.tiles(); }
  // Tile k's stored positions are [start(k), start(k + 1)).
  std::uint64_t start(std::size_t k) const;
  // Writes tile k's values: stored position j to out[j - start(k)]. Tiles in increasing order,
  // each once (tiles skipped are left to other TileScatters of the same keys: one per thread).
  void tile(std::size_t k, T* out);

 private:
  struct Line;
  const StateKeys& keys_;
  const T* in_;
  TileVisit visit_;
  std::vector<Line> lines_;  // one per owner of a tile
  std::size_t next_tile_ = 0;
};

// out[j] = in[i] for every entry (see TileScatter): the whole block into one buffer.
template <class T>
void scatter_stored(const StateKeys& keys, const T* in, T* out) {
  TileScatter<T> scatter(keys, in);
  for (std::size_t k = 0; k < scatter.tiles(); ++k) scatter.tile(k, out + scatter.start(k));
}

// out[i] = the value of local entry i, read from `file`, where owner o's entries are the rows
// ranges[o] in its stored order: a restore's placement of a segmented key set's values (the
// inverse of TileScatter). A tile of owners at a time: the tile's rows are read into a buffer of
// their own (adjacent owners' rows in one read), so that the file is read in its order, and
// placed from there, the tile's streams in cache. Tiles are shared out among up to two threads,
// each with its own buffer and cursors (see TileVisit::seek). T: float, double, int64. A failed
// read is the FileError it threw.
template <class T>
void gather_stored(const StateKeys& keys, const std::vector<io::RowRange>& ranges,
                   const io::RawValueRows& file, T* out);

class StateWriter {
 public:
  // Threads that may place a deferred block's tiles while the file is written (see
  // io::CheckpointBlock::lanes): the writer's own and one more, as for a restore's gather.
  static constexpr unsigned kScatterLanes = 2;
  // A rank-1 or rank-2 View whose first extent runs over the keys' entries. A segmented key
  // set's values may be read only when the block is written (see defer): write the blocks before
  // the state changes.
  template <class V>
  void put(const std::string& name, const StateKeys& keys, const V& view) {
    using T = std::remove_const_t<typename V::value_type>;
    constexpr int kRank = static_cast<int>(V::rank);
    static_assert(kRank == 1 || kRank == 2, "state Views are rank 1 or 2");
    const std::size_t n = keys.size();
    if (view.extent(0) != n) {
      throw InternalError("checkpoint block " + name + ": " + std::to_string(view.extent(0)) +
                          " values for " + std::to_string(n) + " keys");
    }
    const auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), view);
    io::CheckpointBlock b =
        begin(name, keys, kRank == 2 ? static_cast<int>(view.extent(1)) : 1, std::is_integral_v<T>);
    b.single = std::is_same_v<T, float>;
    const std::size_t width = static_cast<std::size_t>(b.value_width);
    // Values in the stored order: the keys' order, or a segmented key set's canonical order.
    if (defer(host, keys, b) || borrow(host, keys, b)) {
      blocks_.push_back(std::move(b));
      return;
    }
    if constexpr (std::is_integral_v<T>) {
      b.ints.resize(n * width);
      copy_out(host, keys, b.ints.data());
    } else if constexpr (std::is_same_v<T, float>) {
      b.singles.resize(n * width);
      copy_out(host, keys, b.singles.data());
    } else {
      b.reals.resize(n * width);
      copy_out(host, keys, b.reals.data());
    }
    blocks_.push_back(std::move(b));
  }
  void put_block(io::CheckpointBlock block) { blocks_.push_back(std::move(block)); }
  std::vector<io::CheckpointBlock>& blocks() { return blocks_; }

 private:
  io::CheckpointBlock begin(const std::string& name, const StateKeys& keys, int width,
                            bool integer);
  // Values already in the stored order and type (keys in the view's order, a contiguous host
  // array, row after row) are borrowed, not copied (see io::CheckpointBlock::borrowed); false (and
  // the block untouched) for others.
  template <class H>
  static bool borrow(const H& host, const StateKeys& keys, io::CheckpointBlock& b) {
    using T = std::remove_const_t<typename H::value_type>;
    using Stored = std::conditional_t<std::is_integral_v<T>, std::int64_t,
                                      std::conditional_t<std::is_same_v<T, float>, float, double>>;
    constexpr bool row_major = static_cast<int>(H::rank) == 1 ||
                               std::is_same_v<typename H::array_layout, Kokkos::LayoutRight>;
    if constexpr (std::is_same_v<T, Stored> && row_major) {
      if (keys.segmented() || !host.span_is_contiguous()) return false;
      b.borrowed = host.data();
      b.borrowed_entries = keys.size();
      b.borrowed_owner = std::make_shared<H>(host);  // the View keeps its allocation alive
      return true;
    } else {
      (void)host, (void)keys, (void)b;
      return false;
    }
  }
  // A projection's synapse values (the bulk of a plastic network's checkpoint) as a deferred
  // block (see io::CheckpointBlock::produce): placed in stored order tile by tile through
  // TileScatter while the file is written. Values whose stored type is theirs (float, double,
  // int64), one per entry; false (and the block untouched) for others.
  template <class H>
  static bool defer(const H& host, const StateKeys& keys, io::CheckpointBlock& b) {
    using T = std::remove_const_t<typename H::value_type>;
    using Stored = std::conditional_t<std::is_integral_v<T>, std::int64_t,
                                      std::conditional_t<std::is_same_v<T, float>, float, double>>;
    if constexpr (static_cast<int>(H::rank) == 1 && std::is_same_v<T, Stored>) {
      if (!keys.segmented() || !host.span_is_contiguous()) return false;
      // One TileScatter per lane: each has its own cursors and lines (see TileVisit::seek).
      std::vector<std::shared_ptr<TileScatter<T>>> lanes;
      for (unsigned l = 0; l < kScatterLanes; ++l)
        lanes.push_back(std::make_shared<TileScatter<T>>(keys, host.data()));
      for (std::size_t k = 0; k <= lanes[0]->tiles(); ++k) b.pieces.push_back(lanes[0]->start(k));
      if (b.pieces.size() < 2) b.pieces = {0, 0};
      b.lanes = kScatterLanes;
      // The View is held until the block is written: the values are read then.
      b.produce = [lanes, host](std::size_t k, void* out, unsigned lane) {
        lanes[lane]->tile(k, static_cast<T*>(out));
      };
      return true;
    } else {
      (void)host, (void)keys, (void)b;
      return false;
    }
  }
  // out[j * width + c] = host(i, c) for local entry i stored at j (see StateKeys).
  template <class H, class U>
  static void copy_out(const H& host, const StateKeys& keys, U* out) {
    for_each_stored(keys, [&](std::size_t i, std::size_t j) {
      if constexpr (static_cast<int>(H::rank) == 1) {
        out[j] = static_cast<U>(host(i));
      } else {
        for (std::size_t c = 0; c < host.extent(1); ++c)
          out[j * host.extent(1) + c] = static_cast<U>(host(i, c));
      }
    });
  }
  std::vector<io::CheckpointBlock> blocks_;
  std::set<std::string> key_sets_;  // key sets whose keys a block already carries
};

class StateReader {
 public:
  explicit StateReader(io::CheckpointSource& source) : source_(source) {}
  // This rank's gids among `total` neurons: a restart on several ranks reads every entry and
  // skips those of other ranks' neurons with one bit test.
  void set_local_gids(const std::vector<bool>& local) { local_gid_ = local; }
  io::CheckpointSource& source() { return source_; }

  // The block's values for each of `keys`, in that order (the first entry of a key that several
  // ranks wrote, such as a presynaptic row: they hold the same values). A key without an entry
  // is a FileError naming the block.
  io::CheckpointBlock aligned(const std::string& name, const StateKeys& keys);
  // Every entry of a block (state that every rank holds whole, such as a dopamine train).
  io::CheckpointBlock all(const std::string& name);

  // Restores a View saved with StateWriter::put.
  template <class V>
  void get(const std::string& name, const StateKeys& keys, const V& view) {
    using T = typename V::non_const_value_type;
    constexpr int kRank = static_cast<int>(V::rank);
    if constexpr (kRank == 1) {
      if (keys.segmented() && gather(name, keys, view)) return;
    }
    if (!keys.segmented() && read_in_place(name, keys, view)) return;
    const io::CheckpointBlock b = keys.segmented() ? segmented(name, keys) : aligned(name, keys);
    const int width = kRank == 2 ? static_cast<int>(view.extent(1)) : 1;
    if (b.value_width != width || b.integer != std::is_integral_v<T> ||
        b.entries() != keys.size()) {
      throw FileError(name, "the checkpoint's block has " + std::to_string(b.entries()) + " x " +
                                std::to_string(b.value_width) + " values, this network needs " +
                                std::to_string(keys.size()) + " x " + std::to_string(width));
    }
    auto host = Kokkos::create_mirror_view(view);
    if constexpr (std::is_integral_v<T>) {
      copy_in(b.ints.data(), keys, host);
    } else if (b.single && !b.singles.empty()) {
      copy_in(b.singles.data(), keys, host);
    } else {
      copy_in(b.reals.data(), keys, host);
    }
    Kokkos::deep_copy(view, host);
  }

 private:
  // Where the entries of a key set's first block were found: their rows in the file and the
  // local index of each (the later blocks of the set read only these rows' values).
  struct Placement {
    std::vector<std::uint64_t> rows;
    std::vector<std::size_t> local;
    // The rows as one range when they are consecutive and in local order (see rows_in_order).
    std::optional<io::RowRange> in_order;
  };
  // host(i, c) = in[j * width + c] for local entry i stored at j (see StateKeys).
  template <class U, class H>
  static void copy_in(const U* in, const StateKeys& keys, const H& host) {
    using T = typename H::non_const_value_type;
    for_each_stored(
        keys,
        [&](std::size_t i, std::size_t j) {
          if constexpr (static_cast<int>(H::rank) == 1) {
            host(i) = static_cast<T>(in[j]);
          } else {
            for (std::size_t c = 0; c < host.extent(1); ++c)
              host(i, c) = static_cast<T>(in[j * host.extent(1) + c]);
          }
        },
        false);
  }
  // The rows of the keys' entries in the file as one range, if a block of their key set was read
  // already and found them there in the keys' order (a restart onto the decomposition that
  // wrote the checkpoint); else none.
  std::optional<io::RowRange> rows_in_order(const StateKeys& keys) const;
  // Restores a View of int64 or double values (row-major if 2-D) whose entries lie in the file
  // in its own order (rows_in_order) by reading them straight into it; false (nothing done)
  // otherwise or where the block holds other values: then `aligned`.
  template <class V>
  bool read_in_place(const std::string& name, const StateKeys& keys, const V& view) {
    using T = typename V::non_const_value_type;
    constexpr bool kInteger = std::is_same_v<T, std::int64_t>;
    constexpr bool kRowMajor =
        V::rank == 1 || std::is_same_v<typename V::array_layout, Kokkos::LayoutRight>;
    constexpr bool kEightBytes = kInteger || std::is_same_v<T, double>;
    constexpr bool kReadable = kEightBytes && kRowMajor;
    if constexpr (kReadable && V::rank <= 2) {
      const std::optional<io::RowRange> range = rows_in_order(keys);
      if (!range || view.extent(0) != keys.size()) return false;
      auto host = Kokkos::create_mirror_view(view);
      if (!host.span_is_contiguous()) return false;
      const std::size_t width = V::rank == 2 ? view.extent(1) : 1;
      if (!source_.read_range_into(name, *range, width, kInteger, host.data())) return false;
      Kokkos::deep_copy(view, host);
      return true;
    } else {
      (void)name, (void)keys, (void)view;
      return false;
    }
  }
  // The values of a block of a segmented key set, in the keys' stored order: each owner's
  // entries found through the file's owners and counts (read once per key set).
  io::CheckpointBlock segmented(const std::string& name, const StateKeys& keys);
  // The file rows of each of the keys' owners (see segmented).
  const std::vector<io::RowRange>& segment_ranges(const std::string& name, const StateKeys& keys);
  // Restores a segmented key set's values of the engine's own type straight from the file's rows
  // with gather_stored (no copy of the block in memory, the file read once, in order); false
  // (nothing done) where the file cannot be read so (see io::RawValueRows): then `segmented`.
  template <class V>
  bool gather(const std::string& name, const StateKeys& keys, const V& view) {
    using T = typename V::non_const_value_type;
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double> ||
                  std::is_same_v<T, std::int64_t>) {
      auto host = Kokkos::create_mirror_view(view);
      if (view.extent(0) != keys.size() || !host.span_is_contiguous()) return false;
      const std::unique_ptr<io::RawValueRows> file = source_.raw_rows(name);
      if (!file || file->width != 1 || file->integer != std::is_integral_v<T> ||
          file->single != std::is_same_v<T, float>) {
        return false;
      }
      const std::vector<io::RowRange>& ranges = segment_ranges(name, keys);
      for (const io::RowRange& r : ranges) {
        if (r.first + r.count > file->rows) {
          throw FileError(
              name, "an entry range beyond the block's " + std::to_string(file->rows) + " entries");
        }
      }
      gather_stored(keys, ranges, *file, host.data());
      Kokkos::deep_copy(view, host);
      return true;
    } else {
      (void)name, (void)keys, (void)view;
      return false;
    }
  }

  io::CheckpointSource& source_;
  std::map<std::string, Placement> placements_;
  std::map<std::string, std::vector<io::RowRange>> ranges_;  // per segmented key set
  std::vector<bool> local_gid_;
};

}  // namespace spikeweave::engine
