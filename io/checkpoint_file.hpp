#pragma once
// The state file of a checkpoint (state.h5), written collectively with parallel HDF5 and read
// back on any number of ranks (layout in io/SCHEMA.md):
//   / attributes: format, layout_version, step, interval_steps, ranks, dt_ms, network_hash,
//                 network_toml, overrides, effective_toml, version
//   /state/<block name>/keys   uint64 [entries, key_width] (or attr key_set: /keys/<set>)
//   /state/<block name>/values float64, float32 or int64 [entries, value_width]
//   /keys/<set>/owners, counts  uint64 [owners]: a segmented key set (a projection's synapses)
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "comm/context.hpp"
#include "io/buffer_pool.hpp"
#include "io/checkpoint_data.hpp"
#include "io/checksum.hpp"

namespace spikeweave::io {

// The layout this build writes and reads. 2: synapses in segmented key sets (1: a 3-word key
// per synapse).
inline constexpr std::int64_t kCheckpointLayoutVersion = 2;

// Collective: every rank passes the same header and the same block names in the same order, each
// with its own entries. Creates `path` (truncating it), writes and closes it. Returns, on rank 0,
// the hashes of the checksum chunks the ranks hashed as they wrote them (io/checksum.hpp:
// chunked_file_checksum completes the file's checksum from them); elsewhere none. The placement
// lanes' buffers come from `pool` (if given) and go back to it.
ChunkHashes write_checkpoint_state(comm::Context& context, const std::string& path,
                                   const CheckpointHeader& header,
                                   const std::vector<CheckpointBlock>& blocks,
                                   BufferPool* pool = nullptr);

// Local: opens `path` read-only. A file that is not a SpikeWeave checkpoint or has another
// layout version is a FileError naming the file and the reason. `before_raw_read(end)`, if
// given, is called before raw rows (CheckpointSource::raw_rows) are read with the end of the
// file's bytes they need, from the reading thread: it may wait until they are in the page cache.
std::unique_ptr<CheckpointSource> open_checkpoint_state(
    const std::string& path, std::function<void(std::uint64_t)> before_raw_read = {});

// Local: the blocks of a state file with their entries and widths (for `spikeweave inspect`).
struct CheckpointBlockSummary {
  std::string name;
  std::uint64_t entries = 0;
  int key_width = 0;  // 0: a segmented key set
  int value_width = 0;
  bool integer = false;
  bool single = false;
};
std::vector<CheckpointBlockSummary> checkpoint_block_summaries(const std::string& path);

}  // namespace spikeweave::io
