// The engine's state to and from checkpoint blocks: which parts save what, under which keys.
#include "engine/checkpoint_state.hpp"

#include <algorithm>
#include <exception>
#include <new>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>

#include "engine/simulation.hpp"
#include "io/checkpoint_raw_file.hpp"
#include "io/piece_pipeline.hpp"
#include "partition/partition.hpp"

namespace spikeweave::engine {
namespace {

// A key of up to three words.
struct Key {
  std::uint64_t a = 0, b = 0, c = 0;
  bool operator==(const Key& o) const { return a == o.a && b == o.b && c == o.c; }
};
Key key_at(const std::uint64_t* words, int width) {
  return {words[0], width > 1 ? words[1] : 0, width > 2 ? words[2] : 0};
}

// The local index of each of a rank's keys: an open-addressing table (linear probing), which a
// restart probes once per entry of every block it reads: several times faster than a node-based
// std::unordered_map for millions of synapses.
class KeyIndex {
 public:
  static constexpr std::size_t kNone = ~std::size_t{0};
  explicit KeyIndex(const StateKeys& keys) : keys_(keys), width_(keys.width) {}

  // Entries usually come in the order of this rank's keys (the file lists each writer's entries
  // in table order): the key after the last one found is tried first, without hashing.
  std::size_t find(const std::uint64_t* words) {
    const Key k = key_at(words, width_);
    const std::size_t w = static_cast<std::size_t>(width_);
    if (next_ < keys_.size() && key_at(&keys_.words[next_ * w], width_) == k) return next_++;
    // The table is built at the first miss only: a restart onto the same decomposition, whose
    // entries all come in order, never needs it.
    if (slots_.empty()) build();
    for (std::size_t at = hash(k) & mask_;; at = (at + 1) & mask_) {
      if (slots_[at].index == kNone || slots_[at].key == k) {
        if (slots_[at].index != kNone) next_ = slots_[at].index + 1;
        return slots_[at].index;
      }
    }
  }

 private:
  struct Slot {
    Key key;
    std::size_t index = kNone;
  };
  void build() {
    std::size_t capacity = 16;
    while (capacity < 2 * keys_.size()) capacity *= 2;
    mask_ = capacity - 1;
    slots_.assign(capacity, Slot{});
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      const Key k = key_at(&keys_.words[i * static_cast<std::size_t>(width_)], width_);
      std::size_t at = hash(k) & mask_;
      while (slots_[at].index != kNone && !(slots_[at].key == k)) at = (at + 1) & mask_;
      if (slots_[at].index == kNone) slots_[at] = Slot{k, i};
    }
  }
  static std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
  }
  static std::size_t hash(const Key& k) {
    return static_cast<std::size_t>(mix(k.a ^ mix(k.b ^ mix(k.c))));
  }
  const StateKeys& keys_;
  int width_;
  std::size_t next_ = 0;
  std::size_t mask_ = 0;
  std::vector<Slot> slots_;
};

std::string describe_key(const StateKeys& keys, std::size_t i) {
  std::string text = "(";
  for (int j = 0; j < keys.width; ++j)
    text += (j ? ", " : "") + std::to_string(keys.words[i * keys.width + j]);
  return text + ")";
}

// The synapses of a projection on this rank as a segmented key set: owners are the target
// population's local neurons, each with its incoming synapses in the canonical order (source node
// id, then ordinal among the synapses of that pair in delay order). Rows are in increasing
// source order and a row's synapses in delay order, so local synapse index order is that order
// already within each target (see StateKeys).
StateKeys synapse_keys(const network::SynapseTables& t, const NeuronGroup& target) {
  StateKeys keys;
  keys.width = 0;
  keys.owners = target.gids();
  keys.counts.assign(keys.owners.size(), 0);
  keys.owner_of = Kokkos::subview(t.target, std::make_pair(std::uint64_t{0}, t.synapses));
  // Targets increase within each segment as the tables are built; checked here (once per run),
  // since for_each_stored's tiled order relies on it and would otherwise miss entries.
  bool sorted = true;
  for (std::uint64_t s = 0; s < t.segments(); ++s) {
    for (std::uint64_t k = t.segment_begin(s); k < t.segment_begin(s + 1); ++k) {
      ++keys.counts[t.target(k)];
      sorted = sorted && (k == t.segment_begin(s) || t.target(k - 1) <= t.target(k));
    }
  }
  if (sorted && t.segments() > 0) {
    keys.runs.assign(t.segment_begin.data(), t.segment_begin.data() + t.segments() + 1);
  }
  keys.starts.resize(keys.owners.size());
  std::uint64_t offset = 0;
  for (std::size_t i = 0; i < keys.starts.size(); ++i) {
    keys.starts[i] = offset;
    offset += keys.counts[i];
  }
  return keys;
}

// Keys of projection p's blocks on this rank (see ProjectionKeys).
ProjectionKeys projection_keys(const Projection& p, const NeuronGroup& target,
                               const std::string& name, bool root) {
  ProjectionKeys keys;
  keys.prefix = "projection/" + name + "/";
  keys.root = root;
  const network::SynapseTables& t = p.host_tables();
  keys.rows.words.resize(t.rows());
  for (std::uint64_t row = 0; row < t.rows(); ++row) keys.rows.words[row] = t.row_source(row);
  keys.synapses = synapse_keys(t, target);
  keys.targets = gid_keys(target.gids(), target.spec().name);
  keys.synapses.set = keys.prefix + "synapses";
  keys.rows.set = keys.prefix + "rows";
  return keys;
}

// The source node id of local synapse k (its row: the last whose first synapse is <= k).
std::uint64_t synapse_source(const network::SynapseTables& t, std::uint64_t k) {
  std::uint64_t low = 0, high = t.rows();  // the row is in [low, high)
  while (high - low > 1) {
    const std::uint64_t mid = low + (high - low) / 2;
    if (t.segment_begin(t.row_begin(mid)) <= k) {
      low = mid;
    } else {
      high = mid;
    }
  }
  return t.row_source(low);
}

// The input ring's pending entries: (gid, port, arrival step) -> int64 fixed-point input. At an
// interval boundary `step`, slot s holds the input due at the one step in [step, step + slots)
// congruent to s.
void save_ring(StateWriter& w, NeuronGroup& g, Step step) {
  io::CheckpointBlock b = io::empty_block("population/" + g.spec().name + "/ring", 3, 1, true);
  const auto ring = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), g.ring());
  const Step slots = static_cast<Step>(ring.extent(1));
  // Counted first: grown entry by entry, the block (tens of MB at scale 8) was copied into ever
  // larger fresh allocations.
  std::size_t pending = 0;
  const std::int64_t* all = ring.data();
  for (std::size_t k = 0, n = ring.size(); k < n; ++k) pending += all[k] != 0 ? 1 : 0;
  b.keys.reserve(3 * pending);
  b.ints.reserve(pending);
  for (std::size_t port = 0; port < ring.extent(0); ++port) {
    for (Step t = step; t < step + slots; ++t) {
      for (std::size_t i = 0; i < ring.extent(2); ++i) {
        const std::int64_t value = ring(port, static_cast<std::size_t>(t % slots), i);
        if (value == 0) continue;
        b.keys.insert(b.keys.end(), {g.gids()[i], port, static_cast<std::uint64_t>(t)});
        b.ints.push_back(value);
      }
    }
  }
  w.put_block(std::move(b));
}

void restore_ring(StateReader& r, NeuronGroup& g, const partition::Partition& partition, int rank) {
  // This rank's neurons of the population and their local indices, by the partition's arithmetic
  // (a hash map of the gids, looked up twice per entry, took 0.1 s of a scale 8 restore).
  const Gid first = g.spec().first_gid, end = first + g.spec().size;
  auto mine = [&](Gid gid) {
    return gid >= first && gid < end && partition::owner(partition, gid) == rank;
  };
  const io::CheckpointBlock b =
      r.source().read("population/" + g.spec().name + "/ring",
                      [&](const std::uint64_t* key) { return mine(key[0]); });
  auto ring = Kokkos::create_mirror_view(g.ring());
  Kokkos::deep_copy(ring, 0);
  const Step slots = static_cast<Step>(ring.extent(1));
  for (std::size_t e = 0; e < b.entries(); ++e) {
    const std::uint64_t* key = &b.keys[3 * e];
    if (key[1] >= ring.extent(0) || slots == 0) {
      throw FileError(b.name, "an input-ring entry for a port or neuron that takes no input");
    }
    ring(key[1], static_cast<std::size_t>(static_cast<Step>(key[2]) % slots),
         partition::local_index(partition, key[0], first)) = b.ints[e];
  }
  Kokkos::deep_copy(g.ring(), ring);
}

NeuronStateView checked_state_view(NeuronGroup& g, const model::StateVariableInfo& variable) {
  NeuronStateView v = g.checkpoint_view(variable.name);
  if (!v.provided) {
    throw InternalError("neuron model '" + g.model().name + "' declares the checkpointed state '" +
                        variable.name + "' but its group does not provide it");
  }
  return v;
}

// Calls f(block name, view) for every state variable of g's model marked checkpointed.
template <class F>
void for_each_checkpointed(NeuronGroup& g, F&& f) {
  for (const model::StateVariableInfo& variable : g.model().state) {
    if (variable.checkpointed)
      f("population/" + g.spec().name + "/" + variable.name, checked_state_view(g, variable));
  }
}

}  // namespace

StateKeys gid_keys(const std::vector<std::uint64_t>& gids, const std::string& population) {
  return StateKeys{1, gids, "population/" + population, 0, {}, {}, {}, {}, {}};
}

io::CheckpointBlock StateWriter::begin(const std::string& name, const StateKeys& keys, int width,
                                       bool integer) {
  io::CheckpointBlock b;
  b.name = name;
  b.key_width = keys.width;
  b.value_width = width;
  b.integer = integer;
  b.key_set = keys.set;
  b.segmented = keys.segmented();
  // A key set's keys travel with its first block only (the file stores them once).
  if (keys.set.empty() || key_sets_.insert(keys.set).second) {
    if (b.segmented) {
      b.owners = keys.owners;
      b.counts = keys.counts;
    } else {
      b.keys = keys.words;
    }
  }
  return b;
}

io::CheckpointBlock StateReader::segmented(const std::string& name, const StateKeys& keys) {
  return source_.read_ranges(name, segment_ranges(name, keys));
}

const std::vector<io::RowRange>& StateReader::segment_ranges(const std::string& name,
                                                             const StateKeys& keys) {
  auto cached = ranges_.find(keys.set);
  if (cached == ranges_.end()) {
    std::vector<std::uint64_t> owners, counts;
    source_.read_segments(name, owners, counts);
    // Each owner's first entry in the file, by owner gid.
    std::unordered_map<std::uint64_t, io::RowRange> where;
    where.reserve(owners.size());
    std::uint64_t offset = 0;
    for (std::size_t i = 0; i < owners.size(); ++i) {
      where.emplace(owners[i], io::RowRange{offset, counts[i]});
      offset += counts[i];
    }
    std::vector<io::RowRange> ranges(keys.owners.size());
    for (std::size_t i = 0; i < keys.owners.size(); ++i) {
      const auto found = where.find(keys.owners[i]);
      if (found == where.end() || found->second.count != keys.counts[i]) {
        throw FileError(
            name,
            "the checkpoint holds " +
                (found == where.end() ? std::string("no") : std::to_string(found->second.count)) +
                " entries for target gid " + std::to_string(keys.owners[i]) + ", this network " +
                std::to_string(keys.counts[i]) + " (it was written for another network)");
      }
      ranges[i] = found->second;
    }
    cached = ranges_.emplace(keys.set, std::move(ranges)).first;
  }
  return cached->second;
}

std::optional<io::RowRange> StateReader::rows_in_order(const StateKeys& keys) const {
  if (keys.set.empty()) return std::nullopt;
  const auto found = placements_.find(keys.set);
  if (found == placements_.end() || found->second.local.size() != keys.size()) return std::nullopt;
  return found->second.in_order;
}

namespace {
// The rows as one range if they are consecutive and in local order, else none.
std::optional<io::RowRange> consecutive_in_order(const std::vector<std::uint64_t>& rows,
                                                 const std::vector<std::size_t>& local) {
  if (rows.empty() || rows.size() != local.size()) return std::nullopt;
  for (std::size_t j = 0; j < local.size(); ++j) {
    if (local[j] != j || rows[j] != rows[0] + j) return std::nullopt;
  }
  return io::RowRange{rows[0], rows.size()};
}
}  // namespace

io::CheckpointBlock StateReader::aligned(const std::string& name, const StateKeys& keys) {
  if (keys.segmented()) throw InternalError(name + ": a segmented key set read as keyed entries");
  const auto cached = keys.set.empty() ? placements_.end() : placements_.find(keys.set);
  const bool reuse = cached != placements_.end() && cached->second.local.size() == keys.size();
  io::CheckpointBlock found;
  std::vector<std::size_t> local, entry;  // per value taken: local index and entry in `found`
  if (reuse) {
    // Another block of the same key set placed these keys already: read only values.
    found = source_.read_rows(name, cached->second.rows);
    local = cached->second.local;
    entry.resize(local.size());
    for (std::size_t j = 0; j < entry.size(); ++j) entry[j] = j;
  } else {
    KeyIndex wanted(keys);
    std::vector<std::uint64_t> rows;
    std::vector<std::size_t> matched;  // the local index of each entry read, in order
    found = source_.read(
        name,
        [&](const std::uint64_t* key) {
          if (keys.owner_word >= 0) {
            const std::uint64_t gid = key[keys.owner_word];
            if (gid < local_gid_.size() && !local_gid_[gid]) return false;
          }
          const std::size_t i = wanted.find(key);
          if (i != KeyIndex::kNone) matched.push_back(i);
          return i != KeyIndex::kNone;
        },
        &rows, keys.width);
    // The first entry of each key (a row that several ranks wrote holds equal values).
    std::vector<bool> filled(keys.size(), false);
    Placement placement;
    for (std::size_t e = 0; e < found.entries(); ++e) {
      const std::size_t i = matched[e];
      if (filled[i]) continue;
      filled[i] = true;
      placement.rows.push_back(rows[e]);
      placement.local.push_back(i);
      entry.push_back(e);
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (!filled[i]) {
        throw FileError(name, "the checkpoint has no entry for key " + describe_key(keys, i) +
                                  " (it was written for another network)");
      }
    }
    local = placement.local;
    placement.in_order = consecutive_in_order(placement.rows, placement.local);
    if (!keys.set.empty()) placements_[keys.set] = std::move(placement);
  }
  // Entries that come in this rank's order, one per key (a restart onto the decomposition that
  // wrote them), are this rank's values as they are: no copy.
  const std::size_t width = std::max<std::size_t>(1, static_cast<std::size_t>(found.value_width));
  const std::size_t values = found.integer ? found.ints.size() : found.reals.size();
  bool in_order = values == keys.size() * width && local.size() == keys.size();
  for (std::size_t j = 0; in_order && j < local.size(); ++j)
    in_order = local[j] == j && entry[j] == j;
  if (in_order) {
    found.keys = keys.words;
    return found;
  }
  io::CheckpointBlock out =
      io::empty_block(found.name, found.key_width, found.value_width, found.integer);
  out.keys = keys.words;
  const std::size_t w = static_cast<std::size_t>(found.value_width);
  out.reals.assign(found.integer ? 0 : keys.size() * w, 0.0);
  out.ints.assign(found.integer ? keys.size() * w : 0, 0);
  for (std::size_t j = 0; j < local.size(); ++j) {
    for (std::size_t c = 0; c < w; ++c) {
      if (found.integer) {
        out.ints[local[j] * w + c] = found.ints[entry[j] * w + c];
      } else {
        out.reals[local[j] * w + c] = found.reals[entry[j] * w + c];
      }
    }
  }
  return out;
}

io::CheckpointBlock StateReader::all(const std::string& name) {
  return source_.read(name, [](const std::uint64_t*) { return true; });
}

const ProjectionKeys& Simulation::checkpoint_keys(const Projection& p) {
  const std::size_t index = static_cast<std::size_t>(p.index());
  if (checkpoint_keys_.size() <= index) checkpoint_keys_.resize(index + 1);
  std::shared_ptr<const ProjectionKeys>& keys = checkpoint_keys_[index];
  if (!keys) {
    keys = std::make_shared<const ProjectionKeys>(projection_keys(
        p, *groups_[p.target()], spec_.projections[p.index()].name, context_.rank() == 0));
  }
  return *keys;
}

void Simulation::prepare_checkpoint_keys() {
  if (checkpoint_keys_thread_.thread.joinable()) return;
  std::vector<const Projection*> todo;
  for (const auto& p : projections_) {
    const auto index = static_cast<std::size_t>(p->index());
    if (p->plastic() && (index >= checkpoint_keys_.size() || !checkpoint_keys_[index]))
      todo.push_back(p.get());
  }
  if (!todo.empty()) start_checkpoint_keys(std::move(todo));
}

void Simulation::start_checkpoint_keys(std::vector<const Projection*> todo) {
  checkpoint_keys_.resize(std::max(checkpoint_keys_.size(), spec_.projections.size()));
  checkpoint_keys_failed_ = nullptr;
  // The tables and gids it reads do not change once a projection is built (only weights and
  // plastic state do, while the simulation runs); checkpoint_keys_ is the thread's until
  // await_checkpoint_keys joins it.
  checkpoint_keys_thread_.thread = std::thread([this, todo = std::move(todo)] {
    try {
      for (const Projection* p : todo) checkpoint_keys(*p);
      reserve_checkpoint_buffers(todo);
    } catch (...) {
      checkpoint_keys_failed_ = std::current_exception();
    }
  });
}

void Simulation::reserve_checkpoint_buffers(const std::vector<const Projection*>& built) {
  if (!keep_checkpoint_buffers_ || checkpoint_buffers_thread_.thread.joinable()) return;
  // A lane's piece: a tile of a synapse key set's values (StateWriter::defer).
  std::uint64_t piece_bytes = 0;
  for (const Projection* p : built) {
    piece_bytes = std::max(
        piece_bytes, largest_tile_entries(checkpoint_keys(*p).synapses) * p->synapse_value_bytes());
  }
  if (piece_bytes == 0) return;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t buffers =
      std::min(StateWriter::kScatterLanes, cores) * io::PiecePipeline::kDefaultDepth;
  // A piece is produced up to one alignment unit past its buffer's start (its file offset's).
  const std::uint64_t bytes =
      io::PiecePipeline::buffer_bytes(piece_bytes + io::RawFile::kAlignment);
  // Only a head start: without it, the first checkpoint allocates what it needs (or reports
  // that it cannot).
  try {
    checkpoint_buffers_thread_.thread = std::thread([this, buffers, bytes] {
      try {
        checkpoint_buffers_.reserve(buffers, bytes);
      } catch (const std::bad_alloc&) {
      }
    });
  } catch (const std::system_error&) {
  }
}

void Simulation::await_checkpoint_keys() {
  if (!checkpoint_keys_thread_.thread.joinable()) return;
  checkpoint_keys_thread_.thread.join();
  if (checkpoint_keys_failed_) std::rethrow_exception(std::exchange(checkpoint_keys_failed_, {}));
}

void Simulation::save_state(StateWriter& w) {
  await_checkpoint_keys();
  for (auto& g : groups_) {
    const StateKeys keys = gid_keys(g->gids(), g->spec().name);
    for_each_checkpointed(*g, [&](const std::string& name, const NeuronStateView& v) {
      if (v.integer) {
        w.put(name, keys, v.int32);
      } else {
        w.put(name, keys, v.real);
      }
    });
    if (g->model().receives_input()) save_ring(w, *g, step_);
  }
  histories_.save_state(w, groups_);
  rates_.save_state(w, groups_);
  for (const auto& p : projections_) {
    if (!p->plastic()) continue;  // static synapses have no changing state
    p->save_state(w, checkpoint_keys(*p));
  }
  // Spike counts so far (for the run's summary), summed over ranks.
  std::vector<std::uint64_t> counts = global_spike_counts();
  io::CheckpointBlock b = io::empty_block("simulation/spike_counts", 1, 1, true);
  if (context_.rank() == 0) {
    for (std::size_t p = 0; p < counts.size(); ++p) {
      b.keys.push_back(p);
      b.ints.push_back(static_cast<std::int64_t>(counts[p]));
    }
  }
  w.put_block(std::move(b));
}

void Simulation::restore_neurons(StateReader& r) {
  std::vector<bool> local(spec_.total_neurons, false);
  for (const auto& g : groups_) {
    for (Gid gid : g->gids()) local[gid] = true;
  }
  r.set_local_gids(local);
  for (auto& g : groups_) {
    const StateKeys keys = gid_keys(g->gids(), g->spec().name);
    for_each_checkpointed(*g, [&](const std::string& name, const NeuronStateView& v) {
      if (v.integer) {
        r.get(name, keys, v.int32);
      } else {
        r.get(name, keys, v.real);
      }
    });
    if (g->model().receives_input()) restore_ring(r, *g, partition_, context_.rank());
  }
  histories_.restore_state(r, groups_);
  rates_.restore_state(r, groups_);
}

void Simulation::restore_state(StateReader& r, Step step) {
  await_checkpoint_keys();
  step_ = step;
  // The plastic projections' synapse keys (a pass over every synapse: a fifth of a restore's
  // time at scale 4) are computed on a second thread while the neurons' state is read. Only that
  // thread touches checkpoint_keys_ until it is joined.
  prepare_checkpoint_keys();
  try {
    restore_neurons(r);
  } catch (...) {
    // A thread runs only if some keys were missing; its own failure counts less than this one.
    if (checkpoint_keys_thread_.thread.joinable()) checkpoint_keys_thread_.thread.join();
    throw;
  }
  await_checkpoint_keys();
  for (auto& p : projections_) {
    if (p->plastic()) p->restore_state(r, checkpoint_keys(*p));
  }
  const io::CheckpointBlock counts = r.all("simulation/spike_counts");
  for (std::size_t e = 0; e < counts.entries() && context_.rank() == 0; ++e) {
    if (counts.keys[e] < spike_counts_.size())
      spike_counts_[counts.keys[e]] = static_cast<std::uint64_t>(counts.ints[e]);
  }
  Kokkos::fence();
}

std::string Simulation::non_finite_state() {
  std::string found;
  const double t_ms = static_cast<double>(step_) * spec_.simulation.dt_ms;
  const std::string at = " at t = " + std::to_string(t_ms) + " ms";
  for (auto& g : groups_) {
    for (const model::StateVariableInfo& variable : g->model().state) {
      if (!found.empty() || !variable.checkpointed) continue;
      const NeuronStateView v = checked_state_view(*g, variable);
      if (v.integer) continue;
      const std::int64_t i = first_non_finite<double>(v.real);
      if (i < 0) continue;
      const double value = Kokkos::create_mirror_view_and_copy(
          Kokkos::HostSpace(), Kokkos::subview(v.real, std::make_pair(i, i + 1)))(0);
      const Gid gid = g->gids()[static_cast<std::size_t>(i)];
      found = "numerical blow-up: population " + g->spec().name + ", neuron " +
              std::to_string(gid - g->spec().first_gid) + " (gid " + std::to_string(gid) +
              "): " + variable.name + " is " + std::to_string(value) + at;
    }
  }
  for (const auto& p : projections_) {
    if (!found.empty()) break;
    const std::int64_t k = p->first_non_finite_weight();
    if (k < 0) continue;
    const network::SynapseTables& t = p->host_tables();
    const std::uint64_t synapse = static_cast<std::uint64_t>(k);
    const Gid target = groups_[p->target()]->gids()[t.target(synapse)];
    found = "numerical blow-up: projection " + spec_.projections[p->index()].name + ", synapse " +
            std::to_string(synapse_source(t, synapse)) + " -> " +
            std::to_string(target - groups_[p->target()]->spec().first_gid) +
            " (source node -> target node): the weight is not finite" + at;
  }
  return comm::first_error(context_, found);
}

}  // namespace spikeweave::engine
