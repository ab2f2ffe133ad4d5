#pragma once
// The plain data of a checkpoint, shared by the engine (which fills and reads it) and the HDF5
// files (io/checkpoint_file.hpp). No HDF5 or MPI header here.
//
// A checkpoint is a set of named blocks. Every entry of a block is keyed by identities that do
// not depend on the decomposition: a neuron by its gid, a presynaptic row by its source node id,
// a synapse by (source node id, target gid, ordinal among synapses of that pair), an input-ring
// entry by (target gid, port, absolute arrival step). Each rank contributes the entries it owns;
// a restart on any number of ranks picks the entries whose keys it owns.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace spikeweave::io {

struct CheckpointBlock {
  std::string name;                 // "population/exc/v_m_mv", "projection/ee/weight", ...
  int key_width = 1;                // key words per entry
  int value_width = 1;              // values per entry
  bool integer = false;             // int64 values (else float64)
  std::vector<std::uint64_t> keys;  // entries x key_width
  std::vector<double> reals;        // entries x value_width, when !integer
  std::vector<std::int64_t> ints;   // entries x value_width, when integer
  bool single = false;              // real values that are float32 in the engine: stored as float32
  // Blocks of the same key set (the synapses of a projection, the neurons of a population) have
  // the same keys in the same order on every rank: stored once, at /keys/<key_set>.
  std::string key_set;

  // Entries: from the keys, or, for a block whose key set's keys another block carries (keys
  // left empty), from the values.
  std::size_t entries() const {
    if (!keys.empty() || key_set.empty()) return key_width > 0 ? keys.size() / key_width : 0;
    const std::size_t values = integer ? ints.size() : reals.size();
    return value_width > 0 ? values / static_cast<std::size_t>(value_width) : 0;
  }
};

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
};

}  // namespace spikeweave::io
